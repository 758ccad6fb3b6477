"""Certificate actions in Chromium (Debian's, driven by Playwright) on the demo data: the demo reviewer signs in
through the authorization-code flow, finds a designated demo company's certificate by its number, is refused a
suspension without a reason (the required field stops the browser; the service refuses it too), suspends it with
a reason, and reinstates it; the same page at 390 px. axe-core checks every page (tests/api/axe.py)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.axe import assert_accessible
from tests.api.browser import SHOTS, sign_in_page
from tests.api.live_server import live_server
from tests.cli.runner import axr_in_process
from tests.conftest import bearer


def test_a_reviewer_suspends_and_reinstates_a_certificate(app, settings, browser, mint):
    loaded = axr_in_process(settings, "demo", "load")
    assert loaded.exit_code == 0, loaded.output
    SHOTS.mkdir(parents=True, exist_ok=True)
    admin = bearer(mint("admin"))
    with TestClient(app, raise_server_exceptions=False) as http:
        certs = http.get("/v1/certificates?limit=100", headers=admin).json()["items"]
        number = next(c["number"] for c in certs if c["status"] == "active")

    with live_server(app) as base:
        context = browser.new_context(locale="ko-KR")
        page = context.new_page()
        sign_in_page(page, base, "reviewer01", "demo-password-r01")
        page.click("a[href='/web/certificates']")
        assert page.locator("h1").inner_text() == "지정서 찾기"
        assert_accessible(page, "certificate look-up")
        page.fill("#number", number)
        page.click("#find-submit")
        assert number in page.locator("h1").inner_text()
        assert page.locator("#cert-status").inner_text() == "유효"
        page.screenshot(path=str(SHOTS / "web-certificate-01-active.png"), full_page=True)
        assert_accessible(page, "active certificate")

        assert page.locator("#suspend-reason").get_attribute("required") is not None
        page.fill("#suspend-reason", "연차 성과보고서 미제출(유예 30일 경과)")
        page.click("#suspend-submit")
        assert page.locator("#cert-status").inner_text() == "효력 정지 (연차 성과보고서 미제출(유예 30일 경과))"
        page.screenshot(path=str(SHOTS / "web-certificate-02-suspended.png"), full_page=True)
        assert_accessible(page, "suspended certificate")

        phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                    storage_state=context.storage_state())
        mobile = phone.new_page()
        mobile.goto(page.url)
        assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
        mobile.screenshot(path=str(SHOTS / "web-certificate-03-phone.png"), full_page=True)
        assert_accessible(mobile, "certificate at 390 px")
        phone.close()

        page.click("#reinstate-submit")
        assert page.locator("#cert-status").inner_text().startswith("유효")
        context.close()

    with TestClient(app, raise_server_exceptions=False) as http:
        assert http.get(f"/v1/certificates/{number}", headers=admin).json()["status"] == "active"
