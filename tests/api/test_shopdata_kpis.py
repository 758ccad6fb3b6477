"""Data readiness in the KPI report through HTTP: a selected SME's inventory counts once its pre-consultant
confirmed it, and its completed project counts as met when the inventory meets the solution's required data."""

from __future__ import annotations

from tests.api import programme_helpers as h
from tests.conftest import bearer


def _readiness(client, admin):
    r = client.get("/v1/reports/kpis", headers=admin)
    assert r.status_code == 200, r.text
    return r.json()["data_readiness"]


def test_confirmed_inventories_and_met_requirements_in_the_kpi_report(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    n = h.number(201)
    _, smes = h.cohort_with_smes(client, mint, admin, [n], encoding="utf-8")
    sme = smes[n]
    supplier, _, (solution_id,), _ = h.supplier(client, mint, admin)
    r = client.put(f"/v1/solutions/{solution_id}/data-requirements", headers=supplier, json={"items": [
        {"profile_code": "part_image_labelled", "min_volume": 2_000, "labelling_needed": True}]})
    assert r.status_code == 200, r.text
    r = client.put(f"/v1/smes/{sme['id']}/data-inventory", headers=sme["token"], json={"items": [
        {"profile_code": "part_image_labelled", "since": "2025-06-01", "collection": "sensor", "volume": 8_000,
         "labelled": True, "note_ko": "미성형·흑점 라벨 이미지"}]})
    assert r.status_code == 200, r.text
    before = _readiness(client, admin)
    assert before["selected_smes"] == 1
    assert before["with_confirmed_inventory"] == 0
    assert before["confirmed_inventory_share"] == 0.0
    assert before["requirements_met_share"] is None  # no completed project yet

    expert = h.consultant(client, mint, admin, "c-kpi-201")
    project = h.project(client, sme["token"])
    r = client.post(f"/v1/programme/projects/{project['id']}/consultants", headers=admin,
                    json={"consultant_id": expert[0]["id"], "kind": "pre"})
    assert r.status_code == 200, r.text
    assert client.post(f"/v1/smes/{sme['id']}/data-inventory/confirmation", headers=expert[1]).status_code == 200
    h.completed(client, admin, sme["token"], project["id"], solution_id, expert)
    after = _readiness(client, admin)
    assert after["confirmed_inventory_share"] == 1.0
    assert after["completed_projects"] == 1
    assert after["with_data_requirements"] == 1
    assert after["requirements_met_share"] == 1.0
