"""/v1/programme/projects and /v1/reports/kpis: AX projects of selected SMEs (shortlist, designated
supplier, budget, state), consulting and outcomes, and the policy KPI report. Cohorts, consultants and
supply-chain groups are in programme_admin.py, included here so the app registers one router."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from sqlalchemy.orm import Session

from api.deps import PageDep, SessionDep, scoped, set_etag
from api.routers import (
    programme_admin,
    programme_appeals,
    programme_budgets,
    programme_outcomes,
    programme_profiles,
    programme_selection,
    programme_stages,
)
from api.routers.search import search_service
from api.schemas import PROBLEM_RESPONSES, PageOut
from core.principal import Principal
from programme import charts, consulting, lifecycle, report, service
from programme.models import Project, ShortlistSnapshot
from programme.rules import ProgrammeRules
from programme.schemas import (
    BudgetLineCreate,
    BudgetLineRead,
    ConsultantAssign,
    ConsultationCreate,
    ConsultationRead,
    ExpenditureCreate,
    ExpenditureRead,
    OutcomeCreate,
    OutcomeRead,
    ProjectCreate,
    ProjectDetail,
    ProjectRead,
    ShortlistRead,
    ShortlistRequest,
    SupplierChoice,
    Transition,
)
from registry.models import Need, Sme
from registry.service import raise_not_found

router = APIRouter(tags=["programme"], responses={**PROBLEM_RESPONSES, 409: PROBLEM_RESPONSES[400]})
router.include_router(programme_admin.router)
router.include_router(programme_selection.router)
router.include_router(programme_budgets.router)
router.include_router(programme_profiles.router)
router.include_router(programme_appeals.router)
router.include_router(programme_stages.router)
router.include_router(programme_outcomes.router)
IdPath = Annotated[str, Path(max_length=36)]
Reader = Annotated[Principal, scoped("registry:read")]
Writer = Annotated[Principal, scoped("registry:write")]
MatchP = Annotated[Principal, scoped("match")]
AdminP = Annotated[Principal, scoped("admin")]
ReportReader = Annotated[Principal, scoped("reports:read")]
P = "/v1/programme/projects"


def rules_dep() -> ProgrammeRules:
    return ProgrammeRules()


RulesDep = Annotated[ProgrammeRules, Depends(rules_dep)]


def _project(project_id: IdPath, session: SessionDep, p: Reader) -> Project:
    return service.load(session, project_id, p)


def _locked(project_id: IdPath, session: SessionDep, p: Writer) -> Project:
    return service.load(session, project_id, p, lock=True)


ProjectDep = Annotated[Project, Depends(_project)]
LockedProject = Annotated[Project, Depends(_locked)]


def _read(project: Project, p: Principal) -> ProjectRead:
    out = ProjectRead.model_validate(project)
    out.allowed_actions = lifecycle.allowed_actions(lifecycle.PROJECT, project.state, p.role)
    return out


@router.post(P, status_code=status.HTTP_201_CREATED, response_model=ProjectRead,
             summary="AX 과제 등록 (선정 기업) / Open an AX project for a need of your selected SME")
def create_project(data: ProjectCreate, session: SessionDep, p: Writer, response: Response) -> ProjectRead:
    project = service.create(session, data=data, p=p)
    set_etag(response, project)
    return _read(project, p)


@router.get(P, response_model=PageOut[ProjectRead], summary="AX 과제 목록 (볼 수 있는 과제) / Projects you may see")
def list_projects(session: SessionDep, p: Reader, page: PageDep,
                  year: Annotated[int | None, Query(ge=2020, le=2100)] = None,
                  state: Annotated[str | None, Query(max_length=16)] = None) -> PageOut[ProjectRead]:
    result = service.list_projects(session, p, cursor=page.cursor, limit=page.limit, year=year, state=state)
    return PageOut[ProjectRead](items=[_read(x, p) for x in result.items], next=page.next_url(result.next_cursor))


@router.get(P + "/{project_id}", response_model=ProjectDetail,
            summary="AX 과제 조회 (예산·집행·숏리스트·성과 포함) / A project with budget, shortlists, outcomes")
def get_project(project: ProjectDep, session: SessionDep, p: Reader, response: Response) -> ProjectDetail:
    set_etag(response, project)
    out = ProjectDetail.model_validate({**_read(project, p).model_dump(), **service.detail(session, project, p)})
    return out


def _need_query(session: Session, need: Need) -> tuple[Any, dict[str, Any]]:
    from matching.documents import NeedQuery
    from shopdata.service import holdings_for_matching

    sme = session.get_one(Sme, need.sme_id)
    query = NeedQuery(text=need.text, industry=sme.ksic,
                      smart_factory_level=need.smart_factory_level or sme.smart_factory_level,
                      budget_krw=need.budget_krw, region=need.region or sme.region,
                      categories=list(need.categories) or None, inventory=holdings_for_matching(session, sme.id))
    return query, {"need_id": need.id, "text": query.text, "industry": query.industry,
                   "smart_factory_level": query.smart_factory_level, "budget_krw": query.budget_krw,
                   "region": query.region, "categories": query.categories}


def catch_up(request: Request) -> None:
    """Apply pending outbox events to the index before this request's transaction begins: on SQLite a
    POST holds the write lock from its first statement, and the index sync writes too. A long backlog is
    left to the background catch-up: a request never waits behind it."""
    search_service(request).sync_for_request()


def ranked(request: Request, session: Session, need: Need, limit: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The need's current matches as plain data, the form a shortlist keeps."""
    from matching.matcher import shown_docs

    query, described = _need_query(session, need)
    from shopdata.service import requirement_loader

    needs_data = requirement_loader(session) if query.inventory is not None else None
    matches = search_service(request).match(session, query, limit=limit, requirements=needs_data)
    docs = shown_docs(matches)
    items = [{"rank": i + 1, "solution_id": m.doc_id, "ref": d.ref, "title_ko": d.title_ko, "title_en": d.title_en,
              "company_id": d.supplier_id, "supplier_name": d.supplier_name, "category": d.category,
              "min_level": d.min_level, "price_min_krw": d.price_min_krw, "price_max_krw": d.price_max_krw,
              "score": m.score, "breakdown": m.breakdown, "reasons_ko": m.reasons_ko}
             for i, m in enumerate(matches) if (d := docs.get(m.doc_id)) is not None]
    return described, items


@router.post(P + "/{project_id}/shortlist", status_code=status.HTTP_201_CREATED, response_model=ShortlistRead,
             summary="숏리스트 스냅샷 (현재 매칭 결과 보존) / Snapshot the need's matches as the shortlist")
def shortlist(project_id: IdPath, data: ShortlistRequest, request: Request, session: SessionDep,
              p: MatchP) -> ShortlistRead:
    catch_up(request)
    return ShortlistRead.model_validate(take_shortlist(request, session, project_id, p, data.limit))


def take_shortlist(request: Request, session: Session, project_id: str, p: Principal,
                   limit: int) -> ShortlistSnapshot:
    """Snapshot the project's need's current matches (the API's route and the web page call this; the
    caller has caught the index up before its transaction began, `catch_up`)."""
    project = service.load(session, project_id, p, lock=True)
    need = session.get(Need, project.need_id) if project.need_id else None
    if need is None:
        raise_not_found(project.need_id or project.id)
    described, items = ranked(request, session, need, limit)
    return service.snapshot_shortlist(session, project=project, p=p, query=described, items=items)


@router.post(P + "/{project_id}/supplier", response_model=ProjectRead,
             summary="지정 공급기업 솔루션 선택 (단계 계획) / Choose the designated solution and stage plan")
def choose_supplier(project: LockedProject, data: SupplierChoice, session: SessionDep, p: Writer) -> ProjectRead:
    return _read(service.choose_supplier(session, project=project, data=data, p=p), p)


@router.post(P + "/{project_id}/budget-lines", status_code=status.HTTP_201_CREATED, response_model=BudgetLineRead,
             summary="연차별 예산 신청 (정부지원금·자부담) / Submit a yearly budget line (an officer approves it)")
def add_budget_line(project: LockedProject, data: BudgetLineCreate, session: SessionDep, p: Writer,
                    rules: RulesDep) -> BudgetLineRead:
    return BudgetLineRead.model_validate(service.add_budget_line(session, project=project, data=data, p=p,
                                                                 rules=rules))


@router.post(P + "/{project_id}/expenditures", status_code=status.HTTP_201_CREATED, response_model=ExpenditureRead,
             summary="집행 기록 (승인 예산 이내) / Record spending within the approved budget")
def add_expenditure(project: LockedProject, data: ExpenditureCreate, session: SessionDep,
                    p: Writer) -> ExpenditureRead:
    return ExpenditureRead.model_validate(service.add_expenditure(session, project=project, data=data, p=p))


@router.post(P + "/{project_id}/transitions", response_model=ProjectRead,
             summary="상태 변경: contract, start, complete, cancel / Move the project along its states")
def transition(project: LockedProject, data: Transition, session: SessionDep, p: Writer,
               rules: RulesDep) -> ProjectRead:
    return _read(service.transition(session, project=project, action=data.action.value, p=p, reason=data.reason,
                                    rules=rules), p)


@router.post(P + "/{project_id}/consultants", response_model=ProjectRead,
             summary="사전·사후 컨설턴트 배정 (관리자) / Assign the pre- or post-consultant (admin)")
def assign_consultant(project_id: IdPath, data: ConsultantAssign, session: SessionDep, p: AdminP) -> ProjectRead:
    project = service.load(session, project_id, p, lock=True)
    return _read(consulting.assign(session, project=project, consultant_id=data.consultant_id,
                                   kind=data.kind.value, p=p), p)


@router.post(P + "/{project_id}/consultations", status_code=status.HTTP_201_CREATED,
             response_model=ConsultationRead,
             summary="컨설팅 기록 (사전 진단 / 사후 평가·성과 확인) / Record pre- or post-consulting")
def record_consultation(project: LockedProject, data: ConsultationCreate, session: SessionDep,
                        p: Writer) -> ConsultationRead:
    return ConsultationRead.model_validate(consulting.record(session, project=project, data=data, p=p))


@router.get(P + "/{project_id}/consultations", response_model=list[ConsultationRead],
            summary="컨설팅 기록 조회 / Consultations of a project")
def list_consultations(project: ProjectDep, session: SessionDep, p: Reader) -> list[ConsultationRead]:
    return [ConsultationRead.model_validate(c) for c in consulting.consultations_of(session, project, p)]


@router.post(P + "/{project_id}/outcomes", status_code=status.HTTP_201_CREATED, response_model=OutcomeRead,
             summary="성과 입력 (도입 전·후) / Enter a measured before/after figure")
def add_outcome(project: LockedProject, data: OutcomeCreate, session: SessionDep, p: Writer) -> OutcomeRead:
    return OutcomeRead.model_validate(consulting.add_outcome(session, project=project, data=data, p=p))


@router.get("/v1/reports/kpis", response_model=dict[str, Any],
            responses={200: {"content": {"text/csv": {}}}},
            summary="정책 성과지표 (심사위원·관리자) / The policy KPI report (reviewer, admin)")
def kpi_report(session: SessionDep, p: ReportReader, rules: RulesDep,
               format: Annotated[str, Query(pattern="^(json|csv)$")] = "json") -> Any:
    """AI adoption among the registered SMEs (overall, by region, industry and size), designated companies
    in force per year, budget per fiscal year against the envelope, outcomes, accidents per 1,000 workers,
    and the trajectory: each year's actual (from its stored snapshot) against its target, with a projection
    to June 2030 labelled as one. `format=csv`: UTF-8 with a BOM, Korean headers (구분, 항목, 지표, 값, 지표명)."""
    data = report.build(session, rules)
    if format == "csv":
        return Response(report.to_csv(data), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="kpis.csv"'})
    return data


@router.get("/v1/reports/kpis/charts/{name}", response_class=Response,
            responses={200: {"content": {"image/png": {}}, "description": "The chart as a PNG image"}},
            summary="성과지표 그래프 PNG (심사위원·관리자) / A KPI chart as PNG, in Korean (reviewer, admin)")
def kpi_chart(name: Literal["kpis", "adoption", "designated", "budget", "regions"], session: SessionDep,
              p: ReportReader, rules: RulesDep) -> Response:
    """`kpis`: the main chart (four panels); `adoption`: the adoption trajectory against its target path;
    `designated`: designated companies against the path to 500; `budget`: budget against the envelope by
    fiscal year; `regions`: adoption by region. Labels are Korean (English when the server has no Hangul
    font)."""
    return chart_response(session, rules, name)


def chart_response(session: Session, rules: ProgrammeRules, name: str) -> Response:
    """A KPI chart of the report as it stands, as PNG (the web dashboard serves its charts with this too)."""
    return Response(charts.png(report.build(session, rules), name), media_type="image/png",
                    headers={"Cache-Control": "no-store"})
