"""The AI introduction stages (included by programme.py): the stage rules anyone signed in may read, and
a project's yearly stage plan, set by the SME (or an admin for it) and checked against its confirmed level
and size; each year's budget line then names the year's stage."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from api.deps import SessionDep, scoped
from core.principal import Principal
from programme import lifecycle, service, stage_plans
from programme.rules import ProgrammeRules
from programme.schemas import ProjectRead
from programme.stage_schemas import StagePlanSet, StageRulesRead

router = APIRouter()
IdPath = Annotated[str, Path(max_length=36)]
Reader = Annotated[Principal, scoped("registry:read")]
Writer = Annotated[Principal, scoped("registry:write")]


def rules_dep() -> ProgrammeRules:
    return ProgrammeRules()


RulesDep = Annotated[ProgrammeRules, Depends(rules_dep)]


@router.get("/v1/programme/stage-rules", response_model=StageRulesRead,
            summary="AI 도입 단계 규칙 (수준·규모별) / The AI stage rules: prerequisites and size by stage")
def stage_rules(p: Reader, rules: RulesDep) -> StageRulesRead:
    return StageRulesRead.model_validate(stage_plans.rules_doc(rules).model_dump())


@router.put("/v1/programme/projects/{project_id}/stages", response_model=ProjectRead,
            summary="연차별 AI 도입 단계 계획 (확인된 수준·규모 기준) / Plan the AI stage of each fiscal year")
def plan_stages(project_id: IdPath, data: StagePlanSet, session: SessionDep, p: Writer,
                rules: RulesDep) -> ProjectRead:
    project = service.load(session, project_id, p, lock=True)
    out = ProjectRead.model_validate(stage_plans.set_plan(session, project=project, data=data, p=p, rules=rules))
    out.allowed_actions = lifecycle.allowed_actions(lifecycle.PROJECT, project.state, p.role)
    return out
