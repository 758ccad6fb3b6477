"""Use cases of the registry. Services flush; the request or CLI job that called them commits."""

from __future__ import annotations

from datetime import date
from typing import Any, NoReturn, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from core import outbox
from core.errors import Forbidden, Invalid, NotFound
from core.korean import josa, quoted
from core.pagination import Page, paginate
from core.principal import Principal
from registry import access
from registry.errors import DuplicateBusinessNumber
from registry.models import Company, Need, Sme, Solution, TipsLinkage, TipsStageEvent
from registry.schemas import (
    CompanyCreate,
    CompanyUpdate,
    NeedCreate,
    NeedUpdate,
    SmeCreate,
    SmeUpdate,
    SolutionCreate,
    SolutionUpdate,
    TipsLinkageCreate,
    TipsStageChange,
)

M = TypeVar("M", Company, Solution, Sme, Need)


class OneCompanyPerOrganisation(DuplicateBusinessNumber):
    title_ko = "이 기관 계정에는 이미 등록된 기업이 있습니다"
    title_en = "This organisation already has a registered company"


def get_visible(session: Session, model: type[M], obj_id: str, p: Principal) -> M:
    """Load an object the caller may see, or raise NotFound (also for objects of other tenants)."""
    stmt = access.where_visible(select(model).where(model.id == obj_id), p, model)
    obj = session.scalars(stmt).one_or_none()
    if obj is None:
        raise_not_found(obj_id)
    return obj


def list_visible(session: Session, model: type[M], p: Principal, *, cursor: str | None, limit: int,
                 **filters: Any) -> Page[M]:
    stmt = access.where_visible(select(model), p, model)
    for name, value in filters.items():
        if value is not None:
            stmt = stmt.where(getattr(model, name) == value)
    return paginate(session, stmt, model.id, cursor=cursor, limit=limit)


def _apply(obj: Any, changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        setattr(obj, name, value)


def _flush_unique(session: Session, error: Exception) -> None:
    try:
        session.flush()
    except IntegrityError as exc:
        raise error from exc


# ---- companies -------------------------------------------------------------------------------------
def create_company(session: Session, *, data: CompanyCreate, p: Principal) -> Company:
    """Register the caller's organisation as a supplier company."""
    if p.role not in ("supplier", "admin") or not p.org:
        raise Forbidden("공급기업 계정만 기업을 등록할 수 있습니다.", "Only supplier accounts register companies.")
    if session.scalar(select(Company.id).where(Company.owner_org == p.org)):
        raise OneCompanyPerOrganisation()
    if session.scalar(select(Company.id).where(Company.business_number == data.business_number)):
        raise DuplicateBusinessNumber()
    company = Company(owner_org=p.org, **data.model_dump())
    session.add(company)
    _flush_unique(session, DuplicateBusinessNumber())
    outbox.record(session, resource="company", resource_id=company.id, action="created")
    return company


def update_company(session: Session, *, company: Company, data: CompanyUpdate, p: Principal) -> Company:
    """Change a company's details; only its owner (or an admin) may."""
    if not access.can_edit_company(p, company):
        raise NotFound()
    _apply(company, data.model_dump(exclude_unset=True))
    session.flush()
    outbox.record(session, resource="company", resource_id=company.id, action="updated")
    return company


# ---- solutions -------------------------------------------------------------------------------------
def create_solution(session: Session, *, data: SolutionCreate, p: Principal) -> Solution:
    """Add a solution to the caller's own company."""
    company = get_visible(session, Company, data.company_id, p)
    if not access.can_edit_company(p, company):
        raise NotFound(f"{josa(quoted(data.company_id), '을')} 찾을 수 없습니다.", f"{data.company_id} was not found.")
    values = data.model_dump(exclude={"company_id"})
    solution = Solution(company_id=company.id, **values)
    session.add(solution)
    session.flush()
    # Drafts are nobody's business but the supplier's: the feed hears of a solution once it is published.
    outbox.record(session, resource="solution", resource_id=solution.id, action="created",
                  public=solution.status == "published")
    return solution


def update_solution(session: Session, *, solution: Solution, data: SolutionUpdate, p: Principal) -> Solution:
    company = session.get_one(Company, solution.company_id)
    if not access.can_edit_company(p, company):
        raise NotFound()
    changes = data.model_dump(exclude_unset=True)
    lo = changes.get("price_min_krw", solution.price_min_krw)
    hi = changes.get("price_max_krw", solution.price_max_krw)
    if lo > hi:
        raise Invalid("최소 가격이 최대 가격보다 클 수 없습니다.", "price_min_krw must not exceed price_max_krw.")
    was_public = solution.status == "published"
    _apply(solution, changes)
    session.flush()
    outbox.record(session, resource="solution", resource_id=solution.id, action="updated",
                  public=was_public or solution.status == "published")
    return solution


# ---- TIPS ------------------------------------------------------------------------------------------
def add_tips_linkage(session: Session, *, company: Company, data: TipsLinkageCreate, p: Principal,
                     today: date) -> TipsLinkage:
    if not access.can_edit_company(p, company):
        raise NotFound()
    values = data.model_dump(exclude={"stage_on"})
    linkage = TipsLinkage(company_id=company.id, **values)
    session.add(linkage)
    session.flush()
    session.add(TipsStageEvent(linkage_id=linkage.id, stage=data.stage, on_date=data.stage_on or today))
    outbox.record(session, resource="company", resource_id=company.id, action="tips_changed")
    session.flush()
    return load_tips(session, linkage.id)


def change_tips_stage(session: Session, *, linkage: TipsLinkage, data: TipsStageChange, p: Principal) -> TipsLinkage:
    company = session.get_one(Company, linkage.company_id)
    if not access.can_edit_company(p, company) and p.role != "reviewer":
        raise NotFound()
    linkage.stage = data.stage
    session.add(TipsStageEvent(linkage_id=linkage.id, stage=data.stage, on_date=data.on_date, note=data.note))
    outbox.record(session, resource="company", resource_id=company.id, action="tips_changed")
    session.flush()
    return load_tips(session, linkage.id)


def load_tips(session: Session, linkage_id: str) -> TipsLinkage:
    stmt = select(TipsLinkage).where(TipsLinkage.id == linkage_id).options(selectinload(TipsLinkage.history))
    linkage = session.scalars(stmt.execution_options(populate_existing=True)).one_or_none()
    if linkage is None:
        raise NotFound()
    return linkage


def list_tips(session: Session, *, company: Company) -> list[TipsLinkage]:
    stmt = (select(TipsLinkage).where(TipsLinkage.company_id == company.id)
            .options(selectinload(TipsLinkage.history)).order_by(TipsLinkage.id))
    return list(session.scalars(stmt))


# ---- SMEs and needs --------------------------------------------------------------------------------
def create_sme(session: Session, *, data: SmeCreate, p: Principal) -> Sme:
    """Register the caller's organisation as a manufacturing SME."""
    if p.role not in ("sme", "admin") or not p.org:
        raise Forbidden("수요기업 계정만 기업 정보를 등록할 수 있습니다.", "Only SME accounts register an SME.")
    if session.scalar(select(Sme.id).where(Sme.owner_org == p.org)):
        raise OneCompanyPerOrganisation()
    if session.scalar(select(Sme.id).where(Sme.business_number == data.business_number)):
        raise DuplicateBusinessNumber()
    sme = Sme(owner_org=p.org, **data.model_dump())
    session.add(sme)
    _flush_unique(session, DuplicateBusinessNumber())
    return sme


def update_sme(session: Session, *, sme: Sme, data: SmeUpdate, p: Principal) -> Sme:
    if not access.can_edit_sme(p, sme):
        raise NotFound()
    _apply(sme, data.model_dump(exclude_unset=True))
    session.flush()
    return sme


def create_need(session: Session, *, data: NeedCreate, p: Principal) -> Need:
    """Record a need of the caller's SME (free text plus structured wants)."""
    if data.sme_id:
        sme = get_visible(session, Sme, data.sme_id, p)
    else:
        own = session.scalars(select(Sme).where(Sme.owner_org == p.org)).one_or_none() if p.org else None
        if own is None:
            raise NotFound("먼저 수요기업 정보를 등록하세요.", "Register your SME first.")
        sme = own
    if not access.can_edit_sme(p, sme):
        raise NotFound()
    need = Need(sme_id=sme.id, **data.model_dump(exclude={"sme_id"}))
    session.add(need)
    session.flush()
    return need


def update_need(session: Session, *, need: Need, data: NeedUpdate, p: Principal) -> Need:
    sme = session.get_one(Sme, need.sme_id)
    if not access.can_edit_sme(p, sme):
        raise NotFound()
    _apply(need, data.model_dump(exclude_unset=True))
    session.flush()
    return need


def raise_not_found(obj_id: str) -> NoReturn:
    raise NotFound(f"{josa(quoted(obj_id), '을')} 찾을 수 없습니다.", f"{obj_id} was not found.")
