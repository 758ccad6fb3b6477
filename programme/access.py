"""Object-level authorization of the programme, in one place. Portals see nothing of it (the routes
need registry scopes); anything else a caller may not see is reported as not found.

- staff (reviewer, admin): everything
- an SME: its own projects; the groups it belongs to
- a lead firm (an `sme`-role organisation that leads a group): its group and its members' projects
- a supplier: the projects that chose it
- a consultant: the projects they are assigned to
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import false, or_, select, true

from core.principal import Principal
from programme.models import Consultant, GroupMember, Project, SupplyChainGroup
from registry.models import Company, Sme


def _own_smes(p: Principal) -> Any:
    return select(Sme.id).where(Sme.owner_org == p.org)


def _led_groups(p: Principal) -> Any:
    return select(SupplyChainGroup.id).where(SupplyChainGroup.lead_org == p.org)


def projects_visible(p: Principal) -> Any:
    if p.is_staff:
        return true()
    if p.role == "sme" and p.org:
        led_members = select(GroupMember.sme_id).where(GroupMember.group_id.in_(_led_groups(p)))
        return or_(Project.sme_id.in_(_own_smes(p)), Project.sme_id.in_(led_members),
                   Project.group_id.in_(_led_groups(p)))
    if p.role == "supplier" and p.org:
        return Project.supplier_company_id.in_(select(Company.id).where(Company.owner_org == p.org))
    if p.role == "consultant":
        mine = select(Consultant.id).where(Consultant.sub == p.sub)
        return or_(Project.pre_consultant_id.in_(mine), Project.post_consultant_id.in_(mine))
    return false()


def groups_visible(p: Principal) -> Any:
    if p.is_staff:
        return true()
    if p.role == "sme" and p.org:
        member_of = select(GroupMember.group_id).where(GroupMember.sme_id.in_(_own_smes(p)))
        return or_(SupplyChainGroup.lead_org == p.org, SupplyChainGroup.id.in_(member_of))
    return false()


def can_run_project(p: Principal, sme: Sme) -> bool:
    """The SME itself (or an admin) enters budget, choices, outcomes and moves the state."""
    return p.role == "admin" or (p.role == "sme" and p.owns(sme.owner_org))


def can_lead_group(p: Principal, group: SupplyChainGroup) -> bool:
    return p.role == "admin" or (p.role == "sme" and p.owns(group.lead_org))
