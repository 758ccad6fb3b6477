"""The officer's registry pages in Chromium (Debian's, driven by Playwright) on the demo data at 1280 px and
390 px: the demo `admin` opens the completions page (the demo's completions are all accepted), opens a call
after a refusal shown in Korean with the typed title kept, closes it early, seats a reviewer on an application
under review (made through the API), disables and enables a demo account, and rotates a client's secret (shown
once). Screenshots of each step go to the run's output folder (tests/api/browser.py); axe-core checks every page."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx

from tests.api.axe import assert_accessible
from tests.api.browser import SHOTS
from tests.api.live_server import live_server
from tests.api.portal_helpers import portal_client
from tests.api.reviewer_helpers import seated_application
from tests.cli.runner import axr_in_process
from tests.conftest import bearer

KST = timezone(timedelta(hours=9))
SIZES = {"desktop": {"viewport": {"width": 1280, "height": 900}},
         "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}}


def _step(page, size: str, n: int, name: str) -> None:
    if size == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    page.screenshot(path=str(SHOTS / f"web-admin-registry-{size}-{n:02d}-{name}.png"), full_page=True)
    assert_accessible(page, f"officer registry {name} ({size})")


def _journey(browser, base: str, api: httpx.Client, size: str, app_id: str, client_id: str) -> None:
    context = browser.new_context(locale="ko-KR", **SIZES[size])
    page = context.new_page()
    page.goto(base + "/web")
    page.fill("#username", "admin")
    page.fill("#password", "demo-password-admin")
    page.click("#signin-submit")
    assert page.url == base + "/web/admin", page.url
    page.click("#to-completions")
    assert page.locator("h1").inner_text() == "완료 승인"
    _step(page, size, 1, "completions")

    page.goto(base + "/web/admin")
    page.click("#to-calls")
    title = f"2027년 제1차 제조 AI 전문기업 지정 공고 ({size})"
    now = datetime.now(KST)
    page.fill("#title_ko", title)
    page.fill("#opens_at", now.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#closes_at", (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#quota_vision_inspection", "5")
    page.click("#open-call")
    assert "마감 시각" in page.locator("#new-call #form-error").inner_text()
    assert page.input_value("#title_ko") == title  # the typed input kept
    _step(page, size, 2, "call-refused")
    page.fill("#closes_at", (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"))
    page.click("#open-call")
    assert page.locator("#done").inner_text() == "공고를 게시했습니다."
    call = next(c for c in api.get("/v1/public/calls", params={"status": "all"}).json() if c["title_ko"] == title)
    assert call["status"] == "open"
    _step(page, size, 3, "calls")
    page.fill(f"#reason-{call['id']}", "예산 소진으로 조기 마감합니다.")
    page.click(f"#close-{call['id']}")
    assert page.locator("#done").inner_text() == "공고를 마감했습니다."
    assert api.get(f"/v1/public/calls/{call['id']}").json()["status"] == "closed"

    page.goto(base + "/web/admin")
    page.click("#to-panels")
    _step(page, size, 4, "panels")
    page.click(f"a[href='/web/admin/panels/{app_id}']")
    page.locator("input[name=reviewers]").nth(1 if size == "desktop" else 2).check()
    page.click("#assign")
    assert page.locator("#done").inner_text() == "심사위원을 배정했습니다."
    _step(page, size, 5, "panel")

    page.goto(base + "/web/admin")
    page.click("#to-users")
    page.click("#disable-supplier12")
    assert "계정 사용을 중지했습니다." in page.locator("#done").inner_text()
    _step(page, size, 6, "users")
    page.click("#enable-supplier12")
    assert "계정 사용을 재개했습니다." in page.locator("#done").inner_text()

    page.goto(base + "/web/admin/clients")
    page.click(f"#rotate-{client_id}")
    assert "한 번만 보여 줍니다" in page.locator("#new-secret").inner_text()
    _step(page, size, 7, "client-secret")
    context.close()


def test_officer_opens_calls_seats_a_panel_and_manages_accounts(app, settings, browser, mint):
    loaded = axr_in_process(settings, "demo", "load")
    assert loaded.exit_code == 0, loaded.output
    SHOTS.mkdir(parents=True, exist_ok=True)
    admin = bearer(mint("admin", org="ministry"))
    with live_server(app) as base, httpx.Client(base_url=base) as api:
        r = api.post("/v1/admin/reviewers", headers=admin,
                     json={"sub": "browser-reviewer", "name": "브라우저 심사위원", "org": "ministry"})
        assert r.status_code == 201, r.text
        app_id = seated_application(api, mint, ["browser-reviewer"])
        client_id, _ = portal_client(api, mint)
        for size in SIZES:
            _journey(browser, base, api, size, app_id, client_id)
        seats = api.get(f"/v1/applications/{app_id}/panel", headers=admin).json()
        assert len(seats) == 3  # the API's seat and one more per size
