"""The served spec states what the code enforces (issue 12, finding 13): the Allow header of a 405, If-Match
where an update needs it, every status an operation can answer, dates as ISO strings only, and the
constraints that used to live only in validators (text characters, whole numbers, KSIC codes, not-null)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from registry.fields import LongText, Name
from tests import factories
from tests.conftest import bearer

METHODS = ("get", "post", "put", "patch", "delete")


def _path_of(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "2026", template)


def test_a_405_lists_every_method_of_the_path(client, app) -> None:
    spec = app.openapi()
    checked = 0
    for template, item in spec["paths"].items():
        documented = {m.upper() for m in item if m in METHODS}
        missing = [m for m in ("PUT", "DELETE", "PATCH", "POST") if m not in documented]
        r = client.request(missing[0], _path_of(template))
        assert r.status_code == 405, (template, r.status_code)
        assert r.headers["content-type"] == "application/problem+json"
        allow = {m.strip() for m in r.headers["allow"].split(",")}
        assert allow == documented, (template, allow, documented)
        checked += 1
    assert checked > 60  # paths (one or more operations each)


def test_if_match_is_declared_where_an_update_needs_it(client, app, mint) -> None:
    spec = app.openapi()
    patches = [(path, item["patch"]) for path, item in spec["paths"].items() if "patch" in item]
    assert len(patches) >= 4
    for path, op in patches:
        header = [p for p in op.get("parameters", []) if p["name"] == "If-Match"]
        assert header, path
        assert (header[0]["in"], header[0]["required"]) == ("header", True), path
        assert {"412", "428"} <= set(op["responses"]), path
    # and the code does what the spec says: no If-Match, 428; a stale one, 412
    supplier = bearer(mint("supplier"))
    company = client.post("/v1/companies", json=factories.company(), headers=supplier).json()
    r = client.patch(f"/v1/companies/{company['id']}", json={"name_en": "X"}, headers=supplier)
    assert r.status_code == 428
    r = client.patch(f"/v1/companies/{company['id']}", json={"name_en": "X"},
                     headers={**supplier, "If-Match": '"99"'})
    assert r.status_code == 412


def test_every_operation_documents_what_the_shared_layer_can_answer(app) -> None:
    for path, item in app.openapi()["paths"].items():
        for method, op in item.items():
            codes = set(op["responses"])
            if op.get("security"):
                assert {"401", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if op.get("parameters") or op.get("requestBody"):
                assert {"400", "422"} <= codes, (method, path)
            if op.get("requestBody"):
                assert "413" in codes, (method, path)
            if method != "get" and op.get("security") and not path.endswith(("/match", "/matches")):
                assert "409" in codes, (method, path)  # the unique-constraint handler answers any write
            for code, response in op["responses"].items():
                if code[0] in "45":
                    assert list(response["content"]) == ["application/problem+json"], (method, path, code)
    assert "HTTPValidationError" not in app.openapi()["components"]["schemas"]


@pytest.mark.parametrize(("route", "body"), [
    ("/v1/admin/users", {"username": "dup.user", "password": "long-enough-password", "role": "sme"}),
    ("/v1/admin/thesaurus", None),
])
def test_409_answers_are_documented(client, app, mint, route: str, body: dict[str, Any] | None) -> None:
    admin = bearer(mint("admin"))
    if body is None:  # the thesaurus: the version in force, posted again
        body = client.get(route, headers=admin).json()
        first = client.post(route, json=body, headers=admin)
    else:
        first = client.post(route, json=body, headers=admin)
    assert first.status_code == 201, first.text
    again = client.post(route, json=body, headers=admin)
    assert again.status_code == 409, again.text
    assert "409" in app.openapi()["paths"][route]["post"]["responses"]


@pytest.mark.parametrize("value", [0, 0.0, "0", 1700000000, "2026-05-01T00:00:00", "20260501", True])
def test_dates_are_iso_strings_only(client, mint, value: Any) -> None:
    sme = bearer(mint("sme"))
    assert client.post("/v1/smes", json=factories.sme(), headers=sme).status_code == 201
    r = client.post("/v1/needs", json=factories.need(deadline=value), headers=sme)
    assert r.status_code == 422, (value, r.text)
    assert r.json()["errors"][0]["pointer"] == "#/deadline"


def test_an_iso_date_is_still_a_date(client, mint) -> None:
    sme = bearer(mint("sme"))
    assert client.post("/v1/smes", json=factories.sme(), headers=sme).status_code == 201
    r = client.post("/v1/needs", json=factories.need(deadline="2026-05-01"), headers=sme)
    assert r.status_code == 201, r.text
    assert r.json()["deadline"] == "2026-05-01"


def test_whole_numbers_are_integers_and_nothing_else_is(client, mint) -> None:
    supplier = bearer(mint("supplier"))
    r = client.post("/v1/companies", json=factories.company(employees=42.0), headers=supplier)
    assert r.status_code == 201, r.text  # JSON Schema: 42.0 is an integer
    assert r.json()["employees"] == 42
    for bad in (True, "42", 42.5):
        r = client.post("/v1/companies", json=factories.company(employees=bad), headers=supplier)
        assert r.status_code == 422, bad


def test_the_text_pattern_in_the_spec_is_the_rule_the_code_applies(app) -> None:
    schemas = app.openapi()["components"]["schemas"]
    name = re.compile(schemas["CompanyCreate"]["properties"]["name_ko"]["pattern"])
    text = re.compile(schemas["NeedCreate"]["properties"]["text"]["pattern"])
    samples = ["딥비전랩", " 앞뒤 공백 ", "\t탭", "줄\n바꿈", "   ", "", "\x9c", "a\x1bb", "\ue000", "\U000f0000x",
               "\ufdd0", "\U0001be56", "한\u200b글", "e\u0301", "\u3000", "x\x7f", "ok\r"]
    for sample in samples:
        for pattern, kind in ((text, LongText), (name, Name)):
            try:
                TypeAdapter(kind).validate_python(sample)
                accepted = True
            except ValidationError:
                accepted = False
            assert bool(pattern.fullmatch(sample)) == accepted, (repr(sample), pattern is name)


def test_constraints_that_lived_in_validators_are_in_the_spec(app) -> None:
    schemas = app.openapi()["components"]["schemas"]
    industry = schemas["NeedCreate"]["properties"]
    sme = schemas["SmeCreate"]["properties"]["ksic"]
    assert "C22" in sme["enum"]
    assert "" not in sme["enum"]
    solution_industries = schemas["SolutionCreate"]["properties"]["industries"]["items"]
    assert "*" in solution_industries["enum"]
    assert "deadline" in industry
    employees = schemas["CompanyCreate"]["properties"]["employees"]["anyOf"][0]
    assert employees["minimum"] == 0
    assert employees["type"] == "integer"
    # an update may leave a NOT NULL field out but not send null, and the spec says so
    name_ko = schemas["CompanyUpdate"]["properties"]["name_ko"]
    assert "anyOf" not in name_ko
    assert name_ko["type"] == "string"
    assert "default" not in name_ko
    assert "anyOf" in schemas["CompanyUpdate"]["properties"]["name_en"]  # nullable: null clears it
