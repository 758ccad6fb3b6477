"""Readiness fit through HTTP: a need of an SME without vibration data, matched against two otherwise equal
predictive-maintenance solutions (one needs 10 kHz vibration, one works from the motor current the SME has)."""

from __future__ import annotations

from tests import factories
from tests.api.test_search_api import PDM, _designated_supplier
from tests.conftest import bearer

NEED = "프레스 메인 모터 베어링이 자주 고장 나서 설비가 멈춥니다. 고장을 미리 알고 싶어요"


def _matches(client, token, need_id):
    r = client.post(f"/v1/needs/{need_id}/matches", headers=token)
    assert r.status_code == 200, r.text
    return r.json()["matches"]


def test_the_solution_working_from_data_the_sme_has_ranks_first_with_the_reason(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    supplier, _, (vib_id, cur_id), _ = _designated_supplier(client, mint, admin, [PDM, PDM])
    r = client.put(f"/v1/solutions/{vib_id}/data-requirements", headers=supplier, json={"items": [
        {"profile_code": "vibration_timeseries", "min_sampling_rate_hz": 10_000},
        {"profile_code": "maintenance_log", "required": False}]})
    assert r.status_code == 200, r.text
    assert [i["label_ko"] for i in r.json()["items"]] == ["설비 보전 이력", "진동"]
    r = client.put(f"/v1/solutions/{cur_id}/data-requirements", headers=supplier, json={"items": [
        {"profile_code": "motor_current", "min_sampling_rate_hz": 1_000}]})
    assert r.status_code == 200, r.text

    sme = bearer(mint("sme"))
    sme_id = client.post("/v1/smes", json=factories.sme(ksic="C29"), headers=sme).json()["id"]
    need = client.post("/v1/needs", json=factories.need(text=NEED, smart_factory_level="intermediate1"), headers=sme)
    assert need.status_code == 201, need.text

    # no inventory yet: readiness is neutral, the two score alike
    first = {m["solution_id"]: m for m in _matches(client, sme, need.json()["id"])}
    assert first[vib_id]["score"] == first[cur_id]["score"]
    assert first[vib_id]["breakdown"]["readiness"] == first[cur_id]["breakdown"]["readiness"] == 0

    r = client.put(f"/v1/smes/{sme_id}/data-inventory", headers=sme, json={"items": [
        {"profile_code": "motor_current", "since": "2025-01-01", "collection": "plc", "sampling_rate_hz": 2_000,
         "note_ko": "프레스 2호기 인버터 전류"}]})
    assert r.status_code == 200, r.text
    assert r.json()["confirmed"] is False

    ranked = _matches(client, sme, need.json()["id"])
    assert [m["solution_id"] for m in ranked[:2]] == [cur_id, vib_id]
    best, other = ranked[0], ranked[1]
    assert best["breakdown"]["readiness"] > 0 > other["breakdown"]["readiness"]
    assert abs(sum(other["breakdown"].values()) - other["score"]) < 1e-9
    assert "필요 데이터 보유: 모터 전류 1 kHz" in best["reasons_ko"]
    assert "Data in hand: motor current at 1 kHz" in best["reasons_en"]
    assert "필요 데이터: 진동 10 kHz, 보유: 없음 → 센서 설치 단계 필요" in other["reasons_ko"]
    assert ("Data needed: vibration at 10 kHz; you have: none → a sensor installation stage is needed"
            in other["reasons_en"])

    # an ad-hoc match knows no SME: readiness stays neutral there
    adhoc = client.post("/v1/match", json={"text": NEED, "industry": "C29"}, headers=sme).json()["matches"]
    assert {m["breakdown"]["readiness"] for m in adhoc} == {0}
