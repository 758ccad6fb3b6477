"""Object-level authorization of the programme, in one place: one rule per model, applied with
`where_visible` (as registry/access.py). Portals see nothing of it (the routes need registry scopes);
anything else a caller may not see is reported as not found, so ids of other tenants leak nothing.

- staff (reviewer, admin): everything
- an SME: its own projects (and their budget, spending, consultations, outcomes, shortlists); the groups
  it leads, accepted or is invited to; its own memberships
- a lead firm (an `sme`-role organisation that leads a group): its groups, their resources and needs, the
  memberships of its groups, and of each accepted member only the aggregates the member agreed to share
  (`programme/groups.py` computes them). Never a member's projects or their rows.
- an accepted member: its group, the group's resources and needs, the lead firm; not the other members
- an invited SME (not yet accepted): the group's name and lead (to decide), and its own invitation
- a supplier: the projects that chose it
- a consultant: the projects they are assigned to
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, false, or_, select, true

from core.principal import Principal
from programme.models import (
    BudgetLine,
    Consultant,
    Consultation,
    Expenditure,
    GroupMember,
    GroupNeed,
    Outcome,
    Project,
    SharedResource,
    ShortlistSnapshot,
    SupplyChainGroup,
)
from registry.models import Company, Sme

ACCEPTED = "accepted"


def _own_smes(p: Principal) -> Any:
    return select(Sme.id).where(Sme.owner_org == p.org)


def _led_groups(p: Principal) -> Any:
    return select(SupplyChainGroup.id).where(SupplyChainGroup.lead_org == p.org)


def accepted_groups_of(sme_ids: Any) -> Any:
    """Groups in which the SME(s) accepted membership: the only groups that reach them."""
    return select(GroupMember.group_id).where(GroupMember.sme_id.in_(sme_ids), GroupMember.state == ACCEPTED)


def _is_sme(p: Principal) -> bool:
    return p.role == "sme" and bool(p.org)


def projects_visible(p: Principal) -> Any:
    if p.is_staff:
        return true()
    if _is_sme(p):
        return Project.sme_id.in_(_own_smes(p))
    if p.role == "supplier" and p.org:
        return Project.supplier_company_id.in_(select(Company.id).where(Company.owner_org == p.org))
    if p.role == "consultant":
        mine = select(Consultant.id).where(Consultant.sub == p.sub)
        return or_(Project.pre_consultant_id.in_(mine), Project.post_consultant_id.in_(mine))
    return false()


def _of_visible_projects(model: Any) -> Callable[[Principal], Any]:
    def rule(p: Principal) -> Any:
        return true() if p.is_staff else model.project_id.in_(select(Project.id).where(projects_visible(p)))
    return rule


def groups_visible(p: Principal) -> Any:
    if p.is_staff:
        return true()
    if _is_sme(p):
        mine = select(GroupMember.group_id).where(GroupMember.sme_id.in_(_own_smes(p)),
                                                  GroupMember.state.in_(("invited", ACCEPTED)))
        return or_(SupplyChainGroup.lead_org == p.org, SupplyChainGroup.id.in_(mine))
    return false()


def _group_content(column: Any) -> Callable[[Principal], Any]:
    """Resources and needs of a group: its lead firm and its accepted members (not invitees)."""
    def rule(p: Principal) -> Any:
        if p.is_staff:
            return true()
        if _is_sme(p):
            return or_(column.in_(_led_groups(p)), column.in_(accepted_groups_of(_own_smes(p))))
        return false()
    return rule


def group_content_visible(p: Principal) -> Any:
    """Groups whose resources and needs the caller may see (applied to SupplyChainGroup)."""
    return _group_content(SupplyChainGroup.id)(p)


def memberships_visible(p: Principal) -> Any:
    """The lead firm sees the memberships of its groups; an SME its own, never another member's."""
    if p.is_staff:
        return true()
    if _is_sme(p):
        return or_(GroupMember.group_id.in_(_led_groups(p)), GroupMember.sme_id.in_(_own_smes(p)))
    return false()


_RULES: dict[type[Any], Callable[[Principal], Any]] = {
    Project: projects_visible,
    BudgetLine: _of_visible_projects(BudgetLine),
    Expenditure: _of_visible_projects(Expenditure),
    Consultation: _of_visible_projects(Consultation),
    Outcome: _of_visible_projects(Outcome),
    ShortlistSnapshot: _of_visible_projects(ShortlistSnapshot),
    SupplyChainGroup: groups_visible,
    GroupMember: memberships_visible,
    SharedResource: _group_content(SharedResource.group_id),
    GroupNeed: _group_content(GroupNeed.group_id),
}


def where_visible(stmt: Select[Any], p: Principal, model: type[Any]) -> Select[Any]:
    return stmt.where(_RULES[model](p))


def resources_reaching(sme_id: str) -> Any:
    """The shared resources that enter an SME's matches: those of groups it accepted."""
    return SharedResource.group_id.in_(accepted_groups_of([sme_id]))


def can_run_project(p: Principal, sme: Sme) -> bool:
    """The SME itself (or an admin) enters budget, choices, outcomes and moves the state."""
    return p.role == "admin" or (p.role == "sme" and p.owns(sme.owner_org))


def can_answer_for(p: Principal, sme: Sme) -> bool:
    """Only the SME itself (or an admin) accepts or declines an invitation and chooses what it shares."""
    return can_run_project(p, sme)


def can_lead_group(p: Principal, group: SupplyChainGroup) -> bool:
    return p.role == "admin" or (p.role == "sme" and p.owns(group.lead_org))
