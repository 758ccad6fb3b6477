"""Exports, streamed: the designated-company list and the public catalogue as CSV (BOM for Excel) and JSON."""

from __future__ import annotations

import csv
import io

import pytest

from tests import factories
from tests.api.portal_helpers import designated
from tests.api.test_search_api import PDM, VISION
from tests.conftest import bearer


@pytest.fixture
def world(client, mint, monkeypatch):
    from portal import exports

    monkeypatch.setattr(exports, "BATCH", 1)  # every row its own keyset batch
    a = designated(client, mint, [VISION, PDM], name_ko="가나비전 주식회사", region="경남")
    b = designated(client, mint, [VISION], name_ko="다라로보틱스")
    token = bearer(mint("supplier"))  # not designated: in neither export
    c = client.post("/v1/companies", json=factories.company(name_ko="미지정기업"), headers=token).json()
    client.post("/v1/solutions", json=factories.solution(c["id"], title_ko="미지정 솔루션"), headers=token)
    return a, b


def test_designated_companies_csv_opens_in_excel(client, world):
    (_, a, _, cert_a), (_, b, _, _) = world
    r = client.get("/v1/public/exports/designated-companies")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="axr-designated-companies.csv"' in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert sorted(row["name_ko"] for row in rows) == ["가나비전 주식회사", "다라로보틱스"]
    row = next(x for x in rows if x["name_ko"] == "가나비전 주식회사")
    assert row["certificate_number"] == cert_a["number"]
    assert row["region"] == "경남"
    assert row["page"].endswith(f"/pages/companies/{a['id']}")
    assert sorted(row["scope_ko"].split(";")) == ["비전 검사", "예지보전"]  # the fields its certificate covers
    assert "RateLimit" in r.headers


def test_catalogue_json_lists_published_solutions_of_designated_suppliers(client, world):
    r = client.get("/v1/public/exports/catalogue", params={"format": "json"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    doc = r.json()
    assert doc["dataset"] == "catalogue"
    assert doc["columns"][0] == "solution_id"
    titles = sorted(item["title_ko"] for item in doc["items"])
    assert titles == sorted([VISION["title_ko"], PDM["title_ko"], VISION["title_ko"]])
    assert {item["category_ko"] for item in doc["items"]} == {"비전 검사", "예지보전"}
    csv_rows = list(csv.DictReader(io.StringIO(
        client.get("/v1/public/exports/catalogue").content.decode("utf-8-sig"))))
    assert len(csv_rows) == 3
    assert csv_rows[0]["industries"]


def test_a_solution_outside_the_certificate_scope_is_not_in_the_catalogue(client, mint):
    """Published after designation in a field the certificate does not cover: not a designated solution,
    so neither search nor the catalogue export lists it; the company export names the covered field."""
    headers, company, _, _ = designated(client, mint, [VISION], name_ko="가나비전 주식회사")
    r = client.post("/v1/solutions", json=factories.solution(company["id"], **PDM), headers=headers)
    assert r.status_code == 201, r.text
    items = client.get("/v1/public/exports/catalogue", params={"format": "json"}).json()["items"]
    assert [item["title_ko"] for item in items] == [VISION["title_ko"]]
    companies = client.get("/v1/public/exports/designated-companies", params={"format": "json"}).json()["items"]
    assert [(c["scope"], c["scope_ko"]) for c in companies] == [(["vision_inspection"], ["비전 검사"])]


def test_exports_refuse_unknown_formats(client):
    assert client.get("/v1/public/exports/catalogue", params={"format": "xlsx"}).status_code == 422
    empty = client.get("/v1/public/exports/designated-companies", params={"format": "json"}).json()
    assert empty["items"] == []


@pytest.mark.parametrize("dataset", ["designated-companies", "catalogue"])
def test_a_formula_in_a_supplier_name_is_exported_as_text(client, mint, dataset):
    """OWASP CSV injection: a company named =HYPERLINK(...) must not become a link (or a command) when
    the export is opened in a spreadsheet; the JSON export keeps the name as it is."""
    name = '=HYPERLINK("http://x","y")'
    designated(client, mint, [VISION], name_ko=name)
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/v1/public/exports/{dataset}").content.decode("utf-8-sig"))))
    column = "name_ko" if dataset == "designated-companies" else "company_name_ko"
    assert [row[column] for row in rows] == ["'" + name]
    items = client.get(f"/v1/public/exports/{dataset}", params={"format": "json"}).json()["items"]
    assert {item[column] for item in items} == {name}
