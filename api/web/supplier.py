"""The supplier's dashboard: its company with the status, validity and scope of its certificate (and the link to
the public verification page), its solutions, its designation applications with their state, and its
organisation's notices inbox. Every read is the API's: registry.service.list_visible (GET /v1/companies,
/v1/solutions), certification.service.visible_stmt (GET /v1/applications), notices.service.inbox and mark_read
(/v1/me/notices). Applying and answering a supplement are in api/web/supplier_apply.py."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from api.deps import SessionDep
from api.web.render import render
from api.web.session import FormUserDep, WebUser, role_gate
from certification import designations
from certification import service as applications
from certification.errors import STATE_KO
from certification.models import Application
from core.pagination import paginate
from core.principal import Principal
from notices import service as notices
from portal import directory
from registry import service
from registry.models import Company, Solution

router = APIRouter(prefix="/web/supplier", include_in_schema=False)
IdPath = Annotated[str, Path(max_length=36)]
KIND_KO = {"initial": "신규 지정", "renewal": "갱신", "scope_change": "지정 분야 추가"}
SOLUTION_STATUS_KO = {"draft": "작성 중", "published": "공개", "withdrawn": "게시 철회"}


# The supplier pages are for supplier accounts with the API's applicant scope.
supplier_user = role_gate("supplier", "designation:apply", "공급기업 계정으로 로그인해야 볼 수 있는 화면입니다.",
                          "This page is for supplier accounts.")


SupplierUser = Annotated[WebUser, Depends(supplier_user)]


def own_company(session: Session, p: Principal) -> Company | None:
    """The caller's organisation's company (one per organisation), as GET /v1/companies lists it."""
    found = service.list_visible(session, Company, p, cursor=None, limit=1, owner_org=p.org or "").items
    return found[0] if found else None


def applications_of(session: Session, p: Principal) -> list[Application]:
    """The applications the caller may see (GET /v1/applications), newest first."""
    items = paginate(session, applications.visible_stmt(p), Application.id, cursor=None, limit=100).items
    return sorted(items, key=lambda a: a.created_at, reverse=True)


def certificate_view(session: Session, company: Company) -> dict[str, Any] | None:
    """The company's latest certificate as the public directory shows it, with its status today."""
    profile = directory.profile(session, company.id)
    cert = profile.certificate
    if cert is None:
        return None
    return {"cert": cert, "status": profile.status, "status_ko": STATE_KO.get(profile.status or "", "-"),
            "live": designations.status_now(cert) in ("active", "suspended"),
            "renewal_open": designations.renewal_open_now(cert),
            "renewal_opens": datetime.fromisoformat(applications.renewal_opens(cert))}


@router.get("", response_class=HTMLResponse)
def dashboard(request: Request, session: SessionDep, user: SupplierUser,
              saved: Annotated[str | None, Query(max_length=10)] = None) -> HTMLResponse:
    p = user.principal
    company = own_company(session, p)
    solutions = service.list_visible(session, Solution, p, cursor=None, limit=100,
                                     company_id=company.id).items if company else []
    rows = [{"app": a, "state": STATE_KO.get(a.state, a.state), "kind": KIND_KO.get(a.kind, a.kind)}
            for a in applications_of(session, p)]
    inbox = notices.inbox(session, p, unread=False, cursor=None, limit=100).items
    return render(request, "supplier/dashboard.html", user=user, company=company,
                  certificate=certificate_view(session, company) if company else None, solutions=solutions,
                  solution_status=SOLUTION_STATUS_KO, rows=rows, notices=list(reversed(inbox)),
                  saved=saved)


@router.post("/notices/{notice_id}/read")
def mark_read(session: SessionDep, user: FormUserDep, notice_id: IdPath) -> Response:
    """The inbox's mark-read (POST /v1/me/notices/{id}/read); another organisation's notice is 404."""
    supplier_user(user)
    notices.mark_read(session, user.principal, notice_id)
    return RedirectResponse("/web/supplier#notices", status_code=303)
