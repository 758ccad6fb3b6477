"""Fixtures of the registry domain: principals per role, and a registered company, solution, SME, need."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest

from core.accounts import ROLE_SCOPES
from core.principal import Principal
from registry import schemas, service
from tests import factories


@pytest.fixture
def principal() -> Callable[..., Principal]:
    """principal("supplier") -> a caller of that role in a new organisation (staff have none)."""

    def _make(role: str, org: str | None = None) -> Principal:
        if org is None and role in ("supplier", "sme"):
            org = "org_" + secrets.token_hex(6)
        return Principal(sub=f"test:{role}:{secrets.token_hex(3)}", role=role, org=org,
                         scopes=frozenset(ROLE_SCOPES[role]))

    return _make


@pytest.fixture
def supplier(principal: Callable[..., Principal]) -> Principal:
    return principal("supplier")


@pytest.fixture
def sme_user(principal: Callable[..., Principal]) -> Principal:
    return principal("sme")


@pytest.fixture
def company(session: Any, supplier: Principal) -> Any:
    c = service.create_company(session, data=schemas.CompanyCreate(**factories.company()), p=supplier)
    session.commit()
    return c


@pytest.fixture
def draft(session: Any, company: Any, supplier: Principal) -> Any:
    body = factories.solution(company.id, status="draft", title_ko="초안 솔루션")
    s = service.create_solution(session, data=schemas.SolutionCreate(**body), p=supplier)
    session.commit()
    return s


@pytest.fixture
def published(session: Any, company: Any, supplier: Principal) -> Any:
    s = service.create_solution(session, data=schemas.SolutionCreate(**factories.solution(company.id)), p=supplier)
    session.commit()
    return s


@pytest.fixture
def sme(session: Any, sme_user: Principal) -> Any:
    s = service.create_sme(session, data=schemas.SmeCreate(**factories.sme()), p=sme_user)
    session.commit()
    return s


@pytest.fixture
def need(session: Any, sme: Any, sme_user: Principal) -> Any:
    n = service.create_need(session, data=schemas.NeedCreate(**factories.need()), p=sme_user)
    session.commit()
    return n
