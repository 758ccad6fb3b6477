"""Use case of the AI introduction stage plan of a project: the SME (or an admin for it) sets the stage of
each fiscal year, checked against the stage rules for the SME's confirmed level and size. Services flush."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from certification import audit_log
from core.errors import Conflict
from core.principal import Principal
from programme import lifecycle, service, stages
from programme.errors import StageRuleViolation
from programme.models import BudgetLine, Project
from programme.rules import ProgrammeRules
from programme.selection_models import SmeProfile
from programme.stage_schemas import StagePlanSet


def rules_doc(rules: ProgrammeRules) -> stages.StageRulesDoc:
    return stages.load(rules.stage_rules_file)


def set_plan(session: Session, *, project: Project, data: StagePlanSet, p: Principal,
             rules: ProgrammeRules) -> Project:
    """Replace the yearly plan; a year whose budget is already approved keeps its stage."""
    service.runner(session, project, p)
    if project.state in service.CLOSED:
        raise Conflict("종료된 과제입니다.", "The project is closed.")
    doc = rules_doc(rules)
    plan = [{"year": s.year, "stage": s.stage, "note_ko": s.note_ko} for s in data.stages]
    profile = session.get(SmeProfile, project.sme_id)
    reasons = stages.check_plan(doc, plan=plan, level=profile.confirmed_level if profile else None,
                                employees=profile.employees if profile else 0,
                                sales_krw=profile.sales_krw if profile else 0,
                                first_year=rules.first_year, last_year=rules.last_year)
    reasons += _data_first(session, project, plan, doc)
    if reasons:
        raise StageRuleViolation(reasons)
    approved = session.execute(select(BudgetLine.year, BudgetLine.stage).where(
        BudgetLine.project_id == project.id, BudgetLine.status == "approved").distinct()).all()
    for year, stage in approved:
        if stage is not None and stages.planned(plan, year) != stage:
            rule = doc.get(stage)
            raise Conflict(f"{year}년 예산이 {rule.name_ko if rule else '다른'} 단계로 이미 승인되어 그해 단계를 "
                           "바꿀 수 없습니다.",
                           f"The {year} budget is approved for stage {stage}; that year's stage cannot change.",
                           year=year, stage=stage)
    before = project.ai_stages
    project.ai_stages, project.ai_stages_version = sorted(plan, key=lambda s: s["year"]), doc.version
    session.flush()
    audit_log.append(session, actor=p, subject_type=lifecycle.PROJECT, subject_id=project.id, action="plan_stages",
                     from_state=project.state, to_state=project.state,
                     payload={"sme_id": project.sme_id, "rules_version": doc.version, "stages": project.ai_stages,
                              "previous": before})
    return project


def check_data_first(session: Session, project: Project, rules: ProgrammeRules | None = None) -> None:
    """Refuse (422) a chosen solution whose required data the SME lacks while the AI stage plan does not
    start with data collection: the plan is changed first."""
    if not project.ai_stages:
        return
    reasons = _data_first(session, project, list(project.ai_stages), rules_doc(rules or ProgrammeRules()))
    if reasons:
        raise StageRuleViolation(reasons)


def _data_first(session: Session, project: Project, plan: list[dict[str, Any]],
                doc: stages.StageRulesDoc) -> list[tuple[str, str]]:
    """When the SME lacks data the chosen solution requires (its data inventory against the solution's data
    requirements, shopdata/), the plan starts with the first stage of the ladder (data collection)."""
    if project.solution_id is None or not plan:
        return []
    from shopdata.service import data_gaps  # the data register reads programme's SMEs, not the reverse

    gaps = data_gaps(session, sme_id=project.sme_id, solution_id=project.solution_id)
    first_stage = doc.stages[0]
    first_year = min(plan, key=lambda s: int(s["year"]))
    if not gaps or first_year["stage"] == first_stage.code:
        return []
    return [(f"선택한 솔루션에 필요한 데이터가 없어 첫해({first_year['year']}년)는 {first_stage.name_ko} 단계여야 "
             f"합니다: " + "; ".join(ko for ko, _ in gaps),
             f"the chosen solution needs data the SME lacks, so the first year ({first_year['year']}) is "
             f"{first_stage.name_en}: " + "; ".join(en for _, en in gaps))]
