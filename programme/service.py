"""Use cases of AX projects: open, shortlist, choose a designated supplier, budget and spending under
the rules, and the project state machine with its audit trail. Services flush; the caller commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from certification import audit_log, designations, scope
from core import clock
from core.errors import Conflict, NotFound
from core.korean import josa, quoted
from core.pagination import Page, paginate
from core.principal import Principal
from programme import access, lifecycle, stages
from programme.errors import BudgetRuleViolation, ConsultantConflict, RuleViolation, SupplierNotDesignated
from programme.models import BudgetLine, Consultant, Expenditure, Project, ShortlistSnapshot, SupplyChainGroup
from programme.rules import Line, ProgrammeRules, check_matching, check_new_line, check_spending, check_stage_plan
from programme.schemas import BudgetLineCreate, ExpenditureCreate, ProjectCreate, SupplierChoice
from registry import service as registry
from registry.models import Company, Need, Sme, Solution

CLOSED = ("completed", "accepted", "cancelled")


def load(session: Session, project_id: str, p: Principal, *, lock: bool = False) -> Project:
    """Load a project the caller may see, or raise NotFound (also for other tenants' projects)."""
    stmt = access.where_visible(select(Project).where(Project.id == project_id), p, Project)
    project = session.scalars(stmt.with_for_update() if lock else stmt).one_or_none()
    if project is None:
        registry.raise_not_found(project_id)
    return project


def list_projects(session: Session, p: Principal, *, cursor: str | None, limit: int, year: int | None = None,
                  state: str | None = None) -> Page[Project]:
    stmt = access.where_visible(select(Project), p, Project)
    if year is not None:
        stmt = stmt.where(Project.year == year)
    if state is not None:
        stmt = stmt.where(Project.state == state)
    return paginate(session, stmt, Project.id, cursor=cursor, limit=limit)


def _runner(session: Session, project: Project, p: Principal) -> Sme:
    sme = session.get_one(Sme, project.sme_id)
    if not access.can_run_project(p, sme):
        registry.raise_not_found(project.id)
    return sme


runner = _runner  # the SME itself (or an admin for it): used by the stage plan as well


def _audit(session: Session, project: Project, p: Principal, action: str, before: str | None,
           reason: str | None = None, **payload: Any) -> None:
    audit_log.append(session, actor=p, subject_type=lifecycle.PROJECT, subject_id=project.id, action=action,
                     from_state=before, to_state=project.state, reason=reason,
                     payload={"sme_id": project.sme_id, **payload})


def create(session: Session, *, data: ProjectCreate, p: Principal) -> Project:
    """Open a project for a need of a selected SME."""
    need = registry.get_visible(session, Need, data.need_id, p)
    sme = session.get_one(Sme, need.sme_id)
    if not access.can_run_project(p, sme):
        registry.raise_not_found(data.need_id)
    if sme.status != "selected":
        raise RuleViolation([("선정된 수요기업만 과제를 시작할 수 있습니다", "only a selected SME may open a project")])
    accepted = access.accepted_groups_of([sme.id])
    if data.group_id and session.scalar(select(SupplyChainGroup.id).where(
            SupplyChainGroup.id == data.group_id, SupplyChainGroup.id.in_(accepted))) is None:
        registry.raise_not_found(data.group_id)  # not a group the SME accepted: as an unknown id
    project = Project(sme_id=sme.id, need_id=need.id, group_id=data.group_id, year=data.year,
                      title_ko=data.title_ko, state="planned")
    session.add(project)
    session.flush()
    _audit(session, project, p, "open", None)
    return project


def snapshot_shortlist(session: Session, *, project: Project, p: Principal, query: dict[str, Any],
                       items: list[dict[str, Any]]) -> ShortlistSnapshot:
    """Keep the matches exactly as they are now (scores, reasons, prices): history is not recomputed."""
    _runner(session, project, p)
    if project.state in CLOSED:
        raise Conflict("종료된 과제입니다.", "The project is closed.")
    snap = ShortlistSnapshot(project_id=project.id, taken_by=p.sub, query=query, items=items)
    session.add(snap)
    session.flush()
    _audit(session, project, p, "shortlist", project.state, None, shortlist_id=snap.id,
           solutions=[i["solution_id"] for i in items])
    return snap


def affiliated(consultant: Consultant, company: Company) -> bool:
    return any(a.get("company_id") == company.id or
               (a.get("business_number") and a.get("business_number") == company.business_number)
               for a in consultant.affiliations)


def check_consultants(session: Session, project: Project, company: Company) -> None:
    for cid in (project.pre_consultant_id, project.post_consultant_id):
        consultant = session.get(Consultant, cid) if cid else None
        if consultant is not None and affiliated(consultant, company):
            raise ConsultantConflict(f"컨설턴트 {josa(consultant.name, '은')} "
                                     f"{josa(company.name_ko, '와')} 관련이 있습니다.",
                                     f"Consultant {consultant.name} is affiliated with {company.name_ko}.")


def _require_designated(session: Session, company: Company, solution: Solution) -> None:
    """The supplier is actively designated, and for the solution's field (its certificate's scope)."""
    if company.id not in designations.active_company_ids(session, [company.id]):
        raise SupplierNotDesignated([(f"{company.name_ko}의 지정이 유효하지 않습니다(정지·취소·만료 또는 미지정)",
                                      f"{company.name_en or company.name_ko} is not actively designated "
                                      "(suspended, revoked, expired or never designated)")])
    if not scope.designated_pairs(session, [(company.id, solution.category)]):
        field = scope.names_ko([solution.category])
        raise SupplierNotDesignated([(f"{company.name_ko}의 지정 분야에 이 솔루션의 분야({field})가 없습니다",
                                      f"{company.name_en or company.name_ko} is not designated for the "
                                      f"solution's field ({solution.category})")])


def choose_supplier(session: Session, *, project: Project, data: SupplierChoice, p: Principal) -> Project:
    """Choose the designated solution (and so its supplier); stages must reach the solution's level."""
    sme = _runner(session, project, p)
    if project.state != "planned":
        raise Conflict("계약 전(planned)에만 공급기업을 정할 수 있습니다.", "The supplier is chosen while planned.")
    solution = session.get(Solution, data.solution_id)
    if solution is None or solution.status != "published":
        registry.raise_not_found(data.solution_id)
    company = session.get_one(Company, solution.company_id)
    _require_designated(session, company, solution)
    plan = [s.model_dump(mode="json") for s in data.stage_plan]
    reasons = check_stage_plan(sme.smart_factory_level, solution.min_level, plan)
    if reasons:
        raise RuleViolation(reasons)
    check_consultants(session, project, company)
    project.solution_id, project.supplier_company_id, project.stage_plan = solution.id, company.id, plan
    from programme import stage_plans  # it builds on this module

    stage_plans.check_data_first(session, project)  # the AI stage plan starts with data the SME lacks
    session.flush()
    _audit(session, project, p, "choose_supplier", project.state, None, solution_id=solution.id,
           company_id=company.id)
    return project


def _lines(session: Session, model: type[BudgetLine] | type[Expenditure], project_id: str) -> list[Line]:
    """Spending rows, or the approved budget lines (a submitted or returned line counts for nothing)."""
    stmt = select(model.year, model.source, model.amount_krw).where(model.project_id == project_id)
    if model is BudgetLine:
        stmt = stmt.where(BudgetLine.status == "approved")
    return [Line(y, s, a) for y, s, a in session.execute(stmt)]


def approved_lines(session: Session, project_id: str, *, exclude: str | None = None) -> list[Line]:
    stmt = select(BudgetLine.year, BudgetLine.source, BudgetLine.amount_krw).where(
        BudgetLine.project_id == project_id, BudgetLine.status == "approved")
    if exclude:
        stmt = stmt.where(BudgetLine.id != exclude)
    return [Line(y, s, a) for y, s, a in session.execute(stmt)]


def lock_sme(session: Session, sme_id: str) -> None:
    """The government cap is per SME and year, across its projects: lock the SME row (FOR NO KEY UPDATE,
    so projects may still be opened for it) before summing, so concurrent lines on different projects
    count one after another. On SQLite the write lock taken at BEGIN serialises them already."""
    session.execute(select(Sme.id).where(Sme.id == sme_id).with_for_update(key_share=True))


def sme_gov_elsewhere(session: Session, project: Project, year: int) -> int:
    """Approved government money of the same SME and year in its other projects not cancelled."""
    stmt = (select(func.coalesce(func.sum(BudgetLine.amount_krw), 0)).join(Project, Project.id == BudgetLine.project_id)
            .where(Project.sme_id == project.sme_id, Project.id != project.id, Project.state != "cancelled",
                   BudgetLine.year == year, BudgetLine.source == "gov", BudgetLine.status == "approved"))
    return int(session.scalar(stmt) or 0)


def add_budget_line(session: Session, *, project: Project, data: BudgetLineCreate, p: Principal,
                    rules: ProgrammeRules) -> BudgetLine:
    """Submit an amount for a year and source (an officer approves it, `budgets.approve`); a line that does
    not name the year's planned AI stage, or would break the cap or the matching rule even over the approved
    lines alone, is refused at once."""
    _runner(session, project, p)
    if project.state in CLOSED:
        raise Conflict("종료된 과제입니다.", "The project is closed.")
    lock_sme(session, project.sme_id)
    new = Line(data.year, data.source.value, data.amount_krw)
    reasons = stages.check_line(stages.load(rules.stage_rules_file), project.ai_stages, year=data.year,
                                stage=data.stage)
    reasons += check_new_line(rules, new=new, project_lines=_lines(session, BudgetLine, project.id),
                             sme_gov_other=sme_gov_elsewhere(session, project, data.year),
                             match_required=project.state != "planned")
    if reasons:
        raise BudgetRuleViolation(reasons)
    line = BudgetLine(project_id=project.id, year=data.year, source=data.source.value, amount_krw=data.amount_krw,
                      stage=data.stage, note=data.note, created_by=p.sub)
    session.add(line)
    session.flush()
    return line


def add_expenditure(session: Session, *, project: Project, data: ExpenditureCreate, p: Principal) -> Expenditure:
    """Record spending; the total per year and source stays within the approved budget."""
    _runner(session, project, p)
    if project.state not in ("contracted", "in_progress"):
        raise Conflict("계약 후 진행 중인 과제에만 집행할 수 있습니다.", "Spending is recorded on contracted projects.",
                       state=project.state)
    new = Line(data.year, data.source.value, data.amount_krw)
    reasons = check_spending(approved=_lines(session, BudgetLine, project.id),
                             spent=_lines(session, Expenditure, project.id), new=new)
    if reasons:
        raise BudgetRuleViolation(reasons)
    row = Expenditure(project_id=project.id, created_by=p.sub, **{**data.model_dump(), "source": data.source.value})
    session.add(row)
    session.flush()
    return row


def transition(session: Session, *, project: Project, action: str, p: Principal, reason: str | None,
               rules: ProgrammeRules) -> Project:
    """Move the project along its table; contracting needs a designated supplier and a matched budget."""
    _runner(session, project, p)
    before = project.state
    nxt = lifecycle.transition(lifecycle.PROJECT, project.state, action, p.role, reason=reason)
    if action == "contract":
        solution = session.get(Solution, project.solution_id) if project.solution_id else None
        if project.supplier_company_id is None or solution is None:
            raise RuleViolation([("먼저 지정 공급기업의 솔루션을 선택하세요", "choose a designated solution first")])
        _require_designated(session, session.get_one(Company, project.supplier_company_id), solution)
        lines = _lines(session, BudgetLine, project.id)
        reasons = ([] if lines else [("승인된 예산이 없습니다", "no approved budget")]) + check_matching(rules, lines)
        if reasons:
            raise BudgetRuleViolation(reasons)
    today = clock.now().date()
    project.state, project.state_reason = nxt, reason
    date_field = {"contracted": "contracted_on", "in_progress": "started_on", "completed": "completed_on",
                  "cancelled": "cancelled_on"}[nxt]
    setattr(project, date_field, today)
    session.flush()
    _audit(session, project, p, action, before, reason)
    return project


def detail(session: Session, project: Project, p: Principal) -> dict[str, Any]:
    from programme.models import Outcome

    def rows(model: Any, order: Any) -> list[Any]:
        stmt = access.where_visible(select(model).where(model.project_id == project.id), p, model)
        return list(session.scalars(stmt.order_by(order)))

    return {"budget_lines": rows(BudgetLine, BudgetLine.id), "expenditures": rows(Expenditure, Expenditure.id),
            "shortlists": rows(ShortlistSnapshot, ShortlistSnapshot.taken_at),
            "outcomes": rows(Outcome, Outcome.metric)}


def not_found(obj_id: str) -> NotFound:
    return NotFound(f"{josa(quoted(obj_id), '을')} 찾을 수 없습니다.", f"{obj_id} was not found.")
