"""Certificate actions on the web, for reviewers and admins (the API's `designation:review` scope): find a
certificate by its number, see its status, validity and scope, and suspend, reinstate or revoke it with a
reason, through the service the API's routes call (certification.designations.change_status and the
certificate state table of certification.lifecycle, which says which action needs a reason)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from api.deps import SessionDep
from api.web.render import render
from api.web.session import FormUserDep, WebUser, WebUserDep
from certification import designations, lifecycle
from certification.models import Certificate
from core.errors import AppError, Forbidden, NotFound
from registry.models import Company
from registry.reference import CATEGORY_LABELS

router = APIRouter(prefix="/web/certificates", include_in_schema=False)
NumberPath = Annotated[str, Path(max_length=40)]
ACTION_KO = {"suspend": "효력 정지", "reinstate": "정지 해제", "revoke": "지정 취소"}


def certificate_officer(user: WebUserDep) -> WebUser:
    """Reviewers and admins: the API's certificate actions need `designation:review`."""
    if "designation:review" not in user.principal.scopes:
        raise Forbidden("심사위원이나 관리자 계정으로 로그인해야 볼 수 있는 화면입니다.",
                        "This page is for reviewer and admin accounts.")
    return user


OfficerUser = Annotated[WebUser, Depends(certificate_officer)]


@router.get("", response_class=HTMLResponse)
def find(request: Request, user: OfficerUser,
         number: Annotated[str, Query(max_length=40)] = "") -> Response:
    """The look-up form; a number sends the browser to that certificate's page."""
    if number.strip():
        return RedirectResponse(f"/web/certificates/{quote(number.strip(), safe='')}", status_code=303)
    return render(request, "certificates/find.html", user=user)


def _page(request: Request, session: Session, user: WebUser, cert: Certificate, status_code: int = 200,
          error: str | None = None, values: dict[str, str] | None = None) -> HTMLResponse:
    status = designations.status_now(cert)
    company = session.get(Company, cert.company_id)
    actions = [(a, ACTION_KO[a], lifecycle.needs_reason(lifecycle.MachineKind.certificate, status, a))
               for a in lifecycle.allowed_actions(lifecycle.MachineKind.certificate, status, user.principal.role)
               if a in ACTION_KO]
    return render(request, "certificates/certificate.html", status_code, user=user, cert=cert, status=status,
                  company=company.name_ko if company else cert.company_id, actions=actions, error=error,
                  values=values or {}, scope=[CATEGORY_LABELS.get(c, (c, c))[0] for c in cert.scope or []])


@router.get("/{number}", response_class=HTMLResponse)
def certificate(request: Request, session: SessionDep, user: OfficerUser, number: NumberPath) -> HTMLResponse:
    return _page(request, session, user, designations.get_by_number(session, number))


@router.post("/{number}/{action}", response_class=HTMLResponse)
def change(request: Request, session: SessionDep, user: FormUserDep, number: NumberPath,
           action: Annotated[str, Path(max_length=20)],
           reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    """The API's POST /v1/certificates/{number}/{action}; a refusal rolls back and comes back on the page."""
    certificate_officer(user)
    if action not in ACTION_KO:
        raise NotFound("이 지정서에 그런 조치는 없습니다.", f"No action {action!r} on certificates.")
    cert = designations.get_by_number(session, number, lock=True)
    try:
        designations.change_status(session, cert=cert, action=action, p=user.principal,
                                   reason=reason.strip() or None)
    except AppError as exc:
        session.rollback()
        message = exc.title_ko + (f": {exc.detail_ko}" if exc.detail_ko else "")
        return _page(request, session, user, designations.get_by_number(session, number), exc.status,
                     error=message, values={"action": action, "reason": reason})
    return RedirectResponse(f"/web/certificates/{quote(number, safe='')}", status_code=303)
