"""The public pages in a real browser (Debian's chromium driven by Playwright): the designated list with
search and filters, a company page, certificate verification for active / suspended / revoked, the
English switch and a phone-sized viewport. Screenshots go to the run's output folder (tests/api/browser.py)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.api.axe import assert_accessible
from tests.api.browser import SHOTS
from tests.api.live_server import live_server
from tests.api.portal_helpers import designated
from tests.api.test_search_api import PDM, VISION
from tests.conftest import bearer


def test_public_pages_in_chromium(app, client, mint, browser):
    admin = bearer(mint("admin", org="ministry"))
    _, vision, _, vision_cert = designated(client, mint, [VISION], name_ko="한빛비전 주식회사", name_en="Hanbit Vision",
                                           region="경남")
    _, pdm, _, _ = designated(client, mint, [PDM], name_ko="대한예지보전", name_en="Daehan PdM", region="경기")
    _, _, _, suspended = designated(client, mint, [VISION], name_ko="정지된기업")
    _, _, _, revoked = designated(client, mint, [VISION], name_ko="취소된기업")
    assert client.post(f"/v1/certificates/{suspended['number']}/suspend", json={"reason": "현장 점검"},
                       headers=admin).status_code == 200
    assert client.post(f"/v1/certificates/{revoked['number']}/revoke", json={"reason": "허위 실적"},
                       headers=admin).status_code == 200
    SHOTS.mkdir(parents=True, exist_ok=True)

    with live_server(app) as base:
        context = browser.new_context(locale="ko-KR", accept_downloads=True)
        page = context.new_page()

        # The list: Korean first, only actively designated companies.
        page.goto(base + "/")
        assert page.url.startswith(base + "/pages/companies")
        assert page.locator("html").get_attribute("lang") == "ko"
        assert page.locator("h1").inner_text() == "제조 AI 전문기업 지정 명단"
        names = page.locator("#companies h2").all_inner_texts()
        assert names == ["대한예지보전", "한빛비전 주식회사"]
        assert page.locator('link[rel=alternate][hreflang=en]').count() == 1
        page.screenshot(path=str(SHOTS / "01-companies-ko.png"), full_page=True)
        assert_accessible(page, "companies")

        # Search and filters are plain GET forms.
        page.fill("input[name=q]", "예지보전")
        page.click("form.filters button")
        assert page.locator("#companies h2").all_inner_texts() == ["대한예지보전"]
        assert "q=" in page.url
        page.screenshot(path=str(SHOTS / "02-companies-search.png"), full_page=True)
        assert_accessible(page, "companies search")
        page.fill("input[name=q]", "")
        page.select_option("select[name=region]", "경남")
        page.click("form.filters button")
        assert page.locator("#companies h2").all_inner_texts() == ["한빛비전 주식회사"]
        page.select_option("select[name=region]", "")
        page.select_option("select[name=category]", "predictive_maintenance")
        page.click("form.filters button")
        assert page.locator("#companies h2").all_inner_texts() == ["대한예지보전"]
        page.fill("input[name=q]", "없는회사")
        page.click("form.filters button")
        assert page.locator("#no-results").is_visible()
        assert_accessible(page, "no results")

        # A company page: its solutions and its certificate status.
        page.goto(base + "/pages/companies")
        page.click("text=한빛비전 주식회사")
        assert page.url.endswith(f"/pages/companies/{vision['id']}")
        assert page.locator("#certificate-status").inner_text() == "유효"
        assert VISION["title_ko"] in page.locator("#solutions").inner_text()
        page.screenshot(path=str(SHOTS / "03-company-ko.png"), full_page=True)
        assert_accessible(page, "company")

        # Verification: number in, status and validity out, for each state.
        page.click(f"text={vision_cert['number']}")
        expected = {vision_cert["number"]: ("active", "유효"), suspended["number"]: ("suspended", "효력 정지"),
                    revoked["number"]: ("revoked", "지정 취소")}
        for i, (number, (state, label)) in enumerate(expected.items()):
            page.goto(base + "/pages/verify")
            page.fill("input[name=number]", number)
            page.click("form.filters button")
            status = page.locator("#certificate-status")
            assert status.get_attribute("data-status") == state
            assert status.inner_text() == label
            assert page.locator("#certificate-number").inner_text() == number
            page.screenshot(path=str(SHOTS / f"04-verify-{i}-{state}.png"), full_page=True)
            assert_accessible(page, f"verify {state}")

        # The signed statement downloads as a compact JWS that names the number and the status.
        with page.expect_download() as info:
            page.click("#download-statement")
        statement = Path(info.value.path()).read_text()
        header, payload, _ = statement.split(".")
        import base64

        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        assert claims["number"] == revoked["number"]
        assert claims["status"] == "revoked"
        assert json.loads(base64.urlsafe_b64decode(header + "=="))["typ"] == "axr-certificate-status+jws"

        page.goto(base + "/pages/verify?number=AXR-0000-0000-0000-0")
        assert page.locator("#verify-error").is_visible()
        assert_accessible(page, "verify unknown number")

        # English switch.
        page.goto(base + "/pages/companies")
        page.click("#lang-switch")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("h1").inner_text() == "Designated manufacturing-AI companies"
        assert "Hanbit Vision" in page.locator("#companies").inner_text()
        assert_accessible(page, "companies en")
        page.goto(base + f"/pages/verify?number={suspended['number']}&lang=en")
        assert page.locator("#certificate-status").inner_text() == "Suspended"
        page.screenshot(path=str(SHOTS / "05-verify-en.png"), full_page=True)
        assert_accessible(page, "verify en")

        # A phone: no sideways scrolling.
        phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
        mobile = phone.new_page()
        mobile.goto(base + "/pages/companies")
        assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
        mobile.screenshot(path=str(SHOTS / "06-companies-phone.png"), full_page=True)
        assert_accessible(mobile, "companies at 390 px")
        mobile.goto(base + f"/pages/companies/{pdm['id']}")
        assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
        mobile.screenshot(path=str(SHOTS / "07-company-phone.png"), full_page=True)
        assert_accessible(mobile, "company at 390 px")
        phone.close()
        context.close()
    assert len(list(SHOTS.glob("*.png"))) >= 9
