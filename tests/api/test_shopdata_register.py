"""The data register through HTTP with Hangul data: the profile vocabulary (an admin loads versions, a bad one is
refused listing every problem), what a solution needs (its supplier writes) and what an SME has (the SME
writes, its pre-consultant confirms; a change needs confirming again)."""

from __future__ import annotations

import copy

from shopdata.profiles import shipped
from tests import factories
from tests.api import programme_helpers as h
from tests.conftest import bearer

EN = {"Accept-Language": "en"}


def test_anyone_lists_the_profiles_and_an_admin_loads_a_version(client, mint):
    admin, supplier = bearer(mint("admin", org="ministry")), bearer(mint("supplier"))
    r = client.get("/v1/data-profiles", headers=supplier)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["version"] == "v1"
    assert len(body["profiles"]) >= 10
    vib = next(p for p in body["profiles"] if p["code"] == "vibration_timeseries")
    assert vib["label_ko"] == "진동"
    assert vib["acquire_ko"] == "센서 설치"
    assert {"name": "sampling_rate", "type": "number", "unit": "kHz"} in vib["fields"]

    bad = copy.deepcopy(shipped().to_data())
    bad["version"] = "v2"
    bad["profiles"][0]["fields"][0]["unit"] = "furlong"
    bad["profiles"][1]["fields"][0]["type"] = "blob"
    r = client.post("/v1/admin/data-profiles", json=bad, headers=admin)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["title"] == "데이터 프로파일 정의가 올바르지 않습니다"
    assert [p["where"] for p in r.json()["problems"]] == ["profiles[0].fields[0].unit", "profiles[1].fields[0].type"]
    assert "알 수 없는 단위 'furlong'" in r.json()["detail"]
    assert "알 수 없는 필드 형식 'blob'" in r.json()["detail"]
    r = client.post("/v1/admin/data-profiles", json=bad, headers={**admin, **EN})
    assert r.json()["title"] == "The data profile vocabulary is invalid"
    assert "unknown unit 'furlong'" in r.json()["detail"]
    assert "unknown field type 'blob'" in r.json()["detail"]

    good = copy.deepcopy(shipped().to_data())
    good["version"] = "v2"
    good["profiles"].append({"code": "spindle_load", "label_ko": "주축 부하", "label_en": "spindle load",
                             "sampled": True, "volume_unit": "s", "acquire_ko": "CNC 데이터 수집",
                             "acquire_en": "CNC data collection",
                             "fields": [{"name": "load", "type": "number", "unit": "%"}],
                             "standards": [{"name": "OPC 40501-1", "element": "OPC UA for CNC systems"}]})
    assert client.post("/v1/admin/data-profiles", json=good, headers=supplier).status_code == 403
    r = client.post("/v1/admin/data-profiles", json=good, headers=admin)
    assert r.status_code == 201, r.text
    assert r.json() == {"version": "v2", "profiles": len(good["profiles"])}
    listed = client.get("/v1/data-profiles", headers=supplier)
    assert listed.status_code == 200, listed.text
    listed = listed.json()
    assert listed["version"] == "v2"
    assert listed["profiles"][-1]["label_ko"] == "주축 부하"
    r = client.post("/v1/admin/data-profiles", json=good, headers=admin)
    assert r.status_code == 409
    assert "v2가 이미 있습니다" in r.json()["detail"]


def test_the_supplier_declares_what_its_solution_needs(client, mint):
    owner = bearer(mint("supplier"))
    company = client.post("/v1/companies", json=factories.company(), headers=owner).json()
    sid = client.post("/v1/solutions", json=factories.solution(company["id"]), headers=owner).json()["id"]
    draft = client.post("/v1/solutions", json=factories.solution(company["id"], status="draft"),
                        headers=owner).json()["id"]
    body = {"items": [{"profile_code": "part_image_labelled", "min_volume": 5_000, "labelling_needed": True,
                       "note_ko": "불량 유형별 200장 이상"}]}
    r = client.put(f"/v1/solutions/{sid}/data-requirements", json=body, headers=owner)
    assert r.status_code == 200, r.text
    assert r.json()["items"][0]["label_ko"] == "부품 외관 이미지(불량 라벨)"

    other, sme = bearer(mint("supplier")), bearer(mint("sme"))
    assert client.put(f"/v1/solutions/{sid}/data-requirements", json=body, headers=other).status_code == 404
    assert client.put(f"/v1/solutions/{sid}/data-requirements", json=body, headers=sme).status_code == 404
    seen = client.get(f"/v1/solutions/{sid}/data-requirements", headers=sme)
    assert seen.status_code == 200
    assert seen.json()["items"][0]["note_ko"] == "불량 유형별 200장 이상"
    assert client.get(f"/v1/solutions/{draft}/data-requirements", headers=sme).status_code == 404

    r = client.put(f"/v1/solutions/{sid}/data-requirements", json={"items": [{"profile_code": "smell_sensor"}]},
                   headers={**owner, **EN})
    assert r.status_code == 422
    assert r.json()["detail"] == "Unknown data profile(s): smell_sensor"
    twice = {"items": [{"profile_code": "motor_current"}, {"profile_code": "motor_current"}]}
    assert client.put(f"/v1/solutions/{sid}/data-requirements", json=twice, headers=owner).status_code == 422


def test_the_sme_states_its_data_and_its_pre_consultant_confirms_it(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    n = h.number(181)
    _, smes = h.cohort_with_smes(client, mint, admin, [n], encoding="utf-8")
    sme = smes[n]
    inv = f"/v1/smes/{sme['id']}/data-inventory"
    items = {"items": [
        {"profile_code": "plc_tags", "since": "2024-03-01", "collection": "plc", "sampling_rate_hz": 10,
         "note_ko": "사출기 6대 가동 신호"},
        {"profile_code": "quality_inspection", "collection": "manual", "volume": 12_000}]}
    r = client.put(inv, json=items, headers=sme["token"])
    assert r.status_code == 200, r.text
    assert [i["label_ko"] for i in r.json()["items"]] == ["PLC 태그", "품질 검사 기록"]

    # others see nothing of it; a consultant only once assigned, and only a pre-consultant confirms
    for stranger in (bearer(mint("sme")), bearer(mint("supplier"))):
        assert client.get(inv, headers=stranger).status_code == 404
        assert client.put(inv, json=items, headers=stranger).status_code == 404
    expert, expert_token = h.consultant(client, mint, admin, "c-data-181")
    assert client.get(inv, headers=expert_token).status_code == 404
    assert client.post(inv + "/confirmation", headers=expert_token).status_code == 404
    r = client.post(inv + "/confirmation", headers=sme["token"])
    assert r.status_code == 403
    assert "사전 컨설턴트" in r.json()["detail"]
    project = h.project(client, sme["token"])
    r = client.post(f"/v1/programme/projects/{project['id']}/consultants", headers=admin,
                    json={"consultant_id": expert["id"], "kind": "pre"})
    assert r.status_code == 200, r.text
    assert client.get(inv, headers=expert_token).status_code == 200
    r = client.post(inv + "/confirmation", headers=expert_token)
    assert r.status_code == 200, r.text
    assert r.json()["confirmed"] is True
    assert {i["confirmed_by"] for i in r.json()["items"]} == {"c-data-181"}

    # the SME changes one item: that one waits for confirming again, the other keeps its confirmation
    items["items"][1]["volume"] = 30_000
    r = client.put(inv, json=items, headers=sme["token"])
    assert [i["confirmed"] for i in r.json()["items"]] == [True, False]
    assert r.json()["confirmed"] is False
    assert client.post(inv + "/confirmation", headers=admin).json()["confirmed"] is True

    bad = {"items": [{"profile_code": "plc_tags", "collection": "telepathy"}]}
    assert client.put(inv, json=bad, headers=sme["token"]).status_code == 422


def test_a_version_that_drops_a_profile_in_use_is_refused(client, mint):
    admin, owner = bearer(mint("admin", org="ministry")), bearer(mint("supplier"))
    company = client.post("/v1/companies", json=factories.company(), headers=owner).json()
    sid = client.post("/v1/solutions", json=factories.solution(company["id"]), headers=owner).json()["id"]
    r = client.put(f"/v1/solutions/{sid}/data-requirements", json={"items": [{"profile_code": "energy_meter"}]},
                   headers=owner)
    assert r.status_code == 200, r.text
    smaller = copy.deepcopy(shipped().to_data())
    smaller["version"] = "v3"
    smaller["profiles"] = [p for p in smaller["profiles"] if p["code"] != "energy_meter"]
    r = client.post("/v1/admin/data-profiles", json=smaller, headers=admin)
    assert r.status_code == 409
    assert r.json()["in_use"] == ["energy_meter"]
    assert r.json()["detail"] == "솔루션·수요기업·데이터셋이 쓰는 프로파일이 새 버전에 없습니다: 에너지 계량"
    assert client.get("/v1/data-profiles", headers=owner).json()["version"] == "v1"
