"""Calls for applications (공고) through HTTP: an admin opens a call; the public lists it; an application is
submitted only while its call is open and within its field's quota; edits need If-Match and are audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core import clock
from tests.api.designation_builders import Desk, audit_actions

CALL = {"title_ko": "2027년 제1차 제조 AI 전문기업 지정 공고",
        "summary_ko": "비전 검사·예지보전 분야 지정 신청을 받습니다.", "criteria_version": "v1", "rubric_version": "v1"}


def open_call(desk: Desk, *, days: int = 30, start: int = 0, **extra: Any) -> dict[str, Any]:
    now = clock.now()
    body = {**CALL, "opens_at": (now + timedelta(days=start)).isoformat(),
            "closes_at": (now + timedelta(days=start + days)).isoformat(), **extra}
    r = desk.client.post("/v1/admin/calls", json=body, headers=desk.admin)
    assert r.status_code == 201, r.text
    assert r.headers["ETag"]
    return r.json()  # type: ignore[no-any-return]


def test_public_lists_open_calls_and_applications_need_one(client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    # before any call exists an application needs none (a registry carried over from an earlier register)
    s, legacy = desk.draft()
    call = open_call(desk, quotas={"vision_inspection": 2})
    upcoming = open_call(desk, start=10, title_ko="2027년 제2차 지정 공고")
    assert call["status"] == "open"
    assert call["status_ko"] == "접수 중"
    assert call["quotas"] == [{"field": "vision_inspection", "field_ko": "비전 검사", "quota": 2, "submitted": 0}]

    listed = client.get("/v1/public/calls").json()  # no token
    assert [c["id"] for c in listed] == [call["id"]]
    assert [c["id"] for c in client.get("/v1/public/calls", params={"status": "scheduled"}).json()] == [
        upcoming["id"]]

    # now that calls exist, the draft without one cannot be submitted
    r = client.post(f"/v1/applications/{legacy}/submit", headers=s.token)
    assert r.status_code == 422, r.text
    assert "공고를 지정하지 않은 신청" in r.json()["detail"]
    # a new application without a call is refused at once, naming the field
    s2 = desk.supplier(name_ko="비전팩토리")
    r = client.post("/v1/applications", json={"company_id": s2.company["id"]}, headers=s2.token)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["pointer"] == "#/call_id", r.text
    # with quotas the field is required
    r = client.post("/v1/applications", json={"company_id": s2.company["id"], "call_id": call["id"]},
                    headers=s2.token)
    assert r.status_code == 422, r.text
    assert "비전 검사" in r.json()["detail"], r.text
    app = desk.post("/v1/applications", s2.token, {"company_id": s2.company["id"], "call_id": call["id"],
                                                   "field": "vision_inspection"}, expect=201)
    assert app["call_id"] == call["id"]
    assert app["call_field"] == "vision_inspection"
    assert desk.post(f"/v1/applications/{app['id']}/submit", s2.token)["state"] == "under_review"
    assert client.get(f"/v1/public/calls/{call['id']}").json()["quotas"][0]["submitted"] == 1

    # an application to a call not yet open is refused with the opening time
    s3 = desk.supplier(name_ko="예지정비")
    early = desk.post("/v1/applications", s3.token, {"company_id": s3.company["id"], "call_id": upcoming["id"]},
                      expect=201)
    r = client.post(f"/v1/applications/{early['id']}/submit", headers=s3.token)
    assert r.status_code == 409, r.text
    assert "접수 중이 아닙니다" in r.json()["detail"], r.text
    r = client.post(f"/v1/applications/{early['id']}/submit", headers={**s3.token, "Accept-Language": "en"})
    assert "not open" in r.json()["detail"]


def test_quota_full_and_closed_call_refuse_submission(client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    call = open_call(desk, quotas={"vision_inspection": 1, "predictive_maintenance": 5})
    ids = []
    for name in ("딥비전", "스마트아이"):
        s = desk.supplier(name_ko=name)
        app = desk.post("/v1/applications", s.token, {"company_id": s.company["id"], "call_id": call["id"],
                                                      "field": "vision_inspection"}, expect=201)
        ids.append((s, app["id"]))
    desk.post(f"/v1/applications/{ids[0][1]}/submit", ids[0][0].token)
    r = client.post(f"/v1/applications/{ids[1][1]}/submit", headers=ids[1][0].token)
    assert r.status_code == 409, r.text
    assert "비전 검사 분야의 접수 한도(1건)가 찼습니다" in r.json()["detail"], r.text

    # the admin closes the call early: If-Match required, then no submission is taken
    etag = client.get(f"/v1/public/calls/{call['id']}").headers["ETag"]
    r = client.post(f"/v1/admin/calls/{call['id']}/close", json={"reason": "예산 소진으로 조기 마감합니다."},
                    headers=desk.admin)
    assert r.status_code == 428, r.text
    r = client.post(f"/v1/admin/calls/{call['id']}/close", json={"reason": "예산 소진으로 조기 마감합니다."},
                    headers={**desk.admin, "If-Match": etag})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "closed", r.text
    s = desk.supplier(name_ko="예지보전랩")
    r = client.post("/v1/applications", json={"company_id": s.company["id"], "call_id": call["id"],
                                              "field": "predictive_maintenance"}, headers=s.token)
    assert r.status_code == 409, r.text
    assert "마감되었습니다" in r.json()["detail"], r.text
    assert client.get("/v1/public/calls").json() == []
    assert audit_actions(engine, call["id"]) == ["open_call", "close_call"]


def test_editing_rules(client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine, n_reviewers=0)
    call = open_call(desk, quotas={"vision_inspection": 3})
    r = client.get(f"/v1/public/calls/{call['id']}")
    etag = r.headers["ETag"]
    # while open: criteria cannot change; the closing time can
    r = client.patch(f"/v1/admin/calls/{call['id']}", json={"criteria_version": "v1", "title_ko": "수정"},
                     headers={**desk.admin, "If-Match": etag})
    assert r.status_code == 409, r.text
    assert "접수 중인 공고는" in r.json()["detail"], r.text
    later = (clock.now() + timedelta(days=60)).isoformat()
    r = client.patch(f"/v1/admin/calls/{call['id']}", json={"closes_at": later, "title_ko": "2027년 제1차 공고(연장)"},
                     headers={**desk.admin, "If-Match": etag})
    assert r.status_code == 200, r.text
    assert r.json()["title_ko"] == "2027년 제1차 공고(연장)", r.text
    # the old ETag is stale now
    r = client.patch(f"/v1/admin/calls/{call['id']}", json={"title_ko": "다시"},
                     headers={**desk.admin, "If-Match": etag})
    assert r.status_code == 412
    # bad windows, unknown rubric and criteria are 422 naming the field
    now = clock.now()
    for body, pointer in (({"opens_at": now.isoformat(), "closes_at": (now - timedelta(days=1)).isoformat()},
                           "#/closes_at"),
                          ({"rubric_version": "v9"}, "#/rubric_version"),
                          ({"rubric_version": "../../etc/passwd"}, "#/rubric_version"),
                          ({"criteria_version": "v9"}, "#/criteria_version")):
        base = {**CALL, "opens_at": now.isoformat(), "closes_at": (now + timedelta(days=3)).isoformat()}
        r = client.post("/v1/admin/calls", json={**base, **body}, headers=desk.admin)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["pointer"] == pointer, r.text
    # not the admin's: a supplier cannot open a call
    supplier = {"Authorization": f"Bearer {mint('supplier')}"}
    assert client.post("/v1/admin/calls", json=CALL, headers=supplier).status_code == 403
    assert client.get("/v1/public/calls/nope").status_code == 404
    r = client.post("/v1/admin/calls", headers=desk.admin, json={**CALL, "opens_at": "0001-01-01T00:00:00+14:00",
                                                                 "closes_at": "9999-12-31T23:59:59-14:00"})
    assert r.status_code == 422, r.text
