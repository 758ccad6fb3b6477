"""/v1/programme/smes/{sme_id}/profile (included by programme.py): the SME states its scale; a
pre-consultant or the programme officer confirms its level (an SME gets 403 there)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import SessionDep, scoped
from core.errors import Forbidden
from core.principal import Principal
from programme import access, profiles
from programme.selection_schemas import LevelConfirmation, ProfileRead, ProfileUpdate
from registry import service as registry
from registry.models import Sme

router = APIRouter()
IdPath = Annotated[str, Path(max_length=36)]
Writer = Annotated[Principal, scoped("registry:write")]
PROFILE = "/v1/programme/smes/{sme_id}/profile"


@router.put(PROFILE, response_model=ProfileRead,
            summary="선정 심사용 기업 현황 (매출액·종업원 수 등) / State the SME's facts for selection")
def update_profile(sme_id: IdPath, data: ProfileUpdate, session: SessionDep, p: Writer) -> ProfileRead:
    sme = registry.get_visible(session, Sme, sme_id, p)
    if not access.can_run_project(p, sme):
        raise Forbidden("기업 현황은 해당 수요기업(또는 관리자)만 적습니다.", "Only the SME itself states its facts.")
    return ProfileRead.model_validate(profiles.update_facts(session, sme=sme, data=data, p=p))


@router.post(PROFILE + "/confirmed-level", response_model=ProfileRead,
             summary="스마트공장 수준 확인 (사전 컨설턴트·사업 담당관) / Confirm the smart-factory level")
def confirm_level(sme_id: IdPath, data: LevelConfirmation, session: SessionDep, p: Writer) -> ProfileRead:
    return ProfileRead.model_validate(profiles.confirm_level(session, sme_id=sme_id, data=data, p=p))

