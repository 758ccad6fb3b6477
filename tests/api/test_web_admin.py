"""The programme officer's pages through HTTP: the start page, budget approvals through the API's service
(a refusal of the cap shown on the page in Korean with nothing written, the reason kept), forms without their
CSRF token refused, other roles refused every page, a line under another project's address answering the
same 404 as a missing one, and the KPI dashboard with the API's charts (the browser journey:
test_web_admin_browser.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api import programme_helpers as h
from tests.api.web_helpers import account, hidden_fields, signed_in
from tests.cli.runner import axr_in_process
from tests.conftest import bearer

M = 1_000_000
PAGES = ("/web/admin", "/web/admin/budgets", "/web/admin/kpis", "/web/admin/kpis/charts/adoption.png",
         "/web/admin/selection", "/web/admin/selection/2026")


@pytest.fixture
def http(app):
    with TestClient(app, base_url="http://localhost", raise_server_exceptions=False) as c:
        yield c


def _pending(http, mint) -> tuple[dict, str, str, list[dict]]:
    """An SME's planned project with two submitted 2026 government lines (150M, 100M) under a 1,000M envelope."""
    admin = bearer(mint("admin", org="ministry"))
    n = h.number(61)
    _, smes = h.cohort_with_smes(client=http, mint=mint, admin=admin, numbers=[n], encoding="utf-8")
    sme = smes[n]["token"]
    pid = h.project(http, sme)["id"]
    h.envelope(http, admin, gov_krw=1_000 * M)
    lines = []
    for amount in (150 * M, 100 * M):
        r = http.post(f"/v1/programme/projects/{pid}/budget-lines", headers=sme,
                      json={"year": 2026, "source": "gov", "amount_krw": amount, "stage": "data_collection"})
        assert r.status_code == 201, r.text
        lines.append(r.json())
    return admin, sme, pid, lines


def _statuses(http, admin, pid: str) -> list[str]:
    lines = http.get(f"/v1/programme/projects/{pid}", headers=admin).json()["budget_lines"]
    return [x["status"] for x in sorted(lines, key=lambda x: -x["amount_krw"])]


def test_officer_approves_a_line_and_the_cap_refusal_is_shown_in_korean(http, app, mint):
    admin, _, pid, (first, second) = _pending(http, mint)
    account(http, app, "officer.kim", role="admin", org="ministry")
    with signed_in(app, "officer.kim") as c:
        r = c.get("/web", follow_redirects=False)
        assert r.headers["location"] == "/web/admin"
        start = c.get("/web/admin")
        assert start.status_code == 200
        assert "승인 대기 예산" in start.text
        assert '<span class="tag" id="pending-count">2건</span>' in start.text

        page = c.get("/web/admin/budgets")
        assert page.status_code == 200
        assert page.text.count('class="card line"') == 2
        assert "한빛정밀0 주식회사" in page.text
        assert "1.5억 원" in page.text
        token = hidden_fields(page.text)["csrf_token"]

        r = c.post(f"/web/admin/budgets/{pid}/{first['id']}/approve", data={"csrf_token": token},
                   follow_redirects=False)
        assert r.status_code == 303, r.text
        assert "승인했습니다." in c.get(r.headers["location"]).text
        assert _statuses(http, admin, pid) == ["approved", "submitted"]

        # 150M + 100M is over the 200M yearly cap: the service refuses, the page says why, nothing is written
        r = c.post(f"/web/admin/budgets/{pid}/{second['id']}/approve", data={"csrf_token": token})
        assert r.status_code == 422
        assert "연간 한도 2억 원을 넘습니다" in r.text
        assert 'id="form-error"' in r.text
        assert _statuses(http, admin, pid) == ["approved", "submitted"]

        # a return without a reason is refused by the API's schema, in Korean
        r = c.post(f"/web/admin/budgets/{pid}/{second['id']}/return", data={"csrf_token": token, "reason": " "})
        assert r.status_code == 422
        assert _statuses(http, admin, pid) == ["approved", "submitted"]
        r = c.post(f"/web/admin/budgets/{pid}/{second['id']}/return",
                   data={"csrf_token": token, "reason": "한도를 넘어 반려합니다"}, follow_redirects=False)
        assert r.status_code == 303
        lines = http.get(f"/v1/programme/projects/{pid}", headers=admin).json()["budget_lines"]
        returned = next(x for x in lines if x["id"] == second["id"])
        assert (returned["status"], returned["decision_reason"]) == ("returned", "한도를 넘어 반려합니다")
        assert "승인을 기다리는 예산 항목이 없습니다." in c.get("/web/admin/budgets").text

        # an already decided line: the service's 409, in Korean on the page
        r = c.post(f"/web/admin/budgets/{pid}/{second['id']}/approve", data={"csrf_token": token})
        assert r.status_code == 409
        assert "이미 반려된 예산 항목입니다." in r.text


def test_forms_without_their_csrf_token_are_refused_with_nothing_written(http, app, mint):
    admin, _, pid, (first, _) = _pending(http, mint)
    account(http, app, "officer.lee", role="admin", org="ministry")
    with signed_in(app, "officer.lee") as c:
        for action, extra in (("approve", {}), ("return", {"reason": "사유"})):
            for sent in ({}, {"csrf_token": "위조된-토큰"}):
                r = c.post(f"/web/admin/budgets/{pid}/{first['id']}/{action}", data={**sent, **extra})
                assert r.status_code == 403
                assert "보안 확인 토큰(CSRF)" in r.text
    assert _statuses(http, admin, pid) == ["submitted", "submitted"]


def test_a_line_under_another_address_answers_the_same_404_as_a_missing_one(http, app, mint):
    admin, sme, pid, (first, _) = _pending(http, mint)
    other = h.project(http, sme, need_text="설비 데이터를 모아 고장을 미리 알고 싶습니다")["id"]
    account(http, app, "officer.park", role="admin", org="ministry")
    with signed_in(app, "officer.park") as c:
        token = hidden_fields(c.get("/web/admin/budgets").text)["csrf_token"]
        moved = c.post(f"/web/admin/budgets/{other}/{first['id']}/approve", data={"csrf_token": token})
        missing = c.post(f"/web/admin/budgets/{pid}/00000000-0000-0000-0000-000000000000/approve",
                         data={"csrf_token": token})
        nowhere = c.post(f"/web/admin/budgets/00000000-0000-0000-0000-000000000000/{first['id']}/approve",
                         data={"csrf_token": token})
        assert moved.status_code == missing.status_code == nowhere.status_code == 404
        assert "찾을 수 없습니다" in moved.text
    assert _statuses(http, admin, pid) == ["submitted", "submitted"]


def test_other_roles_are_refused_every_officer_page(http, app, mint):
    account(http, app, "rev.choi", role="reviewer", org="ministry")
    account(http, app, "sme.han", role="sme", org="bizno:1018212345")
    for username in ("rev.choi", "sme.han"):
        with signed_in(app, username) as c:
            for url in PAGES:
                r = c.get(url, headers={"accept": "text/html"})
                assert r.status_code == 403, (username, url)
                assert "사업 담당관(관리자) 계정으로 로그인해야 볼 수 있는 화면입니다." in r.text
            page = c.get("/web", follow_redirects=True)
            token = hidden_fields(page.text).get("csrf_token", "")
            r = c.post("/web/admin/budgets/x/y/approve", data={"csrf_token": token})
            assert r.status_code == 403
    for url in PAGES:  # no session: the sign-in form
        r = http.get(url, follow_redirects=False)
        assert (r.status_code, r.headers["location"]) == (303, "/web/signin")


def test_kpi_dashboard_shows_the_report_in_korean_with_the_apis_charts(http, app, mint):
    admin, _, _, _ = _pending(http, mint)
    account(http, app, "officer.jung", role="admin", org="ministry")
    api = http.get("/v1/reports/kpis", headers=admin).json()
    with signed_in(app, "officer.jung") as c:
        page = c.get("/web/admin/kpis")
        assert page.status_code == 200
        assert "<h1>성과지표 대시보드</h1>" in page.text
        assert f"{api['overall']['adopted_smes']}/{api['overall']['population']}곳" in page.text
        assert "2030년 6월 전망(추정)" in page.text or "전망" in page.text
        assert 'alt="AI 도입률 추이 선 그래프' in page.text
        assert "2026년 예산 총액 10억 원" in page.text
        for name in ("adoption", "designated", "budget", "regions"):
            png = c.get(f"/web/admin/kpis/charts/{name}.png")
            assert png.status_code == 200
            assert png.headers["content-type"] == "image/png"
            assert png.content.startswith(b"\x89PNG")
        assert c.get("/web/admin/kpis/charts/secret.png").status_code == 422


def test_selection_round_runs_through_the_service_and_a_refusal_is_shown_in_korean(http, app, settings, mint):
    assert axr_in_process(settings, "demo", "load").exit_code == 0
    admin = bearer(mint("admin", org="ministry"))
    before = http.get("/v1/programme/selection/2027/runs/latest", headers=admin).json()
    with signed_in(app, "admin", "demo-password-admin") as c:
        listing = c.get("/web/admin/selection")
        assert listing.status_code == 200
        assert "/web/admin/selection/2027" in listing.text
        page = c.get("/web/admin/selection/2027")
        assert page.status_code == 200
        assert page.text.count("<tr><th scope=\"row\">", page.text.index('id="decisions-selected"'),
                               page.text.index('id="waitlisted-title"')) == before["selected"]
        assert 'id="decisions-waitlisted"' in page.text
        token = hidden_fields(page.text)["csrf_token"]

        r = c.post("/web/admin/selection/2027/run", data={"csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303
        assert "선정을 실행했습니다." in c.get(r.headers["location"]).text
        after = http.get("/v1/programme/selection/2027/runs/latest", headers=admin).json()
        assert after["id"] != before["id"]
        assert after["digest"] == before["digest"]  # the same applications and rule: the same result

        # 2026 has graduated members: the service refuses, the page says so, no run is written
        latest_2026 = http.get("/v1/programme/selection/2026/runs/latest", headers=admin)
        r = c.post("/web/admin/selection/2026/run", data={"csrf_token": token})
        assert r.status_code == 409
        assert "졸업 기업이 있어 다시 선정할 수 없습니다" in r.text
        assert http.get("/v1/programme/selection/2026/runs/latest", headers=admin).json() == latest_2026.json()

        assert c.post("/web/admin/selection/2027/run", data={}).status_code == 403  # no CSRF token
        assert c.get("/web/admin/selection/2029").status_code == 404  # no cohort that year
