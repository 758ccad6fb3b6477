"""The programme officer's completion decisions: the completed projects waiting for acceptance, each
accepted (once the post-consultant's evaluation is recorded) or returned to work with a reason, through the
services of the API's routes (api/routers/programme_budgets.py: programme.completion.accept, give_back). A
refusal (no evaluation yet, a project already decided) rolls back and is shown beside its project in Korean."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from api.deps import SessionDep
from api.web.admin import COMPLETIONS_SHOWN, AdminUser, decide
from api.web.render import render
from api.web.session import FormUserDep, WebUser
from programme import completion, service
from programme.schemas import CompletionReturn

router = APIRouter(prefix="/web/admin/completions", include_in_schema=False)
IdPath = Annotated[str, Path(max_length=36)]
DONE_KO = {"accepted": "완료를 승인했습니다.", "returned": "완료를 반려해 과제를 다시 진행 중으로 돌렸습니다."}


def waiting(session: Session, user: WebUser) -> list[Any]:
    """The completed projects as GET /v1/programme/projects?state=completed lists them for the officer."""
    return service.list_projects(session, user.principal, cursor=None, limit=COMPLETIONS_SHOWN,
                                 state="completed").items


def _page(request: Request, session: Session, user: WebUser, status_code: int = 200, *,
          failed: str | None = None, errors: list[str] | None = None, values: dict[str, Any] | None = None,
          done: str | None = None) -> HTMLResponse:
    projects = waiting(session, user)
    if failed not in {p.id for p in projects}:
        failed = None  # no longer waiting: the reasons go above the list
    return render(request, "admin/completions.html", status_code, user=user, projects=projects, failed=failed,
                  errors=errors or [], values=values or {}, done=done)


@router.get("", response_class=HTMLResponse)
def listed(request: Request, session: SessionDep, user: AdminUser, done: str | None = None) -> HTMLResponse:
    return _page(request, session, user, done=DONE_KO.get(done or ""))


def _decide(request: Request, session: Session, user: WebUser, project_id: str, action: Any, outcome: str,
            values: dict[str, Any] | None = None) -> Response:
    """admin.decide: the API route's steps; a refusal shows the page again with the reasons beside the project."""
    def refused(status: int, errors: list[str]) -> HTMLResponse:
        return _page(request, session, user, status, failed=project_id, errors=errors, values=values)
    return decide(session, user, project_id, action, refused, f"/web/admin/completions?done={outcome}")


@router.post("/{project_id}/accept", response_class=HTMLResponse)
def accept(request: Request, session: SessionDep, user: FormUserDep, project_id: IdPath) -> Response:
    """POST /v1/programme/projects/{id}/completion/accept: completion.accept (needs the evaluation)."""
    return _decide(request, session, user, project_id,
                   lambda project: completion.accept(session, project=project, p=user.principal), "accepted")


@router.post("/{project_id}/return", response_class=HTMLResponse)
def give_back(request: Request, session: SessionDep, user: FormUserDep, project_id: IdPath,
              reason: Annotated[str, Form(max_length=600)] = "") -> Response:
    """POST .../completion/return: the API's schema for the reason, then completion.give_back."""
    def run(project: Any) -> None:
        data = CompletionReturn.model_validate({"reason": reason.strip()})
        completion.give_back(session, project=project, p=user.principal, reason=data.reason)
    return _decide(request, session, user, project_id, run, "returned", {"reason": reason})
