"""Datasets shared for AI: an SME publishes its own, a lead firm its group's, a member into its group (by the
consent its membership already is). Who sees one is decided in shopdata/access.py; a public dataset enters the
change feed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from certification import audit_log
from core import outbox
from core.errors import Forbidden
from core.pagination import Page, paginate
from core.principal import Principal
from programme import access as programme_access
from programme import groups
from programme.models import GroupMember, SupplyChainGroup
from registry import access as registry_access
from registry import service as registry
from registry.models import Sme
from shopdata import access, service
from shopdata.errors import DatasetRule
from shopdata.models import Dataset
from shopdata.schemas import DatasetCreate


def _member(session: Session, group_id: str, sme_id: str) -> bool:
    return session.scalar(select(GroupMember.state).where(GroupMember.group_id == group_id,
                                                          GroupMember.sme_id == sme_id)) == "accepted"


def _owner(session: Session, data: DatasetCreate, p: Principal) -> tuple[str, Sme | None, SupplyChainGroup | None]:
    """The owning organisation, SME and group a request may name, or the rule it breaks."""
    group = groups.load(session, data.group_id, p) if data.group_id else None
    if data.sme_id:
        sme = registry.get_visible(session, Sme, data.sme_id, p)
        if not registry_access.can_edit_sme(p, sme):
            registry.raise_not_found(sme.id)
        if group is not None and not (programme_access.can_lead_group(p, group) and group.lead_org == sme.owner_org
                                      or _member(session, group.id, sme.id)):
            raise DatasetRule("수요기업은 자신이 주관하거나 참여를 수락한 그룹에만 데이터셋을 공유합니다.",
                              "An SME shares into a group it leads or has accepted to join.")
        return sme.owner_org, sme, group
    if group is None:
        raise DatasetRule("sme_id나 group_id 가운데 하나는 있어야 합니다.", "Name the sme_id or the group_id.")
    if not programme_access.can_lead_group(p, group):
        raise DatasetRule("그룹 데이터셋은 그룹의 주관 기업(또는 관리자)만 등록합니다.",
                          "Only the group's lead firm (or an admin) registers a dataset for the group.")
    return group.lead_org, None, group


def create(session: Session, *, data: DatasetCreate, p: Principal) -> Dataset:
    if p.role not in ("sme", "admin"):
        raise Forbidden("데이터셋은 수요기업이나 공급망 그룹(주관 기업)이 등록합니다.",
                        "Datasets are registered by SMEs and supply-chain groups.")
    if data.access == "group" and not data.group_id:
        raise DatasetRule("그룹 공개 데이터셋에는 group_id가 필요합니다.", "access=group needs the group_id.")
    owner_org, sme, group = _owner(session, data, p)
    service.check_known(service.vocabulary(session), [data.profile_code])
    values = data.model_dump(exclude={"sme_id", "group_id"})
    dataset = Dataset(owner_org=owner_org, sme_id=sme.id if sme else None, group_id=group.id if group else None,
                      created_by=p.sub, **values)
    session.add(dataset)
    session.flush()
    audit_log.append(session, actor=p, subject_type="dataset", subject_id=dataset.id, action="create",
                     to_state=dataset.access, payload={"profile_code": dataset.profile_code})
    outbox.record(session, resource="dataset", resource_id=dataset.id, action="created",
                  payload={"theme": dataset.profile_code, "title_ko": dataset.title_ko},
                  public=dataset.access == "public")
    return dataset


def get(session: Session, dataset_id: str, p: Principal) -> Dataset:
    ds = session.scalars(select(Dataset).where(Dataset.id == dataset_id, access.datasets_visible(p))).one_or_none()
    if ds is None:
        registry.raise_not_found(dataset_id)
    return ds


def list_visible(session: Session, p: Principal, *, cursor: str | None, limit: int, profile_code: str | None,
                 industry: str | None, public_only: bool = False) -> Page[Dataset]:
    stmt = select(Dataset).where(Dataset.access == "public" if public_only else access.datasets_visible(p))
    if profile_code:
        stmt = stmt.where(Dataset.profile_code == profile_code)
    if industry:
        stmt = stmt.where(Dataset.industry == industry)
    return paginate(session, stmt, Dataset.id, cursor=cursor, limit=limit)


def get_public(session: Session, dataset_id: str) -> Dataset:
    ds = session.scalars(select(Dataset).where(Dataset.id == dataset_id, Dataset.access == "public")).one_or_none()
    if ds is None:
        registry.raise_not_found(dataset_id)
    return ds


def publishers(session: Session, rows: list[Dataset]) -> dict[str, str]:
    """Each public dataset's publisher as people know it: the SME's name, or the group's lead firm."""
    sme_ids = {d.sme_id for d in rows if d.sme_id}
    group_ids = {d.group_id for d in rows if d.group_id and not d.sme_id}
    smes: dict[str, str] = {}
    leads: dict[str, str] = {}
    if sme_ids:
        smes = {i: n for i, n in session.execute(select(Sme.id, Sme.name_ko).where(Sme.id.in_(sme_ids)))}
    if group_ids:
        stmt = select(SupplyChainGroup.id, SupplyChainGroup.lead_name_ko).where(SupplyChainGroup.id.in_(group_ids))
        leads = {i: n for i, n in session.execute(stmt)}
    return {d.id: smes.get(d.sme_id or "") or leads.get(d.group_id or "") or "" for d in rows}
