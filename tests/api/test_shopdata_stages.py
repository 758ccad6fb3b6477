"""Issue 18 item 4: when the SME lacks data the chosen solution requires, the project's AI stage plan starts
with data collection, both when the plan is set after the choice and when a solution is chosen under a plan
that starts later on the ladder (422 in Korean and English, naming the missing data)."""

from __future__ import annotations

from tests.api import programme_helpers as h
from tests.api.test_search_api import PDM, _designated_supplier
from tests.conftest import bearer


def _plan(client, sme, pid: str, stages: list[tuple[int, str]], lang: str = "ko"):
    return client.put(f"/v1/programme/projects/{pid}/stages", headers={**sme, "Accept-Language": lang},
                      json={"stages": [{"year": y, "stage": s} for y, s in stages]})


def test_a_plan_starts_with_data_collection_when_the_sme_lacks_the_solutions_data(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    supplier, _, (vib_id,), _ = _designated_supplier(client, mint, admin, [{**PDM, "min_level": "basic"}])
    r = client.put(f"/v1/solutions/{vib_id}/data-requirements", headers=supplier, json={"items": [
        {"profile_code": "vibration_timeseries", "min_sampling_rate_hz": 10_000}]})
    assert r.status_code == 200, r.text
    n = h.number(81)
    _, smes = h.cohort_with_smes(client, mint, admin, [n], encoding="utf-8")
    sme, sme_id = smes[n]["token"], smes[n]["id"]
    pid = h.project(client, sme, need_text="프레스 모터 고장을 미리 알고 싶습니다", stages=False)["id"]
    # an intermediate SME may start with analytics ...
    h.plan_stages(client, admin, sme, pid, {2026: "analytics"}, level="intermediate1")
    # ... but it collects motor current only, and the solution needs 10 kHz vibration
    r = client.put(f"/v1/smes/{sme_id}/data-inventory", headers=sme, json={"items": [
        {"profile_code": "motor_current", "since": "2025-01-01", "collection": "plc", "sampling_rate_hz": 2_000}]})
    assert r.status_code == 200, r.text
    r = client.post(f"/v1/programme/projects/{pid}/supplier", headers=sme, json={"solution_id": vib_id})
    assert r.status_code == 422, r.text
    assert "첫해(2026년)는 데이터 수집·연결 단계여야 합니다" in r.json()["detail"]
    assert "진동 10 kHz, 보유: 없음" in r.json()["detail"]
    assert client.get(f"/v1/programme/projects/{pid}", headers=sme).json()["solution_id"] is None  # nothing kept

    # the plan starts with data collection: the choice is taken, and the plan cannot skip it afterwards
    assert _plan(client, sme, pid, [(2026, "data_collection"), (2027, "analytics")]).status_code == 200
    r = client.post(f"/v1/programme/projects/{pid}/supplier", headers=sme, json={"solution_id": vib_id})
    assert r.status_code == 200, r.text
    en = _plan(client, sme, pid, [(2026, "analytics")], lang="en")
    assert en.status_code == 422, en.text
    assert "the chosen solution needs data the SME lacks, so the first year (2026) is" in en.json()["detail"]
    assert "vibration at 10 kHz; you have: none" in en.json()["detail"]

    # once it collects vibration at the rate asked, analytics may come first
    r = client.put(f"/v1/smes/{sme_id}/data-inventory", headers=sme, json={"items": [
        {"profile_code": "vibration_timeseries", "since": "2025-06-01", "collection": "sensor",
         "sampling_rate_hz": 12_800}]})
    assert r.status_code == 200, r.text
    assert _plan(client, sme, pid, [(2026, "analytics")]).status_code == 200
