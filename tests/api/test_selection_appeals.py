"""An SME sees its own selection result with reasons (another SME's is unknown to it) and appeals it once
per round within the appeal period; the officer upholds (selected if there is room, else first on the
waiting list) or dismisses, with reasons in the audit log; 30 concurrent appeals give one 201."""

from __future__ import annotations

import asyncio
from collections import Counter

from sqlalchemy import func, select

from certification.audit import decode_entry
from certification.models import AuditLogEntry
from programme.selection_models import SelectionAppeal
from tests.api.live_server import live_server
from tests.api.test_programme_concurrency import _at_once
from tests.conftest import bearer
from tests.programme.test_selection import population  # noqa: F401 (the fixture)

MINE = "/v1/programme/smes/{}/selection/2027"


def _run(client, mint) -> dict[str, str]:
    admin = bearer(mint("admin", org="ministry"))
    assert client.post("/v1/programme/selection/2027/runs", headers=admin).status_code == 201
    return admin


def _sme(mint, name: str) -> dict[str, str]:
    return bearer(mint("sme", org=f"org-{name}"))


def test_own_result_appeal_once_and_the_officers_decision(client, mint, population, session):  # noqa: F811
    admin = _run(client, mint)
    b2, g1 = _sme(mint, "b2"), _sme(mint, "g1")
    mine = client.get(MINE.format(population["b2"]), headers=b2)
    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert (body["decision"]["outcome"], body["can_appeal"], body["appeal"]) == ("refused", True, None)
    assert any("대기" in r["ko"] for r in body["decision"]["reasons"]), body["decision"]["reasons"]
    assert client.get(MINE.format(population["b2"]), headers=g1).status_code == 404  # not its own
    assert client.post(MINE.format(population["b2"]) + "/appeal", headers=g1,
                       json={"reason_ko": "대신 이의신청"}).status_code == 404
    # a selected SME has nothing to appeal
    r = client.post(MINE.format(population["g1"]) + "/appeal", headers=g1, json={"reason_ko": "순위 이의"})
    assert r.status_code == 409
    assert r.json()["type"].endswith("/appeal-not-open")
    # once per round
    reason = "대기 명단 산정 시 2026년 매출액 증빙이 반영되지 않았습니다"
    filed = client.post(MINE.format(population["b2"]) + "/appeal", headers=b2, json={"reason_ko": reason})
    assert filed.status_code == 201, filed.text
    again = client.post(MINE.format(population["b2"]) + "/appeal", headers={**b2, "Accept-Language": "en"},
                        json={"reason_ko": "다시"})
    assert again.status_code == 409
    assert "once per round" in again.json()["detail"]
    assert client.get(MINE.format(population["b2"]), headers=b2).json()["can_appeal"] is False
    # the SME cannot decide; the officer upholds: the four places are full, so first on the waiting list
    decision = f"/v1/programme/selection/2027/appeals/{filed.json()['id']}/decision"
    assert client.post(decision, headers=b2, json={"outcome": "upheld", "reason": "셀프 인용"}).status_code == 403
    assert client.post(decision, headers=admin, json={"outcome": "upheld"}).status_code == 422
    up = client.post(decision, headers=admin, json={"outcome": "upheld", "reason": "매출액 증빙 확인"})
    assert up.status_code == 200, up.text
    assert (up.json()["state"], up.json()["outcome_after"], up.json()["waitlist_position"]) == (
        "upheld", "waitlisted", 1)
    assert client.post(decision, headers=admin, json={"outcome": "dismissed", "reason": "번복"}).status_code == 409
    wait = client.get("/v1/programme/selection/2027/decisions", params={"outcome": "waitlisted"}, headers=admin)
    assert sorted((d["waitlist_position"], d["sme_id"]) for d in wait.json()) == [
        (1, population["b2"]), (2, population["g3"]), (3, population["b1"])]
    seen = client.get(MINE.format(population["b2"]), headers=b2).json()
    assert (seen["appeal"]["state"], seen["appeal"]["decision_reason"]) == ("upheld", "매출액 증빙 확인")
    assert "이의신청이 인용되어" in seen["decision"]["reasons"][-1]["ko"]
    # a withdrawal now promotes the appellant, first on the list and 부산 (no quota)
    w = client.post("/v1/programme/selection/2027/withdrawals", headers=admin,
                    json={"sme_id": population["s1"], "reason": "자금 사정"})
    assert w.json()["promoted"]["sme_id"] == population["b2"]
    # dismissed: nothing changes, the SME sees why
    b1 = _sme(mint, "b1")
    other = client.post(MINE.format(population["b1"]) + "/appeal", headers=b1, json={"reason_ko": "점수 재산정 요청"})
    assert other.status_code == 201, other.text
    no = client.post(f"/v1/programme/selection/2027/appeals/{other.json()['id']}/decision", headers=admin,
                     json={"outcome": "dismissed", "reason": "점수 산정에 오류가 없습니다"})
    assert (no.status_code, no.json()["outcome_after"]) == (200, "unchanged")
    b1_seen = client.get(MINE.format(population["b1"]), headers=b1).json()
    assert (b1_seen["decision"]["outcome"], b1_seen["decision"]["waitlist_position"]) == ("waitlisted", 3)
    assert b1_seen["appeal"]["decision_reason"] == "점수 산정에 오류가 없습니다"
    listed = client.get("/v1/programme/selection/2027/appeals", headers=admin).json()
    assert [a["state"] for a in listed] == ["upheld", "dismissed"]
    events = [decode_entry(e.entry) for e in session.scalars(
        select(AuditLogEntry).where(AuditLogEntry.subject_type == "selection_appeal").order_by(AuditLogEntry.seq))]
    assert [(e["action"], e.get("reason")) for e in events] == [
        ("file", reason), ("uphold", "매출액 증빙 확인"), ("file", "점수 재산정 요청"),
        ("dismiss", "점수 산정에 오류가 없습니다")]


def test_the_appeal_period_is_configured(client, mint, population, monkeypatch):  # noqa: F811
    _run(client, mint)
    monkeypatch.setenv("AXR_SELECTION_APPEAL_DAYS", "0")
    r = client.post(MINE.format(population["r1"]) + "/appeal", headers=_sme(mint, "r1"),
                    json={"reason_ko": "매출액 기준 재검토 요청"})
    assert r.status_code == 409, r.text
    assert "이의신청 기간" in r.json()["detail"]


def test_thirty_concurrent_appeals_of_one_sme_give_one(app, client, mint, population, engine):  # noqa: F811
    _run(client, mint)
    r1 = _sme(mint, "r1")
    path = MINE.format(population["r1"]) + "/appeal"
    with live_server(app) as base:
        responses = asyncio.run(_at_once(base, [(path, r1, {"reason_ko": f"재검토 요청 {i}"}) for i in range(30)]))
    codes = Counter(r.status_code for r in responses)
    assert codes == {201: 1, 409: 29}, [r.text for r in responses if r.status_code not in (201, 409)]
    assert all(r.json()["type"].endswith("/appeal-already-filed") for r in responses if r.status_code == 409)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(SelectionAppeal)) == 1
