"""One tenant's token on another tenant's objects: 404 (ids leak nothing), and the row is unchanged (OWASP API1)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from registry.models import Company, Need, Sme, Solution
from tests import factories
from tests.conftest import bearer


def snapshot(engine: Any, model: type, obj_id: str) -> dict[str, Any]:
    with engine.connect() as conn:
        row = conn.execute(select(model.__table__).where(model.__table__.c.id == obj_id)).mappings().one()
    return dict(row)


@pytest.fixture
def tenants(client, mint) -> dict[str, Any]:
    a_sup, b_sup, a_sme, b_sme = (bearer(mint(r)) for r in ("supplier", "supplier", "sme", "sme"))
    company = client.post("/v1/companies", json=factories.company(), headers=a_sup).json()
    client.post("/v1/companies", json=factories.company(name_ko="경쟁사"), headers=b_sup).raise_for_status()
    draft = client.post("/v1/solutions", json=factories.solution(company["id"], status="draft"), headers=a_sup).json()
    published = client.post("/v1/solutions", json=factories.solution(company["id"]), headers=a_sup).json()
    sme = client.post("/v1/smes", json=factories.sme(), headers=a_sme).json()
    client.post("/v1/smes", json=factories.sme(name_ko="경쟁 수요기업"), headers=b_sme).raise_for_status()
    need = client.post("/v1/needs", json=factories.need(), headers=a_sme).json()
    return {"a_sup": a_sup, "b_sup": b_sup, "a_sme": a_sme, "b_sme": b_sme, "company": company, "draft": draft,
            "published": published, "sme": sme, "need": need}


# (intruder, method, model, object key, path prefix, body)
ATTEMPTS = [
    ("b_sup", "PATCH", Company, "company", "/v1/companies/", {"name_ko": "가로챈 회사"}),
    ("b_sup", "PATCH", Solution, "draft", "/v1/solutions/", {"status": "withdrawn"}),
    ("b_sup", "PATCH", Solution, "published", "/v1/solutions/", {"price_min_krw": 1, "price_max_krw": 2}),
    ("b_sup", "GET", Solution, "draft", "/v1/solutions/", None),
    ("b_sme", "GET", Solution, "draft", "/v1/solutions/", None),
    ("b_sme", "GET", Need, "need", "/v1/needs/", None),
    ("b_sme", "PATCH", Need, "need", "/v1/needs/", {"status": "closed"}),
    ("b_sme", "GET", Sme, "sme", "/v1/smes/", None),
    ("b_sme", "PATCH", Sme, "sme", "/v1/smes/", {"budget_gov_krw": 0}),
    ("b_sup", "GET", Need, "need", "/v1/needs/", None),
    ("a_sup", "PATCH", Need, "need", "/v1/needs/", {"text": "공급기업이 바꾼 수요"}),
    ("a_sme", "PATCH", Company, "company", "/v1/companies/", {"website": "https://evil.example"}),
]


@pytest.mark.parametrize(("who", "method", "model", "key", "prefix", "body"), ATTEMPTS,
                         ids=[f"{a[0]}-{a[1]}-{a[3]}" for a in ATTEMPTS])
def test_other_tenant_gets_404_and_changes_nothing(client, engine, tenants, who, method, model, key, prefix, body):
    obj = tenants[key]
    before = snapshot(engine, model, obj["id"])
    headers = {**tenants[who], "If-Match": f'"{obj["version"]}"'}  # even with the right ETag
    r = client.request(method, prefix + obj["id"], json=body, headers=headers)
    assert r.status_code == 404, r.text
    assert r.headers["content-type"] == "application/problem+json"
    for field in ("name_ko", "text", "title_ko", "owner_org"):
        assert str(obj.get(field, "\0")) not in r.text
    assert snapshot(engine, model, obj["id"]) == before


def test_unknown_ids_and_other_tenants_look_the_same(client, tenants):
    """The answer for another tenant's need equals the answer for an id that does not exist."""
    fake = "01900000-0000-7000-8000-000000000000"
    mine = client.get(f"/v1/needs/{tenants['need']['id']}", headers=tenants["b_sme"]).json()
    none = client.get(f"/v1/needs/{fake}", headers=tenants["b_sme"]).json()
    for body in (mine, none):
        body.pop("detail", None), body.pop("instance", None)
    assert mine == none


def test_lists_show_only_what_the_tenant_may_see(client, tenants):
    b_solutions = client.get("/v1/solutions?limit=100", headers=tenants["b_sup"]).json()["items"]
    assert tenants["draft"]["id"] not in {s["id"] for s in b_solutions}
    assert tenants["published"]["id"] in {s["id"] for s in b_solutions}
    drafts = client.get("/v1/solutions?status=draft", headers=tenants["b_sme"]).json()["items"]
    assert drafts == []
    b_smes = client.get("/v1/smes", headers=tenants["b_sme"]).json()["items"]
    assert len(b_smes) == 1
    assert tenants["sme"]["id"] not in {s["id"] for s in b_smes}
    assert client.get("/v1/needs", headers=tenants["b_sme"]).json()["items"] == []
    assert client.get(f"/v1/needs?sme_id={tenants['sme']['id']}", headers=tenants["b_sme"]).json()["items"] == []
    assert client.get("/v1/smes", headers=tenants["b_sup"]).json()["items"] == []


def test_private_company_fields_stay_private(client, tenants):
    company_id = tenants["company"]["id"]
    seen = client.get(f"/v1/companies/{company_id}", headers=tenants["b_sup"]).json()
    for private in ("owner_org", "revenue_krw", "contact_email", "representative"):
        assert private not in seen
    own = client.get(f"/v1/companies/{company_id}", headers=tenants["a_sup"]).json()
    assert own["revenue_krw"] == 3_200_000_000


def test_another_supplier_cannot_add_solutions_or_tips_to_a_company(client, engine, tenants):
    company_id = tenants["company"]["id"]
    r = client.post("/v1/solutions", json=factories.solution(company_id), headers=tenants["b_sup"])
    assert r.status_code == 404
    r = client.post(f"/v1/companies/{company_id}/tips", json={"program": "tips", "operator": "운영사"},
                    headers=tenants["b_sup"])
    assert r.status_code == 404
    r = client.post("/v1/needs", json=factories.need(sme_id=tenants["sme"]["id"]), headers=tenants["b_sme"])
    assert r.status_code == 404
    listed = client.get(f"/v1/solutions?company_id={company_id}&limit=100", headers=tenants["a_sup"]).json()
    assert len(listed["items"]) == 2


def test_tips_amounts_are_shown_to_the_company_and_staff_only(client, mint, tenants):
    company_id = tenants["company"]["id"]
    r = client.post(f"/v1/companies/{company_id}/tips", headers=tenants["a_sup"], json={
        "program": "tips", "operator": "블루포인트파트너스", "stage": "selected",
        "government_amount_krw": 500_000_000, "private_amount_krw": 200_000_000})
    assert r.status_code == 201, r.text
    for reader in (tenants["a_sup"], bearer(mint("admin", org="ministry")), bearer(mint("reviewer", org="ministry"))):
        (own,) = client.get(f"/v1/companies/{company_id}/tips", headers=reader).json()
        assert (own["government_amount_krw"], own["private_amount_krw"]) == (500_000_000, 200_000_000)
    for reader in (tenants["b_sup"], tenants["b_sme"]):
        (seen,) = client.get(f"/v1/companies/{company_id}/tips", headers=reader).json()
        assert (seen["stage"], seen["operator"]) == ("selected", "블루포인트파트너스")
        assert "government_amount_krw" not in seen
        assert "private_amount_krw" not in seen
