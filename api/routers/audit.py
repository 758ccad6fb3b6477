"""/v1/audit/events: ministry staff (reviewers and admins) read the audit log by subject."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import PageDep, SessionDep, scoped
from api.schemas import PROBLEM_RESPONSES, PageOut
from certification import audit_events
from certification.schemas import AuditEventRead
from core.principal import Principal

router = APIRouter(tags=["designation"], responses={
    **PROBLEM_RESPONSES, 503: PROBLEM_RESPONSES[400] | {"description": "Integrity check failed (event vs. entry)"}})
Staff = Annotated[Principal, scoped("designation:review")]


@router.get("/v1/audit/events", response_model=PageOut[AuditEventRead],
            summary="감사 이벤트 조회 (심사위원·관리자) / Audit events by subject (staff)")
def list_events(session: SessionDep, p: Staff, page: PageDep,
                subject_type: Annotated[str | None, Query(max_length=40, examples=["certificate"])] = None,
                subject_id: Annotated[str | None, Query(max_length=64, examples=["AXR-2026-7KQM-P3XD-H"])] = None,
                ) -> PageOut[AuditEventRead]:
    """Events in log order as their hashed entries record them. Reviewers see the events of certificates,
    of the programme and of the applications on their panels; other reviewers' scores stay behind the
    reviews endpoint's rule."""
    result = audit_events.list_events(session, p, subject_type=subject_type, subject_id=subject_id,
                                      cursor=page.cursor, limit=page.limit)
    return PageOut[AuditEventRead](items=[AuditEventRead.model_validate(e) for e in result.items],
                                   next=page.next_url(result.next_cursor))
