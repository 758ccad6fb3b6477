"""The public directory behind the HTML pages: designated companies with search and filters, one company."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from certification import designations, scope
from certification.models import Certificate
from core import clock
from core.errors import NotFound
from core.korean import josa, quoted
from registry.models import Company, Solution


@dataclass
class Listing:
    company: Company
    certificate: Certificate
    categories: list[str] = field(default_factory=list)


@dataclass
class CompanyProfile:
    company: Company
    certificate: Certificate | None
    status: str | None  # the certificate's status now (expired is computed on read)
    solutions: list[Solution]


def _active(now: datetime) -> Any:
    return (Certificate.status == "active") & (Certificate.valid_until > now)


def _published(*conditions: Any) -> Any:
    return exists(select(Solution.id).where(Solution.company_id == Company.id, Solution.status == "published",
                                            *conditions))


def designated(session: Session, *, q: str | None = None, ranked: list[str] | None = None,
               region: str | None = None, category: str | None = None,
               offset: int = 0, limit: int = 30) -> tuple[list[Listing], bool]:
    """Actively designated companies by Korean name. With `q`, the companies whose name contains it
    come first, then the companies of `ranked` (company ids in the order the search engine ranked
    their solutions for `q`: the same search, with the same Korean handling, as the API's)."""
    stmt = (select(Company, Certificate).join(Certificate, Certificate.company_id == Company.id)
            .where(_active(clock.now())))
    if region:
        stmt = stmt.where(Company.region == region)
    if category:  # a published solution of the field, and the field within the designation
        stmt = stmt.where(_published(Solution.category == category), scope.covers(session, category))
    if q and q.strip():
        term = q.strip()
        named = or_(Company.name_ko.icontains(term, autoescape=True),
                    Company.name_en.icontains(term, autoescape=True))
        order = {cid: i for i, cid in enumerate(dict.fromkeys(ranked or []))}
        stmt = stmt.where(or_(named, Company.id.in_(list(order))) if order else named)
        found = list(session.execute(stmt.add_columns(named.label("named"))).all())
        found.sort(key=lambda r: (not r.named, order.get(r[0].id, len(order)), r[0].name_ko, r[0].id))
        rows = [(r[0], r[1]) for r in found[offset:offset + limit + 1]]
    else:
        rows = [(c, cert) for c, cert in
                session.execute(stmt.order_by(Company.name_ko, Company.id).offset(offset).limit(limit + 1)).all()]
    more = len(rows) > limit
    listings = [Listing(c, cert) for c, cert in rows[:limit]]
    if listings:
        cats: dict[str, set[str]] = {}
        for company_id, cat in session.execute(
                select(Solution.company_id, Solution.category).where(
                    Solution.company_id.in_([item.company.id for item in listings]),
                    Solution.status == "published")):
            cats.setdefault(company_id, set()).add(cat)
        for item in listings:  # the fields it is designated for and publishes in
            item.categories = sorted(cats.get(item.company.id, set()) & set(item.certificate.scope))
    return listings, more


def profile(session: Session, company_id: str) -> CompanyProfile:
    """A company's public page: its published solutions and its latest certificate."""
    company = session.get(Company, company_id) if len(company_id) <= 36 else None
    if company is None:
        raise NotFound(f"{josa(quoted(company_id), '을')} 찾을 수 없습니다.", f"{company_id} was not found.")
    cert = session.scalars(select(Certificate).where(Certificate.company_id == company.id)
                           .order_by(Certificate.valid_from.desc(), Certificate.id.desc()).limit(1)).first()
    solutions = list(session.scalars(select(Solution).where(
        Solution.company_id == company.id, Solution.status == "published").order_by(Solution.title_ko)))
    return CompanyProfile(company, cert, designations.status_now(cert) if cert else None, solutions)
