"""The reviewer's pages through HTTP: the queue, the declaration before anything else, an application of another
panel answering the same 404 as a missing one, forms without their CSRF token refused with nothing written, and
the service's refusals (quorum) shown on the page in Korean (the browser journey: test_web_reviewer_browser.py)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.api.reviewer_helpers import EVIDENCE, register_reviewer, seated_application
from tests.api.web_helpers import account, hidden_fields, signed_in
from tests.conftest import bearer

SCORES = {"technology": 4, "manufacturing_fit": 4, "track_record": 4, "delivery": 4, "growth_tips": 3}


@pytest.fixture
def http(app):
    with TestClient(app, base_url="http://localhost", raise_server_exceptions=False) as c:
        yield c


def _reviewers(http, app, mint, *names: str) -> list[str]:
    admin = bearer(mint("admin", org="ministry"))
    subs = []
    for name in names:
        user = account(http, app, name, role="reviewer", org="ministry")
        register_reviewer(http, admin, user["id"], name)
        subs.append(user["id"])
    return subs


def test_queue_declaration_first_then_screening_facts_and_documents(http, app, mint):
    r1, r2 = _reviewers(http, app, mint, "rev.kim", "rev.lee")
    app_id = seated_application(http, mint, [r1, r2])
    with signed_in(app, "rev.kim") as c:
        r = c.get("/web", follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"] == "/web/reviewer"
        queue = c.get("/web/reviewer")
        assert queue.status_code == 200
        assert f"/web/reviewer/applications/{app_id}" in queue.text
        assert "이해충돌 신고 필요" in queue.text

        page = c.get(f"/web/reviewer/applications/{app_id}")
        assert page.status_code == 200
        assert "<h1>이해충돌 신고</h1>" in page.text
        assert EVIDENCE not in page.text
        assert "자격 요건 검토 결과" not in page.text
        docs = http.get(f"/v1/applications/{app_id}/documents", headers=bearer(mint("admin"))).json()
        assert c.get(f"/web/reviewer/documents/{docs[0]['id']}").status_code == 404  # not before declaring

        # a form without its CSRF token: 403 in Korean, nothing declared
        for sent in ({}, {"csrf_token": "위조된-토큰"}):
            r = c.post(f"/web/reviewer/applications/{app_id}/declaration", data={**sent, "has_conflict": "no"})
            assert r.status_code == 403
            assert "보안 확인 토큰(CSRF)" in r.text
        assert "<h1>이해충돌 신고</h1>" in c.get(f"/web/reviewer/applications/{app_id}").text

        r = c.post(f"/web/reviewer/applications/{app_id}/declaration",
                   data={"csrf_token": hidden_fields(page.text)["csrf_token"], "has_conflict": "no"})
        assert r.status_code == 200, r.text
        assert "자격 요건 검토 결과와 증빙" in r.text
        assert "제출 시점에 고정된 사실" in r.text
        assert EVIDENCE in r.text
        download = c.get(f"/web/reviewer/documents/{docs[0]['id']}")
        assert download.status_code == 200
        assert download.content.startswith(b"%PDF")
        assert "attachment" in download.headers["content-disposition"]

        # scoring without CSRF is refused; with it the review is the API's
        form = {f"score_{k}": str(v) for k, v in SCORES.items()}
        assert c.post(f"/web/reviewer/applications/{app_id}/reviews", data=form).status_code == 403
        reviews = http.get(f"/v1/applications/{app_id}/reviews", headers=bearer(mint("admin"))).json()
        assert reviews == []
        csrf = hidden_fields(r.text)["csrf_token"]
        r = c.post(f"/web/reviewer/applications/{app_id}/reviews", data={**form, "csrf_token": csrf,
                                                                          "comments": "현장 적용 사례가 구체적임"})
        assert r.status_code == 200, r.text
        assert 'id="own-review"' in r.text
        reviews = http.get(f"/v1/applications/{app_id}/reviews", headers=bearer(mint("admin"))).json()
        assert [x["scores"] for x in reviews] == [SCORES]

        # one review of a quorum of two: the service's refusal on the page, nothing decided
        r = c.post(f"/web/reviewer/applications/{app_id}/decision",
                   data={"csrf_token": csrf, "decision": "approve", "reason": "기준 충족",
                         "fields": ["vision_inspection"]})  # the form ticks every field applied for
        assert r.status_code == 409
        assert "제출된 평가가 정족수에 미달합니다: 제출 1건, 정족수 2건" in r.text
        state = http.get(f"/v1/applications/{app_id}", headers=bearer(mint("admin"))).json()["state"]
        assert state == "under_review"


def test_an_application_of_another_panel_is_the_same_404_as_a_missing_one(http, app, mint):
    r1, r2 = _reviewers(http, app, mint, "rev.park", "rev.choi")
    theirs = seated_application(http, mint, [r2])
    with signed_in(app, "rev.park") as c:
        other = c.get(f"/web/reviewer/applications/{theirs}")
        missing = c.get("/web/reviewer/applications/no-such-application")
        assert other.status_code == missing.status_code == 404
        # the same page but for the id and its particle (을/를 follows the id's last sound)
        assert re.sub(f"{theirs}(&#39;[을를])?", "ID", other.text) == \
            re.sub("no-such-application(&#39;[을를])?", "ID", missing.text)
        assert 'lang="ko"' in other.text
        page = c.get("/web/reviewer").text
        assert theirs not in page
        r = c.post(f"/web/reviewer/applications/{theirs}/declaration",
                   data={"csrf_token": hidden_fields(page)["csrf_token"], "has_conflict": "no"})
        assert r.status_code == 404


def test_a_declared_conflict_removes_the_reviewer_and_shows_nothing(http, app, mint):
    (r1,) = _reviewers(http, app, mint, "rev.jung")
    app_id = seated_application(http, mint, [r1])
    with signed_in(app, "rev.jung") as c:
        page = c.get(f"/web/reviewer/applications/{app_id}")
        r = c.post(f"/web/reviewer/applications/{app_id}/declaration",
                   data={"csrf_token": hidden_fields(page.text)["csrf_token"], "has_conflict": "yes",
                         "note": "신청 기업의 자문위원으로 활동함"})
        assert r.status_code == 200
        assert 'id="excluded"' in r.text
        assert EVIDENCE not in r.text


def test_other_roles_are_kept_off_the_reviewer_pages(http, app, mint):
    account(http, app, "kim.sme", org="org_x")
    with signed_in(app, "kim.sme") as c:
        r = c.get("/web/reviewer")
        assert r.status_code == 403
        assert "심사위원 계정으로 로그인해야" in r.text


def test_a_supplement_request_goes_through_the_service(http, app, mint):
    (r1,) = _reviewers(http, app, mint, "rev.han")
    app_id = seated_application(http, mint, [r1])
    with signed_in(app, "rev.han") as c:
        page = c.get(f"/web/reviewer/applications/{app_id}")
        csrf = hidden_fields(page.text)["csrf_token"]
        c.post(f"/web/reviewer/applications/{app_id}/declaration", data={"csrf_token": csrf, "has_conflict": "no"})
        r = c.post(f"/web/reviewer/applications/{app_id}/supplement", data={"csrf_token": csrf, "message": "  "})
        assert r.status_code == 400
        assert "보완 요청 내용을 적어 주세요." in r.text
        r = c.post(f"/web/reviewer/applications/{app_id}/supplement",
                   data={"csrf_token": csrf, "message": "도입 실적의 불량률 측정 근거를 보완해 주세요."})
        assert r.status_code == 200
        assert "보완 요청:" in r.text
        assert 'id="score-form"' not in r.text  # no scoring while the supplier supplements
    got = http.get(f"/v1/applications/{app_id}", headers=bearer(mint("admin"))).json()
    assert got["state"] == "supplement_requested"
    assert got["supplement_message"] == "도입 실적의 불량률 측정 근거를 보완해 주세요."
