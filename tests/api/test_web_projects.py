"""The SME's project pages through HTTP as a browser would (no JavaScript): keep a need's matches as a
project's shortlist, plan it with a shortlisted solution (a refused plan comes back on the form in Korean
and leaves nothing behind), contract and start it, record an outcome, read the consultant's notes; another
SME's project by URL answers as a missing one, and every form needs its CSRF token."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api import programme_helpers as h
from tests.api.web_helpers import account, hidden_fields, sign_in
from tests.conftest import bearer

NEED = "사출 성형품에 미성형 불량이 자주 나와서 카메라로 자동 검사하고 싶습니다"
M = 1_000_000


@pytest.fixture
def http(app):
    with TestClient(app, base_url="http://localhost", raise_server_exceptions=False) as c:
        yield c


def _csrf(http, path: str) -> str:
    page = http.get(path)
    assert page.status_code == 200, page.text
    return hidden_fields(page.text)["csrf_token"]


def _setup(http, app, mint):
    """Two selected SMEs with their web accounts, a designated supplier of vision inspection, the envelope."""
    admin = bearer(mint("admin", org="ministry"))
    n1, n2 = h.number(11), h.number(12)
    _, smes = h.cohort_with_smes(http, mint, admin, [n1, n2])
    _, _, (solution_id,), _ = h.supplier(http, mint, admin)
    h.envelope(http, admin)
    account(http, app, "kim.sme", org="bizno:" + n1.replace("-", ""))
    account(http, app, "lee.sme", org="bizno:" + n2.replace("-", ""))
    return admin, smes[n1], solution_id


def _project(http) -> str:
    """Describe the need on the web, then keep its matches as a new project's shortlist."""
    r = http.post("/web/sme/needs", data={"text": NEED, "budget_krw": "150000000",
                                          "csrf_token": _csrf(http, "/web/sme/needs/new")}, follow_redirects=False)
    assert r.status_code == 303, r.text
    need_path = r.headers["location"]
    page = http.get(need_path)
    assert 'id="shortlist-submit"' in page.text
    r = http.post(need_path + "/shortlist", data={"title_ko": "사출 외관 AI 비전 검사", "year": "2026",
                                                  "csrf_token": hidden_fields(page.text)["csrf_token"]},
                  follow_redirects=False)
    assert r.status_code == 303, r.text
    assert r.headers["location"].startswith("/web/sme/projects/")
    return r.headers["location"].rsplit("/", 1)[1]


def _plan(http, pid: str, solution_id: str, gov: str, own: str):
    path = f"/web/sme/projects/{pid}/plan"
    return http.post(path, data={"csrf_token": _csrf(http, path), "solution_id": solution_id,
                                 "year": ["2026", "2027", "2028"], "stage": ["data_collection", "", ""],
                                 "gov": [gov, "", ""], "own": [own, "", ""], "note": ["1차년도", "", ""]},
                     follow_redirects=False)


def test_shortlist_plan_contract_outcome_and_consultants_notes(http, app, mint):
    admin, sme, solution_id = _setup(http, app, mint)
    sign_in(http, "kim.sme")
    pid = _project(http)

    # The pre-consultant's diagnosis: notes addressed to the SME's project, shown on its page at the end.
    consultant, c_token = h.consultant(http, mint, admin, "consultant-lee")
    assert http.post(f"/v1/programme/projects/{pid}/consultants", headers=admin,
                     json={"consultant_id": consultant["id"], "kind": "pre"}).status_code == 200
    r = http.post(f"/v1/programme/projects/{pid}/consultations", headers=c_token,
                  json={"kind": "pre", "assessed_level": "basic", "recommended_stages": ["1단계: 설비 데이터 수집"]})
    assert r.status_code == 201, r.text
    page = http.get(f"/web/sme/projects/{pid}")
    assert page.status_code == 200
    assert 'lang="ko"' in page.text
    assert f"/web/sme/projects/{pid}/plan?solution={solution_id}" in page.text  # the shortlisted solution
    api = http.get(f"/v1/programme/projects/{pid}", headers=sme["token"]).json()
    assert [i["solution_id"] for i in api["shortlists"][0]["items"]][:1] == [solution_id]
    assert pid in http.get("/web/sme").text  # the dashboard links the project
    again = http.post(f"/v1/programme/projects/{pid}/shortlist", json={"limit": 3}, headers=sme["token"])
    assert again.status_code == 201, again.text  # the API's route, through the same take_shortlist
    assert again.json()["items"][0]["solution_id"] == solution_id

    # Over the government cap: the form comes back with the rule's Korean reason, and nothing was kept.
    refused = _plan(http, pid, solution_id, str(250 * M), str(250 * M))
    assert refused.status_code == 422
    assert "연간 한도" in refused.text
    assert "2억 원" in refused.text
    assert 'id="plan-errors"' in refused.text
    after = http.get(f"/v1/programme/projects/{pid}", headers=sme["token"]).json()
    assert after["solution_id"] is None
    assert after["budget_lines"] == []
    assert after["ai_stages"] == []
    # A stage the rules refuse (analytics before data collection at a basic level), in Korean too.
    path = f"/web/sme/projects/{pid}/plan"
    staged = http.post(path, data={"csrf_token": _csrf(http, path), "solution_id": solution_id,
                                   "year": ["2026"], "stage": ["analytics"], "gov": [str(100 * M)],
                                   "own": [str(100 * M)], "note": [""]})
    assert staged.status_code == 422
    assert "데이터 수집·연결 단계를 먼저 계획해야 합니다" in staged.text

    ok = _plan(http, pid, solution_id, str(100 * M), str(100 * M))
    assert ok.status_code == 303, ok.text
    page = http.get(f"/web/sme/projects/{pid}").text
    assert "승인 대기" in page
    assert "데이터 수집·연결" in page
    lines = http.get(f"/v1/programme/projects/{pid}", headers=sme["token"]).json()["budget_lines"]
    assert sorted((x["source"], x["amount_krw"]) for x in lines) == [("gov", 100 * M), ("own", 100 * M)]

    # Contracting before the officer approved: refused on the page, in Korean.
    csrf = hidden_fields(page)["csrf_token"]
    early = http.post(f"/web/sme/projects/{pid}/transitions", data={"csrf_token": csrf, "action": "contract"})
    assert early.status_code == 422
    assert "승인된 예산이 없습니다" in early.text
    for line in lines:  # the officer approves (their screen is still to come)
        assert h.approve(http, admin, pid, line["id"]).status_code == 200
    for action in ("contract", "start"):
        r = http.post(f"/web/sme/projects/{pid}/transitions", data={"csrf_token": csrf, "action": action},
                      follow_redirects=False)
        assert r.status_code == 303, r.text

    blank = http.post(f"/web/sme/projects/{pid}/outcomes", data={"csrf_token": csrf, "metric": "defect_rate",
                                                                 "before": "", "after": "0.8"})
    assert blank.status_code == 422
    assert 'id="outcome-errors"' in blank.text
    r = http.post(f"/web/sme/projects/{pid}/outcomes", data={"csrf_token": csrf, "metric": "defect_rate",
                                                             "before": "3.4", "after": "0.8", "note": "3개월 평균"},
                  follow_redirects=False)
    assert r.status_code == 303, r.text
    page = http.get(f"/web/sme/projects/{pid}").text
    assert "불량률: 3.4 → 0.8 %" in page
    assert "확인 전" in page

    assert "사전 컨설팅(진단)" in page
    assert "1단계: 설비 데이터 수집" in page


def test_another_smes_project_answers_the_same_404_as_a_missing_one(http, app, mint):
    _setup(http, app, mint)
    sign_in(http, "kim.sme")
    pid = _project(http)
    http.cookies.clear()
    sign_in(http, "lee.sme")
    missing = "00000000-0000-4000-8000-00000000000" + pid[-1]  # same last letter, same particle
    for suffix in ("", "/plan"):
        a = http.get(f"/web/sme/projects/{pid}{suffix}", headers={"accept": "text/html"})
        b = http.get(f"/web/sme/projects/{missing}{suffix}", headers={"accept": "text/html"})
        assert a.status_code == b.status_code == 404
        assert a.headers["content-type"].startswith("text/html")
        assert a.text.replace(pid, "ID") == b.text.replace(missing, "ID")
    csrf = _csrf(http, "/web/sme")
    a = http.post(f"/web/sme/projects/{pid}/outcomes", data={"csrf_token": csrf, "metric": "defect_rate",
                                                             "before": "1", "after": "0.5"})
    assert a.status_code == 404
    assert pid not in http.get("/web/sme").text


def test_the_project_forms_refuse_a_missing_or_wrong_csrf_token(http, app, mint):
    _, sme, solution_id = _setup(http, app, mint)
    sign_in(http, "kim.sme")
    pid = _project(http)
    forms = [(f"/web/sme/projects/{pid}/plan", {"solution_id": solution_id, "year": ["2026"],
                                                "stage": ["data_collection"], "gov": ["100000000"],
                                                "own": ["100000000"], "note": [""]}),
             (f"/web/sme/projects/{pid}/transitions", {"action": "cancel"}),
             (f"/web/sme/projects/{pid}/outcomes", {"metric": "defect_rate", "before": "1", "after": "0.5"})]
    for path, data in forms:
        for sent in ({}, {"csrf_token": "위조된-토큰"}):
            r = http.post(path, data={**data, **sent}, headers={"accept": "text/html"}, follow_redirects=False)
            assert r.status_code == 403, path
            assert "보안 확인 토큰(CSRF)이 없거나 맞지 않아 요청을 처리하지 않았습니다." in r.text
    project = http.get(f"/v1/programme/projects/{pid}", headers=sme["token"]).json()
    assert project["solution_id"] is None
    assert project["budget_lines"] == []
    assert project["state"] == "planned"
    need_page = http.get("/web/sme").text
    need_id = project["need_id"]
    assert f"/web/sme/needs/{need_id}" in need_page
    r = http.post(f"/web/sme/needs/{need_id}/shortlist", data={"title_ko": "두 번째", "year": "2026"})
    assert r.status_code == 403
    assert len(http.get("/v1/programme/projects", headers=sme["token"]).json()["items"]) == 1
