"""Who sees shop-floor data, in one place (as registry/access.py and programme/access.py).

- a dataset: `public` to anyone; `group` to the group's lead firm and its accepted members (consent:
  an invited SME is no member); `private` to its owner organisation only; staff see all
- an SME's data inventory: the SME, staff, and the consultants assigned to one of its projects
- a solution's data requirements: wherever the solution itself is visible
Anything a caller may not see is reported as not found, so ids of other tenants leak nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, false, or_, select, true

from core.principal import Principal
from programme.access import accepted_groups_of
from programme.models import Consultant, Project, SupplyChainGroup
from registry.models import Sme
from shopdata.models import Dataset


def _own_smes(p: Principal) -> Any:
    return select(Sme.id).where(Sme.owner_org == p.org)


def datasets_visible(p: Principal) -> Any:
    if p.is_staff:
        return true()
    public = Dataset.access == "public"
    if p.role == "sme" and p.org:
        groups = select(SupplyChainGroup.id).where(SupplyChainGroup.lead_org == p.org).union(
            accepted_groups_of(_own_smes(p)))
        in_group = (Dataset.access == "group") & Dataset.group_id.in_(groups)
        return or_(public, Dataset.owner_org == p.org, in_group)
    return public


def consults_for(p: Principal, sme_id: str) -> Any:
    """True when the caller is a consultant assigned (pre or post) to a project of the SME."""
    if p.role != "consultant":
        return false()
    mine = select(Consultant.id).where(Consultant.sub == p.sub)
    return exists().where(Project.sme_id == sme_id,
                          or_(Project.pre_consultant_id.in_(mine), Project.post_consultant_id.in_(mine)))


def pre_consults_for(p: Principal, sme_id: str) -> Any:
    """True when the caller is the pre-consultant (diagnosis) of a project of the SME: who confirms its data."""
    if p.role != "consultant":
        return false()
    mine = select(Consultant.id).where(Consultant.sub == p.sub)
    return exists().where(Project.sme_id == sme_id, Project.pre_consultant_id.in_(mine))


def inventory_visible(p: Principal, sme_id: str) -> Any:
    if p.is_staff:
        return true()
    if p.role == "sme" and p.org:
        return exists().where(Sme.id == sme_id, Sme.owner_org == p.org)
    return consults_for(p, sme_id)
