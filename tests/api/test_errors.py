"""Bad input gets a 4xx problem+json (Korean by default, English on request, pointers to the fields)
and writes nothing (OWASP API3/API4/API8)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from sqlalchemy import func, select

from core.db import Base
from tests import factories
from tests.conftest import bearer

HANGUL = re.compile("[가-힣]")


def row_counts(engine: Any) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def assert_problem(r: Any, status: int, *, en: bool = False) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["title"]
    assert bool(HANGUL.search(body["title"])) is not en, body["title"]
    return body


@pytest.fixture
def supplier(client, mint) -> dict[str, Any]:
    headers = bearer(mint("supplier"))
    r = client.post("/v1/companies", json=factories.company(), headers=headers)
    assert r.status_code == 201, r.text
    return {"headers": headers, "company_id": r.json()["id"]}


def _company(**kw: Any) -> dict[str, Any]:
    return factories.company(**kw)


def _solution(**kw: Any) -> Any:
    return lambda s: factories.solution(s["company_id"], **kw)


def _with_extra(make: Any, **extra: Any) -> Any:
    return lambda s: {**make(s), **extra}


# (name, path, body or callable(supplier) -> body, pointer expected in errors)
INVALID = [
    ("wrong check digit", "/v1/companies", _company(business_number="124-81-00999"), "#/business_number"),
    ("unknown KSIC", "/v1/solutions", _solution(industries=["C22", "C99"]), "#/industries/1"),
    ("KSIC outside manufacturing words", "/v1/solutions", _solution(industries=["제조"]), "#/industries/0"),
    ("negative price", "/v1/solutions", _solution(price_min_krw=-1), "#/price_min_krw"),
    ("min above max", "/v1/solutions", _solution(price_min_krw=200, price_max_krw=100), "#/price_max_krw"),
    ("10,000-character title", "/v1/solutions", _solution(title_ko="가" * 10_000), "#/title_ko"),
    ("number as text", "/v1/companies", _company(employees="마흔둘"), "#/employees"),
    ("string for a list", "/v1/solutions", _solution(industries="C22"), "#/industries"),
    ("object for a string", "/v1/companies", _company(name_ko={"ko": "딥비전"}), "#/name_ko"),
    ("float for an int", "/v1/companies", _company(employees=4.5), "#/employees"),
    ("bool for a price", "/v1/solutions", _solution(price_min_krw=True), "#/price_min_krw"),
    ("unknown region", "/v1/companies", _company(region="평양"), "#/region"),
    ("status on company create", "/v1/companies", _company(status="approved"), "#/status"),
    ("owner_org on company create", "/v1/companies", _company(owner_org="org_someone_else"), "#/owner_org"),
    ("id on company create", "/v1/companies", _company(id="00000000-0000-7000-8000-000000000000"), "#/id"),
    ("version on solution create", "/v1/solutions", _with_extra(_solution(), version=99), "#/version"),
    ("lone surrogate in a name", "/v1/companies", _company(name_ko="딥비전\ud800"), "#/name_ko"),
    ("lone surrogate in a URL", "/v1/companies", _company(website="https://deepvision.kr/\udfff"), "#/website"),
    ("lone surrogate in a metric unit", "/v1/solutions",
     _solution(reference_cases=[{"client": "고객", "industry": "C22", "summary": "요약", "year": 2025,
                                 "outcomes": [{"metric": "불량률", "before": 3, "after": 1, "unit": "\ud83d"}]}]),
     "#/reference_cases/0/outcomes/0/unit"),
    ("NUL in a name", "/v1/companies", _company(name_ko="딥비전\u0000랩"), "#/name_ko"),
    ("NUL in a URL", "/v1/companies", _company(website="https://deepvision.kr/\u0000"), "#/website"),
    ("NUL in a metric unit", "/v1/solutions",
     _solution(reference_cases=[{"client": "고객", "industry": "C22", "summary": "요약", "year": 2025,
                                 "outcomes": [{"metric": "불량률", "before": 3, "after": 1, "unit": "%\u0000"}]}]),
     "#/reference_cases/0/outcomes/0/unit"),
    ("NUL in company_id", "/v1/solutions", _with_extra(_solution(), company_id="\u0000"), "#/company_id"),
    ("bell control character", "/v1/companies", _company(name_ko="딥비전\u0007"), "#/name_ko"),
    ("blank name", "/v1/companies", _company(name_ko="   "), "#/name_ko"),
    ("newline in a one-line name", "/v1/companies", _company(name_ko="딥비전\n랩"), "#/name_ko"),
]


@pytest.mark.parametrize(("name", "path", "make", "pointer"), INVALID, ids=[c[0] for c in INVALID])
def test_invalid_body_gets_422_with_a_pointer_and_writes_nothing(client, engine, supplier, name, path, make,
                                                                 pointer):
    body = make(supplier) if callable(make) else make
    before = row_counts(engine)
    # json.dumps escapes lone surrogates as \\udXXX, as a JavaScript client would send them
    r = client.post(path, content=json.dumps(body).encode(), headers={**supplier["headers"],
                                                                       "Content-Type": "application/json"})
    problem = assert_problem(r, 422)
    assert problem["type"] == "https://axr.go.kr/problems/validation"
    assert pointer in [e.get("pointer") for e in problem["errors"]], problem["errors"]
    assert all(e["detail"] for e in problem["errors"])
    assert row_counts(engine) == before


def test_not_a_number_in_a_measured_outcome_is_refused(client, engine, supplier):
    """Python's json accepts NaN and Infinity; PostgreSQL's jsonb does not, so they must stop at the door."""
    before = row_counts(engine)
    body = factories.solution(supplier["company_id"])
    raw = json.dumps(body, ensure_ascii=False).replace('"before": 3.2', '"before": NaN')
    assert "NaN" in raw
    r = client.post("/v1/solutions", content=raw.encode(), headers={**supplier["headers"],
                                                                    "Content-Type": "application/json"})
    problem = assert_problem(r, 422)
    assert "#/reference_cases/0/outcomes/0/before" in [e["pointer"] for e in problem["errors"]]
    assert row_counts(engine) == before


def test_english_on_request(client, engine, supplier):
    body = factories.company(business_number="124-81-00999")
    r = client.post("/v1/companies", json=body, headers={**supplier["headers"], "Accept-Language": "en-US,en;q=0.9"})
    problem = assert_problem(r, 422, en=True)
    assert problem["title"] == "Invalid input"
    assert not any(HANGUL.search(e["detail"]) for e in problem["errors"])
    r = client.post("/v1/companies", json=body, headers={**supplier["headers"], "Accept-Language": "fr, ko;q=0.5"})
    assert_problem(r, 422)


@pytest.mark.parametrize(("name", "content"), [
    ("malformed JSON", b'{"name_ko": "\xeb\x94\xa5\xeb\xb9\x84\xec\xa0\x84", '),
    ("trailing garbage", b'{"name_ko": "a"} x'),
    ("not UTF-8", b'{"name_ko": "\xc0\xaf\xff\xfe"}'),
    ("latin-1 Hangul-looking bytes", '{"name_ko": "딥비전"}'.encode("euc-kr")),
    ("deep nesting", b"[" * 200_000 + b"]" * 200_000),
    ("a JSON array", b"[1, 2, 3]"),
    ("a JSON string", b'"company"'),
    ("empty body", b""),
])
def test_unparseable_bodies_get_a_4xx_problem_and_write_nothing(client, engine, supplier, name, content):
    before = row_counts(engine)
    for lang, en in (("ko", False), ("en", True)):
        r = client.post("/v1/companies", content=content,
                        headers={**supplier["headers"], "Content-Type": "application/json", "Accept-Language": lang})
        assert 400 <= r.status_code < 500, (name, r.status_code, r.text[:200])
        assert_problem(r, r.status_code, en=en)
    assert row_counts(engine) == before


def test_malformed_json_is_400_with_its_own_type(client, supplier):
    r = client.post("/v1/companies", content=b'{"name_ko": ', headers={**supplier["headers"],
                                                                        "Content-Type": "application/json"})
    assert assert_problem(r, 400)["type"] == "https://axr.go.kr/problems/malformed-json"


def test_decomposed_jamo_are_composed_and_emoji_accepted(client, mint):
    headers = bearer(mint("supplier"))
    r = client.post("/v1/companies", json=factories.company(name_ko="\u1100\u1161\u11ab 랩 🤖",
                                                            representative="김민준👩‍🏭"), headers=headers)
    assert r.status_code == 201, r.text
    again = client.get(r.headers["Location"], headers=headers).json()
    assert again["name_ko"] == "간 랩 🤖"
    assert again["representative"] == "김민준👩‍🏭"


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_2mb_body_gets_413_and_writes_nothing(client, engine, supplier, chunked):
    before = row_counts(engine)
    body = factories.company(name_ko="가" * 700_000)  # about 2 MB of UTF-8
    raw = json.dumps(body, ensure_ascii=False).encode()
    assert len(raw) > 2_000_000
    content: Any = raw
    if chunked:
        def chunks():
            for i in range(0, len(raw), 64 * 1024):
                yield raw[i:i + 64 * 1024]
        content = chunks()
    for lang, en in (("ko", False), ("en", True)):
        headers = {**supplier["headers"], "Content-Type": "application/json", "Accept-Language": lang}
        r = client.post("/v1/companies", content=content if not chunked else chunks(), headers=headers)
        problem = assert_problem(r, 413, en=en)
        assert problem["type"] == "https://axr.go.kr/problems/too-large"
    assert row_counts(engine) == before


def test_unknown_route_and_method_are_problems(client, mint):
    headers = bearer(mint("admin"))
    assert_problem(client.get("/v1/nothing-here", headers=headers), 404)
    assert_problem(client.delete("/v1/companies", headers=headers), 405)
    assert_problem(client.get("/v1/nothing-here", headers={**headers, "Accept-Language": "en"}), 404, en=True)


@pytest.mark.parametrize("path", ["/v1/companies/%00", "/v1/solutions?company_id=%00", "/v1/needs?sme_id=%00",
                                  "/v1/smes/%00%00", "/v1/solutions/%F0%9F%A4%96"])
def test_odd_ids_in_urls_get_a_4xx_problem(client, mint, path):
    r = client.get(path, headers=bearer(mint("admin")))
    assert 400 <= r.status_code < 500, r.text
    assert r.headers["content-type"] == "application/problem+json"


def test_database_text_never_reaches_the_client(client, engine, mint):
    """A duplicate business number is a domain conflict, told in the domain's words."""
    number = factories.business_number()
    r = client.post("/v1/companies", json=factories.company(business_number=number), headers=bearer(mint("supplier")))
    assert r.status_code == 201
    before = row_counts(engine)
    r = client.post("/v1/companies", json=factories.company(business_number=number), headers=bearer(mint("supplier")))
    problem = assert_problem(r, 409)
    assert problem["type"] == "https://axr.go.kr/problems/duplicate-business-number"
    for word in ("unique", "constraint", "sqlite", "psycopg", "insert", "integrity"):
        assert word not in r.text.lower()
    assert row_counts(engine) == before


@pytest.mark.parametrize(("path_of", "field"), [
    (lambda s: f"/v1/companies/{s['company_id']}", "region"),
    (lambda s: f"/v1/companies/{s['company_id']}", "name_ko"),
    (lambda s: s["solution"], "category"),
    (lambda s: s["solution"], "price_min_krw"),
    (lambda s: s["solution"], "industries"),
])
def test_null_for_a_required_field_on_update_is_422_not_a_conflict(client, engine, supplier, path_of, field):
    supplier["solution"] = client.post("/v1/solutions", json=factories.solution(supplier["company_id"]),
                                       headers=supplier["headers"]).headers["Location"].split("testserver")[-1]
    before = row_counts(engine)
    r = client.patch(path_of(supplier), json={field: None}, headers={**supplier["headers"], "If-Match": "*"})
    problem = assert_problem(r, 422)
    assert f"#/{field}" in [e["pointer"] for e in problem["errors"]]
    assert row_counts(engine) == before

