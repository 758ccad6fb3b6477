"""Registry use cases called directly with a Principal, no HTTP: ownership, visibility, domain rules."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from core.errors import Forbidden, Invalid, NotFound
from core.outbox import OutboxEvent
from registry import access, schemas, service
from registry.errors import DuplicateBusinessNumber
from registry.models import Company, Need, Sme, Solution
from tests import factories


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


# ---- companies -------------------------------------------------------------------------------------
def test_create_company_belongs_to_the_callers_org_and_records_an_outbox_event(session, supplier):
    data = schemas.CompanyCreate(**factories.company(business_number="1248100998"))
    company = service.create_company(session, data=data, p=supplier)
    session.commit()
    assert company.owner_org == supplier.org
    assert company.business_number == "124-81-00998"
    assert company.version == 1
    events = session.scalars(select(OutboxEvent).where(OutboxEvent.resource_id == company.id)).all()
    assert [(e.resource, e.action) for e in events] == [("company", "created")]


def test_a_rolled_back_company_leaves_no_outbox_event(session, supplier):
    service.create_company(session, data=schemas.CompanyCreate(**factories.company()), p=supplier)
    session.rollback()
    assert _count(session, Company) == 0
    assert _count(session, OutboxEvent) == 0


@pytest.mark.parametrize("role", ["sme", "reviewer", "portal", "admin"])
def test_only_supplier_accounts_with_an_org_register_companies(session, principal, role):
    with pytest.raises(Forbidden):
        service.create_company(session, data=schemas.CompanyCreate(**factories.company()), p=principal(role))
    assert _count(session, Company) == 0


def test_one_company_per_org_and_per_business_number(session, supplier, principal, company):
    with pytest.raises(DuplicateBusinessNumber):
        service.create_company(session, data=schemas.CompanyCreate(**factories.company()), p=supplier)
    session.rollback()
    same_number = schemas.CompanyCreate(**factories.company(business_number=company.business_number))
    with pytest.raises(DuplicateBusinessNumber):
        service.create_company(session, data=same_number, p=principal("supplier"))
    session.rollback()
    assert _count(session, Company) == 1


def test_owner_updates_company_and_version_moves(session, supplier, company):
    service.update_company(session, company=company, data=schemas.CompanyUpdate(name_en="DeepVision"), p=supplier)
    session.commit()
    fresh = session.get(Company, company.id, populate_existing=True)
    assert fresh.name_en == "DeepVision"
    assert fresh.version == 2
    assert fresh.name_ko == "딥비전랩 주식회사"  # fields not sent are left alone


def test_another_supplier_cannot_update_a_company(session, principal, company):
    with pytest.raises(NotFound):
        service.update_company(session, company=company, data=schemas.CompanyUpdate(name_en="Hijacked"),
                               p=principal("supplier"))
    session.rollback()
    assert session.get(Company, company.id, populate_existing=True).name_en == "DeepVision Lab"


def test_admin_may_update_any_company(session, principal, company):
    service.update_company(session, company=company, data=schemas.CompanyUpdate(region="부산"), p=principal("admin"))
    session.commit()
    assert session.get(Company, company.id, populate_existing=True).region == "부산"


# ---- solutions -------------------------------------------------------------------------------------
def test_supplier_adds_solution_to_own_company(session, supplier, company):
    body = factories.solution(company.id, status="draft")
    solution = service.create_solution(session, data=schemas.SolutionCreate(**body), p=supplier)
    session.commit()
    assert solution.company_id == company.id
    assert solution.status == "draft"
    assert solution.industries == ["C22", "C25"]


@pytest.mark.parametrize("role", ["supplier", "sme"])
def test_nobody_else_adds_solutions_to_a_company(session, principal, company, role):
    data = schemas.SolutionCreate(**factories.solution(company.id))
    with pytest.raises(NotFound):
        service.create_solution(session, data=data, p=principal(role))
    session.rollback()
    assert _count(session, Solution) == 0


def test_update_solution_refuses_min_above_existing_max(session, supplier, published):
    with pytest.raises(Invalid):
        service.update_solution(session, solution=published, p=supplier,
                                data=schemas.SolutionUpdate(price_min_krw=published.price_max_krw + 1))
    session.rollback()
    fresh = session.get(Solution, published.id, populate_existing=True)
    assert fresh.price_min_krw == 80_000_000


def test_owner_publishes_a_draft(session, supplier, draft):
    service.update_solution(session, solution=draft, data=schemas.SolutionUpdate(status="published"), p=supplier)
    session.commit()
    assert session.get(Solution, draft.id, populate_existing=True).status == "published"


def test_another_supplier_cannot_update_a_solution(session, principal, published):
    with pytest.raises(NotFound):
        service.update_solution(session, solution=published, p=principal("supplier"),
                                data=schemas.SolutionUpdate(title_ko="가로채기"))
    session.rollback()
    assert session.get(Solution, published.id, populate_existing=True).title_ko == "사출·금속 부품 비전 불량 검출"


def test_solution_schema_refuses_min_above_max_and_negative_prices():
    with pytest.raises(ValidationError):
        schemas.SolutionCreate(**factories.solution("x", price_min_krw=2, price_max_krw=1))
    with pytest.raises(ValidationError):
        schemas.SolutionCreate(**factories.solution("x", price_min_krw=-1))
    with pytest.raises(ValidationError):
        schemas.SolutionCreate(**factories.solution("x", industries=["C99"]))


# ---- visibility (registry/access.py) ---------------------------------------------------------------
@pytest.mark.parametrize(("role", "own", "sees_draft"), [
    ("supplier", True, True), ("supplier", False, False), ("sme", False, False),
    ("reviewer", False, True), ("admin", False, True), ("portal", False, False),
])
def test_who_sees_a_draft_solution(session, principal, supplier, draft, published, role, own, sees_draft):
    p = supplier if own else principal(role)
    if sees_draft:
        assert service.get_visible(session, Solution, draft.id, p).id == draft.id
    else:
        with pytest.raises(NotFound):
            service.get_visible(session, Solution, draft.id, p)
    assert service.get_visible(session, Solution, published.id, p).id == published.id  # everyone
    listed = {s.id for s in service.list_visible(session, Solution, p, cursor=None, limit=50).items}
    assert listed == ({draft.id, published.id} if sees_draft else {published.id})


def test_withdrawn_solutions_leave_the_public_catalogue(session, supplier, principal, published):
    service.update_solution(session, solution=published, data=schemas.SolutionUpdate(status="withdrawn"),
                            p=supplier)
    session.commit()
    with pytest.raises(NotFound):
        service.get_visible(session, Solution, published.id, principal("sme"))
    assert service.get_visible(session, Solution, published.id, supplier).status == "withdrawn"


@pytest.mark.parametrize(("role", "own", "sees"), [
    ("sme", True, True), ("sme", False, False), ("supplier", False, False),
    ("reviewer", False, True), ("admin", False, True), ("portal", False, False),
])
def test_who_sees_an_sme_and_its_needs(session, principal, sme_user, sme, need, role, own, sees):
    p = sme_user if own else principal(role)
    for model, obj in ((Sme, sme), (Need, need)):
        listed = [o.id for o in service.list_visible(session, model, p, cursor=None, limit=50).items]
        if sees:
            assert service.get_visible(session, model, obj.id, p).id == obj.id
            assert listed == [obj.id]
        else:
            with pytest.raises(NotFound):
                service.get_visible(session, model, obj.id, p)
            assert listed == []


def test_company_private_fields_only_for_owner_and_staff(principal, supplier, company):
    assert access.can_see_private_company(supplier, company)
    assert access.can_see_private_company(principal("reviewer"), company)
    assert not access.can_see_private_company(principal("supplier"), company)
    assert not access.can_see_private_company(principal("portal"), company)
    assert not access.can_edit_company(principal("reviewer"), company)


# ---- SMEs and needs --------------------------------------------------------------------------------
def test_sme_registers_and_describes_a_need(session, sme_user):
    sme = service.create_sme(session, data=schemas.SmeCreate(**factories.sme()), p=sme_user)
    need = service.create_need(session, data=schemas.NeedCreate(**factories.need()), p=sme_user)
    session.commit()
    assert sme.owner_org == sme_user.org
    assert sme.status == "candidate"
    assert need.sme_id == sme.id
    assert need.status == "open"


@pytest.mark.parametrize("role", ["supplier", "reviewer", "portal"])
def test_only_sme_accounts_register_an_sme(session, principal, role):
    with pytest.raises(Forbidden):
        service.create_sme(session, data=schemas.SmeCreate(**factories.sme()), p=principal(role))


def test_need_without_an_sme_is_refused(session, principal):
    with pytest.raises(NotFound):
        service.create_need(session, data=schemas.NeedCreate(**factories.need()), p=principal("sme"))


def test_nobody_adds_needs_to_another_sme(session, principal, sme):
    data = schemas.NeedCreate(**factories.need(sme_id=sme.id))
    for role in ("sme", "supplier"):
        with pytest.raises(NotFound):
            service.create_need(session, data=data, p=principal(role))
        session.rollback()
    assert _count(session, Need) == 0


def test_owner_updates_need_and_others_cannot(session, principal, sme_user, need):
    service.update_need(session, need=need, data=schemas.NeedUpdate(status="closed"), p=sme_user)
    session.commit()
    with pytest.raises(NotFound):
        service.update_need(session, need=need, data=schemas.NeedUpdate(status="open"), p=principal("sme"))
    session.rollback()
    assert session.get(Need, need.id, populate_existing=True).status == "closed"


def test_update_sme_by_owner_and_not_by_others(session, principal, sme_user, sme):
    service.update_sme(session, sme=sme, data=schemas.SmeUpdate(region="경북"), p=sme_user)
    session.commit()
    with pytest.raises(NotFound):
        service.update_sme(session, sme=sme, data=schemas.SmeUpdate(region="서울"), p=principal("sme"))
    session.rollback()
    assert session.get(Sme, sme.id, populate_existing=True).region == "경북"


# ---- TIPS ------------------------------------------------------------------------------------------
def test_tips_linkage_keeps_its_stage_history(session, supplier, company):
    linkage = service.add_tips_linkage(session, company=company, p=supplier, today=date(2026, 1, 5),
                                       data=schemas.TipsLinkageCreate(program="tips", operator="블루포인트파트너스",
                                                                      stage="recommended"))
    linkage = service.change_tips_stage(session, linkage=linkage, p=supplier,
                                        data=schemas.TipsStageChange(stage="selected", on_date=date(2026, 3, 2)))
    session.commit()
    assert linkage.stage == "selected"
    assert [(h.stage, h.on_date) for h in linkage.history] == [
        ("recommended", date(2026, 1, 5)), ("selected", date(2026, 3, 2))]


# ---- text fields -----------------------------------------------------------------------------------
def test_decomposed_hangul_is_composed_and_garbage_refused():
    assert schemas.CompanyCreate(**factories.company(name_ko="\u1100\u1161 주식회사")).name_ko == "가 주식회사"
    for bad in ("\u0000", "a\ud800", "\u0007", "   "):
        with pytest.raises(ValidationError):
            schemas.CompanyCreate(**factories.company(name_ko=bad))
    with pytest.raises(ValidationError):
        schemas.CompanyCreate(**factories.company(owner_org="someone-else"))
