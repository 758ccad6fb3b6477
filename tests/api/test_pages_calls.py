"""The public page of open calls (공고) in Debian's chromium at phone size: the open call in Korean with its
window in KST and its quotas by field, no page wider than the phone; English with ?lang=en; nothing open
says so."""

from __future__ import annotations

from fastapi.testclient import TestClient

from core import clock
from core.korean import date_ko
from tests.api.axe import assert_accessible
from tests.api.browser import SHOTS
from tests.api.designation_builders import Desk
from tests.api.live_server import live_server
from tests.api.test_calls import open_call

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "locale": "en-US"}


def test_open_calls_page_at_phone_size(settings, engine, tmp_path, mint, browser):
    from api.app import create_app

    app = create_app(settings.model_copy(update={"index_dir": tmp_path / "index"}), engine=engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        SHOTS.mkdir(parents=True, exist_ok=True)
        with live_server(app) as base:
            phone = browser.new_context(**PHONE)
            page = phone.new_page()
            r = page.goto(base + "/pages/calls")
            assert r.status == 200
            assert page.locator("#no-calls").inner_text() == "지금 접수 중인 공고가 없습니다."
            assert_accessible(page, "no calls at 390 px")

            desk = Desk.open(client, mint, engine, n_reviewers=0)
            call = open_call(desk, quotas={"vision_inspection": 20, "predictive_maintenance": 10},
                             title_ko="2027년 제1차 제조 AI 전문기업 지정 공고", title_en="2027 first call")
            open_call(desk, start=5, title_ko="접수 예정 공고")  # not open yet: not listed
            r = page.goto(base + "/pages/calls")
            assert r.status == 200
            assert page.locator("html").get_attribute("lang") == "ko"
            card = page.locator(f"#call-{call['id']}")
            assert card.locator("h2").inner_text() == "2027년 제1차 제조 AI 전문기업 지정 공고"
            assert page.locator("section.call").count() == 1
            window = card.locator(".call-window").inner_text()
            assert window.startswith(date_ko(clock.now())), window
            assert "(KST)" in window, window
            quotas = card.locator(".quotas li").all_inner_texts()
            assert quotas == ["예지보전: 10건 (현재 0건 접수)", "비전 검사: 20건 (현재 0건 접수)"]
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.screenshot(path=str(SHOTS / "phone-calls-ko.png"), full_page=True)
            assert_accessible(page, "calls at 390 px")

            r = page.goto(base + "/pages/calls?lang=en")
            assert page.locator(f"#call-{call['id']} h2").inner_text() == "2027 first call"
            assert "Vision inspection: 20 (0 submitted so far)" in page.locator(".quotas").inner_text()
            assert_accessible(page, "calls en at 390 px")
            phone.close()
    assert (SHOTS / "phone-calls-ko.png").stat().st_size > 5_000
