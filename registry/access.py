"""Object-level authorization of the registry, in one place: what a caller may see and change.

Anything a caller may not see is reported as not found, so ids of other tenants leak nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, false, or_, select, true

from core.principal import Principal
from registry.models import Company, Need, Sme, Solution


def companies_visible(p: Principal) -> Any:
    return true()  # the supplier list is public catalogue data; private fields are filtered by schema


def solutions_visible(p: Principal) -> Any:
    if p.is_staff:
        return true()
    published = Solution.status == "published"
    if p.role == "supplier" and p.org:
        own = Solution.company_id.in_(select(Company.id).where(Company.owner_org == p.org))
        return or_(published, own)
    return published


def published_solutions() -> Any:
    """Solutions anyone may point at (a shared resource, a project's choice): published, whoever asks.
    A draft answers as an unknown id, so drafts cannot be probed through such references."""
    return Solution.status == "published"


def smes_visible(p: Principal) -> Any:
    if p.is_staff:
        return true()
    if p.role == "sme" and p.org:
        return Sme.owner_org == p.org
    return false()


def needs_visible(p: Principal) -> Any:
    if p.is_staff:
        return true()
    if p.role == "sme" and p.org:
        return Need.sme_id.in_(select(Sme.id).where(Sme.owner_org == p.org))
    return false()


def can_edit_company(p: Principal, company: Company) -> bool:
    return p.role == "admin" or (p.role == "supplier" and p.owns(company.owner_org))


def can_see_private_company(p: Principal, company: Company) -> bool:
    return p.is_staff or p.owns(company.owner_org)


def can_edit_sme(p: Principal, sme: Sme) -> bool:
    return p.role == "admin" or (p.role == "sme" and p.owns(sme.owner_org))


_RULES: dict[type[Any], Callable[[Principal], Any]] = {
    Company: companies_visible, Solution: solutions_visible, Sme: smes_visible, Need: needs_visible}


def where_visible(stmt: Select[Any], p: Principal, model: type[Any]) -> Select[Any]:
    return stmt.where(_RULES[model](p))
