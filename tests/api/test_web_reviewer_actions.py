"""The reviewer's further actions on the web, through HTTP: recording the confirmed business status (E1), an
approval that designates only some of the fields applied for, and the certificate actions (suspend with a
reason, reinstate), each through the API's service and visible through the API afterwards."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from certification import numbers
from tests.api.reviewer_helpers import register_reviewer, seated_application
from tests.api.web_helpers import account, hidden_fields, sign_in
from tests.conftest import bearer

SCORES = {"technology": 4, "manufacturing_fit": 5, "track_record": 4, "delivery": 4, "growth_tips": 4}


@pytest.fixture
def http(app):
    with TestClient(app, base_url="http://localhost", raise_server_exceptions=False) as c:
        yield c


def _reviewer(http, app, mint, name: str) -> str:
    user = account(http, app, name, role="reviewer", org="ministry")
    register_reviewer(http, bearer(mint("admin", org="ministry")), user["id"], name)
    return str(user["id"])


def _client(app, username: str) -> TestClient:
    c = TestClient(app, base_url="http://localhost", raise_server_exceptions=False)
    assert sign_in(c, username).status_code == 303
    return c


def _declared_and_scored(c: TestClient, app_id: str) -> str:
    page = c.get(f"/web/reviewer/applications/{app_id}")
    csrf = hidden_fields(page.text)["csrf_token"]
    r = c.post(f"/web/reviewer/applications/{app_id}/declaration", data={"csrf_token": csrf, "has_conflict": "no"})
    assert r.status_code == 200, r.text
    r = c.post(f"/web/reviewer/applications/{app_id}/reviews",
               data={"csrf_token": csrf, **{f"score_{k}": str(v) for k, v in SCORES.items()}})
    assert r.status_code == 200, r.text
    return csrf


def test_business_status_then_an_approval_of_one_of_two_fields_then_suspend_and_reinstate(http, app, mint):
    admin = bearer(mint("admin", org="ministry"))
    subs = [_reviewer(http, app, mint, "rev.oh"), _reviewer(http, app, mint, "rev.yoon")]
    app_id = seated_application(http, mint, subs, also=("predictive_maintenance",))

    with _client(app, "rev.yoon") as other:
        _declared_and_scored(other, app_id)
    with _client(app, "rev.oh") as c:
        csrf = _declared_and_scored(c, app_id)
        page = c.get(f"/web/reviewer/applications/{app_id}").text
        assert 'id="business-status-form"' in page
        assert 'id="field-vision_inspection"' in page
        assert 'id="field-predictive_maintenance"' in page

        # E1: the form refuses an empty note in Korean; a confirmation re-screens through the service
        r = c.post(f"/web/reviewer/applications/{app_id}/business-status",
                   data={"csrf_token": csrf, "status": "active", "note": " "})
        assert r.status_code == 400
        assert "어디서 언제 확인했는지" in r.text
        r = c.post(f"/web/reviewer/applications/{app_id}/business-status",
                   data={"csrf_token": csrf, "status": "active",
                         "note": "홈택스 사업자등록 상태조회(2026-12-08): 계속사업자"})
        assert r.status_code == 200, r.text
        assert "지금 기록: 계속사업자" in r.text
        check = http.get(f"/v1/applications/{app_id}", headers=admin).json()["screening"]["business_check"]
        assert check["status"] == "active"
        assert check["note"].startswith("홈택스")

        # approving with no field ticked is refused; with one ticked the certificate covers that one only
        r = c.post(f"/web/reviewer/applications/{app_id}/decision",
                   data={"csrf_token": csrf, "decision": "approve", "reason": "기준 충족"})
        assert r.status_code == 400
        assert "승인할 지정 분야를 하나 이상 골라 주세요." in r.text
        r = c.post(f"/web/reviewer/applications/{app_id}/decision",
                   data={"csrf_token": csrf, "decision": "approve", "reason": "비전 검사 분야만 실적 충족",
                         "fields": ["vision_inspection"]})
        assert r.status_code == 200, r.text
        decided = http.get(f"/v1/applications/{app_id}", headers=admin).json()
        assert decided["state"] == "approved"
        company_id = decided["company_id"]
        (cert,) = http.get(f"/v1/certificates?company_id={company_id}", headers=admin).json()["items"]
        assert cert["scope"] == ["vision_inspection"]

        # the certificate's page: a suspension needs its reason; with it, the API sees the suspension
        number = cert["number"]
        found = c.get(f"/web/certificates?number={number}", follow_redirects=True)
        assert found.status_code == 200
        assert f"지정서 {number}" in found.text
        assert 'id="suspend-form"' in found.text
        assert 'id="reinstate-form"' not in found.text
        r = c.post(f"/web/certificates/{number}/suspend", data={"csrf_token": csrf, "reason": ""})
        assert r.status_code == 422, r.text
        assert 'role="alert"' in r.text
        assert http.get(f"/v1/certificates/{number}", headers=admin).json()["status"] == "active"
        assert c.post(f"/web/certificates/{number}/suspend",  # no CSRF token: nothing done
                      data={"reason": "성과보고 미제출"}).status_code == 403
        r = c.post(f"/web/certificates/{number}/suspend", data={"csrf_token": csrf, "reason": "성과보고 미제출"})
        assert r.status_code == 200, r.text
        assert "효력 정지 (성과보고 미제출)" in r.text
        assert 'id="reinstate-form"' in r.text
        assert http.get(f"/v1/certificates/{number}", headers=admin).json()["status"] == "suspended"
        r = c.post(f"/web/certificates/{number}/reinstate", data={"csrf_token": csrf, "reason": ""})
        assert r.status_code == 200, r.text
        assert http.get(f"/v1/certificates/{number}", headers=admin).json()["status"] == "active"

        missing = c.get(f"/web/certificates/{numbers.generate(2026)}")  # well-formed, issued to no one
        assert missing.status_code == 404
        assert 'lang="ko"' in missing.text
        assert c.get("/web/certificates/지정서-아님").status_code == 422  # not a certificate number at all


def test_the_certificate_pages_are_for_reviewers_and_admins(http, app, mint):
    account(http, app, "park.sme", org="org_cert_sme")
    with _client(app, "park.sme") as c:
        r = c.get("/web/certificates")
        assert r.status_code == 403
        assert "심사위원이나 관리자 계정으로" in r.text
