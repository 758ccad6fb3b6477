"""The SME's journey in the web application, in Chromium (Debian's, driven by Playwright), on the demo
data: sign in as the demo SME sme01 through the authorization-code flow with PKCE, describe a problem in
Korean, read the ranked matches with their reasons, compare three side by side; then the same pages at
390 px. Every page of it (the 404 page and a refused form included) is checked with axe-core for WCAG
2.0/2.1 A and AA (tests/api/axe.py). No JavaScript of ours runs: every step is a link or a form.
Screenshots go to the run's output folder (tests/api/browser.py)."""

from __future__ import annotations

from tests.api.axe import assert_accessible
from tests.api.browser import SHOTS, shots
from tests.api.live_server import live_server
from tests.cli.runner import axr_in_process

NEED = "사출 성형품에 미성형 불량이 자주 나와서 카메라로 자동 검사하고 싶습니다"


def test_sme_signs_in_describes_a_need_and_compares_three_matches(app, settings, browser):
    loaded = axr_in_process(settings, "demo", "load")
    assert loaded.exit_code == 0, loaded.output
    SHOTS.mkdir(parents=True, exist_ok=True)

    with live_server(app) as base:
        context = browser.new_context(locale="ko-KR")
        page = context.new_page()

        # Not signed in: the page sends the browser through /web/signin to the issuer's sign-in form.
        page.goto(base + "/web/sme")
        assert page.url.startswith(base + "/oauth/authorize?")
        assert "code_challenge_method=S256" in page.url
        assert page.locator("html").get_attribute("lang") == "ko"
        assert page.locator("h1").inner_text() == "로그인"
        shots(page, "web-01-signin")
        assert_accessible(page, "sign-in form")
        page.fill("#username", "sme01")
        page.fill("#password", "틀린 비밀번호")
        page.click("#signin-submit")
        assert page.locator("#signin-error").inner_text() == "아이디 또는 비밀번호가 올바르지 않습니다."
        assert_accessible(page, "sign-in form with its error")
        page.fill("#password", "demo-password-m01")
        page.click("#signin-submit")

        # Signed in: the SME's dashboard; the session cookie is out of the page's scripts' reach.
        assert page.url == base + "/web/sme"
        assert page.locator("h1").inner_text() == "수요기업 대시보드"
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["axr_session"]["httpOnly"] is True
        assert cookies["axr_session"]["sameSite"] == "Lax"
        assert page.evaluate("document.cookie").find("axr_session") == -1
        needs_before = page.locator("#needs li").count()
        shots(page, "web-02-sme-dashboard")
        assert_accessible(page, "SME dashboard")

        # Describe the problem in Korean.
        page.click("#new-need")
        assert page.locator("label[for=text]").is_visible()
        page.fill("#text", "   ")  # blank: the browser's `required` lets it through, the schema refuses it
        page.click("#need-submit")
        assert page.locator("#form-errors").is_visible()
        assert_accessible(page, "need form with its errors")
        page.fill("#text", NEED)
        page.fill("#budget_krw", "150000000")
        shots(page, "web-03-need-form")
        assert_accessible(page, "need form")
        page.click("#need-submit")
        assert "/web/sme/needs/" in page.url, page.locator("main").inner_text()
        assert page.locator("#need-text").inner_text().startswith(NEED)

        # Ranked matches with their reasons, best first.
        matches = page.locator("#matches li.match")
        assert matches.count() >= 3
        scores = [float(x) for x in page.locator("#matches .score").all_inner_texts()]
        assert scores == sorted(scores, reverse=True)
        assert page.locator("#matches li.match").first.locator("ul.reasons li").count() >= 1
        titles = [matches.nth(i).locator("h3 a").inner_text() for i in range(3)]
        shots(page, "web-04-matches")
        assert_accessible(page, "matches")

        # Compare the first three side by side.
        for i in range(3):
            matches.nth(i).locator("input.compare-pick").check()
        page.click("#compare-submit")
        assert "/web/sme/compare?" in page.url
        headers = page.locator("#compare thead th").all_inner_texts()
        assert headers[1:] == titles
        assert page.locator("#compare td.price").count() == 3
        assert all("원" in t for t in page.locator("#compare td.price").all_inner_texts())
        assert all(t.startswith("유효") for t in page.locator("#compare td.designation").all_inner_texts())
        tips = page.locator("#compare td[data-label=TIPS]").all_inner_texts()
        assert any("TIPS" in t for t in tips)
        assert not any("funded" in t or "tips ·" in t for t in tips)  # Korean labels, not codes
        shots(page, "web-05-compare")
        assert_accessible(page, "compare")
        compare_url = page.url

        # The dashboard lists the new need.
        page.goto(base + "/web/sme")
        assert page.locator("#needs li").count() == needs_before + 1
        assert NEED[:20] in page.locator("#needs").inner_text()

        # A need that does not exist: the 404 page, in Korean, as accessible as the rest.
        r = page.goto(base + "/web/sme/needs/no-such-need")
        assert r.status == 404
        assert page.locator("html").get_attribute("lang") == "ko"
        shots(page, "web-07-not-found")
        assert_accessible(page, "404 page")
        page.goto(base + "/web/sme")

        # Keyboard: the first Tab lands on the skip link, and it is visible when focused.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0
        assert_accessible(page, "dashboard with the skip link focused")

        # A phone: the same pages without sideways scrolling (the comparison turns into stacked cards).
        phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                    storage_state=context.storage_state())
        mobile = phone.new_page()
        for name, url in (("dashboard", base + "/web/sme"), ("need-form", base + "/web/sme/needs/new"),
                          ("compare", compare_url)):
            mobile.goto(url)
            assert mobile.evaluate("document.documentElement.scrollWidth") <= 390, name
            mobile.screenshot(path=str(SHOTS / f"web-06-phone-{name}.png"), full_page=True)
            assert_accessible(mobile, f"{name} at 390 px")

        # Sign out: the session is over for this browser.
        page.click("#signout")
        assert page.locator("h1").inner_text() == "로그아웃했습니다"
        assert_accessible(page, "signed out")
        page.goto(base + "/web/sme")
        assert page.url.startswith(base + "/oauth/authorize?")
        phone.close()
        context.close()


def test_the_demo_sign_in_hint_is_accessible_at_both_widths(settings, engine, browser):
    """The sign-in form of `axr serve --demo` with its table of demo accounts: axe-core at 1280 and 390 px."""
    from api.app import create_app

    app = create_app(settings.model_copy(update={"demo_sign_in_hint": True}), engine=engine)
    with live_server(app) as base:
        for viewport in ({"width": 1280, "height": 800}, {"width": 390, "height": 844}):
            context = browser.new_context(locale="ko-KR", viewport=viewport)
            page = context.new_page()
            page.goto(base + "/web")
            assert "demo-password-r01" in page.locator("#demo-accounts").inner_text()
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            assert_accessible(page, f"sign-in form with the demo accounts at {viewport['width']} px")
            context.close()
