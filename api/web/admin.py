"""The programme officer's start page (an admin acts as the officer, as in the API's programme routes that
require the `admin` scope): what waits for the officer (budget lines to approve, completions to accept),
the open calls and the latest selection round, with links to the officer's pages (admin_budgets.py,
admin_kpis.py). Everything is read through the services the API routers call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.deps import SessionDep
from api.web.render import refusal_messages, render
from api.web.session import WebUser, WebUserDep
from certification import calls
from core.errors import AppError, Forbidden, NotFound
from programme import budgets, cohorts, selection, service
from programme.selection_models import SelectionRun

router = APIRouter(prefix="/web/admin", include_in_schema=False)
COMPLETIONS_SHOWN = 50


def admin_user(user: WebUserDep) -> WebUser:
    """The officer's pages are for admin accounts with the API's `admin` scope."""
    p = user.principal
    if p.role != "admin" or "admin" not in p.scopes:
        raise Forbidden("사업 담당관(관리자) 계정으로 로그인해야 볼 수 있는 화면입니다.",
                        "This page is for the programme officer (admin accounts).")
    return user


AdminUser = Annotated[WebUser, Depends(admin_user)]


def decide(session: Session, user: WebUser, project_id: str, action: Callable[[Any], object],
           refused: Callable[[int, list[str]], HTMLResponse], done_url: str) -> Response:
    """An officer's decision on a project as the API's routes take it (budget lines, completions): the project
    loaded FOR UPDATE as the officer sees it, then the service call; a refusal rolls everything back and
    `refused(status, reasons)` shows the page again, a missing project is the 404 page."""
    admin_user(user)
    try:
        project = service.load(session, project_id, user.principal, lock=True)
        action(project)
    except (AppError, ValidationError) as exc:
        session.rollback()
        status = exc.status if isinstance(exc, AppError) else 422
        if status == 404:
            raise
        return refused(status, refusal_messages(exc))
    return RedirectResponse(done_url, status_code=303)


def latest_round(session: SessionDep) -> tuple[int, SelectionRun] | None:
    """The newest cohort's latest selection run (selection.latest_run, as GET .../selection), if any."""
    for cohort in reversed(cohorts.listed(session)):
        try:
            return cohort.year, selection.latest_run(session, cohort.year)
        except NotFound:
            continue
    return None


@router.get("", response_class=HTMLResponse)
def start(request: Request, session: SessionDep, user: AdminUser) -> HTMLResponse:
    p = user.principal
    completions = service.list_projects(session, p, cursor=None, limit=COMPLETIONS_SHOWN, state="completed").items
    return render(request, "admin/start.html", user=user, pending=budgets.pending(session, p),
                  completions=completions, open_calls=calls.listed(session, "open"), round=latest_round(session))
