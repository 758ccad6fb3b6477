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
