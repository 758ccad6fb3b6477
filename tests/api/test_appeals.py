"""Appeals (이의신청) through HTTP with Korean data: within the period, once per decision, with documents;
a panel overlapping the original one is refused; a disjoint panel decides; the outcome is audited, public
on the certificate's history and verification, and notified to the supplier."""

from __future__ import annotations

from datetime import timedelta

from certification.audit_log import events_for
from core import clock
from core.db import unit_of_work
from notices.dispatch import Dispatcher
from tests.api.designation_builders import SCORES, Desk, audit_actions

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
REASONS = "반려 사유인 도입 실적 부족은 사실과 다릅니다. 2025년 3개 공장 도입 확인서를 첨부합니다."


def _appeal(desk: Desk, token: dict[str, str], body: dict[str, str], expect: int = 201) -> dict:
    r = desk.client.post("/v1/appeals", json={**body, "reasons_ko": REASONS}, headers=token)
    assert r.status_code == expect, r.text
    return r.json()  # type: ignore[no-any-return]


def test_rejected_supplier_appeals_and_a_disjoint_panel_reopens_the_application(client, mint, engine,
                                                                                 settings) -> None:
    desk = Desk.open(client, mint, engine, n_reviewers=6)
    s, app_id = desk.application_in("rejected")
    appeal = _appeal(desk, s.token, {"application_id": app_id})
    assert appeal["state"] == "submitted"
    assert appeal["decision_action"] == "reject"

    # a second appeal of the same decision is refused
    r = client.post("/v1/appeals", json={"application_id": app_id, "reasons_ko": "다시 이의를 제기합니다."},
                    headers=s.token)
    assert r.status_code == 409, r.text
    assert "한 번만" in r.json()["detail"], r.text

    # evidence through the documents service: digest in the appeal's audit event
    r = client.post(f"/v1/appeals/{appeal['id']}/documents", headers=s.token,
                    files={"file": ("도입확인서.pdf", PDF, "application/pdf")})
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["appeal_id"] == appeal["id"]
    assert doc["purpose"] == "appeal"
    assert client.get(doc["download"], headers=s.token).content == PDF
    other = desk.supplier(name_ko="다른기업")
    assert client.get(doc["download"], headers=other.token).status_code == 404
    assert client.get(f"/v1/appeals/{appeal['id']}", headers=other.token).status_code == 404
    r = client.post(f"/v1/appeals/{appeal['id']}/documents", headers=other.token,
                    files={"file": ("x.pdf", PDF, "application/pdf")})
    assert r.status_code == 404

    # the original panel may not sit on the appeal: 409 naming them
    original = desk.reviewers[0][0]
    r = client.post(f"/v1/admin/appeals/{appeal['id']}/panel",
                    json={"reviewers": [original, desk.reviewers[4][0]]}, headers=desk.admin)
    assert r.status_code == 409, r.text
    assert original in r.json()["overlapping"], r.text
    assert "원 결정에 참여한 심사위원" in r.json()["detail"]
    appeal_reviewer = desk.reviewers[4][1]
    assert client.get(f"/v1/applications/{app_id}", headers=appeal_reviewer).status_code == 404  # not yet seated
    desk.post(f"/v1/admin/appeals/{appeal['id']}/panel", desk.admin,
              {"reviewers": [desk.reviewers[4][0], desk.reviewers[5][0]]})
    # seated, the appeal panel reads the record the rejection rests on: the application and its documents
    assert client.get(f"/v1/applications/{app_id}", headers=appeal_reviewer).json()["state"] == "rejected"
    assert app_id in [a["id"] for a in client.get("/v1/applications", headers=appeal_reviewer).json()["items"]]
    assert client.get(f"/v1/appeals/{appeal['id']}/documents", headers=appeal_reviewer).json()[0]["id"] == doc["id"]
    assert client.get(doc["download"], headers=appeal_reviewer).content == PDF
    assert client.get(f"/v1/appeals/{appeal['id']}", headers=desk.reviewers[3][1]).status_code == 404

    # the supplier cannot decide; an original reviewer cannot either (not seated: 404)
    r = client.post(f"/v1/appeals/{appeal['id']}/decision", json={"outcome": "upheld", "reason": "인용"},
                    headers=s.token)
    assert r.status_code == 403, r.text
    r = client.post(f"/v1/appeals/{appeal['id']}/decision", json={"outcome": "upheld", "reason": "인용"},
                    headers=desk.reviewer)
    assert r.status_code == 404, r.text
    out = desk.post(f"/v1/appeals/{appeal['id']}/decision", desk.reviewers[4][1],
                    {"outcome": "upheld", "reason": "제출된 도입 확인서로 실적 요건 충족을 확인했습니다."})
    assert out["state"] == "upheld"
    assert out["outcome_seq"]

    # the rejection is set aside: the application is under review again with a new panel to come
    app = client.get(f"/v1/applications/{app_id}", headers=s.token).json()
    assert app["state"] == "under_review"
    assert app["decision_reason"] is None
    assert audit_actions(engine, app_id)[-1] == "appeal_reopen"
    assert audit_actions(engine, appeal["id"]) == ["file_appeal", "attach_document", "assign_reviewer",
                                                    "assign_reviewer", "uphold"]
    # a new panel reviews and approves (the old one's seats no longer count)
    desk.post(f"/v1/applications/{app_id}/panel", desk.admin, {"reviewers": [desk.reviewers[3][0],
                                                                             desk.reviewers[4][0]]})
    for _, tok in (desk.reviewers[3], desk.reviewers[4]):
        desk.post(f"/v1/applications/{app_id}/declaration", tok, {"has_conflict": False})
        desk.post(f"/v1/applications/{app_id}/reviews", tok, {"scores": SCORES}, expect=201)
    r = client.post(f"/v1/applications/{app_id}/decision", json={"decision": "approve", "reason": "재심사 결과 충족"},
                    headers=desk.reviewers[3][1])
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "approved", r.text

    # the supplier sees the outcome and is told, in Korean
    Dispatcher(engine, settings).step()
    notices = client.get("/v1/me/notices", params={"limit": 50}, headers=s.token).json()["items"]
    outcome = [n for n in notices if n["kind"] == "appeal_outcome"]
    assert len(outcome) == 1, notices
    assert "이의신청이 인용되었습니다" in outcome[0]["body_ko"], notices
    assert client.get(f"/v1/appeals/{appeal['id']}", headers=s.token).json()["state"] == "upheld"
    assert [a["id"] for a in client.get("/v1/appeals", headers=s.token).json()["items"]] == [appeal["id"]]
    assert client.get("/v1/appeals", headers=other.token).json()["items"] == []
    assert client.get("/v1/appeals", params={"state": "submitted"}, headers=desk.admin).json()["items"] == []
    assert len(client.get("/v1/appeals", params={"state": "upheld"}, headers=desk.admin).json()["items"]) == 1


def test_appeal_after_the_period_is_refused(client, mint, engine, settings) -> None:
    desk = Desk.open(client, mint, engine)
    s, app_id = desk.application_in("rejected")
    clock.advance(timedelta(days=settings.appeal_days, hours=1))
    try:
        r = client.post("/v1/appeals", json={"application_id": app_id, "reasons_ko": REASONS}, headers=s.token)
    finally:
        clock.reset()
    assert r.status_code == 409, r.text
    assert "30일 이내" in r.json()["detail"], r.text
    r = client.post("/v1/appeals", json={"application_id": app_id, "reasons_ko": REASONS},
                    headers={**s.token, "Accept-Language": "en"})
    assert r.status_code == 201  # back inside the period
    # nothing appealable: an application under review, another supplier's application
    s2, open_app = desk.application_in("under_review")
    r = client.post("/v1/appeals", json={"application_id": open_app, "reasons_ko": REASONS}, headers=s2.token)
    assert r.status_code == 409
    assert "이의신청할 수 있습니다" in r.json()["detail"]
    r = client.post("/v1/appeals", json={"application_id": app_id, "reasons_ko": REASONS}, headers=s2.token)
    assert r.status_code == 404


def test_revocation_appeal_dismissed_then_upheld_on_a_suspension(client, mint, engine, settings) -> None:
    desk = Desk.open(client, mint, engine, n_reviewers=6)
    s, number = desk.certificate("revoked")
    appeal = _appeal(desk, s.token, {"certificate_number": number})
    # the admin who revoked is the original panel
    r = client.post(f"/v1/admin/appeals/{appeal['id']}/panel", json={"reviewers": [desk.reviewers[4][0]]},
                    headers=desk.admin)
    assert r.status_code == 200, r.text
    desk.post(f"/v1/appeals/{appeal['id']}/decision", desk.reviewers[4][1],
              {"outcome": "dismissed", "reason": "취소 사유가 사실로 확인되었습니다."})
    public = client.get(f"/v1/public/certificates/{number}").json()
    assert public["status"] == "revoked"
    assert public["in_force"] is False
    assert public["status_reason"] == "현장 점검 결과 확인 중"  # the decision's reason still stands
    history = client.get(f"/v1/public/certificates/{number}/history").json()["events"]
    assert [e["action"] for e in history][-2:] == ["revoke", "appeal_dismissed"]

    # decided once; a reinstated or never-decided subject has nothing to appeal; wrong requests are 4xx
    r = client.post(f"/v1/appeals/{appeal['id']}/decision", headers=desk.reviewers[4][1],
                    json={"outcome": "upheld", "reason": "다시 인용합니다."})
    assert r.status_code == 409, r.text
    other = desk.supplier(name_ko="남의지정서기업")
    r = client.post("/v1/appeals", headers=other.token,
                    json={"certificate_number": number, "reasons_ko": "남의 지정서에 이의를 제기합니다."})
    assert r.status_code == 404, r.text
    r = client.post("/v1/appeals", headers=s.token, json={"reasons_ko": "대상이 없는 이의신청"})
    assert r.status_code == 422, r.text
    r = client.post("/v1/appeals", headers=s.token, json={"certificate_number": "AXR-없는-번호",
                                                          "reasons_ko": "잘못된 번호"})
    assert r.status_code == 422, r.text

    s2, suspended = desk.certificate("suspended")
    appeal2 = _appeal(desk, s2.token, {"certificate_number": suspended})
    desk.post(f"/v1/admin/appeals/{appeal2['id']}/panel", desk.admin, {"reviewers": [desk.reviewers[5][0]]})
    desk.post(f"/v1/appeals/{appeal2['id']}/decision", desk.reviewers[5][1],
              {"outcome": "upheld", "reason": "정지 사유가 해소되었음을 확인했습니다."})
    public = client.get(f"/v1/public/certificates/{suspended}").json()
    assert public["status"] == "active"
    assert public["in_force"] is True
    history = client.get(f"/v1/public/certificates/{suspended}/history").json()["events"]
    assert history[-1]["action"] == "appeal_reinstate"
    assert history[-1]["reason"] == "이의신청 인용"
    Dispatcher(engine, settings).step()
    kinds = [n["kind"] for n in client.get("/v1/me/notices", params={"limit": 50}, headers=s.token).json()["items"]]
    assert kinds[-1] == "appeal_outcome"
    r = client.post("/v1/appeals", headers=s2.token,
                    json={"certificate_number": suspended, "reasons_ko": "이미 회복된 지정서입니다."})
    assert r.status_code == 409, r.text  # in force again: nothing left to appeal
    # the log still verifies with the outcomes in it
    with unit_of_work(engine) as session:
        assert [e.action for e in events_for(session, "certificate", suspended)][-1] == "appeal_reinstate"
