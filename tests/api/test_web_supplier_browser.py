"""The supplier's journey in the web application, in Chromium (Debian's, driven by Playwright), on the demo data:
the admin opens a call (through the API: the demo has none open); the demo supplier supplier11 (오창비전테크, whose
certificate has expired) signs in through the authorization-code flow, reads its dashboard, applies to the call,
uploads a document per criterion and submits; a reviewer asks for a supplement (through the API); the supplier
reads the request, answers it with a document and resubmits; then edits a solution's English fields with the
public card's preview, and its company profile. A designated demo supplier (supplier01) reads when its renewal and
its first annual report open (no form is offered before). Every page is shot at 1280 and at 390 px wide
(SHOTS, web-supplier-*.png), has no sideways scrolling on the phone and passes axe-core (tests/api/axe.py)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from core import clock
from notices.dispatch import Dispatcher
from tests.api.axe import assert_accessible
from tests.api.browser import SHOTS
from tests.api.designation_builders import Desk
from tests.api.live_server import live_server
from tests.cli.runner import axr_in_process
from tests.evidence.helpers import pdf

COMPANY = "오창비전테크 주식회사"
CALL = "2027년 제1차 제조 AI 전문기업 지정 공고"
REQUEST = "도입 실적의 불량률 측정 근거를 보완해 주세요."
EVIDENCE = {"E2": "AI_인력_재직증명.pdf", "E3": "2025_연구개발비_명세서.pdf"}
ANSWER_FILE = "2025_전수검사_기록.pdf"


def _pdf(name: str) -> dict[str, object]:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf(name)}


class Steps:
    """Each step of the journey: a desktop shot and axe, then the same page on a phone (no sideways scroll)."""

    def __init__(self, page, phone) -> None:  # type: ignore[no-untyped-def]
        self.page, self.phone, self.n = page, phone, 0

    def shoot(self, name: str) -> None:
        self.n += 1
        label = f"web-supplier-{self.n:02d}-{name}"
        self.page.screenshot(path=str(SHOTS / f"{label}-desktop.png"), full_page=True)
        assert_accessible(self.page, f"{name} at 1280 px")
        self.phone.goto(self.page.url)
        assert self.phone.evaluate("document.documentElement.scrollWidth") <= 390, name
        self.phone.screenshot(path=str(SHOTS / f"{label}-phone.png"), full_page=True)
        assert_accessible(self.phone, f"{name} at 390 px")


def test_supplier_applies_with_documents_and_answers_a_supplement(app, settings, engine, browser, mint):
    loaded = axr_in_process(settings, "demo", "load")
    assert loaded.exit_code == 0, loaded.output
    SHOTS.mkdir(parents=True, exist_ok=True)
    with TestClient(app, raise_server_exceptions=False) as http:
        desk = Desk.open(http, mint, engine, n_reviewers=3)
        now = clock.now()
        call = desk.post("/v1/admin/calls", desk.admin, {
            "title_ko": CALL, "summary_ko": "제조 AI 전 분야 지정 신청을 받습니다.", "criteria_version": "v1",
            "rubric_version": "v1", "opens_at": now.isoformat(),
            "closes_at": (now + timedelta(days=30)).isoformat()}, expect=201)

    with live_server(app) as base:
        context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(base + "/web")
        assert page.url.startswith(base + "/oauth/authorize?")
        page.fill("#username", "supplier11")
        page.fill("#password", "demo-password-s11")
        page.click("#signin-submit")
        assert page.url == base + "/web/supplier", page.url
        phone_context = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844},
                                            device_scale_factor=2, is_mobile=True,
                                            storage_state=context.storage_state())
        steps = Steps(page, phone_context.new_page())

        # 1. the dashboard: the company, its expired certificate with dates and scope, solutions, no inbox yet
        assert COMPANY in page.locator("#company-title").inner_text()
        assert page.locator("#cert-status").inner_text() == "기간 만료"
        assert "~" in page.locator("#cert-validity").inner_text()
        assert page.locator("#solutions li").count() >= 1
        steps.shoot("dashboard")

        # 2. the open call, the fields of the solutions
        page.click("#apply-link")
        assert CALL in page.locator("#apply-form").inner_text()
        steps.shoot("apply")
        page.fill("#statement_ko", "비전 검사 솔루션으로 다시 지정을 신청합니다.")
        page.click("#apply-submit")
        assert page.locator("#app-state").inner_text() == "작성 중"
        assert CALL in page.locator("#app-title").inner_text()

        # 3. a document per criterion, then submission (screening runs at once)
        for code, name in EVIDENCE.items():
            page.set_input_files(f"#file-{code}", files=[_pdf(name)])  # type: ignore[list-item]
            page.click(f"#upload-{code}")
            assert name in page.locator(f"#criterion-{code}").inner_text()
        steps.shoot("documents")
        page.click("#submit-application")
        assert page.locator("#app-state").inner_text() == "심사 중"
        assert page.locator("#screening tbody tr").count() >= 1
        steps.shoot("submitted")
        app_id = page.url.rsplit("/", 1)[1]

        # 4. a reviewer asks for a supplement (through the API); the notice reaches the inbox
        with TestClient(app, raise_server_exceptions=False) as http:
            desk.client = http
            desk.post(f"/v1/applications/{app_id}/panel", desk.admin, {"reviewers": [s for s, _ in desk.reviewers]})
            desk.post(f"/v1/applications/{app_id}/declaration", desk.reviewer, {"has_conflict": False})
            desk.post(f"/v1/applications/{app_id}/supplement-request", desk.reviewer, {"message": REQUEST})
        Dispatcher(engine, settings).step()
        page.goto(base + "/web/supplier")
        assert "보완 답변 필요" in page.locator("#applications").inner_text()
        assert "보완 요청" in page.locator("#inbox").inner_text()
        steps.shoot("inbox")
        unread = page.locator("#inbox .mark-read").count()
        page.click("#inbox .mark-read >> nth=0")
        assert page.locator("#inbox .mark-read").count() == unread - 1

        # 5. the request's text, the answer with a document
        page.click(f"a[href='/web/supplier/applications/{app_id}']")
        assert page.locator("#supplement-message").inner_text() == REQUEST
        page.fill("#answer", "2025년 전수검사 기록을 첨부했습니다. 불량률 3.2% → 0.9%.")
        page.set_input_files("#supplement-file", files=[_pdf(ANSWER_FILE)])  # type: ignore[list-item]
        steps.shoot("supplement")
        page.click("#resubmit-submit")
        assert page.locator("#app-state").inner_text() == "심사 중"
        assert "불량률 3.2% → 0.9%" in page.locator("#supplement-done").inner_text()
        assert ANSWER_FILE in page.locator("#supplement-documents").inner_text()
        steps.shoot("answered")

        # 6. the solution editor: the English fields, previewed as the public company page shows them
        page.goto(base + "/web/supplier")
        page.click("#solutions a >> nth=0")
        page.fill("#title_en", "High-speed visual inspection for battery and electronic parts")
        page.fill("#description_en", "Line-scan cameras and deep learning inspect every part at line speed.")
        page.click("#solution-preview")
        assert "(저장 전)" in page.locator("#preview-title").inner_text()
        assert "Line-scan cameras" in page.locator("#preview-en").inner_text()
        steps.shoot("solution-preview")
        page.click("#solution-save")
        assert page.locator("#preview-title").inner_text() == "공개 화면 미리보기"
        assert "Line-scan cameras" in page.locator("#preview-en").inner_text()

        # 7. the company profile
        page.goto(base + "/web/supplier/company")
        page.fill("#ai_staff", "14")
        steps.shoot("company")
        page.click("#company-save")
        assert page.locator("#saved").is_visible()
        phone_context.close()
        context.close()

        # 8. a designated supplier (supplier01): its renewal and first annual report are not open yet
        context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(base + "/web")
        page.fill("#username", "supplier01")
        page.fill("#password", "demo-password-s01")
        page.click("#signin-submit")
        assert page.locator("#cert-status").inner_text() == "유효"
        phone_context = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844},
                                            device_scale_factor=2, is_mobile=True,
                                            storage_state=context.storage_state())
        steps = Steps(page, phone_context.new_page())
        steps.n = 9
        page.click("#apply-link")
        assert "갱신 신청은 공고 없이" in page.locator("#renewal").inner_text()
        assert page.locator("#renewal-form").count() == 0  # its window opens 90 days before expiry
        steps.shoot("renewal-not-yet")
        page.goto(base + "/web/supplier/reports")
        assert "1년 차(마감" in page.locator("#report-years").inner_text()
        assert page.locator("#no-open-report").is_visible()
        steps.shoot("reports")
        phone_context.close()
        context.close()

    # what the API now holds: the application in review again, the answer and every document
    with TestClient(app, raise_server_exceptions=False) as http:
        got, docs = (http.get(f"/v1/applications/{app_id}{tail}", headers=desk.admin).json()
                     for tail in ("", "/documents"))
        company_id = got["company_id"]
        solutions = http.get("/v1/solutions", params={"company_id": company_id}, headers=desk.admin).json()["items"]
        company = http.get(f"/v1/companies/{company_id}", headers=desk.admin).json()
    assert (got["state"], got["call_id"]) == ("under_review", call["id"])
    assert got["supplement_answer"].startswith("2025년 전수검사 기록")
    assert sorted(d["filename"] for d in docs) == sorted([*EVIDENCE.values(), ANSWER_FILE])
    assert any((s["description_en"] or "").startswith("Line-scan cameras") for s in solutions)
    assert company["ai_staff"] == 14
