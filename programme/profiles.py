"""The facts selection reads about an SME: the SME states its scale (sales, employees, founding year,
supply-chain membership, prior support); only a consultant or an officer confirms its smart-factory
level and records the diagnosis score, so an SME cannot raise its own standing."""

from __future__ import annotations

from sqlalchemy.orm import Session

from certification import audit_log
from core.errors import Forbidden, NotFound
from core.principal import Principal
from programme.selection_models import SmeProfile
from programme.selection_schemas import LevelConfirmation, ProfileUpdate
from registry.models import Sme


def _row(session: Session, sme: Sme) -> SmeProfile:
    profile = session.get(SmeProfile, sme.id, with_for_update=True)
    if profile is None:
        profile = SmeProfile(sme_id=sme.id, sales_krw=0, employees=0)
        session.add(profile)
    return profile


def update_facts(session: Session, *, sme: Sme, data: ProfileUpdate, p: Principal) -> SmeProfile:
    """The SME (or an admin for it) states its facts; the confirmed level is not among them."""
    profile = _row(session, sme)
    for key, value in data.model_dump(exclude_unset=True).items():
        setattr(profile, key, value)
    session.flush()
    audit_log.append(session, actor=p, subject_type="sme_profile", subject_id=sme.id, action="update",
                     payload=data.model_dump(mode="json", exclude_unset=True))
    return profile


def confirm_level(session: Session, *, sme_id: str, data: LevelConfirmation, p: Principal) -> SmeProfile:
    """A pre-consultant (or an officer) confirms the level and the diagnosis after visiting the plant."""
    if p.role not in ("consultant", "admin"):
        raise Forbidden("스마트공장 수준은 사전 컨설턴트나 사업 담당관만 확인합니다.",
                        "Only a pre-consultant or a programme officer confirms the smart-factory level.")
    sme = session.get(Sme, sme_id)
    if sme is None:
        raise NotFound(f"{sme_id} 수요기업을 찾을 수 없습니다.", f"SME {sme_id} was not found.")
    profile = _row(session, sme)
    before = profile.confirmed_level
    profile.confirmed_level, profile.diagnosis_score = data.level.value, data.diagnosis_score
    session.flush()
    audit_log.append(session, actor=p, subject_type="sme_profile", subject_id=sme.id, action="confirm_level",
                     from_state=before, to_state=profile.confirmed_level,
                     payload={"diagnosis_score": data.diagnosis_score})
    return profile
