"""Criterion E1 and the business status (issue 13 item 2): screening says "not checked" when no register
answered, a seated reviewer records what the NTS register showed, the frozen facts are screened again
with it, and a business confirmed closed cannot be approved."""

from __future__ import annotations

from typing import Any

import pytest

from certification import business_status
from core import clock
from tests.api.designation_builders import APPROVE, SCORES, Desk


def _e1(app: dict[str, Any]) -> dict[str, Any]:
    return next(r for r in app["screening"]["results"] if r["code"] == "E1")


def _get(desk: Desk, app_id: str, headers: dict[str, str]) -> dict[str, Any]:
    r = desk.client.get(f"/v1/applications/{app_id}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_screening_says_not_checked_and_never_active(client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    _, app_id = desk.under_review()
    app = _get(desk, app_id, desk.admin)
    e1 = _e1(app)
    assert e1["outcome"] == "needs_judgement"
    assert "확인 안 함" in e1["reason_ko"]
    assert "계속사업자" not in e1["reason_ko"]
    assert "not checked" in e1["reason_en"]
    assert app["screening"]["business_check"] == {"status": "not_checked", "source": "manual", "checked_at": None}
    assert app["screening"]["outcome"] == "needs_judgement"  # goes to the panel, not passed by itself


def test_a_seated_reviewer_confirms_the_status_and_e1_says_who(client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    _, app_id = desk.under_review()
    sub, token = desk.reviewers[0]
    note = "홈택스 사업자등록 상태조회(2026-12-03): 계속사업자"
    r = client.post(f"/v1/applications/{app_id}/business-status", json={"status": "active", "note": note},
                    headers=token)
    assert r.status_code == 200, r.text
    app = r.json()
    assert _e1(app)["outcome"] == "pass"
    assert "계속사업자" in _e1(app)["reason_ko"]
    check = app["screening"]["business_check"]
    assert (check["status"], check["source"], check["checked_by"], check["note"]) == ("active", "manual", sub, note)
    assert app["state"] == "under_review"
    events = client.get(f"/v1/audit/events?subject_type=application&subject_id={app_id}&limit=100",
                        headers=desk.admin)
    assert events.status_code == 200, events.text
    confirmed = [e for e in events.json()["items"] if e["action"] == "confirm_business_status"]
    assert [e["reason"] for e in confirmed] == [note], events.json()["items"][-1]


def test_only_the_panel_or_an_admin_confirms(client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    supplier, app_id = desk.under_review()
    body = {"status": "active", "note": "직접 확인했습니다"}
    off_panel = desk.reviewers[3][1]  # registered, not seated
    r = client.post(f"/v1/applications/{app_id}/business-status", json=body, headers=off_panel)
    assert r.status_code in (403, 404), r.text
    r = client.post(f"/v1/applications/{app_id}/business-status", json=body, headers=supplier.token)
    assert r.status_code == 403, r.text
    assert _e1(_get(desk, app_id, desk.admin))["outcome"] == "needs_judgement"  # nothing changed
    r = client.post(f"/v1/applications/{app_id}/business-status", json=body, headers=desk.admin)
    assert r.status_code == 200, r.text


def test_an_unknown_status_is_a_clear_422_in_korean(client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    _, app_id = desk.under_review()
    r = client.post(f"/v1/applications/{app_id}/business-status", json={"status": "운영중", "note": "확인"},
                    headers={**desk.reviewer, "Accept-Language": "ko"})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert any("\uac00" <= ch <= "\ud7a3" for ch in r.json()["title"])


def test_a_business_confirmed_closed_fails_e1_and_cannot_be_approved(client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    _, app_id = desk.reviewed(SCORES)
    r = client.post(f"/v1/applications/{app_id}/business-status",
                    json={"status": "closed", "note": "홈택스 조회 결과 2026-11-30 폐업"}, headers=desk.reviewer)
    assert r.status_code == 200, r.text
    assert _e1(r.json())["outcome"] == "fail"
    assert "폐업" in _e1(r.json())["reason_ko"]
    assert r.json()["screening"]["outcome"] == "fail"
    r = client.post(f"/v1/applications/{app_id}/decision", json=APPROVE, headers=desk.reviewer)
    assert r.status_code == 409, r.text
    assert "E1" in r.json()["detail"]
    assert r.json()["failed"] == ["E1"]
    assert _get(desk, app_id, desk.admin)["state"] == "under_review"
    r = client.post(f"/v1/applications/{app_id}/decision", json={"decision": "reject", "reason": "폐업 확인"},
                    headers=desk.reviewer)
    assert r.status_code == 200, r.text


def test_a_decided_application_takes_no_confirmation(client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    _, app_id = desk.application_in("approved")
    r = client.post(f"/v1/applications/{app_id}/business-status", json={"status": "active", "note": "확인"},
                    headers=desk.reviewer)
    assert r.status_code == 409, r.text


class _Register:
    """An answering register, standing in for an NTS adapter (which needs a service key and the network)."""

    name = "nts"

    def __init__(self, status: str | None) -> None:
        self.answer = status
        self.asked: list[str] = []

    def status(self, business_number: str) -> business_status.RegisterAnswer | None:
        self.asked.append(business_number)
        if self.answer is None:
            return None
        return business_status.RegisterAnswer(self.answer, self.name, clock.now().isoformat())


@pytest.mark.parametrize(("answer", "outcome"), [("active", "pass"), ("suspended", "fail"), (None, "needs_judgement")])
def test_an_installed_register_answers_at_screening(client, mint, engine, answer, outcome) -> None:
    register = _Register(answer)
    previous = business_status.use(register)
    try:
        desk = Desk.open(client, mint, engine)
        supplier, app_id = desk.draft()
        r = client.post(f"/v1/applications/{app_id}/submit", headers=supplier.token)
        assert r.status_code == 200, r.text
    finally:
        business_status.use(previous)
    assert register.asked == [supplier.company["business_number"]]
    app = r.json()
    assert _e1(app)["outcome"] == outcome
    assert app["screening"]["business_check"]["source"] == "nts"
    if answer == "suspended":
        assert app["state"] == "rejected"
        assert "휴업" in _e1(app)["reason_ko"]
