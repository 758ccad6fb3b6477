"""Optimistic concurrency: ETag on reads, If-Match on updates; 428 without it, 412 when stale, and the
row is unchanged (RFC 9110, RFC 6585). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from registry.models import Company, Need, Sme, Solution
from tests import factories
from tests.conftest import bearer


def row(engine: Any, model: type, obj_id: str) -> dict[str, Any]:
    with engine.connect() as conn:
        return dict(conn.execute(select(model.__table__).where(model.__table__.c.id == obj_id)).mappings().one())


@pytest.fixture
def objects(client, mint) -> dict[str, Any]:
    sup, sme = bearer(mint("supplier")), bearer(mint("sme"))
    company = client.post("/v1/companies", json=factories.company(), headers=sup).json()
    solution = client.post("/v1/solutions", json=factories.solution(company["id"]), headers=sup).json()
    sme_obj = client.post("/v1/smes", json=factories.sme(), headers=sme).json()
    need = client.post("/v1/needs", json=factories.need(), headers=sme).json()
    return {
        "company": (Company, f"/v1/companies/{company['id']}", sup, {"name_en": "DeepVision Labs"}),
        "solution": (Solution, f"/v1/solutions/{solution['id']}", sup, {"lead_time_weeks": 10}),
        "sme": (Sme, f"/v1/smes/{sme_obj['id']}", sme, {"region": "경북"}),
        "need": (Need, f"/v1/needs/{need['id']}", sme, {"budget_krw": 90_000_000}),
    }


KINDS = ["company", "solution", "sme", "need"]


@pytest.mark.parametrize("kind", KINDS)
def test_update_with_the_current_etag_moves_it(client, objects, kind):
    _, path, headers, change = objects[kind]
    r = client.get(path, headers=headers)
    assert r.headers["ETag"] == '"1"'
    r = client.patch(path, json=change, headers={**headers, "If-Match": r.headers["ETag"]})
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == '"2"'
    assert r.json()["version"] == 2
    assert client.get(path, headers=headers).headers["ETag"] == '"2"'


@pytest.mark.parametrize("kind", KINDS)
def test_stale_if_match_is_412_and_changes_nothing(client, engine, objects, kind):
    model, path, headers, change = objects[kind]
    obj_id = path.rsplit("/", 1)[1]
    assert client.patch(path, json=change, headers={**headers, "If-Match": '"1"'}).status_code == 200
    before = row(engine, model, obj_id)
    for stale in ('"1"', 'W/"2"', '"99"', '"1", "3"'):
        r = client.patch(path, json=change, headers={**headers, "If-Match": stale})
        assert r.status_code == 412, (stale, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["type"] == "https://axr.go.kr/problems/precondition-failed"
        assert r.json()["title"] == "다른 사용자가 먼저 수정했습니다"
    assert row(engine, model, obj_id) == before


@pytest.mark.parametrize("kind", KINDS)
def test_missing_if_match_is_428_and_changes_nothing(client, engine, objects, kind):
    model, path, headers, change = objects[kind]
    obj_id = path.rsplit("/", 1)[1]
    before = row(engine, model, obj_id)
    r = client.patch(path, json=change, headers=headers)
    assert r.status_code == 428
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == "https://axr.go.kr/problems/precondition-required"
    r = client.patch(path, json=change, headers={**headers, "Accept-Language": "en"})
    assert r.json()["title"] == "If-Match header required"
    assert row(engine, model, obj_id) == before


async def _concurrent_patches(app: Any, path: str, headers: dict[str, str], n: int) -> list[httpx.Response]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as ac:
        return list(await asyncio.gather(*(
            ac.patch(path, json={"name_en": f"Writer {i}"}, headers={**headers, "If-Match": '"1"'})
            for i in range(n))))


def test_concurrent_updates_with_one_etag_let_exactly_one_win(app, client, engine, objects):
    model, path, headers, _ = objects["company"]
    responses = asyncio.run(_concurrent_patches(app, path, headers, 8))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [412] * 7, statuses
    winner = next(r for r in responses if r.status_code == 200).json()["name_en"]
    final = row(engine, model, path.rsplit("/", 1)[1])
    assert (final["version"], final["name_en"]) == (2, winner)
