"""The programme officer's budget approvals: the submitted budget lines with what is already approved
against the SME's yearly government cap and the fiscal year's envelope, each approved or returned (with a
reason) through the services of the API's approval routes (api/routers/programme_budgets.py:
programme.budgets.approve, give_back). A refusal (the cap, the envelope, the stage plan, a line already
decided) rolls back and comes back on the page in Korean beside its line."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from api.deps import SessionDep
from api.web.admin import AdminUser, decide
from api.web.render import render
from api.web.session import FormUserDep, WebUser
from programme import budgets, stage_plans
from programme.rules import ProgrammeRules
from programme.schemas import BudgetReturn

router = APIRouter(prefix="/web/admin/budgets", include_in_schema=False)
IdPath = Annotated[str, Path(max_length=36)]
SOURCE_KO = {"gov": "정부지원금", "own": "자부담"}
DONE_KO = {"approved": "승인했습니다.", "returned": "반려했습니다."}


def _page(request: Request, session: Session, user: WebUser, status_code: int = 200, *,
          failed: str | None = None, errors: list[str] | None = None, values: dict[str, Any] | None = None,
          done: str | None = None) -> HTMLResponse:
    rules = ProgrammeRules()
    names = {s.code: s.name_ko for s in stage_plans.rules_doc(rules).stages}
    rows = budgets.pending(session, user.principal)
    if failed not in {row.line.id for row in rows}:
        failed = None  # a line no longer pending: the reasons go above the list
    return render(request, "admin/budgets.html", status_code, user=user, rows=rows,
                  cap=rules.gov_cap_krw, stage_names=names, source_ko=SOURCE_KO, failed=failed,
                  errors=errors or [], values=values or {}, done=done)


@router.get("", response_class=HTMLResponse)
def pending(request: Request, session: SessionDep, user: AdminUser, done: str | None = None) -> HTMLResponse:
    return _page(request, session, user, done=DONE_KO.get(done or ""))


def _decide(request: Request, session: Session, user: WebUser, project_id: str, line_id: str, action: Any,
            outcome: str, values: dict[str, Any] | None = None) -> Response:
    """admin.decide: the API route's steps; a refusal shows the page again with the reasons beside the line."""
    def refused(status: int, errors: list[str]) -> HTMLResponse:
        return _page(request, session, user, status, failed=line_id, errors=errors, values=values)
    return decide(session, user, project_id, action, refused, f"/web/admin/budgets?done={outcome}")


@router.post("/{project_id}/{line_id}/approve", response_class=HTMLResponse)
def approve(request: Request, session: SessionDep, user: FormUserDep, project_id: IdPath,
            line_id: IdPath) -> Response:
    """POST /v1/programme/projects/{id}/budget-lines/{line}/approve: budgets.approve (cap, envelope, stage)."""
    def run(project: Any) -> None:
        budgets.approve(session, project=project, line_id=line_id, p=user.principal, rules=ProgrammeRules())
    return _decide(request, session, user, project_id, line_id, run, "approved")


@router.post("/{project_id}/{line_id}/return", response_class=HTMLResponse)
def give_back(request: Request, session: SessionDep, user: FormUserDep, project_id: IdPath, line_id: IdPath,
              reason: Annotated[str, Form(max_length=600)] = "") -> Response:
    """POST .../budget-lines/{line}/return: the API's schema for the reason, then budgets.give_back."""
    def run(project: Any) -> None:
        data = BudgetReturn.model_validate({"reason": reason.strip()})
        budgets.give_back(session, project=project, line_id=line_id, p=user.principal, reason=data.reason)
    return _decide(request, session, user, project_id, line_id, run, "returned", {"reason": reason})
