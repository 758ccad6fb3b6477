"""/v1/me/notices (the caller's organisation's inbox, mark read) and /v1/admin/notices (the delivery log)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import Admin, PageDep, SessionDep, scoped
from api.schemas import PROBLEM_RESPONSES, PageOut
from core.principal import Principal
from notices import service
from notices.schemas import EmailStatus, NoticeLogEntry, NoticeRead

router = APIRouter(tags=["notices"], responses=PROBLEM_RESPONSES)
Reader = Annotated[Principal, scoped("registry:read")]


@router.get("/v1/me/notices", response_model=PageOut[NoticeRead],
            summary="내 기관의 알림함 / My organisation's notices",
            description="Notices to the caller's organisation (supplement requests, screening results, decisions, "
                        "suspensions, renewal and report reminders), oldest first; follow `next`.")
def my_notices(session: SessionDep, p: Reader, page: PageDep,
               unread: Annotated[bool, Query(description="Only notices not yet marked read")] = False
               ) -> PageOut[NoticeRead]:
    result = service.inbox(session, p, unread=unread, cursor=page.cursor, limit=page.limit)
    return PageOut[NoticeRead](items=[NoticeRead.model_validate(n) for n in result.items],
                               next=page.next_url(result.next_cursor))


@router.post("/v1/me/notices/{notice_id}/read", response_model=NoticeRead,
             summary="알림 읽음 표시 / Mark a notice read")
def mark_read(notice_id: Annotated[str, Path(max_length=36)], session: SessionDep, p: Reader) -> NoticeRead:
    return NoticeRead.model_validate(service.mark_read(session, p, notice_id))


@router.get("/v1/admin/notices", response_model=PageOut[NoticeLogEntry],
            summary="알림 발송 기록 / Notice delivery log")
def notice_log(session: SessionDep, p: Admin, page: PageDep,
               email_status: Annotated[EmailStatus | None, Query(description="Only this e-mail status")] = None,
               recipient_org: Annotated[str | None, Query(max_length=64)] = None) -> PageOut[NoticeLogEntry]:
    result = service.log(session, email_status=email_status.value if email_status else None,
                         recipient_org=recipient_org, cursor=page.cursor, limit=page.limit)
    return PageOut[NoticeLogEntry](items=[NoticeLogEntry.model_validate(n) for n in result.items],
                                   next=page.next_url(result.next_cursor))
