"""The programme officer seats review panels: the applications under review (after eligibility screening)
with how many reviewers sit on each, and an application's page with its panel and the registered reviewers
to choose from. Seating goes through certification.service.assign_panel with the API's PanelAssign, as POST
/v1/applications/{id}/panel does (api/routers/designation.py); a refusal (a conflict of interest, a
reviewer no longer registered, the application's state) is shown on the page in Korean, the choice kept."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.deps import SessionDep
from api.web.admin import AdminUser, admin_user
from api.web.render import refusal_messages, render
from api.web.reviewer import KIND_KO
from api.web.session import FormUserDep, WebUser
from certification import service
from certification.errors import STATE_KO
from certification.models import Application
from certification.schemas import PanelAssign
from core.errors import AppError

router = APIRouter(prefix="/web/admin/panels", include_in_schema=False)
IdPath = Annotated[str, Path(max_length=36)]
SEATING = "under_review"  # the state where lifecycle allows assign_panel


@router.get("", response_class=HTMLResponse)
def listed(request: Request, session: SessionDep, user: AdminUser) -> HTMLResponse:
    apps = service.in_state(session, user.principal, SEATING)
    seated = {a.id: sum(not s.removed for s in service.seats(session, a)) for a in apps}
    return render(request, "admin/panels.html", user=user, apps=apps, seated=seated, kind_ko=KIND_KO)


def _page(request: Request, session: Session, user: WebUser, app: Application, status_code: int = 200, *,
          errors: list[str] | None = None, chosen: list[str] | None = None, done: bool = False) -> HTMLResponse:
    reviewers = service.registered_reviewers(session)
    return render(request, "admin/panel.html", status_code, user=user, app=app, seats=service.seats(session, app),
                  reviewers=reviewers, names={r.sub: r.name for r in reviewers}, kind_ko=KIND_KO,
                  state_ko=STATE_KO, errors=errors or [], chosen=chosen or [], done=done)


@router.get("/{app_id}", response_class=HTMLResponse)
def panel_page(request: Request, session: SessionDep, user: AdminUser, app_id: IdPath,
               done: bool = False) -> HTMLResponse:
    return _page(request, session, user, service.load(session, app_id, user.principal), done=done)


@router.post("/{app_id}", response_class=HTMLResponse)
def seat(request: Request, session: SessionDep, user: FormUserDep, app_id: IdPath,
         reviewers: Annotated[list[str], Form(max_length=10)] = []) -> Response:  # noqa: B006 (FastAPI's default)
    """POST /v1/applications/{id}/panel: the application locked as the API's route does, then assign_panel."""
    admin_user(user)
    app = service.load(session, app_id, user.principal, lock=True)  # missing: the 404 page
    try:
        data = PanelAssign.model_validate({"reviewers": reviewers})
        service.assign_panel(session, app=app, reviewer_subs=data.reviewers, p=user.principal)
    except (AppError, ValidationError) as exc:
        session.rollback()
        status = exc.status if isinstance(exc, AppError) else 422
        app = service.load(session, app_id, user.principal)
        return _page(request, session, user, app, status, errors=refusal_messages(exc), chosen=reviewers)
    return RedirectResponse(f"/web/admin/panels/{app_id}?done=1", status_code=303)
