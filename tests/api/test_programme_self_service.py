"""An SME cannot set its own cohort, selection status or confirmed smart-factory level: the fields are not
in its schemas (422) and the routes that set them are the ministry's or a consultant's (403); nothing changes."""

from __future__ import annotations

from tests import factories
from tests.api import programme_helpers as h
from tests.conftest import bearer


def test_an_sme_cannot_select_itself_or_confirm_its_own_level(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    sme = bearer(mint("sme"))
    for field, value in (("cohort_year", 2026), ("status", "selected")):
        r = client.post("/v1/smes", json=factories.sme(**{field: value}), headers=sme)
        assert r.status_code == 422, (field, r.text)
        assert field in r.text
    created = client.post("/v1/smes", json=factories.sme(), headers=sme)
    assert created.status_code == 201, created.text
    sme_id = created.json()["id"]
    for field, value in (("cohort_year", 2026), ("status", "selected")):
        r = client.patch(f"/v1/smes/{sme_id}", json={field: value}, headers={**sme, "If-Match": "*"})
        assert r.status_code == 422, (field, r.text)

    profile = f"/v1/programme/smes/{sme_id}/profile"
    for field, value in (("confirmed_level", "advanced"), ("diagnosis_score", 100)):
        r = client.put(profile, json={"sales_krw": 5_000_000_000, field: value}, headers=sme)
        assert r.status_code == 422, (field, r.text)
    r = client.put(profile, json={"sales_krw": 5_000_000_000, "employees": 40}, headers=sme)
    assert r.status_code == 200, r.text
    assert (r.json()["sales_krw"], r.json()["confirmed_level"]) == (5_000_000_000, None)

    r = client.post(profile + "/confirmed-level", json={"level": "advanced"}, headers=sme)
    assert r.status_code == 403
    assert r.headers["content-type"] == "application/problem+json"
    assert client.post("/v1/programme/cohorts", json={"year": 2026, "capacity": 5, "name_ko": "2026년 기수"},
                       headers=sme).status_code == 403
    assert client.post("/v1/programme/selection/2026/runs", headers=sme).status_code == 403
    _, c_token = h.consultant(client, mint, admin, "consultant-kang")
    for wrong in (False, "72.5", 100.5):  # a JSON number from 0 to 100, as the spec says; false is no score
        r = client.post(profile + "/confirmed-level", json={"level": "basic", "diagnosis_score": wrong},
                        headers=c_token)
        assert r.status_code == 422, (wrong, r.text)
        assert [e["pointer"] for e in r.json()["errors"]] == ["#/diagnosis_score"]
    flags = client.put(profile, json={"sales_krw": 5_000_000_000, "prior_support": 0}, headers=sme)
    assert flags.status_code == 422, flags.text  # yes/no is JSON true/false, 0 is not read as "no"
    r = client.post(profile + "/confirmed-level", json={"level": "intermediate1", "diagnosis_score": 72.5},
                    headers=c_token)
    assert r.status_code == 200, r.text
    assert (r.json()["confirmed_level"], r.json()["diagnosis_score"], r.json()["sales_krw"]) == (
        "intermediate1", 72.5, 5_000_000_000)

    after = client.get(f"/v1/smes/{sme_id}", headers=sme).json()
    assert (after["status"], after["cohort_year"], after["smart_factory_level"]) == ("candidate", None, "basic")
