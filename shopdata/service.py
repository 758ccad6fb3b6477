"""Use cases of shop-floor data: profile vocabulary versions, what a solution needs, what an SME has (filled by
the SME, confirmed by its pre-consultant or an officer), and what matching reads of both. Services flush; the
request commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from certification import audit_log
from core import clock
from core.errors import Conflict, Forbidden
from core.korean import josa
from core.principal import Principal
from matching import readiness
from matching.readiness import Holding, Requirement
from registry import access as registry_access
from registry import service as registry
from registry.models import Company, Sme, Solution
from shopdata import access
from shopdata.errors import ProfilesInUse, ProfilesVersionExists, UnknownProfile
from shopdata.models import DataProfileVersion, Dataset, SmeDataHolding, SolutionDataRequirement
from shopdata.profiles import Profile, Vocabulary, parse, shipped
from shopdata.schemas import HoldingIn, RequirementIn


# ---- the vocabulary ---------------------------------------------------------------------------------
def vocabulary(session: Session) -> Vocabulary:
    """The version in force: the newest an admin saved, or the shipped one."""
    row = session.scalars(select(DataProfileVersion).order_by(DataProfileVersion.seq.desc()).limit(1)).first()
    return shipped() if row is None else parse(row.document, row.version)


def save_vocabulary(session: Session, *, document: Any, p: Principal) -> Vocabulary:
    """Validate and keep a new version; versions are immutable, the newest is in force."""
    vocab = parse(document)
    if vocab.version == shipped().version or session.scalar(
            select(DataProfileVersion.seq).where(DataProfileVersion.version == vocab.version)):
        raise ProfilesVersionExists(f"버전 {josa(vocab.version, '이')} 이미 있습니다.",
                                    f"Version {vocab.version} already exists.")
    used = set(session.scalars(select(SolutionDataRequirement.profile_code).union(
        select(SmeDataHolding.profile_code), select(Dataset.profile_code))))
    dropped = sorted(used - set(vocab.profiles))
    if dropped:
        names = ", ".join(label(vocabulary(session), code)["ko"] for code in dropped)
        raise ProfilesInUse(f"솔루션·수요기업·데이터셋이 쓰는 프로파일이 새 버전에 없습니다: {names}",
                            f"Profiles still in use are missing from the new version: {', '.join(dropped)}",
                            in_use=dropped)
    session.add(DataProfileVersion(version=vocab.version, document=vocab.to_data(), created_by=p.sub))
    session.flush()
    audit_log.append(session, actor=p, subject_type="data_profiles", subject_id=vocab.version, action="load",
                     payload={"profiles": sorted(vocab.profiles)})
    return vocab


def check_known(vocab: Vocabulary, codes: Sequence[str]) -> None:
    unknown = sorted({c for c in codes if c not in vocab.profiles})
    if unknown:
        raise UnknownProfile(f"알 수 없는 데이터 프로파일: {', '.join(unknown)}",
                             f"Unknown data profile(s): {', '.join(unknown)}",
                             unknown=unknown, allowed=sorted(vocab.profiles))


def label(vocab: Vocabulary, code: str) -> dict[str, str]:
    prof = vocab.profiles.get(code)
    return {"ko": prof.label_ko, "en": prof.label_en} if prof else {"ko": code, "en": code}


# ---- what a solution needs --------------------------------------------------------------------------
def requirements_of(session: Session, solution_id: str) -> list[SolutionDataRequirement]:
    stmt = select(SolutionDataRequirement).where(SolutionDataRequirement.solution_id == solution_id)
    return list(session.scalars(stmt.order_by(SolutionDataRequirement.profile_code)))


def set_requirements(session: Session, *, solution: Solution, items: Sequence[RequirementIn], p: Principal
                     ) -> list[SolutionDataRequirement]:
    """The supplier (or an admin) states the whole list; a solution of another company answers as unknown."""
    if not registry_access.can_edit_company(p, session.get_one(Company, solution.company_id)):
        registry.raise_not_found(solution.id)
    check_known(vocabulary(session), [i.profile_code for i in items])
    for row in requirements_of(session, solution.id):
        session.delete(row)
    session.flush()
    for i in items:
        session.add(SolutionDataRequirement(solution_id=solution.id, **i.model_dump()))
    session.flush()
    audit_log.append(session, actor=p, subject_type="solution", subject_id=solution.id, action="data_requirements",
                     payload={"items": [i.model_dump(mode="json") for i in items]})
    return requirements_of(session, solution.id)


# ---- what an SME has --------------------------------------------------------------------------------
def load_sme(session: Session, sme_id: str, p: Principal) -> Sme:
    """The SME whose inventory the caller may see (its own, staff, its consultants), or NotFound."""
    sme = session.scalars(select(Sme).where(Sme.id == sme_id, access.inventory_visible(p, sme_id))).one_or_none()
    if sme is None:
        registry.raise_not_found(sme_id)
    return sme


def inventory_of(session: Session, sme_id: str) -> list[SmeDataHolding]:
    stmt = select(SmeDataHolding).where(SmeDataHolding.sme_id == sme_id)
    return list(session.scalars(stmt.order_by(SmeDataHolding.profile_code)))


_STATED = ("since", "volume", "collection", "sampling_rate_hz", "labelled", "note_ko")


def set_inventory(session: Session, *, sme: Sme, items: Sequence[HoldingIn], p: Principal) -> list[SmeDataHolding]:
    """The SME (or an admin) states what it collects; an item it changes needs confirming again."""
    if not registry_access.can_edit_sme(p, sme):
        registry.raise_not_found(sme.id)
    check_known(vocabulary(session), [i.profile_code for i in items])
    current = {h.profile_code: h for h in inventory_of(session, sme.id)}
    wanted = {i.profile_code: i.model_dump(exclude={"profile_code"}) for i in items}
    for code, old in current.items():
        if code not in wanted:
            session.delete(old)
    for code, values in wanted.items():
        row = current.get(code)
        if row is None:
            session.add(SmeDataHolding(sme_id=sme.id, profile_code=code, **values))
        elif any(getattr(row, k) != values[k] for k in _STATED):
            for k in _STATED:
                setattr(row, k, values[k])
            row.updated_at, row.confirmed_by, row.confirmed_at = clock.now(), None, None
    session.flush()
    audit_log.append(session, actor=p, subject_type="sme_data_inventory", subject_id=sme.id, action="update",
                     payload={"items": [i.model_dump(mode="json") for i in items]})
    return inventory_of(session, sme.id)


def confirm_inventory(session: Session, *, sme_id: str, p: Principal) -> tuple[Sme, list[SmeDataHolding]]:
    """The SME's pre-consultant (or an officer) confirms every item after the diagnosis visit."""
    if p.role not in ("consultant", "admin"):
        raise Forbidden("데이터 보유 현황은 사전 컨설턴트나 사업 담당관만 확인합니다.",
                        "Only the pre-consultant or a programme officer confirms the data inventory.")
    stmt = select(Sme).where(Sme.id == sme_id)
    if p.role == "consultant":
        stmt = stmt.where(access.pre_consults_for(p, sme_id))
    sme = session.scalars(stmt).one_or_none()
    if sme is None:
        registry.raise_not_found(sme_id)
    rows = inventory_of(session, sme.id)
    if not rows:
        raise Conflict("확인할 데이터 보유 항목이 없습니다. 수요기업이 먼저 적어야 합니다.",
                       "There is no data inventory to confirm: the SME states it first.")
    now = clock.now()
    for row in rows:
        if row.confirmed_at is None:
            row.confirmed_by, row.confirmed_at = p.sub, now
    session.flush()
    audit_log.append(session, actor=p, subject_type="sme_data_inventory", subject_id=sme.id, action="confirm",
                     payload={"profiles": [r.profile_code for r in rows]})
    return sme, rows


# ---- what matching reads ----------------------------------------------------------------------------
def holdings_for_matching(session: Session, sme_id: str) -> tuple[Holding, ...] | None:
    """The SME's inventory as matching reads it; None when it has stated none (readiness stays neutral)."""
    rows = inventory_of(session, sme_id)
    if not rows:
        return None
    return tuple(Holding(r.profile_code, r.sampling_rate_hz, r.volume, r.labelled) for r in rows)


def requirement_loader(session: Session) -> Any:
    """A loader for matching: solution ids -> the data profiles each declares, labelled from the vocabulary."""
    vocab = vocabulary(session)

    def load(ids: list[str]) -> Mapping[str, list[Requirement]]:
        out: dict[str, list[Requirement]] = {}
        for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
            stmt = select(SolutionDataRequirement).where(SolutionDataRequirement.solution_id.in_(chunk))
            for r in session.scalars(stmt.order_by(SolutionDataRequirement.profile_code)):
                prof: Profile | None = vocab.profiles.get(r.profile_code)
                out.setdefault(r.solution_id, []).append(Requirement(
                    r.profile_code, prof.label_ko if prof else r.profile_code,
                    prof.label_en if prof else r.profile_code, prof.acquire_ko if prof else "데이터 수집",
                    prof.acquire_en if prof else "data collection", r.required, r.min_sampling_rate_hz,
                    r.min_volume, r.labelling_needed))
        return out

    return load


def data_gaps(session: Session, *, sme_id: str, solution_id: str) -> list[tuple[str, str]]:
    """The (Korean, English) reasons why the SME lacks data the solution requires (missing, or short of the
    rate, volume or labelling asked); none when it has stated no inventory (nothing is known)."""
    holdings = holdings_for_matching(session, sme_id)
    if holdings is None:
        return []
    requirements = requirement_loader(session)([solution_id]).get(solution_id, [])
    held = {h.profile_code: h for h in holdings}
    short = [r for r in requirements if r.required and readiness.state(r, held.get(r.profile_code)) != "met"]
    return readiness.fit(short, holdings)[1]
