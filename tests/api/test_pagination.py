"""Keyset pagination through HTTP: no duplicates or gaps while others write; bad cursors and limits refused."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from sqlalchemy import insert

from registry.models import Solution
from tests import factories
from tests.conftest import bearer


@pytest.fixture
def catalogue(client, mint, engine) -> dict[str, Any]:
    """A supplier with 45 published solutions, inserted in one statement to keep the test fast."""
    headers = bearer(mint("supplier"))
    company = client.post("/v1/companies", json=factories.company(), headers=headers).json()
    r = client.post("/v1/solutions", json=factories.solution(company["id"], title_ko="솔루션 0"), headers=headers)
    assert r.status_code == 201
    template = {k: v for k, v in r.json().items() if k not in ("id", "ref", "version", "created_at", "updated_at")}
    from core.ids import new_id
    with engine.begin() as conn:
        conn.execute(insert(Solution), [{**template, "id": new_id(), "title_ko": f"솔루션 {i}"} for i in range(1, 45)])
    return {"headers": headers, "company_id": company["id"]}


def pages(client: Any, headers: dict[str, str], url: str, between: Any = None) -> list[list[dict[str, Any]]]:
    out = []
    while url:
        r = client.get(url, headers=headers)
        assert r.status_code == 200, r.text
        out.append(r.json()["items"])
        url = r.json()["next"]
        if url and between:
            between()
    return out


def test_45_items_in_pages_of_20(client, mint, catalogue):
    reader = bearer(mint("sme"))
    got = pages(client, reader, "/v1/solutions?limit=20")
    assert [len(p) for p in got] == [20, 20, 5]
    ids = [s["id"] for p in got for s in p]
    assert len(set(ids)) == 45
    assert ids == sorted(ids)  # one stable order


def test_no_duplicates_or_gaps_while_rows_are_inserted(client, mint, catalogue):
    reader = bearer(mint("sme"))
    before = {s["id"] for p in pages(client, reader, "/v1/solutions?limit=100") for s in p}
    assert len(before) == 45
    added: list[str] = []

    def insert_one() -> None:
        r = client.post("/v1/solutions", headers=catalogue["headers"],
                        json=factories.solution(catalogue["company_id"], title_ko=f"새 솔루션 {len(added)}"))
        assert r.status_code == 201
        added.append(r.json()["id"])

    got = pages(client, reader, "/v1/solutions?limit=20", between=insert_one)
    ids = [s["id"] for p in got for s in p]
    assert len(ids) == len(set(ids)), "an item was served twice"
    assert before <= set(ids), "an item that existed when paging began was skipped"
    assert len(got) == 3
    assert set(ids) - before <= set(added)


def test_next_link_keeps_filters_and_limit(client, mint, catalogue):
    reader = bearer(mint("sme"))
    url = f"/v1/solutions?company_id={catalogue['company_id']}&limit=30&category=vision_inspection"
    got = pages(client, reader, url)
    assert [len(p) for p in got] == [30, 15]
    assert client.get("/v1/solutions?category=energy_management", headers=reader).json() == {"items": [], "next": None}


@pytest.mark.parametrize("cursor", [
    "garbage", "!!!", "%%%", "eyJhZnRlciI6", base64.urlsafe_b64encode(b"[1,2]").decode(),
    base64.urlsafe_b64encode(json.dumps({"before": "x"}).encode()).decode(),
    base64.urlsafe_b64encode(json.dumps({"after": {"id": 1}}).encode()).decode(),
    base64.urlsafe_b64encode(json.dumps({"after": [1]}).encode()).decode(),
    base64.urlsafe_b64encode(json.dumps({"after": None}).encode()).decode(),
    base64.urlsafe_b64encode(b'{"after": "\\u0000"}').decode(),
    base64.urlsafe_b64encode(b'{"after": "\\ud800"}').decode(),
    base64.urlsafe_b64encode(b"\xff\xfe").decode(),
])
@pytest.mark.parametrize("path", ["/v1/solutions", "/v1/companies", "/v1/smes", "/v1/needs"])
def test_a_garbage_cursor_is_400_problem(client, mint, path, cursor):
    r = client.get(path, params={"cursor": cursor}, headers=bearer(mint("admin")))
    assert r.status_code == 400, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == "https://axr.go.kr/problems/bad-cursor"
    assert r.json()["title"] == "페이지 커서가 올바르지 않습니다"


@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "1e3", ""])
def test_a_limit_outside_1_to_100_is_422(client, mint, limit):
    r = client.get("/v1/solutions", params={"limit": limit}, headers={**bearer(mint("admin")), "Accept-Language": "en"})
    assert r.status_code == 422, r.text
    problem = r.json()
    assert r.headers["content-type"] == "application/problem+json"
    assert problem["title"] == "Invalid input"
    assert problem["errors"][0]["parameter"] == "limit"
    assert problem["errors"][0]["in"] == "query"


def test_limit_bounds_are_accepted(client, mint, catalogue):
    reader = bearer(mint("sme"))
    assert len(client.get("/v1/solutions?limit=1", headers=reader).json()["items"]) == 1
    assert len(client.get("/v1/solutions?limit=100", headers=reader).json()["items"]) == 45
