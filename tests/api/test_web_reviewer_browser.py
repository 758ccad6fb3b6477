"""The reviewer's journey in the web application, in Chromium (Debian's, driven by Playwright), on the demo data:
a supplier's application is submitted with a document and the admin seats the demo reviewers reviewer01 and
reviewer02 (through the API); reviewer01 signs in through the authorization-code flow, finds it in the queue,
declares no conflict (nothing of the application is shown before), reads the screening beside the frozen facts,
downloads the document, scores, and is refused the approval in Korean (one review of a quorum of two);
reviewer02 completes the quorum and approves. axe-core checks every page (tests/api/axe.py)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from core.accounts import UserAccount
from core.db import unit_of_work
from tests.api.axe import assert_accessible
from tests.api.browser import SHOTS, shots
from tests.api.live_server import live_server
from tests.api.reviewer_helpers import EVIDENCE, seated_application
from tests.cli.runner import axr_in_process
from tests.conftest import bearer

COMPANY = "누리비전 주식회사"
SCORES = {"technology": 4, "manufacturing_fit": 5, "track_record": 4, "delivery": 4, "growth_tips": 3}


def _sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/web")
    assert page.url.startswith(base + "/oauth/authorize?")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#signin-submit")
    assert page.url == base + "/web/reviewer", page.url


def _declare_and_score(page, app_id: str, prefix: str | None) -> None:
    page.click(f"a[href='/web/reviewer/applications/{app_id}']")
    assert page.locator("h1").inner_text() == "이해충돌 신고"
    assert EVIDENCE not in page.content()  # nothing of the application before the declaration
    if prefix:
        shots(page, f"{prefix}-declare")
    assert_accessible(page, "declaration")
    page.check("#coi-no")
    page.click("#declare-submit")
    assert page.locator("#screening tbody tr").count() >= 1
    assert COMPANY in page.locator("h1").inner_text()
    assert page.locator("#facts").is_visible()
    for code, score in SCORES.items():
        page.check(f"#score-{code}-{score}")
    page.fill("#comments", "현장 적용 사례와 불량률 개선 근거가 구체적입니다.")
    if prefix:
        shots(page, f"{prefix}-application")
    assert_accessible(page, "application with the scoring form")
    page.click("#score-submit")
    assert page.locator("#own-review").is_visible()


def test_two_reviewers_declare_score_and_approve(app, settings, engine, browser, mint):
    loaded = axr_in_process(settings, "demo", "load")
    assert loaded.exit_code == 0, loaded.output
    SHOTS.mkdir(parents=True, exist_ok=True)
    with unit_of_work(engine) as session:
        ids = dict(session.execute(select(UserAccount.username, UserAccount.id)
                                   .where(UserAccount.username.in_(["reviewer01", "reviewer02"]))).all())
    with TestClient(app, raise_server_exceptions=False) as http:
        app_id = seated_application(http, mint, [ids["reviewer01"], ids["reviewer02"]], name_ko=COMPANY)

    with live_server(app) as base:
        context = browser.new_context(locale="ko-KR")
        page = context.new_page()
        _sign_in(page, base, "reviewer01", "demo-password-r01")
        assert page.locator("h1").inner_text() == "심사 목록"
        assert COMPANY in page.locator("#queue").inner_text()
        shots(page, "web-reviewer-01-queue")
        assert_accessible(page, "reviewer queue")

        _declare_and_score(page, app_id, "web-reviewer-02")
        # The document next to its criterion downloads through the API's download.
        with page.expect_download() as got:
            page.click(f"#screening a.doc:has-text('{EVIDENCE}')")
        assert got.value.suggested_filename == EVIDENCE
        shots(page, "web-reviewer-03-scored")
        assert_accessible(page, "application after scoring")

        # One review of a quorum of two: the service refuses, the page says why in Korean.
        page.check("#decision-approve")
        page.fill("#reason", "기준 충족")
        page.click("#decision-submit")
        assert "정족수에 미달" in page.locator("#form-error").inner_text()
        shots(page, "web-reviewer-04-refused")
        assert_accessible(page, "decision refused")
        context.close()

        # The second reviewer completes the quorum and approves.
        second = browser.new_context(locale="ko-KR")
        page = second.new_page()
        _sign_in(page, base, "reviewer02", "demo-password-r02")
        _declare_and_score(page, app_id, None)
        assert page.locator("#mean").inner_text() == "4.150"
        page.check("#decision-approve")
        page.fill("#reason", "심사위원 평균 4.15점으로 기준 충족")
        page.click("#decision-submit")
        assert page.locator("#app-state").inner_text() == "승인"
        assert "승인되었습니다" in page.locator("#decision").inner_text()
        shots(page, "web-reviewer-05-approved")
        assert_accessible(page, "approved application")

        # A phone: the queue and the application without sideways scrolling (the tables stack).
        phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                    storage_state=second.storage_state())
        mobile = phone.new_page()
        for name, url in (("queue", base + "/web/reviewer"), ("application", page.url)):
            mobile.goto(url)
            assert mobile.evaluate("document.documentElement.scrollWidth") <= 390, name
            mobile.screenshot(path=str(SHOTS / f"web-reviewer-06-phone-{name}.png"), full_page=True)
            assert_accessible(mobile, f"reviewer {name} at 390 px")
        phone.close()
        second.close()

    with TestClient(app, raise_server_exceptions=False) as http:
        admin = bearer(mint("admin"))
        got = http.get(f"/v1/applications/{app_id}", headers=admin).json()
        assert got["state"] == "approved"
        assert got["certificate_id"]
