"""AX by supply chain: a lead firm's group of partner SMEs, the AI resources it shares with them, and
group-level needs. Membership is by consent: the lead invites, the SME accepts (choosing what it shares)
or declines; an admin may set a membership directly. Accepted members see the group's shared resources
first among their matches; the lead sees of each member only the aggregates it agreed to share.
Who sees what is decided in programme/access.py."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from certification import audit_log
from core import clock
from core.errors import Conflict, Invalid, NotFound
from core.principal import Principal
from programme import access
from programme.errors import AlreadyExists
from programme.group_schemas import GroupCreate, GroupNeedCreate, SharedResourceCreate
from programme.models import GroupMember, GroupNeed, Outcome, Project, SharedResource, SupplyChainGroup
from programme.rules import relative_change
from registry import access as registry_access
from registry import service as registry
from registry.models import Sme, Solution

GROUP = "supply_chain_group"


def load(session: Session, group_id: str, p: Principal, *, content: bool = False) -> SupplyChainGroup:
    """A group the caller may see, or NotFound; `content` (resources, needs): lead, accepted members, staff."""
    stmt = access.where_visible(select(SupplyChainGroup).where(SupplyChainGroup.id == group_id), p, SupplyChainGroup)
    if content:
        stmt = stmt.where(access.group_content_visible(p))
    group = session.scalars(stmt).one_or_none()
    if group is None:
        registry.raise_not_found(group_id)
    return group


def list_groups(session: Session, p: Principal) -> list[SupplyChainGroup]:
    stmt = access.where_visible(select(SupplyChainGroup), p, SupplyChainGroup)
    return list(session.scalars(stmt.order_by(SupplyChainGroup.id)))


def _memberships(session: Session, group_id: str, p: Principal) -> list[GroupMember]:
    stmt = access.where_visible(select(GroupMember).where(GroupMember.group_id == group_id), p, GroupMember)
    return list(session.scalars(stmt.order_by(GroupMember.sme_id)))


def member_ids(session: Session, group_id: str, p: Principal) -> list[str]:
    """Accepted members the caller may see: all for the lead and staff, itself for a member."""
    return [m.sme_id for m in _memberships(session, group_id, p) if m.state == access.ACCEPTED]


def own_state(session: Session, group_id: str, p: Principal) -> str | None:
    if p.role != "sme" or not p.org:
        return None
    mine = select(Sme.id).where(Sme.owner_org == p.org)
    return session.scalar(select(GroupMember.state).where(GroupMember.group_id == group_id,
                                                          GroupMember.sme_id.in_(mine)).limit(1))


def create(session: Session, *, data: GroupCreate, p: Principal) -> SupplyChainGroup:
    """A lead firm (an `sme`-role organisation) forms its group; an admin may form one for a named firm."""
    if p.role == "admin":
        if not data.lead_org:
            raise Invalid("관리자가 그룹을 만들 때는 주관 기관을 지정해야 합니다.",
                          "lead_org is required when an admin forms a group.")
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


def _audit(session: Session, p: Principal, group: SupplyChainGroup, action: str, member: GroupMember,
           before: str | None, after: str | None = None) -> None:
    audit_log.append(session, actor=p, subject_type=GROUP, subject_id=group.id, action=action, from_state=before,
                     to_state=after or member.state, payload={"sme_id": member.sme_id, "share": list(member.share)})


def invite(session: Session, *, group: SupplyChainGroup, sme_id: str, p: Principal,
           share: list[str] | None = None) -> GroupMember:
    """The lead invites an SME (it is no member until it accepts); an admin sets an accepted membership."""
    _lead(p, group)
    if share is not None and p.role != "admin":
        raise Invalid("공유 범위는 수요기업이 초대를 수락할 때 직접 정합니다.",
                      "Only the SME chooses what it shares, when it accepts the invitation.")
    if session.get(Sme, sme_id) is None:
        registry.raise_not_found(sme_id)
    member = session.get(GroupMember, (group.id, sme_id), with_for_update=True)
    before = member.state if member else None
    if member is not None and (member.state == access.ACCEPTED or (member.state == "invited" and p.role != "admin")):
        raise AlreadyExists("이미 초대했거나 그룹 회원입니다.", "Already invited or a member of the group.",
                            state=member.state)
    if member is None:
        member = GroupMember(group_id=group.id, sme_id=sme_id)
        try:  # two concurrent invitations: the primary key refuses the second
            with session.begin_nested():
                session.add(member)
        except IntegrityError as exc:
            raise AlreadyExists("이미 초대했거나 그룹 회원입니다.", "Already invited or a member.") from exc
    now = clock.now()
    member.joined_at, member.invited_by = now, p.sub
    if p.role == "admin":
        member.state, member.share, member.responded_at = access.ACCEPTED, sorted(set(share or [])), now
    else:  # a new invitation, or again after a decline
        member.state, member.share, member.responded_at = "invited", [], None
    session.flush()
    _audit(session, p, group, "admit" if p.role == "admin" else "invite", member, before)
    return member


def _answerable(session: Session, group: SupplyChainGroup, sme_id: str, p: Principal) -> GroupMember:
    """The SME's own membership row, locked; NotFound for anyone but the SME itself and admins."""
    sme = session.get(Sme, sme_id)
    stmt = access.where_visible(select(GroupMember).where(GroupMember.group_id == group.id,
                                                          GroupMember.sme_id == sme_id), p, GroupMember)
    member = session.scalars(stmt.with_for_update()).one_or_none() if sme is not None else None
    if member is None or sme is None or not access.can_answer_for(p, sme):
        registry.raise_not_found(sme_id)
    return member


def accept(session: Session, *, group: SupplyChainGroup, sme_id: str, share: list[str], p: Principal) -> GroupMember:
    """The invited SME accepts and says what the lead may see; accepting again changes what it shares."""
    member = _answerable(session, group, sme_id, p)
    if member.state == "declined":
        raise Conflict("거절한 초대입니다. 대표기업이 다시 초대해야 합니다.",
                       "The invitation was declined; the lead firm must invite again.", state=member.state)
    before = member.state
    member.state, member.share, member.responded_at = access.ACCEPTED, sorted(set(share)), clock.now()
    session.flush()
    _audit(session, p, group, "accept", member, before)
    return member


def decline(session: Session, *, group: SupplyChainGroup, sme_id: str, p: Principal) -> GroupMember:
    member = _answerable(session, group, sme_id, p)
    if member.state != "invited":
        raise Conflict("초대 중인 경우에만 거절할 수 있습니다(회원은 탈퇴하세요).",
                       "Only an invitation can be declined (a member leaves instead).", state=member.state)
    member.state, member.share, member.responded_at = "declined", [], clock.now()
    session.flush()
    _audit(session, p, group, "decline", member, "invited")
    return member


def remove(session: Session, *, group: SupplyChainGroup, sme_id: str, p: Principal) -> None:
    """The member leaves, or the lead (or an admin) withdraws an invitation or removes a member."""
    stmt = access.where_visible(select(GroupMember).where(GroupMember.group_id == group.id,
                                                          GroupMember.sme_id == sme_id), p, GroupMember)
    member = session.scalars(stmt.with_for_update()).one_or_none()
    sme = session.get(Sme, sme_id)
    if member is None or sme is None or not (access.can_lead_group(p, group) or access.can_answer_for(p, sme)):
        registry.raise_not_found(sme_id)
    _audit(session, p, group, "remove", member, member.state, "removed")
    session.delete(member)
    session.flush()


def memberships(session: Session, group: SupplyChainGroup, p: Principal) -> list[dict[str, Any]]:
    """The memberships the caller may see, each accepted one with the aggregates its SME shares."""
    rows = _memberships(session, group.id, p)
    accepted = [m.sme_id for m in rows if m.state == access.ACCEPTED]
    names = {i: n for i, n in session.execute(select(Sme.id, Sme.name_ko).where(Sme.id.in_(accepted)))}
    out = []
    for m in rows:
        item: dict[str, Any] = {"group_id": m.group_id, "sme_id": m.sme_id, "state": m.state, "share": m.share,
                                "joined_at": m.joined_at, "responded_at": m.responded_at}
        if m.state == access.ACCEPTED:
            item["name_ko"] = names.get(m.sme_id)
            item["summary"] = summary(session, group.id, m.sme_id, set(m.share))
        out.append(item)
    return out


def summary(session: Session, group_id: str, sme_id: str, share: set[str]) -> dict[str, Any]:
    """Aggregates of the SME's projects in the group, only the kinds it shares; no row leaves here."""
    projects = select(Project.id).where(Project.sme_id == sme_id, Project.group_id == group_id)
    out: dict[str, Any] = {}
    if "projects" in share:
        out["projects"] = {state: n for state, n in session.execute(
            select(Project.state, func.count()).where(Project.id.in_(projects)).group_by(Project.state))}
    if "outcomes" in share:
        changes: dict[str, list[float]] = defaultdict(list)
        counts: dict[str, int] = defaultdict(int)
        for metric, before, after in session.execute(select(Outcome.metric, Outcome.before, Outcome.after).where(
                Outcome.project_id.in_(projects), Outcome.confirmed_at.is_not(None))):
            counts[metric] += 1
            if (change := relative_change(before, after)) is not None:
                changes[metric].append(change)
        out["outcomes"] = {m: {"confirmed": n, "mean_change": (round(sum(changes[m]) / len(changes[m]), 4)
                                                               if changes[m] else None)}
                           for m, n in sorted(counts.items())}
    return out


def add_resource(session: Session, *, group: SupplyChainGroup, data: SharedResourceCreate,
                 p: Principal) -> SharedResource:
    """A shared resource may point at a published solution only: a draft answers as an unknown id."""
    _lead(p, group)
    if data.solution_id is not None and session.scalar(select(Solution.id).where(
            Solution.id == data.solution_id, registry_access.published_solutions())) is None:
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


def needs_of(session: Session, group: SupplyChainGroup, p: Principal) -> list[GroupNeed]:
    stmt = access.where_visible(select(GroupNeed).where(GroupNeed.group_id == group.id), p, GroupNeed)
    return list(session.scalars(stmt.order_by(GroupNeed.id)))


def resources_of(session: Session, group: SupplyChainGroup, p: Principal) -> list[SharedResource]:
    stmt = access.where_visible(select(SharedResource).where(SharedResource.group_id == group.id), p, SharedResource)
    return list(session.scalars(stmt.order_by(SharedResource.id)))


def shared_for(session: Session, sme_id: str, categories: list[str]) -> list[SharedResource]:
    """Shared resources of the groups the SME accepted: those in the wanted categories first."""
    rows = list(session.scalars(select(SharedResource).where(access.resources_reaching(sme_id))
                                .order_by(SharedResource.id)))
    return sorted(rows, key=lambda r: r.category not in categories)
