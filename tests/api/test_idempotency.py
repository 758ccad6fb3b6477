"""Idempotency-Key on creating POSTs: concurrent retries create one resource; replays say so; a reused key
with another body is refused (IETF httpapi-idempotency-key draft). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from registry.models import Company, Solution
from tests import factories
from tests.conftest import bearer


def count(engine: Any, model: type, **where: Any) -> int:
    stmt = select(func.count()).select_from(model)
    for k, v in where.items():
        stmt = stmt.where(getattr(model, k) == v)
    with engine.connect() as conn:
        return conn.scalar(stmt)


async def _burst(app: Any, n: int, path: str, body: dict[str, Any], headers: dict[str, str]) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as ac:
        return list(await asyncio.gather(*(ac.post(path, json=body, headers=headers) for _ in range(n))))


def burst(app: Any, n: int, path: str, body: dict[str, Any], headers: dict[str, str]) -> list[httpx.Response]:
    return asyncio.run(_burst(app, n, path, body, headers))


@pytest.fixture
def supplier(client, mint) -> dict[str, Any]:
    org = "org_" + uuid.uuid4().hex[:10]
    return {"org": org, "headers": bearer(mint("supplier", org=org))}


def _check_burst(responses: list[httpx.Response]) -> httpx.Response:
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}, statuses
    created = [r for r in responses if r.status_code == 201]
    originals = [r for r in created if "idempotent-replayed" not in r.headers]
    assert len(originals) == 1, statuses
    original = originals[0]
    for r in created:
        assert r.json() == original.json()
        assert r.headers["location"] == original.headers["location"]
        assert r.headers["etag"] == original.headers["etag"]
    for r in created:
        if r is not original:
            assert r.headers["idempotent-replayed"] == "true"
    for r in responses:
        if r.status_code == 409:
            assert r.headers["content-type"] == "application/problem+json"
            assert r.json()["type"] == "https://axr.go.kr/problems/idempotency-in-flight"
    return original


def test_twenty_concurrent_company_posts_create_one(app, engine, client, supplier):
    headers = {**supplier["headers"], "Idempotency-Key": str(uuid.uuid4())}
    body = factories.company()
    original = _check_burst(burst(app, 20, "/v1/companies", body, headers))
    assert count(engine, Company, owner_org=supplier["org"]) == 1
    # a later retry is a replay of the stored response
    again = client.post("/v1/companies", json=body, headers=headers)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == original.json()
    assert count(engine, Company) == 1


def test_twenty_concurrent_solution_posts_create_one(app, engine, client, supplier):
    company = client.post("/v1/companies", json=factories.company(), headers=supplier["headers"]).json()
    headers = {**supplier["headers"], "Idempotency-Key": "sol-" + uuid.uuid4().hex}
    _check_burst(burst(app, 20, "/v1/solutions", factories.solution(company["id"]), headers))
    assert count(engine, Solution, company_id=company["id"]) == 1


def test_same_key_with_another_body_is_422_and_writes_nothing(client, engine, supplier):
    headers = {**supplier["headers"], "Idempotency-Key": "k-" + uuid.uuid4().hex}
    body = factories.company()
    assert client.post("/v1/companies", json=body, headers=headers).status_code == 201
    r = client.post("/v1/companies", json={**body, "name_ko": "다른 이름"}, headers=headers)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == "https://axr.go.kr/problems/idempotency-key-reused"
    assert r.json()["title"] == "같은 Idempotency-Key가 다른 요청에 쓰였습니다"
    en = {**headers, "Accept-Language": "en"}
    r = client.post("/v1/companies", json={**body, "name_ko": "다른 이름"}, headers=en)
    assert r.json()["title"] == "This Idempotency-Key was used with a different request"
    assert count(engine, Company) == 1
    with engine.connect() as conn:
        assert conn.scalar(select(Company.name_ko)) == body["name_ko"]


def test_same_key_on_another_route_is_422(client, supplier):
    headers = {**supplier["headers"], "Idempotency-Key": "shared-key"}
    company = client.post("/v1/companies", json=factories.company(), headers=headers)
    assert company.status_code == 201
    r = client.post("/v1/solutions", json=factories.solution(company.json()["id"]), headers=headers)
    assert r.status_code == 422


def test_keys_belong_to_their_caller(client, engine, mint):
    """Another organisation using the same key gets its own resource, never the first caller's response."""
    key = {"Idempotency-Key": "order-1"}
    a = client.post("/v1/companies", json=factories.company(), headers={**bearer(mint("supplier")), **key})
    b = client.post("/v1/companies", json=factories.company(), headers={**bearer(mint("supplier")), **key})
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["id"] != b.json()["id"]
    assert "idempotent-replayed" not in b.headers
    assert count(engine, Company) == 2


def test_a_refused_first_attempt_does_not_block_a_corrected_retry_with_a_new_key(client, engine, supplier):
    bad = factories.company(business_number="124-81-00999")
    r = client.post("/v1/companies", json=bad, headers={**supplier["headers"], "Idempotency-Key": "a"})
    assert r.status_code == 422
    replay = client.post("/v1/companies", json=bad, headers={**supplier["headers"], "Idempotency-Key": "a"})
    assert replay.status_code == 422
    assert replay.json() == r.json()
    ok = client.post("/v1/companies", json=factories.company(), headers={**supplier["headers"], "Idempotency-Key": "b"})
    assert ok.status_code == 201
    assert count(engine, Company) == 1


def test_without_a_key_each_post_is_its_own(client, engine, supplier):
    company = client.post("/v1/companies", json=factories.company(), headers=supplier["headers"]).json()
    for _ in range(2):
        r = client.post("/v1/solutions", json=factories.solution(company["id"]), headers=supplier["headers"])
        assert r.status_code == 201
    assert count(engine, Solution) == 2
