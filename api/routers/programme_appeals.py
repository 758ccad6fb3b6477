"""An SME's own selection result and its appeal (included by programme.py): the SME (or staff) reads the
result with its reasons, the SME files one appeal per round, the programme officer (admin) decides it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status

from api.deps import SessionDep, scoped
from core import clock
from core.errors import Forbidden
from core.principal import Principal
from programme import access, appeals
from programme.selection_schemas import AppealCreate, AppealDecide, AppealRead, DecisionRead, MySelectionRead
from registry import service as registry
from registry.models import Sme

router = APIRouter()
IdPath = Annotated[str, Path(max_length=36)]
YearPath = Annotated[int, Path(ge=2026, le=2030)]
Reader = Annotated[Principal, scoped("registry:read")]
Writer = Annotated[Principal, scoped("registry:write")]
Officer = Annotated[Principal, scoped("admin")]
MINE = "/v1/programme/smes/{sme_id}/selection/{year}"


def settings_dep() -> appeals.AppealSettings:
    return appeals.AppealSettings()


SettingsDep = Annotated[appeals.AppealSettings, Depends(settings_dep)]


@router.get(MINE, response_model=MySelectionRead,
            summary="우리 기업의 선정 결과와 사유 / The SME's own selection result with reasons (others: 404)")
def my_selection(sme_id: IdPath, year: YearPath, session: SessionDep, p: Reader,
                 settings: SettingsDep) -> MySelectionRead:
    sme = registry.get_visible(session, Sme, sme_id, p)  # an SME sees only itself; other ids are unknown
    run_row, mine, appeal = appeals.my_result(session, year=year, sme_id=sme.id)
    until = appeals.deadline(run_row, settings)
    decision = DecisionRead.model_validate(mine).model_copy(update={"business_number": sme.business_number})
    return MySelectionRead(year=year, run_id=run_row.id, run_at=run_row.run_at, decision=decision,
                           appeal_until=until,
                           can_appeal=appeal is None and mine.outcome != "selected" and clock.now() <= until,
                           appeal=AppealRead.model_validate(appeal) if appeal is not None else None)


@router.post(MINE + "/appeal", status_code=status.HTTP_201_CREATED, response_model=AppealRead,
             summary="선정 결과 이의신청 (회차당 1회, 기간 내) / Appeal the result once per round, within the period")
def file_appeal(sme_id: IdPath, year: YearPath, data: AppealCreate, session: SessionDep, p: Writer,
                settings: SettingsDep) -> AppealRead:
    sme = registry.get_visible(session, Sme, sme_id, p)
    if not access.can_run_project(p, sme):
        raise Forbidden("이의신청은 해당 수요기업만 할 수 있습니다.", "Only the SME itself appeals its result.")
    return AppealRead.model_validate(appeals.file(session, year=year, sme_id=sme.id, reason_ko=data.reason_ko, p=p,
                                                  settings=settings))


@router.get("/v1/programme/selection/{year}/appeals", response_model=list[AppealRead],
            summary="선정 이의신청 목록 / Appeals of the year's selection (staff)")
def list_appeals(year: YearPath, session: SessionDep, p: Reader) -> list[AppealRead]:
    from api.routers.programme_admin import _staff

    _staff(p)
    return [AppealRead.model_validate(a) for a in appeals.list_appeals(session, year=year)]


@router.post("/v1/programme/selection/{year}/appeals/{appeal_id}/decision", response_model=AppealRead,
             summary="이의신청 결정: 인용·기각 (사업 담당관) / Uphold or dismiss an appeal (programme officer)")
def decide_appeal(year: YearPath, appeal_id: IdPath, data: AppealDecide, session: SessionDep,
                  p: Officer) -> AppealRead:
    return AppealRead.model_validate(appeals.decide(session, year=year, appeal_id=appeal_id,
                                                    outcome=data.outcome.value, reason=data.reason, p=p))
