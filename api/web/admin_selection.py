"""The programme officer's selection rounds: each cohort's latest run, and a year's page with its current
rule, the ranked list, the waiting list and the refused applications with their reasons, and the form that
runs the selection by the current rule. Everything goes through programme.selection, as the API's routes
(api/routers/programme_selection.py) and `axr selection run` do; a refusal (graduated members, no rule, the
rule's capacity) rolls back and is shown on the page in Korean."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from api.deps import SessionDep
from api.web.admin import AdminUser, admin_user
from api.web.render import render
from api.web.session import FormUserDep, WebUser
from core.errors import AppError, NotFound
from programme import cohorts, selection

router = APIRouter(prefix="/web/admin/selection", include_in_schema=False)
YearPath = Annotated[int, Path(ge=2026, le=2030)]
OUTCOMES_KO = {"selected": "선정", "waitlisted": "예비(대기)", "refused": "제외"}


def _or_none(load: Any) -> Any:
    try:
        return load()
    except NotFound:
        return None


@router.get("", response_class=HTMLResponse)
def rounds(request: Request, session: SessionDep, user: AdminUser) -> HTMLResponse:
    rows = [{"cohort": c, "run": _or_none(lambda c=c: selection.latest_run(session, c.year))}
            for c in reversed(cohorts.listed(session))]
    return render(request, "admin/selection.html", user=user, rows=rows)


def _page(request: Request, session: Session, user: WebUser, year: int, status_code: int = 200,
          error: str | None = None, done: bool = False) -> HTMLResponse:
    cohort = cohorts.get_cohort(session, year)  # a year without a cohort: the 404 page
    rule = _or_none(lambda: selection.current_rule(session, year))
    run = _or_none(lambda: selection.latest_run(session, year))
    decisions = selection.decisions(session, run, limit=1000) if run is not None else []
    smes = selection.smes_of(session, decisions)
    groups = {o: [d for d in decisions if d.outcome == o] for o in OUTCOMES_KO}
    return render(request, "admin/selection_year.html", status_code, user=user, cohort=cohort, rule=rule,
                  capacity=(rule.document or {}).get("capacity") if rule else None, run=run, groups=groups,
                  smes=smes, outcomes_ko=OUTCOMES_KO, error=error, done=done)


@router.get("/{year}", response_class=HTMLResponse)
def round_page(request: Request, session: SessionDep, user: AdminUser, year: YearPath,
               done: bool = False) -> HTMLResponse:
    return _page(request, session, user, year, done=done)


@router.post("/{year}/run", response_class=HTMLResponse)
def run_round(request: Request, session: SessionDep, user: FormUserDep, year: YearPath) -> Response:
    """POST /v1/programme/selection/{year}/runs: selection.run by the year's current rule."""
    admin_user(user)
    try:
        selection.run(session, year=year, p=user.principal)
    except AppError as exc:
        session.rollback()
        if exc.status == 404 and _or_none(lambda: cohorts.get_cohort(session, year)) is None:
            raise
        return _page(request, session, user, year, exc.status, error=exc.detail_ko or exc.title_ko)
    return RedirectResponse(f"/web/admin/selection/{year}?done=1", status_code=303)
