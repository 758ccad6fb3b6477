"""The AI introduction stages over HTTP: the plan of each fiscal year fits the confirmed level and size
(vertical AI is refused to a basic-level SME that planned no data collection, or too small), and each
year's budget line names the year's planned stage (422 in Korean and English otherwise)."""

from __future__ import annotations

from tests.api import programme_helpers as h
from tests.conftest import bearer


def _plan(client, sme, pid: str, stages: list[tuple[int, str]], lang: str = "ko"):
    return client.put(f"/v1/programme/projects/{pid}/stages", headers={**sme, "Accept-Language": lang},
                      json={"stages": [{"year": y, "stage": s, "note_ko": "단계 설명"} for y, s in stages]})


def test_stage_plan_fits_the_confirmed_level_and_size_and_budgets_name_it(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    n = h.number(71)
    _, smes = h.cohort_with_smes(client, mint, admin, [n], encoding="utf-8")  # confirmed level: basic
    sme, sme_id = smes[n]["token"], smes[n]["id"]
    pid = h.project(client, sme, stages=False)["id"]
    rules = client.get("/v1/programme/stage-rules", headers=sme).json()
    assert [s["code"] for s in rules["stages"]] == ["data_collection", "analytics", "vertical_ai"]
    assert rules["stages"][2]["name_ko"] == "현장 특화 AI"

    # no plan yet: a budget line is refused, naming the missing plan
    r = client.post(f"/v1/programme/projects/{pid}/budget-lines", headers=sme,
                    json={"year": 2026, "source": "own", "amount_krw": 1_000_000, "stage": "data_collection"})
    assert r.status_code == 422
    assert "2026년 AI 도입 단계 계획이 없습니다" in r.json()["detail"]
    # vertical AI straight away for a basic-level SME: refused (analytics first), and too small
    r = _plan(client, sme, pid, [(2026, "vertical_ai")])
    assert r.status_code == 422, r.text
    assert r.json()["type"].endswith("/stage-rule")
    assert "현장 특화 AI 단계 전에 분석·시각화 단계를 먼저 계획해야 합니다 (확인된 수준 기초)" in r.json()["detail"]
    assert "종업원 10명 이상" in r.json()["detail"]
    en = _plan(client, sme, pid, [(2026, "analytics")], lang="en")
    assert "needs data collection and connection planned in an earlier year" in en.json()["detail"]
    assert _plan(client, sme, pid, [(2031, "data_collection")]).status_code == 422  # outside 2026-2030
    assert _plan(client, sme, pid, [(2026, "robots")]).status_code == 422
    # the SME states its scale; the climb data collection -> analytics -> vertical AI is allowed
    assert client.put(f"/v1/programme/smes/{sme_id}/profile", headers=sme,
                      json={"sales_krw": 4_800_000_000, "employees": 42}).status_code == 200
    ok = _plan(client, sme, pid, [(2026, "data_collection"), (2027, "analytics"), (2028, "vertical_ai")])
    assert ok.status_code == 200, ok.text
    assert [(s["year"], s["stage"]) for s in ok.json()["ai_stages"]] == [
        (2026, "data_collection"), (2027, "analytics"), (2028, "vertical_ai")]
    assert ok.json()["ai_stages_version"] == "2026.1"

    # a line names the year's stage: missing or another stage is refused
    base = {"year": 2027, "source": "own", "amount_krw": 1_000_000}
    r = client.post(f"/v1/programme/projects/{pid}/budget-lines", headers=sme, json=base)
    assert r.status_code == 422
    assert "그해 계획 단계(분석·시각화)를 적어야 합니다" in r.json()["detail"]
    r = client.post(f"/v1/programme/projects/{pid}/budget-lines", headers={**sme, "Accept-Language": "en"},
                    json={**base, "stage": "vertical_ai"})
    assert r.status_code == 422
    assert "the stage planned for 2027 is analytics" in r.json()["detail"]
    line = client.post(f"/v1/programme/projects/{pid}/budget-lines", headers=sme, json={**base, "stage": "analytics"})
    assert line.status_code == 201, line.text
    assert line.json()["stage"] == "analytics"
    # the plan and the line are in the project detail
    detail = client.get(f"/v1/programme/projects/{pid}", headers=sme).json()
    assert detail["ai_stages"][1]["stage"] == "analytics"
    assert detail["budget_lines"][0]["stage"] == "analytics"
    # once approved, that year's stage is kept
    h.envelope(client, admin, year=2027)
    assert h.approve(client, admin, pid, line.json()["id"]).status_code == 200
    r = _plan(client, sme, pid, [(2026, "data_collection"), (2027, "data_collection")])
    assert r.status_code == 409
    assert "2027년 예산이 분석·시각화 단계로 이미 승인되어" in r.json()["detail"]


def test_an_intermediate_sme_may_start_with_analytics_and_a_submitted_line_follows_the_plan(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    n = h.number(72)
    _, smes = h.cohort_with_smes(client, mint, admin, [n], encoding="utf-8")
    sme = smes[n]["token"]
    pid = h.project(client, sme, stages=False)["id"]
    h.plan_stages(client, admin, sme, pid, {2026: "analytics"}, level="intermediate1")  # data collection in place
    line = client.post(f"/v1/programme/projects/{pid}/budget-lines", headers=sme,
                       json={"year": 2026, "source": "own", "amount_krw": 1_000_000, "stage": "analytics"})
    assert line.status_code == 201, line.text
    # the plan changes before the approval: the submitted line no longer names the year's stage
    assert _plan(client, sme, pid, [(2026, "data_collection")]).status_code == 200
    h.envelope(client, admin)
    r = h.approve(client, admin, pid, line.json()["id"])
    assert r.status_code == 422
    assert "2026년 계획 단계는 데이터 수집·연결입니다" in r.json()["detail"]
