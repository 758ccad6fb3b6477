"""/v1/programme/selection: the programme officer's selection by rule (included by programme.py). An
admin acts as programme officer for the writes; staff read the runs and decisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from api.deps import SessionDep, scoped
from core.principal import Principal
from programme import selection
from programme.selection_models import SelectionDecision
from programme.selection_rules import SelectionRuleDoc
from programme.selection_schemas import (
    DecisionRead,
    Outcome,
    SelectionRuleRead,
    SelectionRunRead,
    WithdrawalCreate,
    WithdrawalRead,
)

router = APIRouter()
YearPath = Annotated[int, Path(ge=2026, le=2030)]
Reader = Annotated[Principal, scoped("registry:read")]
Officer = Annotated[Principal, scoped("admin")]
S = "/v1/programme/selection"


def _staff(p: Principal) -> None:
    from api.routers.programme_admin import _staff as staff

    staff(p)


def _reads(session: SessionDep, rows: list[SelectionDecision]) -> list[DecisionRead]:
    smes = selection.smes_of(session, rows)
    return [DecisionRead.model_validate(r).model_copy(
        update={"business_number": smes[r.sme_id].business_number if r.sme_id in smes else None}) for r in rows]


@router.post(S + "/rules", status_code=status.HTTP_201_CREATED, response_model=SelectionRuleRead,
             summary="선정 규칙 등록 (사업 담당관) / Load a selection rule version (programme officer)")
def load_rule(data: SelectionRuleDoc, session: SessionDep, p: Officer) -> SelectionRuleRead:
    return SelectionRuleRead.model_validate(selection.load_rule(session, document=data.model_dump(mode="json"), p=p))


@router.get(S + "/{year}/rule", response_model=SelectionRuleRead,
            summary="현재 선정 규칙 / The year's current selection rule (staff)")
def current_rule(year: YearPath, session: SessionDep, p: Reader) -> SelectionRuleRead:
    _staff(p)
    return SelectionRuleRead.model_validate(selection.current_rule(session, year))


@router.post(S + "/{year}/runs", status_code=status.HTTP_201_CREATED, response_model=SelectionRunRead,
             summary="규칙에 따른 선정 실행 (사업 담당관) / Run selection by the current rule (programme officer)")
def run_selection(year: YearPath, session: SessionDep, p: Officer) -> SelectionRunRead:
    return SelectionRunRead.model_validate(selection.run(session, year=year, p=p))


@router.get(S + "/{year}/runs/latest", response_model=SelectionRunRead,
            summary="최근 선정 결과 요약 / The latest run of the year (staff)")
def latest_run(year: YearPath, session: SessionDep, p: Reader) -> SelectionRunRead:
    _staff(p)
    return SelectionRunRead.model_validate(selection.latest_run(session, year))


@router.get(S + "/{year}/decisions", response_model=list[DecisionRead],
            summary="선정·대기·탈락 결정과 사유 / Decisions of the latest run, in result order (staff)")
def list_decisions(year: YearPath, session: SessionDep, p: Reader, outcome: Outcome | None = None,
                   offset: Annotated[int, Query(ge=0, le=10**6)] = 0,
                   limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[DecisionRead]:
    _staff(p)
    run_row = selection.latest_run(session, year)
    return _reads(session, selection.decisions(session, run_row, outcome=outcome.value if outcome else None,
                                               offset=offset, limit=limit))


@router.post(S + "/{year}/withdrawals", response_model=WithdrawalRead,
             summary="선정 포기와 대기자 승격 (사업 담당관) / Withdraw a selected SME; the waiting list moves up")
def withdraw(year: YearPath, data: WithdrawalCreate, session: SessionDep, p: Officer) -> WithdrawalRead:
    promoted = selection.withdraw(session, year=year, sme_id=data.sme_id, p=p, reason=data.reason)
    run_row = selection.latest_run(session, year)
    mine = selection.decisions(session, run_row, sme_id=data.sme_id, limit=1)
    return WithdrawalRead(withdrawn=_reads(session, mine)[0],
                          promoted=_reads(session, [promoted])[0] if promoted is not None else None)
