"""The supplier's pages through HTTP: the dashboard (company, certificate, solutions, applications, inbox), applying
to an open call with documents per criterion and submitting, answering a supplement request with a document;
forms without their CSRF token refused with nothing written; another company's application and document by URL
answering the same 404 page as missing ones; the service's refusals shown on the page in Korean with the input
kept (the browser journey: test_web_supplier_browser.py)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core import clock
from notices.dispatch import Dispatcher
from tests import factories
from tests.api.designation_builders import SCORES, Desk
from tests.api.web_helpers import account, hidden_fields, sign_in
from tests.conftest import bearer
from tests.evidence.helpers import pdf

COMPANY = "누리비전 주식회사"


@pytest.fixture
def http(app):
    with TestClient(app, base_url="http://localhost", raise_server_exceptions=False) as c:
        yield c


def _supplier(http: Any, app: Any, mint: Any, username: str, org: str, **company: Any) -> tuple[dict[str, str], str]:
    """A supplier account of `org`, its company and a published solution (through the API)."""
    account(http, app, username, role="supplier", org=org)
    token = bearer(mint("supplier", org=org))
    r = http.post("/v1/companies", json=factories.company(**company), headers=token)
    assert r.status_code == 201, r.text
    company_id = r.json()["id"]
    r = http.post("/v1/solutions", json=factories.solution(company_id), headers=token)
    assert r.status_code == 201, r.text
    return token, company_id


def _call(desk: Desk, **extra: Any) -> dict[str, Any]:
    now = clock.now()
    return desk.post("/v1/admin/calls", desk.admin, {
        "title_ko": "2027년 제1차 제조 AI 전문기업 지정 공고", "summary_ko": "제조 AI 전 분야 지정 신청을 받습니다.",
        "criteria_version": "v1", "rubric_version": "v1", "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=30)).isoformat(), **extra}, expect=201)


def _signed_in(app: Any, username: str) -> TestClient:
    c = TestClient(app, base_url="http://localhost", raise_server_exceptions=False)
    r = sign_in(c, username)
    assert r.status_code == 303, r.text
    return c


def _csrf(c: TestClient, path: str = "/web/supplier") -> str:
    return hidden_fields(c.get(path).text)["csrf_token"]


def _draft(c: TestClient, call_id: str) -> str:
    r = c.post("/web/supplier/applications", data={"csrf_token": _csrf(c), "call_id": call_id},
               follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"].rsplit("/", 1)[1]


def test_apply_with_documents_submit_and_answer_a_supplement(http, app, mint, engine, settings):
    desk = Desk.open(http, mint, engine, n_reviewers=3)
    token, company_id = _supplier(http, app, mint, "sup.kim", "org-nuri", name_ko=COMPANY)
    call = _call(desk)
    with _signed_in(app, "sup.kim") as c:
        r = c.get("/web", follow_redirects=False)
        assert r.headers["location"] == "/web/supplier"
        page = c.get("/web/supplier")
        assert page.status_code == 200
        assert COMPANY in page.text
        assert "아직 지정서가 없습니다" in page.text
        assert "사출·금속 부품 비전 불량 검출" in page.text
        assert "지정 신청이 없습니다" in page.text

        form = c.get("/web/supplier/apply")
        assert call["title_ko"] in form.text
        app_id = _draft(c, call["id"])
        page = c.get(f"/web/supplier/applications/{app_id}")
        assert "작성 중" in page.text
        assert "E2 증빙 파일" in page.text
        csrf = hidden_fields(page.text)["csrf_token"]
        for criterion, name in (("E2", "AI_인력_재직증명.pdf"), ("E3", "2025_연구개발비_명세서.pdf")):
            r = c.post(f"/web/supplier/applications/{app_id}/documents",
                       data={"csrf_token": csrf, "criterion": criterion},
                       files={"file": (name, pdf(name), "application/pdf")}, follow_redirects=False)
            assert r.status_code == 303, r.text
        docs = http.get(f"/v1/applications/{app_id}/documents", headers=token).json()
        assert sorted((d["criterion"], d["filename"]) for d in docs) == [
            ("E2", "AI_인력_재직증명.pdf"), ("E3", "2025_연구개발비_명세서.pdf")]
        download = c.get(f"/web/supplier/documents/{docs[0]['id']}")
        assert download.status_code == 200
        assert download.content.startswith(b"%PDF")

        r = c.post(f"/web/supplier/applications/{app_id}/submit", data={"csrf_token": csrf})
        assert r.status_code == 200, r.text
        assert "심사 중" in r.text
        assert "자격 요건 검토 결과" in r.text
        assert http.get(f"/v1/applications/{app_id}", headers=token).json()["state"] == "under_review"

        # the reviewer asks for a supplement (through the API); the page shows the request, the answer goes back
        desk.post(f"/v1/applications/{app_id}/panel", desk.admin, {"reviewers": [s for s, _ in desk.reviewers]})
        desk.post(f"/v1/applications/{app_id}/declaration", desk.reviewer, {"has_conflict": False})
        desk.post(f"/v1/applications/{app_id}/supplement-request", desk.reviewer,
                  {"message": "도입 실적의 불량률 측정 근거를 보완해 주세요."})
        Dispatcher(engine, settings).step()
        page = c.get(f"/web/supplier/applications/{app_id}")
        assert "도입 실적의 불량률 측정 근거를 보완해 주세요." in page.text
        assert "보완 답변" in page.text
        dashboard = c.get("/web/supplier")
        assert "보완 답변 필요" in dashboard.text
        assert "보완 요청" in dashboard.text.split('id="notices"')[1]  # the notice is in the inbox

        # an empty answer: the schema's refusal in Korean on the same page, nothing written
        r = c.post(f"/web/supplier/applications/{app_id}/resubmit", data={"csrf_token": csrf, "answer": " "},
                   files={"file": ("기록.pdf", pdf("기록.pdf"), "application/pdf")})
        assert r.status_code == 422, r.text
        assert 'id="form-error"' in r.text
        assert http.get(f"/v1/applications/{app_id}/documents", headers=token).json() == docs

        r = c.post(f"/web/supplier/applications/{app_id}/resubmit",
                   data={"csrf_token": csrf, "answer": "전수검사 기록을 첨부했습니다."},
                   files={"file": ("2025_전수검사_기록.pdf", pdf("2025_전수검사_기록.pdf"), "application/pdf")})
        assert r.status_code == 200, r.text
        assert "전수검사 기록을 첨부했습니다." in r.text
    got = http.get(f"/v1/applications/{app_id}", headers=token).json()
    assert got["state"] == "under_review"
    assert got["supplement_answer"] == "전수검사 기록을 첨부했습니다."
    docs = http.get(f"/v1/applications/{app_id}/documents", headers=token).json()
    assert [d["filename"] for d in docs if d["purpose"] == "supplement"] == ["2025_전수검사_기록.pdf"]


def test_forms_without_csrf_are_refused_and_write_nothing(http, app, mint, engine):
    desk = Desk.open(http, mint, engine, n_reviewers=0)
    token, _ = _supplier(http, app, mint, "sup.lee", "org-lee")
    call = _call(desk)
    with _signed_in(app, "sup.lee") as c:
        for sent in ({}, {"csrf_token": "위조된-토큰"}):
            r = c.post("/web/supplier/applications", data={**sent, "call_id": call["id"]})
            assert r.status_code == 403
            assert "보안 확인 토큰(CSRF)" in r.text
        assert http.get("/v1/applications", headers=token).json()["items"] == []
        app_id = _draft(c, call["id"])
        for path in ("documents", "submit", "resubmit"):
            r = c.post(f"/web/supplier/applications/{app_id}/{path}", data={"criterion": "E2", "answer": "답변"},
                       files={"file": ("a.pdf", pdf("a.pdf"), "application/pdf")})
            assert r.status_code == 403, path
        assert http.get(f"/v1/applications/{app_id}/documents", headers=token).json() == []
        assert http.get(f"/v1/applications/{app_id}", headers=token).json()["state"] == "draft"
        solution_id = http.get("/v1/solutions", headers=token).json()["items"][0]["id"]
        for path in ("company", "solutions", f"solutions/{solution_id}", "notices/x/read", "reports",
                     "reports/x/documents", "reports/x/submit"):
            r = c.post(f"/web/supplier/{path}", data={"name_ko": "바뀐 이름", "title_ko": "바뀐 이름"})
            assert r.status_code == 403, path
            assert "보안 확인 토큰(CSRF)" in r.text
        assert [s["title_ko"] for s in http.get("/v1/solutions", headers=token).json()["items"]] == [
            "사출·금속 부품 비전 불량 검출"]
        assert "바뀐 이름" not in c.get("/web/supplier").text


def _without_ids(html: str, *ids: str) -> str:
    for x in ids:
        html = html.replace(x, "ID")
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


def test_another_companys_application_reads_as_a_missing_one(http, app, mint, engine):
    desk = Desk.open(http, mint, engine, n_reviewers=0)
    call = _call(desk)
    _supplier(http, app, mint, "sup.park", "org-park")
    rival_token, _ = _supplier(http, app, mint, "sup.choi", "org-choi")
    with _signed_in(app, "sup.choi") as rival:
        theirs = _draft(rival, call["id"])
        r = rival.post(f"/web/supplier/applications/{theirs}/documents", data={"csrf_token": _csrf(rival),
                       "criterion": "E2"}, files={"file": ("a.pdf", pdf("a.pdf"), "application/pdf")},
                       follow_redirects=False)
        assert r.status_code == 303, r.text
    doc_id = http.get(f"/v1/applications/{theirs}/documents", headers=rival_token).json()[0]["id"]
    missing = ("f" if theirs[0] != "f" else "e") + theirs[1:]  # same ending, so the same Korean particle
    with _signed_in(app, "sup.park") as c:
        other, gone = c.get(f"/web/supplier/applications/{theirs}"), c.get(f"/web/supplier/applications/{missing}")
        assert other.status_code == gone.status_code == 404
        assert _without_ids(other.text, theirs) == _without_ids(gone.text, missing)
        assert "찾을 수 없습니다" in other.text
        r = c.post(f"/web/supplier/applications/{theirs}/submit", data={"csrf_token": _csrf(c)})
        assert r.status_code == 404
        assert c.get(f"/web/supplier/documents/{doc_id}").status_code == 404
        assert "<h1>공급기업 대시보드</h1>" in c.get("/web/supplier").text
        assert theirs not in c.get("/web/supplier").text
    assert http.get(f"/v1/applications/{theirs}", headers=rival_token).json()["state"] == "draft"
    # a reviewer's session is told this page is not theirs
    account(http, app, "rev.han", role="reviewer", org="ministry")
    with _signed_in(app, "rev.han") as c:
        r = c.get("/web/supplier")
        assert r.status_code == 403
        assert "공급기업 계정으로 로그인해야" in r.text


def test_a_refusal_of_the_service_is_shown_in_korean_with_the_input_kept(http, app, mint, engine):
    desk = Desk.open(http, mint, engine, n_reviewers=0)
    token, _ = _supplier(http, app, mint, "sup.jung", "org-jung")
    call = _call(desk, quotas={"vision_inspection": 1})
    with _signed_in(app, "sup.jung") as c:
        r = c.post("/web/supplier/applications", data={"csrf_token": _csrf(c), "call_id": call["id"],
                                                       "statement_ko": "비전 검사 분야로 신청합니다."})
        assert r.status_code == 422, r.text
        assert "분야별로 접수합니다" in r.text
        assert "비전 검사 분야로 신청합니다." in r.text  # the input is kept
        assert http.get("/v1/applications", headers=token).json()["items"] == []
        # submitting a draft without documents goes through; a second draft while one is open is refused (409)
        r = c.post("/web/supplier/applications", data={"csrf_token": _csrf(c), "call_id": call["id"],
                                                       "field": "vision_inspection"}, follow_redirects=False)
        assert r.status_code == 303, r.text
        r = c.post("/web/supplier/applications", data={"csrf_token": _csrf(c), "call_id": call["id"],
                                                       "field": "vision_inspection"})
        assert r.status_code == 409, r.text
        assert "이미 진행 중인 지정 신청이 있습니다" in r.text
        assert len(http.get("/v1/applications", headers=token).json()["items"]) == 1


def _form(html: str, form_id: str) -> dict[str, str]:
    """The text inputs, selects and textareas of one form, as the browser would send them unchanged."""
    body = html.split(f'id="{form_id}"', 1)[1].split("</form>", 1)[0]
    fields = dict(re.findall(r'<input type="(?:text|hidden)"[^>]*?name="([a-z_]+)"[^>]*?value="([^"]*)"', body))
    fields.update(re.findall(r'<textarea[^>]*name="([a-z_]+)"[^>]*>([^<]*)</textarea>', body))
    for name, options in re.findall(r'<select[^>]*name="([a-z_]+)"[^>]*>(.*?)</select>', body, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        if chosen:
            fields[name] = chosen.group(1)
    return {k: v.replace("&#34;", '"').replace("&amp;", "&") for k, v in fields.items()}


def test_company_profile_and_solution_editor_with_the_public_preview(http, app, mint):
    token, company_id = _supplier(http, app, mint, "sup.yoon", "org-yoon", name_ko=COMPANY)
    with _signed_in(app, "sup.yoon") as c:
        page = c.get("/web/supplier/company")
        assert page.status_code == 200
        sent = _form(page.text, "company-form")
        assert sent["name_ko"] == COMPANY
        # a figure that is not a number: the schema's refusal in Korean, the input kept, nothing written
        r = c.post("/web/supplier/company", data={**sent, "ai_staff": "열두 명", "name_en": "Nuri Vision"})
        assert r.status_code == 422, r.text
        assert 'id="form-error"' in r.text
        assert 'value="열두 명"' in r.text
        assert http.get(f"/v1/companies/{company_id}", headers=token).json()["name_en"] == "DeepVision Lab"
        r = c.post("/web/supplier/company", data={**sent, "name_en": "Nuri Vision", "ai_staff": "15"},
                   follow_redirects=False)
        assert r.status_code == 303, r.text
        got = http.get(f"/v1/companies/{company_id}", headers=token).json()
        assert (got["name_en"], got["ai_staff"]) == ("Nuri Vision", 15)
        # the same form again is stale now (its ETag is the old one): 412 in Korean, nothing written
        r = c.post("/web/supplier/company", data={**sent, "name_en": "Old Name"})
        assert r.status_code == 412, r.text
        assert "다시 조회한 뒤 수정하세요" in r.text
        assert http.get(f"/v1/companies/{company_id}", headers=token).json()["name_en"] == "Nuri Vision"

        # the solution editor: the preview shows the public card in both languages without saving
        solution_id = http.get(f"/v1/solutions?company_id={company_id}", headers=token).json()["items"][0]["id"]
        page = c.get(f"/web/supplier/solutions/{solution_id}")
        assert page.status_code == 200
        assert 'id="preview-en"' in page.text
        sent = _form(page.text, "solution-form")
        edit = {**sent, "title_en": "Vision inspection for moulded parts",
                "description_en": "Cameras and deep learning check every moulded part."}
        r = c.post(f"/web/supplier/solutions/{solution_id}", data={**edit, "action": "preview"})
        assert r.status_code == 200, r.text
        assert "(저장 전)" in r.text
        assert "Cameras and deep learning check every moulded part." in r.text.split('id="preview-en"')[1]
        assert http.get(f"/v1/solutions/{solution_id}", headers=token).json()["description_en"] is None
        r = c.post(f"/web/supplier/solutions/{solution_id}", data={**edit, "action": "save"}, follow_redirects=False)
        assert r.status_code == 303, r.text
        got = http.get(f"/v1/solutions/{solution_id}", headers=token).json()
        assert got["title_en"] == "Vision inspection for moulded parts"
        public = http.get(f"/pages/companies/{company_id}?lang=en")  # not designated: the page says so
        assert public.status_code == 404
        # a price range upside down: the schema's refusal in Korean
        r = c.post(f"/web/supplier/solutions/{solution_id}", data={**_form(c.get(
            f"/web/supplier/solutions/{solution_id}").text, "solution-form"), "price_min_krw": "900000000",
            "price_max_krw": "1000", "action": "save"})
        assert r.status_code == 422, r.text
        assert 'id="form-error"' in r.text

        # a new solution, a draft by default
        page = c.get("/web/supplier/solutions/new")
        r = c.post("/web/supplier/solutions", data={
            "csrf_token": hidden_fields(page.text)["csrf_token"], "title_ko": "진동 기반 설비 예지보전",
            "description_ko": "모터와 감속기의 진동 데이터를 분석해 고장을 미리 알려 줍니다.",
            "category": "predictive_maintenance", "industries": "C22, C29", "min_level": "basic",
            "deployment_mode": "cloud", "price_min_krw": "50,000,000", "price_max_krw": "120,000,000",
            "status": "draft", "action": "save"}, follow_redirects=False)
        assert r.status_code == 303, r.text
        new_id = r.headers["location"].rsplit("/", 1)[1]
        got = http.get(f"/v1/solutions/{new_id}", headers=token).json()
        assert (got["status"], got["industries"], got["price_min_krw"]) == ("draft", ["C22", "C29"], 50_000_000)

    # another company's published solution by URL reads as a missing one; its form post writes nothing
    _supplier(http, app, mint, "sup.shin", "org-shin")
    with _signed_in(app, "sup.shin") as c:
        other = c.get(f"/web/supplier/solutions/{solution_id}")
        missing_id = ("f" if solution_id[0] != "f" else "e") + solution_id[1:]
        gone = c.get(f"/web/supplier/solutions/{missing_id}")
        assert other.status_code == gone.status_code == 404
        assert _without_ids(other.text, solution_id) == _without_ids(gone.text, missing_id)
        r = c.post(f"/web/supplier/solutions/{solution_id}", data={**edit, "csrf_token": _csrf(c),
                                                                   "title_ko": "가로챈 이름", "action": "save"})
        assert r.status_code == 404
    assert http.get(f"/v1/solutions/{solution_id}", headers=token).json()["title_ko"] != "가로챈 이름"


def _designate(desk: Desk, token: dict[str, str], company_id: str) -> None:
    """The company designated today through the API (no call: the registry has none yet)."""
    first = desk.post("/v1/applications", token, {"company_id": company_id}, expect=201)["id"]
    desk.post(f"/v1/applications/{first}/submit", token)
    desk.post(f"/v1/applications/{first}/panel", desk.admin, {"reviewers": [s for s, _ in desk.reviewers]})
    for _, tok in desk.reviewers[:2]:
        desk.post(f"/v1/applications/{first}/declaration", tok, {"has_conflict": False})
        desk.post(f"/v1/applications/{first}/reviews", tok, {"scores": SCORES}, expect=201)
    desk.post(f"/v1/applications/{first}/decision", desk.reviewer, {"decision": "approve", "reason": "기준 충족"})


def test_renewal_is_offered_and_taken_in_its_window_only(http, app, mint, engine):
    desk = Desk.open(http, mint, engine, n_reviewers=3)
    token, company_id = _supplier(http, app, mint, "sup.baek", "org-baek", name_ko=COMPANY)
    _designate(desk, token, company_id)
    with _signed_in(app, "sup.baek") as c:
        page = c.get("/web/supplier")
        assert '<span class="tag" id="cert-status">유효</span>' in page.text
        form = c.get("/web/supplier/apply")
        assert "지정서 갱신 신청" in form.text
        assert 'id="renewal-form"' not in form.text  # not offered before its window; a stale form is refused
        r = c.post("/web/supplier/applications", data={"csrf_token": _csrf(c), "kind": "renewal",
                                                       "statement_ko": "갱신을 신청합니다."})
        assert r.status_code == 409, r.text
        assert "갱신 신청 기간이 아닙니다" in r.text.split('id="form-error"')[1]
    assert len(http.get("/v1/applications", headers=token).json()["items"]) == 1

    clock.advance(timedelta(days=3 * 365 - 60))  # inside the 90 days before expiry
    with _signed_in(app, "sup.baek") as c:
        assert 'id="renewal-form"' in c.get("/web/supplier/apply").text
        r = c.post("/web/supplier/applications", data={"csrf_token": _csrf(c), "kind": "renewal"},
                   follow_redirects=False)
        assert r.status_code == 303, r.text
        page = c.get(r.headers["location"])
        assert "갱신 신청" in page.text
    token = bearer(mint("supplier", org="org-baek"))
    kinds = sorted(a["kind"] for a in http.get("/v1/applications", headers=token).json()["items"])
    assert kinds == ["initial", "renewal"]


def test_annual_report_drafted_with_a_document_and_submitted(http, app, mint, engine):
    desk = Desk.open(http, mint, engine, n_reviewers=3)
    token, company_id = _supplier(http, app, mint, "sup.oh", "org-oh", name_ko=COMPANY)
    _designate(desk, token, company_id)
    report = {"deployments": "7", "manufacturing_ai_revenue_krw": "1,450,000,000", "ai_staff": "14",
              "summary_ko": "자동차 부품사 5곳, 전자 부품사 2곳에 비전 검사를 도입했습니다."}
    with _signed_in(app, "sup.oh") as c:
        page = c.get("/web/supplier/reports")
        assert "1년 차(마감" in page.text
        assert 'id="report-form"' not in page.text  # not offered before its window; a stale form is refused
        assert "지금 작성할 실적 보고가 없습니다" in page.text
        r = c.post("/web/supplier/reports", data={"csrf_token": _csrf(c), **report})
        assert r.status_code == 409, r.text  # the first year's window opens 90 days before the anniversary
        assert "지금 작성할 실적 보고가 없습니다" in r.text.split('id="form-error"')[1]
    assert http.get("/v1/performance-reports", headers=token).json()["items"] == []

    clock.advance(timedelta(days=365 - 30))
    with _signed_in(app, "sup.oh") as c:
        assert '<option value="1">1년 차' in c.get("/web/supplier/reports").text
        r = c.post("/web/supplier/reports", data={"csrf_token": _csrf(c), **report, "deployments": "일곱"})
        assert r.status_code == 422, r.text  # the schema's refusal in Korean, the input kept, nothing written
        assert 'id="form-error"' in r.text
        assert "자동차 부품사 5곳" in r.text
        assert http.get("/v1/performance-reports", headers=bearer(mint("supplier", org="org-oh"))).json()["items"] == []
        r = c.post("/web/supplier/reports", data={"csrf_token": _csrf(c), **report}, follow_redirects=False)
        assert r.status_code == 303, r.text
        assert 'id="report-form"' not in c.get("/web/supplier/reports").text  # drafted: not offered again
        report_id = r.headers["location"].rsplit("/", 1)[1]
        page = c.get(r.headers["location"])
        assert "1년 차 실적 보고" in page.text
        assert "14.5억 원" in page.text
        csrf = hidden_fields(page.text)["csrf_token"]
        r = c.post(f"/web/supplier/reports/{report_id}/submit", data={"csrf_token": csrf})
        assert r.status_code == 409, r.text
        assert "증빙 파일을 하나 이상 올린 뒤 제출해 주세요" in r.text
        r = c.post(f"/web/supplier/reports/{report_id}/documents", data={"csrf_token": csrf},
                   files={"file": ("2026_도입_실적.pdf", pdf("2026_도입_실적.pdf"), "application/pdf")},
                   follow_redirects=False)
        assert r.status_code == 303, r.text
        r = c.post(f"/web/supplier/reports/{report_id}/submit", data={"csrf_token": csrf})
        assert r.status_code == 200, r.text
        assert "제출 완료" in r.text
    token = bearer(mint("supplier", org="org-oh"))
    got = http.get(f"/v1/performance-reports/{report_id}", headers=token).json()
    assert (got["state"], got["on_time"], got["deployments"]) == ("submitted", True, 7)
    assert [d["filename"] for d in got["documents"]] == ["2026_도입_실적.pdf"]
    # another supplier: the same 404 as a missing report
    _supplier(http, app, mint, "sup.ko", "org-ko")
    with _signed_in(app, "sup.ko") as c:
        assert c.get(f"/web/supplier/reports/{report_id}").status_code == 404
        assert report_id not in c.get("/web/supplier/reports").text
