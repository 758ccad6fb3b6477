"""A contact e-mail no mail can reach (a special-use domain of RFC 6761) is refused with a clear 422, as the
spec's description of the field says, in Korean by default and in English on request."""

from __future__ import annotations

from typing import Any

from tests import factories
from tests.conftest import bearer


def test_an_address_at_a_special_use_domain_is_refused_and_nothing_is_stored(client: Any, mint: Any) -> None:
    headers = bearer(mint("supplier"))
    body = factories.company() | {"contact_email": "info@factory.test"}
    ko = client.post("/v1/companies", json=body, headers=headers)
    assert ko.status_code == 422
    assert ko.headers["content-type"].startswith("application/problem+json")
    assert [e["pointer"] for e in ko.json()["errors"]] == ["#/contact_email"]
    assert "이메일" in ko.json()["errors"][0]["detail"]
    en = client.post("/v1/companies", json=body, headers=headers | {"Accept-Language": "en"})
    assert "special-use" in en.json()["errors"][0]["detail"]
    assert client.get("/v1/companies", headers=headers).json()["items"] == []
    ok = client.post("/v1/companies", json=body | {"contact_email": "info@factory.kr"}, headers=headers)
    assert ok.status_code == 201, ok.text


def test_the_spec_says_so(app: Any) -> None:
    spec = app.openapi()
    field = spec["components"]["schemas"]["CompanyCreate"]["properties"]["contact_email"]
    assert "RFC 6761" in str(field)


def test_an_address_longer_than_254_characters_is_refused_as_the_spec_states(client: Any, mint: Any, app: Any) -> None:
    """email-validator refuses an address over 254 characters; the spec states that bound (not the 5000 of free
    text), and states no NUL pattern beside `format: email` (its grammar has no NUL)."""
    field = app.openapi()["components"]["schemas"]["CompanyCreate"]["properties"]["contact_email"]
    string = next(o for o in field["anyOf"] if o.get("type") == "string")
    assert (string["maxLength"], string["format"]) == (254, "email")
    assert "pattern" not in string
    headers = bearer(mint("supplier"))
    body = factories.company()
    too_long = "a" * 64 + "@" + ("b" * 60 + ".") * 3 + "hanbit.kr"  # every part within its own limit
    assert len(too_long) > 254
    r = client.post("/v1/companies", json=body | {"contact_email": too_long}, headers=headers)
    assert r.status_code == 422, r.text
    assert [e["pointer"] for e in r.json()["errors"]] == ["#/contact_email"]
    assert client.get("/v1/companies", headers=headers).json()["items"] == []
    r = client.post("/v1/companies", json=body | {"contact_email": "대표@한빛정밀.kr"}, headers=headers)
    assert r.status_code == 201, r.text
