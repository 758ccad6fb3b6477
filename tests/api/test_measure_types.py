"""A measured outcome (`before`, `after`) is a JSON number, as the spec's `type: number` says (found by the
contract run: `PATCH /v1/solutions/{id}` with `"after": "0.9"` in a reference case answered 200)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests import factories
from tests.conftest import bearer


@pytest.mark.parametrize("value", ["0.9", True, None, [0.9]])
def test_an_outcome_figure_that_is_not_a_number_is_refused(client, mint, value: Any) -> None:
    supplier = bearer(mint("supplier", org="org_measure"))
    company = client.post("/v1/companies", json=factories.company(), headers=supplier).json()["id"]
    body = factories.solution(company)
    good = client.post("/v1/solutions", json=body, headers=supplier)
    assert good.status_code == 201, good.text
    assert good.json()["reference_cases"][0]["outcomes"][0]["after"] == 0.9
    bad = copy.deepcopy(body)
    bad["reference_cases"][0]["outcomes"][0]["after"] = value
    r = client.post("/v1/solutions", json=bad, headers=supplier)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    patched = client.patch(f"/v1/solutions/{good.json()['id']}", json={"reference_cases": bad["reference_cases"]},
                           headers={**supplier, "If-Match": "*"})
    assert patched.status_code == 422, patched.text


def test_a_whole_number_is_still_a_measure(client, mint) -> None:
    supplier = bearer(mint("supplier", org="org_measure_int"))
    company = client.post("/v1/companies", json=factories.company(), headers=supplier).json()["id"]
    body = factories.solution(company)
    body["reference_cases"][0]["outcomes"][0]["after"] = 1
    r = client.post("/v1/solutions", json=body, headers=supplier)
    assert r.status_code == 201, r.text
    assert r.json()["reference_cases"][0]["outcomes"][0]["after"] == 1
