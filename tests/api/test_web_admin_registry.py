"""The officer's registry pages through HTTP: accepting and returning completions, opening and closing calls
(the close form's version checked as If-Match), seating a panel, disabling and enabling users (a disabled
user's web session ends on its next request) and rotating a client's secret (shown once). Each through the
API's services: refusals shown in Korean with the input kept and nothing written, forms without their CSRF
token refused, other roles refused, missing objects the 404 page (browser: test_web_admin_registry_browser.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from certification.models import Application
from tests.api import programme_helpers as h
from tests.api.portal_helpers import portal_client
from tests.api.reviewer_helpers import register_reviewer, seated_application
from tests.api.web_helpers import PASSWORD, account, hidden_fields, signed_in
from tests.conftest import bearer

KST = timezone(timedelta(hours=9))
NOWHERE = "00000000-0000-0000-0000-000000000000"
PAGES = ("/web/admin/completions", "/web/admin/calls", "/web/admin/panels", f"/web/admin/panels/{NOWHERE}",
         "/web/admin/users", "/web/admin/clients")
POSTS = (f"/web/admin/completions/{NOWHERE}/accept", f"/web/admin/completions/{NOWHERE}/return",
         "/web/admin/calls", f"/web/admin/calls/{NOWHERE}/close", f"/web/admin/panels/{NOWHERE}",
         f"/web/admin/users/{NOWHERE}/disable", f"/web/admin/users/{NOWHERE}/enable",
         "/web/admin/clients/axr_nowhere/secret")


@pytest.fixture
def http(app):
    with TestClient(app, base_url="http://localhost", raise_server_exceptions=False) as c:
        yield c


def _officer(http, app, name: str = "officer.kim"):
    account(http, app, name, role="admin", org="ministry")
    return signed_in(app, name)


def _csrf(c, url: str = "/web/admin") -> str:
    return hidden_fields(c.get(url).text)["csrf_token"]


def _completed(http, mint) -> tuple[dict, str]:
    """A completed project with the post-consultant's evaluation, waiting for the officer."""
    admin = bearer(mint("admin", org="ministry"))
    n = h.number(61)
    _, smes = h.cohort_with_smes(client=http, mint=mint, admin=admin, numbers=[n], encoding="utf-8")
    sme = smes[n]["token"]
    _, _, (solution_id,), _ = h.supplier(http, mint, admin)
    expert = h.consultant(http, mint, admin, "web-completion-expert")
    pid = h.project(http, sme)["id"]
    h.completed(http, admin, sme, pid, solution_id, expert, accept=False)
    return admin, pid


def _state(http, admin, pid: str) -> str:
    return str(http.get(f"/v1/programme/projects/{pid}", headers=admin).json()["state"])


def test_officer_accepts_a_completion_and_the_refusals_are_shown_in_korean(http, app, mint):
    admin, pid = _completed(http, mint)
    with _officer(http, app) as c:
        start = c.get("/web/admin")
        assert 'href="/web/admin/completions"' in start.text
        assert "/completion/accept" in start.text  # the start page names the API's route too
        page = c.get("/web/admin/completions")
        assert page.status_code == 200
        assert f'id="project-{pid}"' in page.text
        token = hidden_fields(page.text)["csrf_token"]

        assert c.post(f"/web/admin/completions/{pid}/accept").status_code == 403  # no CSRF token
        r = c.post(f"/web/admin/completions/{pid}/return", data={"csrf_token": token, "reason": "  "})
        assert r.status_code == 422  # the API's CompletionReturn: a reason is required
        assert 'id="form-error"' in r.text
        assert "처리하지 못했습니다." in r.text
        assert _state(http, admin, pid) == "completed"

        r = c.post(f"/web/admin/completions/{pid}/accept", data={"csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303
        assert "완료를 승인했습니다." in c.get(r.headers["location"]).text
        assert _state(http, admin, pid) == "accepted"
        assert http.get("/v1/reports/kpis", headers=admin).json()["overall"]["adopted_smes"] == 1

        again = c.post(f"/web/admin/completions/{pid}/return", data={"csrf_token": token, "reason": "보완 필요"})
        assert again.status_code == 409  # the lifecycle's refusal, in Korean, nothing written
        assert "할 수 없습니다" in again.text
        assert _state(http, admin, pid) == "accepted"


def test_a_completion_is_returned_with_its_reason(http, app, mint):
    admin, pid = _completed(http, mint)
    with _officer(http, app) as c:
        r = c.post(f"/web/admin/completions/{pid}/return", data={"csrf_token": _csrf(c), "reason": "정확도 보완"},
                   follow_redirects=False)
        assert r.status_code == 303
    project = http.get(f"/v1/programme/projects/{pid}", headers=admin).json()
    assert (project["state"], project["state_reason"]) == ("in_progress", "정확도 보완")


def _call_form(token: str, **changes: str) -> dict[str, str]:
    now = datetime.now(KST)
    return {"csrf_token": token, "title_ko": "2027년 제1차 제조 AI 전문기업 지정 공고",
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
            "criteria_version": "v1", "rubric_version": "v1", "quota_vision_inspection": "5", **changes}


def _calls(http) -> list[dict]:
    return list(http.get("/v1/public/calls", params={"status": "all"}).json())


def test_officer_opens_and_closes_a_call_with_the_version_it_showed(http, app):
    with _officer(http, app) as c:
        token = _csrf(c, "/web/admin/calls")
        assert c.post("/web/admin/calls", data={k: v for k, v in _call_form(token).items()
                                                if k != "csrf_token"}).status_code == 403
        # the service's refusal (an unknown criteria version): Korean, the typed title kept, nothing written
        r = c.post("/web/admin/calls", data=_call_form(token, criteria_version="v99"))
        assert r.status_code == 422
        assert "자격 기준 버전" in r.text
        assert "없습니다" in r.text
        assert 'value="2027년 제1차 제조 AI 전문기업 지정 공고"' in r.text
        assert 'value="5"' in r.text
        r = c.post("/web/admin/calls", data=_call_form(token, closes_at="2020-01-01T09:00"))
        assert r.status_code == 422
        assert "마감 시각" in r.text
        assert _calls(http) == []

        r = c.post("/web/admin/calls", data=_call_form(token), follow_redirects=False)
        assert r.status_code == 303
        page = c.get(r.headers["location"])
        assert "공고를 게시했습니다." in page.text
        (call,) = _calls(http)
        assert call["status"] == "open"
        assert [(q["field"], q["quota"]) for q in call["quotas"]] == [("vision_inspection", 5)]
        assert "비전 검사 0/5" in page.text

        # a stale version (the call changed since the page was shown): 412 in Korean, the reason kept
        r = c.post(f"/web/admin/calls/{call['id']}/close",
                   data={"csrf_token": token, "version": "0", "reason": "예산 소진으로 조기 마감합니다."})
        assert r.status_code == 412
        assert "다른 사용자가 먼저 수정했습니다" in r.text
        assert 'value="예산 소진으로 조기 마감합니다."' in r.text
        assert _calls(http)[0]["status"] == "open"
        version = hidden_fields(page.text)["version"]
        r = c.post(f"/web/admin/calls/{call['id']}/close",
                   data={"csrf_token": token, "version": version, "reason": "예산 소진으로 조기 마감합니다."},
                   follow_redirects=False)
        assert r.status_code == 303
        closed = _calls(http)[0]
        assert (closed["status"], closed["close_reason"]) == ("closed", "예산 소진으로 조기 마감합니다.")
        assert c.post(f"/web/admin/calls/{NOWHERE}/close",
                      data={"csrf_token": token, "version": "1", "reason": "사유"}).status_code == 404


def test_officer_seats_a_panel_and_a_conflict_is_refused_in_korean(http, app, mint):
    admin = bearer(mint("admin", org="ministry"))
    subs = []
    for name in ("rev.kim", "rev.lee"):
        user = account(http, app, name, role="reviewer", org="ministry")
        register_reviewer(http, admin, user["id"], name)
        subs.append(user["id"])
    app_id = seated_application(http, mint, [subs[0]])
    with Session(app.state.engine) as db:  # the applicant's organisation, to record a reviewer related to it
        applicant = db.get(Application, app_id).applicant_org
    r = http.post("/v1/admin/reviewers", headers=admin,
                  json={"sub": "rev-related", "name": "관련 심사위원", "org": "ministry", "related_orgs": [applicant]})
    assert r.status_code == 201, r.text
    with _officer(http, app) as c:
        listing = c.get("/web/admin/panels")
        assert f'href="/web/admin/panels/{app_id}"' in listing.text
        page = c.get(f"/web/admin/panels/{app_id}")
        assert page.status_code == 200
        assert "rev.lee" in page.text
        assert "관련 심사위원" in page.text
        token = hidden_fields(page.text)["csrf_token"]
        assert c.post(f"/web/admin/panels/{app_id}", data={"reviewers": [subs[1]]}).status_code == 403

        r = c.post(f"/web/admin/panels/{app_id}", data={"csrf_token": token, "reviewers": [subs[1], "rev-related"]})
        assert r.status_code == 403  # the service's ConflictOfInterest, in Korean; the choice kept
        assert "이해충돌" in r.text
        assert 'id="form-error"' in r.text
        assert r.text.count(" checked>") == 2
        panel = http.get(f"/v1/applications/{app_id}/panel", headers=admin).json()
        assert [s["reviewer_sub"] for s in panel] == [subs[0]]  # nothing written

        r = c.post(f"/web/admin/panels/{app_id}", data={"csrf_token": token}, follow_redirects=False)
        assert r.status_code == 422  # PanelAssign: at least one reviewer
        r = c.post(f"/web/admin/panels/{app_id}", data={"csrf_token": token, "reviewers": [subs[1]]},
                   follow_redirects=False)
        assert r.status_code == 303
        assert "심사위원을 배정했습니다." in c.get(r.headers["location"]).text
        panel = http.get(f"/v1/applications/{app_id}/panel", headers=admin).json()
        assert sorted(s["reviewer_sub"] for s in panel) == sorted(subs)
        assert c.post(f"/web/admin/panels/{NOWHERE}", data={"csrf_token": token,
                                                            "reviewers": [subs[1]]}).status_code == 404


def test_a_disabled_users_web_session_ends_on_its_next_request(http, app):
    sme = account(http, app, "sme.han", role="sme", org="bizno:1018212345")
    with _officer(http, app) as c, signed_in(app, "sme.han") as victim:
        assert victim.get("/web/sme", follow_redirects=False).status_code == 200
        page = c.get("/web/admin/users")
        assert "sme.han" in page.text
        assert "수요기업" in page.text
        token = hidden_fields(page.text)["csrf_token"]
        assert c.post(f"/web/admin/users/{sme['id']}/disable").status_code == 403
        assert victim.get("/web/sme", follow_redirects=False).status_code == 200

        r = c.post(f"/web/admin/users/{sme['id']}/disable", data={"csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303
        assert "계정 사용을 중지했습니다." in c.get(r.headers["location"]).text
        ended = victim.get("/web/sme", follow_redirects=False)
        assert (ended.status_code, ended.headers["location"]) == (303, "/web/signin?ended=1")
        refused = http.post("/v1/oauth/token", data={"grant_type": "password", "username": "sme.han",
                                                     "password": PASSWORD})
        assert refused.status_code == 400, refused.text  # RFC 6749 5.2: invalid_grant, as a wrong password
        assert refused.json()["error"] == "invalid_grant"

        r = c.post(f"/web/admin/users/{sme['id']}/enable", data={"csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303
        again = http.post("/v1/oauth/token", data={"grant_type": "password", "username": "sme.han",
                                                   "password": PASSWORD})
        assert again.status_code == 200, again.text
        assert c.post(f"/web/admin/users/{NOWHERE}/disable", data={"csrf_token": token}).status_code == 404


def test_an_officer_cannot_disable_their_own_account(http, app):
    officer = account(http, app, "officer.self", role="admin", org="ministry")
    with signed_in(app, "officer.self") as c:
        r = c.post(f"/web/admin/users/{officer['id']}/disable", data={"csrf_token": _csrf(c)})
        assert r.status_code == 409
        assert "자기 계정은 사용 중지할 수 없습니다." in r.text
        assert c.get("/web/admin/users").status_code == 200  # still active, still signed in


def test_rotating_a_client_secret_shows_it_once(http, app, mint):
    cid, old = portal_client(http, mint)
    with _officer(http, app) as c:
        page = c.get("/web/admin/clients")
        assert cid in page.text
        token = hidden_fields(page.text)["csrf_token"]
        assert c.post(f"/web/admin/clients/{cid}/secret").status_code == 403
        r = c.post(f"/web/admin/clients/{cid}/secret", data={"csrf_token": token})
        assert r.status_code == 200
        assert "새 클라이언트 비밀은 지금 한 번만 보여 줍니다." in r.text
        new = r.text.split('<code id="secret">')[1].split("</code>")[0]
        assert new
        assert new != old
        assert new not in c.get("/web/admin/clients").text  # shown once
        assert c.post("/web/admin/clients/axr_nowhere/secret", data={"csrf_token": token}).status_code == 404
    grant = {"grant_type": "client_credentials", "client_id": cid}
    assert http.post("/v1/oauth/token", data={**grant, "client_secret": old}).status_code == 400
    assert http.post("/v1/oauth/token", data={**grant, "client_secret": new}).status_code == 200


def test_other_roles_are_refused_the_registry_pages(http, app):
    account(http, app, "rev.choi", role="reviewer", org="ministry")
    account(http, app, "sme.han", role="sme", org="bizno:1018212345")
    for username in ("rev.choi", "sme.han"):
        with signed_in(app, username) as c:
            for url in PAGES:
                r = c.get(url)
                assert r.status_code == 403, (username, url)
                assert "사업 담당관(관리자) 계정으로 로그인해야 볼 수 있는 화면입니다." in r.text
            token = hidden_fields(c.get("/web", follow_redirects=True).text).get("csrf_token", "")
            for url in POSTS:
                assert c.post(url, data={"csrf_token": token}).status_code == 403, (username, url)
    for url in PAGES:
        r = http.get(url, follow_redirects=False)
        assert (r.status_code, r.headers["location"]) == (303, "/web/signin")
