"""Calls for applications (공고): the public list and the admin's open, edit (If-Match) and close."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from api.deps import SessionDep, check_if_match, scoped, set_etag
from api.ratelimit import public_rate_limit
from api.schemas import PROBLEM_RESPONSES, UPDATE_RESPONSES
from certification import calls
from certification.call_models import Call
from certification.call_schemas import CallClose, CallCreate, CallRead, CallUpdate, QuotaRead
from core.principal import Principal
from registry.reference import CATEGORY_LABELS

public = APIRouter(tags=["public"], dependencies=[Depends(public_rate_limit)],
                   responses={**PROBLEM_RESPONSES, 429: PROBLEM_RESPONSES[400]})
admin = APIRouter(tags=["designation"], responses={**PROBLEM_RESPONSES, 409: PROBLEM_RESPONSES[400]})
IdPath = Annotated[str, Path(max_length=36)]
AdminP = Annotated[Principal, scoped("admin")]


def read(session: SessionDep, call: Call) -> CallRead:
    taken = calls.counts(session, call)
    state = calls.status(call)
    quotas = [QuotaRead(field=k, field_ko=CATEGORY_LABELS.get(k, (k, k))[0], quota=int(n), submitted=taken.get(k, 0))
              for k, n in sorted((call.quotas or {}).items())]
    return CallRead(id=call.id, title_ko=call.title_ko, title_en=call.title_en, summary_ko=call.summary_ko,
                    opens_at=call.opens_at, closes_at=call.closes_at, closed_at=call.closed_at,
                    close_reason=call.close_reason, status=state, status_ko=calls.STATUS_KO[state],  # type: ignore[arg-type]
                    criteria_version=call.criteria_version, rubric_version=call.rubric_version, quotas=quotas)


@public.get("/v1/public/calls", response_model=list[CallRead],
            summary="공고 목록 (기본: 접수 중, 인증 불필요) / Calls for applications (default: open; no token)")
def list_calls(session: SessionDep,
               state: Annotated[Literal["open", "scheduled", "closed", "all"],
                                Query(alias="status", description="open (default), scheduled, closed or all")]
               = "open") -> list[CallRead]:
    return [read(session, c) for c in calls.listed(session, None if state == "all" else state)]


@public.get("/v1/public/calls/{call_id}", response_model=CallRead, summary="공고 조회 / A call for applications")
def get_call(call_id: IdPath, session: SessionDep, response: Response) -> CallRead:
    call = calls.get(session, call_id)
    set_etag(response, call)
    return read(session, call)


@admin.post("/v1/admin/calls", status_code=status.HTTP_201_CREATED, response_model=CallRead,
            summary="공고 게시 (관리자) / Open a call for applications (admin)")
def open_call(data: CallCreate, session: SessionDep, p: AdminP, response: Response) -> CallRead:
    call = calls.open_call(session, data=data.model_dump(mode="python"), p=p)
    set_etag(response, call)
    return read(session, call)


def _locked(call_id: IdPath, session: SessionDep, p: AdminP) -> Call:
    return calls.get(session, call_id, lock=True)


LockedCall = Annotated[Call, Depends(_locked)]


@admin.patch("/v1/admin/calls/{call_id}", response_model=CallRead, responses=UPDATE_RESPONSES,
             summary="공고 수정 (If-Match 필요, 관리자) / Edit a call (If-Match required, admin)")
def update_call(call: LockedCall, data: CallUpdate, session: SessionDep, p: AdminP, request: Request,
                response: Response) -> CallRead:
    check_if_match(request, call)
    call = calls.update(session, call=call, changes=data.model_dump(mode="python", exclude_unset=True), p=p)
    set_etag(response, call)
    return read(session, call)


@admin.post("/v1/admin/calls/{call_id}/close", response_model=CallRead, responses=UPDATE_RESPONSES,
            summary="공고 조기 마감 (If-Match 필요, 관리자) / Close a call early (If-Match required, admin)")
def close_call(call: LockedCall, data: CallClose, session: SessionDep, p: AdminP, request: Request,
               response: Response) -> CallRead:
    check_if_match(request, call)
    call = calls.close(session, call=call, p=p, reason=data.reason)
    set_etag(response, call)
    return read(session, call)
