"""The README walkthrough through HTTP: register a company, publish a solution, list solutions."""

from __future__ import annotations

from tests import factories
from tests.conftest import bearer


def test_supplier_registers_company_and_publishes_solution(client, mint):
    supplier = bearer(mint("supplier"))
    r = client.post("/v1/companies", json=factories.company(), headers=supplier)
    assert r.status_code == 201, r.text
    company = r.json()
    assert company["name_ko"] == "딥비전랩 주식회사"
    assert r.headers["ETag"] == '"1"'
    assert r.headers["Location"].endswith(f"/v1/companies/{company['id']}")

    r = client.post("/v1/solutions", json=factories.solution(company["id"]), headers=supplier)
    assert r.status_code == 201, r.text

    sme = bearer(mint("sme"))
    listing = client.get("/v1/solutions", headers=sme).json()
    assert [s["title_ko"] for s in listing["items"]] == ["사출·금속 부품 비전 불량 검출"]
    assert listing["next"] is None


def test_health_needs_no_token(client):
    r = client.get("/v1/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"
