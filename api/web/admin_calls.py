"""The programme officer's calls for applications (공고): every call with its state, window, versions and
quotas by field (as GET /v1/public/calls?status=all reads them), the form that opens a call and, beside
each call not yet closed, the form that closes it early. Both go through certification.calls as the API's
admin routes do (api/routers/calls.py); the close form carries the version it showed, checked as the
API checks If-Match, so a call changed since answers 412 on the page. A refusal keeps what was typed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.deps import SessionDep, check_etag
from api.routers.calls import read
from api.web.admin import AdminUser, admin_user
from api.web.render import refusal_messages, render
from api.web.session import FormUserDep, WebUser
from certification import calls
from certification.call_schemas import CallClose, CallCreate
from core.errors import AppError
from registry.reference import CATEGORY_LABELS

router = APIRouter(prefix="/web/admin/calls", include_in_schema=False)
IdPath = Annotated[str, Path(max_length=36)]
KST = "+09:00"  # the form's datetime-local fields are Korean time
DONE_KO = {"opened": "공고를 게시했습니다.", "closed": "공고를 마감했습니다."}
TEXTS = ("title_ko", "title_en", "summary_ko", "opens_at", "closes_at", "criteria_version", "rubric_version")


async def form_values(request: Request) -> dict[str, str]:
    """The submitted form's text fields (already read and cached by the CSRF check)."""
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


FormValues = Annotated[dict[str, str], Depends(form_values)]


def _page(request: Request, session: Session, user: WebUser, status_code: int = 200, *,
          failed: str | None = None, errors: list[str] | None = None, values: dict[str, str] | None = None,
          done: str | None = None) -> HTMLResponse:
    rows = [read(session, c) for c in calls.listed(session, None)]
    versions = {c.id: c.version for c in calls.listed(session, None)}
    return render(request, "admin/calls.html", status_code, user=user, rows=rows, versions=versions,
                  fields=CATEGORY_LABELS, failed=failed, errors=errors or [],
                  values=values or {"criteria_version": "v1", "rubric_version": "v1"}, done=done)


@router.get("", response_class=HTMLResponse)
def listed(request: Request, session: SessionDep, user: AdminUser, done: str | None = None) -> HTMLResponse:
    return _page(request, session, user, done=DONE_KO.get(done or ""))


def _document(values: dict[str, str]) -> dict[str, Any]:
    """The form as the API's CallCreate body: blank fields left out, moments on Korean time, quotas by field."""
    doc: dict[str, Any] = {k: values[k].strip() for k in TEXTS if values.get(k, "").strip()}
    for key in ("opens_at", "closes_at"):
        if key in doc and len(doc[key]) <= 16:  # 2027-01-05T09:00 from a datetime-local input
            doc[key] += KST
    doc["quotas"] = {code: values[f"quota_{code}"].strip() for code in CATEGORY_LABELS
                     if values.get(f"quota_{code}", "").strip()}
    return doc


def _refused(request: Request, session: Session, user: WebUser, exc: Exception, failed: str,
             values: dict[str, str]) -> HTMLResponse:
    session.rollback()
    status = exc.status if isinstance(exc, AppError) else 422
    errors = refusal_messages(exc)
    if status == 412 and isinstance(exc, AppError):
        errors = [f"{exc.title_ko}. {errors[0]}"]
    return _page(request, session, user, status, failed=failed, errors=errors, values=values)


@router.post("", response_class=HTMLResponse)
def open_call(request: Request, session: SessionDep, user: FormUserDep, values: FormValues) -> Response:
    """POST /v1/admin/calls: the API's CallCreate, then calls.open_call (window, criteria, rubric, quotas)."""
    admin_user(user)
    try:
        data = CallCreate.model_validate(_document(values))
        calls.open_call(session, data=data.model_dump(mode="python"), p=user.principal)
    except (AppError, ValidationError) as exc:
        return _refused(request, session, user, exc, "new", values)
    return RedirectResponse("/web/admin/calls?done=opened", status_code=303)


@router.post("/{call_id}/close", response_class=HTMLResponse)
def close_call(request: Request, session: SessionDep, user: FormUserDep, values: FormValues,
               call_id: IdPath) -> Response:
    """POST /v1/admin/calls/{id}/close with If-Match: the version the page showed, then calls.close."""
    admin_user(user)
    call = calls.get(session, call_id, lock=True)  # missing: the 404 page
    try:
        check_etag(f'"{values.get("version", "")}"', call)
        data = CallClose.model_validate({"reason": values.get("reason", "").strip()})
        calls.close(session, call=call, p=user.principal, reason=data.reason)
    except (AppError, ValidationError) as exc:
        return _refused(request, session, user, exc, call_id, values)
    return RedirectResponse("/web/admin/calls?done=closed", status_code=303)
