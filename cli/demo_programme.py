"""Demo programme data, a two-year story told through the programme services so the KPI report shows
real numbers on a fresh install. Runs once (skipped when the 2026 cohort exists).

- a register of 50 smart-factory SMEs (the six demo SMEs and 44 more, cli/demo_population.py);
- 2026: the cohort of the six (one dropped), a project in every state with budget lines the officer
  approved (and one returned), spending, consulting and outcomes; two consultants; a supply-chain group;
  sme-01 and sme-02 complete and their results are accepted -> adoption 2/50 = 4% (target 3%);
- 2027: a selection round by rule (nine applications, four places, a 경기 quota of one, a waiting list
  of three, two refused), 2027 budget lines approved and returned, sme-03 and sme-04 complete (dated
  2027: the demo's second year is written ahead of the calendar) -> 4/50 = 8% (target 5%);
- a KPI snapshot of each year (as of 31 December), so the trajectory has two years of actuals.

The figures are checked by hand in tests/programme/test_demo_kpis.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cli.demo_population import load_population, run_round
from core.accounts import UserAccount, hash_secret
from core.principal import Principal
from programme import budgets, cohorts, completion, consulting, groups, report, service, stage_plans
from programme.group_schemas import GroupCreate, GroupNeedCreate, SharedResourceCreate
from programme.models import Cohort, Consultation, Outcome, Project
from programme.rules import ProgrammeRules
from programme.schemas import (
    BudgetLineCreate,
    CohortCreate,
    ConsultantCreate,
    ConsultationCreate,
    ExpenditureCreate,
    OutcomeCreate,
    ProjectCreate,
    SupplierChoice,
)
from programme.stage_schemas import StagePlanSet
from registry.models import Company, Need, Sme, Solution

YEAR = 2026
ADMIN = Principal(sub="demo-admin", role="admin", org="ministry")
M = 1_000_000
ENVELOPES = {2026: 700, 2027: 600}  # million KRW
SOURCE_KO = {"gov": "정부지원금", "own": "자부담"}

CONSULTANTS = [
    {"username": "consultant01", "password": "demo-password-c01", "name": "이정훈", "organisation": "한국생산성본부",
     "affiliations": []},
    # sits on the board of supplier 01, so the registry refuses them on projects that chose it
    {"username": "consultant02", "password": "demo-password-c02", "name": "박지민",
     "organisation": "스마트제조혁신센터",
     "affiliations": [{"name": "누리비전 주식회사", "supplier_org": "demo-supplier-01"}]},
]

# org of the SME, need category, solution ref, target state, budget (gov, own), spent (gov, own),
# outcomes confirmed by the post-consultant [(metric, before, after)], outcomes left unconfirmed
PROJECTS: list[dict[str, Any]] = [
    {"sme": "demo-sme-01", "need": "vision_inspection", "ref": "DEMO-S01", "title": "사출품 미성형 AI 비전 전수 검사",
     "state": "completed", "budget": (150, 150), "spent": (120, 130),
     "confirmed": [("defect_rate", 3.4, 0.8), ("lead_time", 6, 4), ("industrial_accidents", 2, 1)]},
    {"sme": "demo-sme-02", "need": "predictive_maintenance", "ref": "DEMO-S15", "title": "CNC 공구 파손 예지보전",
     "state": "completed", "budget": (120, 130), "spent": (100, 100),
     "confirmed": [("defect_rate", 2.0, 1.5), ("downtime", 40, 22), ("industrial_accidents", 3, 2)],
     "return": "공구 파손 예지 알람의 현장 운영 기록(1개월)을 보완한 뒤 다시 완료 처리하세요"},
    {"sme": "demo-sme-03", "need": "demand_forecasting", "ref": "DEMO-S08", "title": "감귤 가공품 수요 예측",
     "state": "in_progress", "budget": (60, 60), "spent": (20, 25), "entered": [("defect_rate", 1.0, 0.9)]},
    {"sme": "demo-sme-04", "need": "production_scheduling", "ref": "DEMO-S07",
     "title": "차체 부품 라인 AI 생산 스케줄링",
     "state": "contracted", "budget": (150, 150)},
    {"sme": "demo-sme-05", "need": "manufacturing_llm", "ref": "DEMO-S19", "title": "작업표준서 기반 제조 LLM 도입",
     "state": "planned", "budget": (100, 100), "returned": ("own", 30, "자부담 증빙(통장 사본)이 없어 반려합니다")},
    {"sme": "demo-sme-01", "need": "data_platform", "ref": "DEMO-S11", "title": "사출기 가동 데이터 수집 플랫폼",
     "state": "cancelled", "budget": (50, 50), "reason": "공급기업 일정 지연으로 차년도 재추진"},
]
STEPS = {"planned": [], "contracted": ["contract"], "in_progress": ["contract", "start"],
         "completed": ["contract", "start", "complete"], "cancelled": ["cancel"]}


def load_programme(session: Session) -> dict[str, int]:
    if session.scalar(select(Cohort.id).where(Cohort.year == YEAR)):
        return {}
    smes = {s.owner_org: s for s in session.scalars(select(Sme).where(Sme.owner_org.like("demo-sme-%")))}
    if len(smes) < 6:
        return {}
    register = load_population(session, smes)
    cohort = _cohort(session, smes)
    # each year's government envelope, sized for the demo's 50 SMEs (the plan's is 12,000 x 200M)
    for year in (YEAR, YEAR + 1):
        budgets.set_envelope(session, year=year, gov_krw=ENVELOPES[year] * M, p=ADMIN)
    consultants = _consultants(session)
    projects = {spec["sme"]: _project(session, spec, smes[spec["sme"]], consultants)
                for spec in PROJECTS if spec["state"] != "cancelled"}
    for spec in PROJECTS:
        if spec["state"] == "cancelled":
            _project(session, spec, smes[spec["sme"]], consultants)
    cohorts.change_member(session, cohort=cohort, sme_id=smes["demo-sme-01"].id, action="graduate", p=ADMIN,
                          reason="AI 도입 완료 및 성과 확인", on=date(YEAR, 11, 20))
    _group(session, smes)
    run_round(session, register, ADMIN)
    _second_year(session, projects, consultants)
    for year in (YEAR, YEAR + 1):
        report.take_snapshot(session, year=year, p=ADMIN, as_of=date(year, 12, 31))
    return {"cohorts": 2, "projects": len(PROJECTS), "consultants": len(consultants), "groups": 1,
            "population": len(register) + len(smes), "snapshots": 2}


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


def _second_year(session: Session, projects: dict[str, Project], consultants: list[tuple[Any, Principal]]) -> None:
    """2027: the 2027 budget of sme-03 approved and spent, a 2027 line of sme-04 returned, both projects
    completed and their results accepted, on 2027 dates."""
    rules = ProgrammeRules()
    (expert, expert_p), _ = consultants
    y = YEAR + 1
    p03, p04 = projects["demo-sme-03"], projects["demo-sme-04"]
    owner03 = Principal(sub="demo:demo-sme-03", role="sme", org="demo-sme-03")
    owner04 = Principal(sub="demo:demo-sme-04", role="sme", org="demo-sme-04")
    for source in ("own", "gov"):  # on a running project the own share is approved first (the matching rule)
        line = service.add_budget_line(session, project=p03, p=owner03, rules=rules, data=BudgetLineCreate(
            year=y, source=source, amount_krw=50 * M, stage="analytics", note=f"{y}년 2단계 {SOURCE_KO[source]}"))
        budgets.approve(session, project=p03, line_id=line.id, p=ADMIN, rules=rules)
    for source in ("gov", "own"):
        service.add_expenditure(session, project=p03, p=owner03, data=ExpenditureCreate(
            year=y, source=source, amount_krw=30 * M, spent_on=date(y, 3, 10), description="2단계 AI 모델 고도화"))
    line = service.add_budget_line(session, project=p04, p=owner04, rules=rules, data=BudgetLineCreate(
        year=y, source="own", amount_krw=40 * M, stage="analytics", note=f"{y}년 추가 자부담"))
    budgets.give_back(session, project=p04, line_id=line.id, p=ADMIN, reason="2단계 계획서가 없어 반려합니다")
    service.transition(session, project=p04, action="start", p=owner04, reason=None, rules=rules)
    p04.started_on = date(y, 2, 1)
    for metric, before, after in (("defect_rate", 5.0, 3.0), ("industrial_accidents", 4, 3)):
        consulting.add_outcome(session, project=p04, p=owner04,
                               data=OutcomeCreate(metric=metric, before=before, after=after))
    for project, owner, done in ((p03, owner03, date(y, 5, 20)), (p04, owner04, date(y, 9, 30))):
        service.transition(session, project=project, action="complete", p=owner, reason=None, rules=rules)
        project.completed_on = done
        consulting.assign(session, project=project, consultant_id=expert.id, kind="post", p=ADMIN)
        row = consulting.record(session, project=project, p=expert_p, data=ConsultationCreate(
            kind="post", rating=4, evaluation_ko="도입 전후 측정 자료로 성과를 확인함"))
        session.get_one(Consultation, row.id).recorded_at = _at(done)
        for outcome in session.scalars(select(Outcome).where(Outcome.project_id == project.id)):
            outcome.confirmed_at = _at(done)
        completion.accept(session, project=project, p=ADMIN)  # the officer accepts after the evaluation
        project.accepted_on = done
    session.flush()


def _cohort(session: Session, smes: dict[str, Sme]) -> Cohort:
    cohort = cohorts.create_cohort(session, data=CohortCreate(year=YEAR, capacity=12_000,
                                                              name_ko="2026년 제조 AX 선도 중소기업"))
    for org in sorted(smes):
        cohorts.add_candidate(session, cohort=cohort, sme=smes[org], on=date(YEAR, 2, 2))
        cohorts.change_member(session, cohort=cohort, sme_id=smes[org].id, action="select", p=ADMIN,
                              reason="스마트공장 수준 진단 결과 적합", on=date(YEAR, 3, 4))
    cohorts.change_member(session, cohort=cohort, sme_id=smes["demo-sme-06"].id, action="drop", p=ADMIN,
                          reason="자부담 재원 확보 실패로 중도 포기", on=date(YEAR, 5, 15))
    return cohort


def _consultants(session: Session) -> list[tuple[Any, Principal]]:
    out = []
    for spec in CONSULTANTS:
        user = session.scalars(select(UserAccount).where(UserAccount.username == spec["username"])).one_or_none()
        if user is None:
            user = UserAccount(username=spec["username"], password_hash=hash_secret(spec["password"]),
                               role="consultant", display_name=spec["name"])
            session.add(user)
            session.flush()
        affiliations = []
        for a in spec["affiliations"]:
            company = session.scalars(select(Company).where(Company.owner_org == a["supplier_org"])).one()
            affiliations.append({"name": a["name"], "company_id": company.id,
                                 "business_number": company.business_number})
        consultant = consulting.register(session, data=ConsultantCreate.model_validate(
            {"sub": user.id, "name": spec["name"], "organisation": spec["organisation"], "affiliations": affiliations}))
        out.append((consultant, Principal(sub=user.id, role="consultant")))
    return out


def _project(session: Session, spec: dict[str, Any], sme: Sme, consultants: list[tuple[Any, Principal]]) -> Project:
    owner = Principal(sub=f"demo:{sme.owner_org}", role="sme", org=sme.owner_org)
    rules = ProgrammeRules()
    need = next(n for n in session.scalars(select(Need).where(Need.sme_id == sme.id).order_by(Need.id))
                if spec["need"] in n.categories)
    project = service.create(session, data=ProjectCreate(need_id=need.id, title_ko=spec["title"], year=YEAR), p=owner)
    (expert, expert_p), (affiliated, affiliated_p) = consultants
    # the consultant affiliated with supplier 01 only takes the project that chose another supplier
    pre, pre_p = (affiliated, affiliated_p) if spec["state"] == "planned" else (expert, expert_p)
    consulting.assign(session, project=project, consultant_id=pre.id, kind="pre", p=ADMIN)
    consulting.record(session, project=project, p=pre_p, data=ConsultationCreate(
        kind="pre", assessed_level=sme.smart_factory_level, priority_needs=[need.text[:60]],
        recommended_stages=["1단계: 데이터 수집 체계 구축", "2단계: AI 모델 적용"]))
    solution = session.scalars(select(Solution).where(Solution.ref == spec["ref"])).one()
    service.choose_supplier(session, project=project, data=SupplierChoice(solution_id=solution.id), p=owner)
    stage_plans.set_plan(session, project=project, p=owner, rules=rules, data=StagePlanSet.model_validate(
        {"stages": [{"year": YEAR, "stage": "data_collection", "note_ko": "설비·공정 데이터 수집·연결"},
                    {"year": YEAR + 1, "stage": "analytics", "note_ko": "불량·설비 데이터 분석·시각화"}]}))
    gov, own = spec["budget"]
    for source, amount in (("gov", gov), ("own", own)):
        line = service.add_budget_line(session, project=project, p=owner, rules=rules, data=BudgetLineCreate(
            year=YEAR, source=source, amount_krw=amount * M, stage="data_collection",
            note=f"{YEAR}년 {'정부지원금' if source == 'gov' else '자부담'}"))
        budgets.approve(session, project=project, line_id=line.id, p=ADMIN, rules=rules)  # the officer approves
    if "returned" in spec:  # a line the officer sends back: it never counts
        source, amount, reason = spec["returned"]
        line = service.add_budget_line(session, project=project, p=owner, rules=rules, data=BudgetLineCreate(
            year=YEAR, source=source, amount_krw=amount * M, stage="data_collection", note="추가 자부담"))
        budgets.give_back(session, project=project, line_id=line.id, p=ADMIN, reason=reason)
    for action in STEPS[spec["state"]]:
        if action == "complete":
            _spend_and_measure(session, project, spec, owner)
        if action == "cancel":
            service.transition(session, project=project, action=action, p=owner, reason=spec["reason"], rules=rules)
            continue
        service.transition(session, project=project, action=action, p=owner, reason=None, rules=rules)
    if spec["state"] == "in_progress":
        _spend_and_measure(session, project, spec, owner)
    if spec["state"] == "completed":
        consulting.assign(session, project=project, consultant_id=expert.id, kind="post", p=ADMIN)
        consulting.record(session, project=project, p=expert_p, data=ConsultationCreate(
            kind="post", rating=4, evaluation_ko="현장 측정 자료와 설비 로그로 도입 전후 성과를 확인함"))
        if "return" in spec:  # the officer returns the completion once; the SME completes it again
            completion.give_back(session, project=project, p=ADMIN, reason=spec["return"])
            service.transition(session, project=project, action="complete", p=owner, reason=None, rules=rules)
        completion.accept(session, project=project, p=ADMIN)
    return project


def _spend_and_measure(session: Session, project: Any, spec: dict[str, Any], owner: Principal) -> None:
    gov, own = spec.get("spent", (0, 0))
    for source, amount in (("gov", gov), ("own", own)):
        if amount:
            service.add_expenditure(session, project=project, p=owner, data=ExpenditureCreate(
                year=YEAR, source=source, amount_krw=amount * M, spent_on=date(YEAR, 9, 1),
                description="AI 솔루션 도입 및 설치"))
    for metric, before, after in spec.get("confirmed", []) + spec.get("entered", []):
        consulting.add_outcome(session, project=project, p=owner,
                               data=OutcomeCreate(metric=metric, before=before, after=after))


def _group(session: Session, smes: dict[str, Sme]) -> None:
    lead = Principal(sub="demo:lead-01", role="sme", org="demo-lead-01")
    if not session.scalar(select(UserAccount.id).where(UserAccount.username == "lead01")):
        session.add(UserAccount(username="lead01", password_hash=hash_secret("demo-password-l01"), role="sme",
                                org_id="demo-lead-01", display_name="대한모빌리티 AX 추진팀"))
    group = groups.create(session, p=lead, data=GroupCreate(name_ko="대한모빌리티 협력사 AX 얼라이언스",
                                                            lead_name_ko="대한모빌리티 주식회사"))
    for org in ("demo-sme-02", "demo-sme-04"):  # invited by the lead, accepted by each SME
        groups.invite(session, group=group, sme_id=smes[org].id, p=lead)
        groups.accept(session, group=group, sme_id=smes[org].id, share=["projects", "outcomes"],
                      p=Principal(sub=f"demo:{org}", role="sme", org=org))
    groups.add_resource(session, group=group, p=lead, data=SharedResourceCreate(
        name_ko="제조 특화 LLM '모빌리티GPT'", category="manufacturing_llm", access_terms="협력사 무상, 월 100만 토큰",
        description_ko="작업표준서·설비 매뉴얼·품질 이력을 학습한 사내 LLM을 협력사에 API로 공유합니다."))
    groups.add_need(session, group=group, p=lead, data=GroupNeedCreate(
        text="협력사 공통으로 작업표준서 검색과 불량 원인 분석에 LLM을 쓰고 싶습니다",
        categories=["manufacturing_llm"]))
