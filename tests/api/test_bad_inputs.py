"""Inputs an external attack run answered with 500, each now a 4xx problem+json a client can act on:
integers no database column holds, text UTF-8 cannot encode, CSV files the csv module cannot read."""

from __future__ import annotations

import json

import pytest

from tests import factories
from tests.conftest import bearer

PROBLEM = "application/problem+json"
TOO_BIG = 9223372036854775808  # 2**63: one past what SQLite binds and PostgreSQL's BIGINT holds


def _problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    return r.json()


@pytest.mark.parametrize(("path", "params", "name"), [
    ("/v1/public/audit/consistency", {"first": 1, "second": TOO_BIG}, "second"),
    ("/v1/public/audit/consistency", {"first": TOO_BIG}, "first"),
    ("/v1/public/audit/inclusion", {"seq": 0, "tree_size": TOO_BIG}, "tree_size"),
    ("/v1/public/audit/inclusion", {"seq": TOO_BIG}, "seq"),
])
def test_an_audit_proof_size_beyond_64_bits_is_422(client, path, params, name):
    body = _problem(client.get(path, params=params), 422)
    assert [(e["parameter"], e["in"], e["code"]) for e in body["errors"]] == [(name, "query", "less_than_equal")]


def test_the_spec_states_the_64_bit_bound(client):
    spec = client.get("/openapi.json").json()
    params = {p["name"]: p["schema"] for p in spec["paths"]["/v1/public/audit/inclusion"]["get"]["parameters"]}
    assert params["seq"]["maximum"] == 2**63 - 1
    assert params["tree_size"]["anyOf"][0]["maximum"] == 2**63 - 1


def test_a_proof_of_a_tree_larger_than_the_log_is_a_4xx(client):
    for path, params in (("/v1/public/audit/inclusion", {"seq": 0, "tree_size": 2**63 - 1}),
                         ("/v1/public/audit/consistency", {"first": 1, "second": 2**63 - 1})):
        r = client.get(path, params=params)
        assert 400 <= r.status_code < 500, (path, r.status_code, r.text)
        assert r.headers["content-type"] == PROBLEM


def _raw(text: str) -> bytes:
    """JSON with a lone surrogate escaped, as a client may send it (Python's json would refuse to make it)."""
    return text.encode()


def test_a_lone_surrogate_in_a_json_body_is_422_with_its_pointer(client, mint):
    admin = {**bearer(mint("admin")), "Content-Type": "application/json"}
    r = client.post("/v1/admin/criteria", content=_raw('{"version": "v\\ud800", "criteria": []}'), headers=admin)
    body = _problem(r, 422)
    assert body["type"] == "https://axr.go.kr/problems/validation"
    assert body["errors"] == [{"pointer": "#/version", "code": "string_unicode",
                               "detail": "UTF-8로 나타낼 수 없는 문자(짝 없는 서로게이트)가 있습니다"}]
    en = client.post("/v1/admin/criteria", content=_raw('{"version": "v", "x": ["\\udfff"]}'),
                     headers={**admin, "Accept-Language": "en"})
    assert _problem(en, 422)["errors"][0]["pointer"] == "#/x/0"
    assert "lone surrogate" in en.json()["errors"][0]["detail"]


def test_a_surrogate_pair_and_an_escaped_backslash_are_ordinary_text(client, mint):
    supplier = {**bearer(mint("supplier")), "Content-Type": "application/json"}
    doc = json.dumps(factories.company(name_ko="스마일\U0001f600 주식회사", representative="김\\ud800"))
    assert "\\ud83d\\ude00" in doc
    assert "\\\\ud800" in doc
    r = client.post("/v1/companies", content=doc.encode(), headers=supplier)
    assert r.status_code == 201, r.text
    assert r.json()["name_ko"] == "스마일\U0001f600 주식회사"
    assert r.json()["representative"] == "김\\ud800"


@pytest.fixture
def cohort(client, mint):
    admin = bearer(mint("admin"))
    r = client.post("/v1/programme/cohorts", json={"year": 2026, "capacity": 10, "name_ko": "2026년 기수"},
                    headers=admin)
    assert r.status_code == 201, r.text
    return admin


def _upload(client, admin, body: bytes, lang: str = "ko"):
    return client.post("/v1/programme/cohorts/2026/candidates", files={"file": ("후보.csv", body, "text/csv")},
                       headers={**admin, "Accept-Language": lang})


HEADER = "사업자등록번호,기업명,업종,지역,스마트공장수준"


def test_a_cohort_csv_cell_over_the_csv_limit_is_422(client, cohort):
    body = (HEADER + "\n" + "123-45-67890," + "가" * 131_073 + ",C22,경남,기초\n").encode()
    problem = _problem(_upload(client, cohort, body), 422)
    assert problem["detail"] == "131,072자를 넘는 칸이 있습니다."
    assert problem["line"] == 2
    en = _problem(_upload(client, cohort, body, "en"), 422)
    assert en["detail"] == "A cell is longer than 131,072 characters."


def test_a_cohort_csv_with_bare_cr_line_breaks_is_422(client, cohort):
    body = (HEADER + "\r" + "123-45-67890,한빛정밀,C22,경남,기초\r").encode()
    problem = _problem(_upload(client, cohort, body, "en"), 422)
    assert problem["detail"] == "Lines end with a bare CR; save the file with CRLF or LF line breaks."
    assert "CR" in _problem(_upload(client, cohort, body), 422)["detail"]
