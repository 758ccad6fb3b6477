"""AX by supply chain: a lead firm's group of partner SMEs, the AI resources it shares with them,
and group-level needs. Members see the group's shared resources first among their matches."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import Invalid, NotFound
from core.principal import Principal
from programme import access
from programme.errors import AlreadyExists
from programme.models import GroupMember, GroupNeed, SharedResource, SupplyChainGroup
from programme.schemas import GroupCreate, GroupNeedCreate, SharedResourceCreate
from registry import service as registry
from registry.models import Sme, Solution


def load(session: Session, group_id: str, p: Principal) -> SupplyChainGroup:
    group = session.scalars(select(SupplyChainGroup).where(SupplyChainGroup.id == group_id,
                                                           access.groups_visible(p))).one_or_none()
    if group is None:
        registry.raise_not_found(group_id)
    return group


def list_groups(session: Session, p: Principal) -> list[SupplyChainGroup]:
    return list(session.scalars(select(SupplyChainGroup).where(access.groups_visible(p))
                                .order_by(SupplyChainGroup.id)))


def member_ids(session: Session, group_id: str) -> list[str]:
    return list(session.scalars(select(GroupMember.sme_id).where(GroupMember.group_id == group_id)
                                .order_by(GroupMember.sme_id)))


def create(session: Session, *, data: GroupCreate, p: Principal) -> SupplyChainGroup:
    """A lead firm (an `sme`-role organisation) forms its group; an admin may form one for a named firm."""
    if p.role == "admin":
        if not data.lead_org:
            raise Invalid("lead_org가 필요합니다.", "lead_org is required when an admin forms a group.")
        lead = data.lead_org
    elif data.lead_org not in (None, p.org) or not p.org:
        raise Invalid("자기 기관의 그룹만 만들 수 있습니다.", "A lead firm forms its own group.")
    else:
        lead = p.org
    group = SupplyChainGroup(name_ko=data.name_ko, lead_name_ko=data.lead_name_ko, lead_org=lead)
    session.add(group)
    session.flush()
    return group


def _lead(p: Principal, group: SupplyChainGroup) -> None:
    if not access.can_lead_group(p, group):
        raise NotFound()


def add_member(session: Session, *, group: SupplyChainGroup, sme_id: str, p: Principal) -> GroupMember:
    _lead(p, group)
    if session.get(Sme, sme_id) is None:
        registry.raise_not_found(sme_id)
    member = GroupMember(group_id=group.id, sme_id=sme_id)
    try:
        with session.begin_nested():
            session.add(member)
    except IntegrityError as exc:
        raise AlreadyExists("이미 그룹 회원입니다.", "Already a member of the group.") from exc
    return member


def add_resource(session: Session, *, group: SupplyChainGroup, data: SharedResourceCreate,
                 p: Principal) -> SharedResource:
    _lead(p, group)
    if data.solution_id and session.get(Solution, data.solution_id) is None:
        registry.raise_not_found(data.solution_id)
    resource = SharedResource(group_id=group.id, **{**data.model_dump(), "category": data.category.value})
    session.add(resource)
    session.flush()
    return resource


def add_need(session: Session, *, group: SupplyChainGroup, data: GroupNeedCreate, p: Principal) -> GroupNeed:
    _lead(p, group)
    need = GroupNeed(group_id=group.id, text=data.text, categories=[c.value for c in data.categories],
                     budget_krw=data.budget_krw)
    session.add(need)
    session.flush()
    return need


def needs_of(session: Session, group: SupplyChainGroup) -> list[GroupNeed]:
    return list(session.scalars(select(GroupNeed).where(GroupNeed.group_id == group.id).order_by(GroupNeed.id)))


def resources_of(session: Session, group: SupplyChainGroup) -> list[SharedResource]:
    return list(session.scalars(select(SharedResource).where(SharedResource.group_id == group.id)
                                .order_by(SharedResource.id)))


def shared_for(session: Session, sme_id: str, categories: list[str]) -> list[SharedResource]:
    """Shared resources of every group the SME belongs to: those in the wanted categories first."""
    groups = select(GroupMember.group_id).where(GroupMember.sme_id == sme_id)
    rows = list(session.scalars(select(SharedResource).where(SharedResource.group_id.in_(groups))
                                .order_by(SharedResource.id)))
    return sorted(rows, key=lambda r: r.category not in categories)
