"""The programme officer's decisions on projects (included by programme.py; an admin acts as the officer):
approving or returning the budget lines an SME submitted, setting each fiscal year's government envelope
(staff read it), and accepting or returning a completed project after the post-consultant's evaluation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from sqlalchemy import select

from api.deps import SessionDep, scoped
from core.principal import Principal
from programme import budgets, completion, lifecycle, service
from programme.models import FiscalEnvelope
from programme.rules import ProgrammeRules
from programme.schemas import BudgetLineRead, BudgetReturn, CompletionReturn, EnvelopeRead, EnvelopeSet, ProjectRead

router = APIRouter()
IdPath = Annotated[str, Path(max_length=36)]
FiscalYear = Annotated[int, Path(ge=2026, le=2030)]
Officer = Annotated[Principal, scoped("admin")]
Reader = Annotated[Principal, scoped("registry:read")]
LINE = "/v1/programme/projects/{project_id}/budget-lines/{line_id}"


def rules_dep() -> ProgrammeRules:
    return ProgrammeRules()


@router.post(LINE + "/approve", response_model=BudgetLineRead,
             summary="예산 승인 (사업 담당관) / Approve a submitted budget line within the cap and the envelope")
def approve(project_id: IdPath, line_id: IdPath, session: SessionDep, p: Officer,
            rules: Annotated[ProgrammeRules, Depends(rules_dep)]) -> BudgetLineRead:
    project = service.load(session, project_id, p, lock=True)
    return BudgetLineRead.model_validate(budgets.approve(session, project=project, line_id=line_id, p=p, rules=rules))


@router.post(LINE + "/return", response_model=BudgetLineRead,
             summary="예산 반려 (사업 담당관) / Return a submitted budget line with a reason")
def give_back(project_id: IdPath, line_id: IdPath, data: BudgetReturn, session: SessionDep,
              p: Officer) -> BudgetLineRead:
    project = service.load(session, project_id, p, lock=True)
    return BudgetLineRead.model_validate(budgets.give_back(session, project=project, line_id=line_id, p=p,
                                                           reason=data.reason))


def _read(session: SessionDep, e: FiscalEnvelope) -> EnvelopeRead:
    out = EnvelopeRead.model_validate(e)
    out.approved_gov_krw = budgets.approved_gov(session, e.year)
    return out


@router.put("/v1/programme/envelopes/{year}", response_model=EnvelopeRead,
            summary="연도별 사업 예산 총액 설정 (사업 담당관) / Set a fiscal year's government envelope")
def set_envelope(year: FiscalYear, data: EnvelopeSet, session: SessionDep, p: Officer) -> EnvelopeRead:
    return _read(session, budgets.set_envelope(session, year=year, gov_krw=data.gov_krw, p=p))


@router.get("/v1/programme/envelopes", response_model=list[EnvelopeRead],
            summary="연도별 사업 예산 총액과 승인액 / Envelopes and approved amounts by year (staff)")
def list_envelopes(session: SessionDep, p: Reader) -> list[EnvelopeRead]:
    from api.routers.programme_admin import _staff

    _staff(p)
    return [_read(session, e) for e in session.scalars(select(FiscalEnvelope).order_by(FiscalEnvelope.year))]


def _project_read(project: Any, p: Principal) -> ProjectRead:
    out = ProjectRead.model_validate(project)
    out.allowed_actions = lifecycle.allowed_actions(lifecycle.PROJECT, project.state, p.role)
    return out


COMPLETION = "/v1/programme/projects/{project_id}/completion"


@router.post(COMPLETION + "/accept", response_model=ProjectRead,
             summary="완료 승인 (사업 담당관, 사후 평가 후) / Accept a completion after the post-consultant's "
                     "evaluation")
def accept_completion(project_id: IdPath, session: SessionDep, p: Officer) -> ProjectRead:
    project = service.load(session, project_id, p, lock=True)
    return _project_read(completion.accept(session, project=project, p=p), p)


@router.post(COMPLETION + "/return", response_model=ProjectRead,
             summary="완료 반려 (사업 담당관, 사유 필수) / Return a completion to work with a reason")
def return_completion(project_id: IdPath, data: CompletionReturn, session: SessionDep, p: Officer) -> ProjectRead:
    project = service.load(session, project_id, p, lock=True)
    return _project_read(completion.give_back(session, project=project, p=p, reason=data.reason), p)
