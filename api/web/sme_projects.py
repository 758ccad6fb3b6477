"""The rest of the SME's journey: keep a need's matches as a project's shortlist (opening the project),
plan it with a shortlisted designated solution (the yearly AI stage and budget lines), move it along its
states, and read the consultants' notes on it (outcomes and their evidence: api/web/sme_outcomes.py). Each
form calls the services the API routers call (programme.service, programme.stage_plans, and the shortlist of
api/routers/programme); a rule's refusal comes back on the form in Korean."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.deps import SessionDep
from api.routers.programme import catch_up, take_shortlist
from api.web.render import refusal_messages, render
from api.web.session import FormUserDep, WebUser
from api.web.sme import SmeUser, sme_user
from core.errors import AppError, Invalid
from evidence import outcomes
from programme import consulting, lifecycle, service, stage_plans
from programme.models import Project
from programme.rules import METRICS, ProgrammeRules
from programme.schemas import BudgetLineCreate, ProjectCreate, SupplierChoice
from programme.stage_schemas import StagePlanSet
from registry import service as registry
from registry.models import Need, Solution

router = APIRouter(prefix="/web/sme", include_in_schema=False)
SHORTLIST_SIZE = 5
PLAN_YEARS = 3
IdPath = Annotated[str, Path(max_length=36)]
Amount = Annotated[list[str] | None, Form(max_length=PLAN_YEARS)]
UNITS_KO = {"%": "%", "h/month": "시간/월", "kWh/month": "kWh/월", "day": "일", "case/year": "건/년"}
LINE_STATUS = {"submitted": "승인 대기", "approved": "승인", "returned": "반려"}
SOURCE_KO = {"gov": "정부지원금", "own": "자부담"}
ACTION_KO = {"contract": "계약 체결", "start": "사업 시작", "complete": "완료 처리", "cancel": "과제 취소"}
KIND_KO = {"pre": "사전 컨설팅(진단)", "post": "사후 컨설팅(평가)"}


def _caught_up(request: Request) -> None:
    """The index catches up before the request's transaction begins (see api/routers/programme.catch_up)."""
    catch_up(request)


CaughtUp = Annotated[None, Depends(_caught_up)]


def _amount(text: str) -> int | str | None:
    value = text.replace(",", "").strip()
    return int(value) if value.isascii() and value.isdigit() else value or None


def _number(text: str) -> float | str | None:
    """A form's decimal as a number (the schemas are strict); anything else goes to the schema as sent."""
    value = text.replace(",", "").strip()
    try:
        return float(value) if value else None
    except ValueError:
        return value


def _stage_names(rules: ProgrammeRules) -> dict[str, str]:
    return {s.code: s.name_ko for s in stage_plans.rules_doc(rules).stages}


def _project_page(request: Request, session: Session, user: WebUser, project: Project, status: int = 200,
                  **extra: Any) -> HTMLResponse:
    p = user.principal
    detail = service.detail(session, project, p)
    shortlist = detail["shortlists"][-1] if detail["shortlists"] else None
    solution = session.get(Solution, project.solution_id) if project.solution_id else None
    need = session.get(Need, project.need_id) if project.need_id else None
    context = {
        "user": user, "project": project, "need": need, "shortlist": shortlist, "solution": solution,
        "lines": detail["budget_lines"], "outcomes": detail["outcomes"],
        "consultations": consulting.consultations_of(session, project, p),
        "outcome_docs": outcomes.for_project(session, project),
        "actions": [a for a in lifecycle.allowed_actions(lifecycle.PROJECT, project.state, p.role)
                    if a in ACTION_KO and a != "cancel"],  # cancelling needs a reason: through the API
        "stage_names": _stage_names(ProgrammeRules()), "metrics": {k: v["ko"] for k, v in METRICS.items()},
        "units": UNITS_KO, "line_status": LINE_STATUS, "sources": SOURCE_KO, "action_ko": ACTION_KO,
        "kind_ko": KIND_KO, "outcome_open": project.state in ("in_progress", "completed"),
        "outcome_errors": [], "outcome_values": {}, "action_errors": [],
    }
    return render(request, "project.html", status, **{**context, **extra})


@router.post("/needs/{need_id}/shortlist", response_class=HTMLResponse)
def shortlist_need(_: CaughtUp, request: Request, session: SessionDep, user: FormUserDep, need_id: IdPath,
                   title_ko: Annotated[str, Form(max_length=200)] = "",
                   year: Annotated[str, Form(max_length=4)] = "") -> Response:
    """Open a project for the need (POST /v1/programme/projects) and keep the need's current matches as its
    shortlist (POST /v1/programme/projects/{id}/shortlist): the shortlist the API keeps is a project's."""
    sme_user(user)
    need = registry.get_visible(session, Need, need_id, user.principal)
    try:
        data = ProjectCreate.model_validate({"need_id": need.id, "title_ko": title_ko.strip(),
                                             "year": int(year) if year.isdigit() else year})
        project = service.create(session, data=data, p=user.principal)
        take_shortlist(request, session, project.id, user.principal, SHORTLIST_SIZE)
    except (ValidationError, AppError) as exc:
        errors = refusal_messages(exc)
        session.rollback()
        return render(request, "message.html", 422, user=user, title="숏리스트를 저장하지 못했습니다",
                      message=" ".join(errors), link=(f"/web/sme/needs/{need_id}", "추천 목록으로 돌아가기"))
    return RedirectResponse(f"/web/sme/projects/{project.id}", status_code=303)


@router.get("/projects/{project_id}", response_class=HTMLResponse)
def project_page(request: Request, session: SessionDep, user: SmeUser, project_id: IdPath) -> HTMLResponse:
    """The project: its shortlist, chosen solution, stage and budget plan, outcomes and consultants' notes."""
    return _project_page(request, session, user, service.load(session, project_id, user.principal))


def _plan_form(request: Request, session: Session, user: WebUser, project: Project, values: dict[str, Any],
               errors: list[str], status: int = 200) -> HTMLResponse:
    detail = service.detail(session, project, user.principal)
    shortlist = detail["shortlists"][-1] if detail["shortlists"] else None
    return render(request, "project_plan.html", status, user=user, project=project, shortlist=shortlist,
                  values=values, errors=errors, stages=list(_stage_names(ProgrammeRules()).items()),
                  years=PLAN_YEARS)


@router.get("/projects/{project_id}/plan", response_class=HTMLResponse)
def plan_form(request: Request, session: SessionDep, user: SmeUser, project_id: IdPath,
              solution: Annotated[str | None, Query(max_length=36)] = None) -> HTMLResponse:
    project = service.load(session, project_id, user.principal)
    values = {"solution_id": solution or project.solution_id, "rows": [
        {"year": str(project.year + i), "stage": "", "gov": "", "own": "", "note": ""} for i in range(PLAN_YEARS)]}
    return _plan_form(request, session, user, project, values, [])


@router.post("/projects/{project_id}/plan", response_class=HTMLResponse)
def save_plan(request: Request, session: SessionDep, user: FormUserDep, project_id: IdPath,
              solution_id: Annotated[str, Form(max_length=36)] = "",
              year: Amount = None, stage: Amount = None, gov: Amount = None, own: Amount = None,
              note: Amount = None) -> Response:
    """The shortlisted solution (POST .../supplier), the yearly AI stages (PUT .../stages) and a budget line
    per year and source (POST .../budget-lines), all or nothing: a refusal rolls every step back."""
    sme_user(user)
    p, rules = user.principal, ProgrammeRules()
    project = service.load(session, project_id, p, lock=True)
    columns = [year or [], stage or [], gov or [], own or [], note or []]
    rows = [{"year": y, "stage": s, "gov": g, "own": o, "note": n}
            for y, s, g, o, n in zip(*[c + [""] * (PLAN_YEARS - len(c)) for c in columns], strict=True)]
    filled = [r for r in rows if r["stage"] or r["gov"] or r["own"]]
    values = {"solution_id": solution_id, "rows": rows}
    try:
        if not filled:
            raise Invalid("한 해 이상 단계와 예산을 적어야 합니다.", "Plan at least one year.")
        choice = SupplierChoice.model_validate({"solution_id": solution_id})
        plan = StagePlanSet.model_validate({"stages": [
            {"year": _amount(r["year"]), "stage": r["stage"] or None, "note_ko": r["note"].strip() or None}
            for r in filled]})
        lines = [BudgetLineCreate.model_validate({"year": _amount(r["year"]), "source": source, "stage": r["stage"],
                                                  "amount_krw": _amount(r[source]), "note": r["note"].strip() or None})
                 for r in filled for source in ("gov", "own") if r[source].strip()]
        service.choose_supplier(session, project=project, data=choice, p=p)
        stage_plans.set_plan(session, project=project, data=plan, p=p, rules=rules)
        for line in lines:
            service.add_budget_line(session, project=project, data=line, p=p, rules=rules)
    except (ValidationError, AppError) as exc:
        errors = refusal_messages(exc)
        session.rollback()
        project = service.load(session, project_id, p)
        return _plan_form(request, session, user, project, values, errors, 422)
    return RedirectResponse(f"/web/sme/projects/{project.id}", status_code=303)


@router.post("/projects/{project_id}/transitions", response_class=HTMLResponse)
def move(request: Request, session: SessionDep, user: FormUserDep, project_id: IdPath,
         action: Annotated[str, Form(max_length=16)] = "") -> Response:
    """Contract, start, complete (POST .../transitions): the state machine and its rules decide."""
    sme_user(user)
    project = service.load(session, project_id, user.principal, lock=True)
    try:
        service.transition(session, project=project, action=action, p=user.principal, reason=None,
                           rules=ProgrammeRules())
    except AppError as exc:
        errors = refusal_messages(exc)
        session.rollback()
        project = service.load(session, project_id, user.principal)
        return _project_page(request, session, user, project, 422, action_errors=errors)
    return RedirectResponse(f"/web/sme/projects/{project.id}", status_code=303)
