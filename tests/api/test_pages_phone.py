"""The public pages at phone size in Debian's chromium: the 404 and 429 pages are pages (Korean, the wait in
seconds, no raw JSON), an unknown `lang` is Korean, and a long Korean company description wraps between
words, never inside one. Screenshots go under the run's output folder (tests/api/browser.py)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from core import clock
from core.korean import date_ko, duration_ko, kst
from tests.api.axe import assert_accessible
from tests.api.browser import SHOTS
from tests.api.designation_builders import Desk
from tests.api.live_server import live_server
from tests.api.portal_helpers import designated
from tests.api.test_search_api import VISION

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "locale": "en-US"}  # an English browser: the page's own language still decides
LONG_KO = ("사출성형 공정에서 발생하는 미성형, 웰드라인, 은줄, 수축변형 같은 외관 불량을 산업용 고해상도 카메라와 "
           "딥러닝 기반 이미지분석 알고리즘으로 실시간 검출하고, 검출 결과를 제조실행시스템과 연동해 불량 원인이 된 "
           "금형온도와 사출압력 조건을 작업자에게 즉시 알려 줍니다. 도입 초기에는 대표 불량유형 학습데이터를 함께 "
           "구축하고, 안정화 이후에는 현장담당자가 직접 재학습할 수 있도록 운영교육과 유지보수를 제공합니다.")

# Where a line ends inside a word: two characters, neither a space nor a break-friendly punctuation mark,
# on different lines. Measured per character with a DOM Range, as the browser laid the text out.
MID_WORD_BREAKS = """(el) => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const breaks = []; let lines = 0, prevTop = null, prev = null, node;
  while ((node = walker.nextNode())) {
    const text = node.textContent;
    for (let i = 0; i < text.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect || rect.width === 0) { prev = ' '; continue; }
      if (prevTop === null || rect.top > prevTop + rect.height / 2) {
        lines += 1;
        if (prevTop !== null && !/[\\s,.·/)]/.test(prev) && !/\\s/.test(text[i]))
          breaks.push(text.slice(Math.max(0, i - 6), i) + '|' + text.slice(i, i + 6));
      }
      prevTop = rect.top; prev = text[i];
    }
  }
  return {lines, breaks};
}"""


def _no_raw_json(page) -> None:
    body = page.locator("body").inner_text()
    assert not body.lstrip().startswith("{")
    assert '"type"' not in page.content()
    assert "problem+json" not in body
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_error_pages_and_a_long_korean_description_at_phone_size(settings, engine, tmp_path, mint, browser):
    from api.app import create_app

    app = create_app(settings.model_copy(update={"index_dir": tmp_path / "index", "rate_limit_pages": 8,
                                                 "rate_limit_window_seconds": 3600}), engine=engine)
    with TestClient(app, raise_server_exceptions=False) as client:  # the API's calls do not count as pages
        _, company, _, _ = designated(client, mint, [{**VISION, "description_ko": LONG_KO}],
                                      name_ko="한빛정밀비전 주식회사", name_en="Hanbit Precision Vision")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with live_server(app) as base:
        phone = browser.new_context(**PHONE)
        page = phone.new_page()

        # 404: a page in Korean (an unknown lang is Korean), with the way back.
        r = page.goto(base + "/pages/companies/no-such-company?lang=fr")
        assert r.status == 404
        assert r.headers["content-type"].startswith("text/html")
        assert page.locator("html").get_attribute("lang") == "ko"
        assert page.locator("#error-title").inner_text() == "페이지를 찾을 수 없습니다"
        _no_raw_json(page)
        page.screenshot(path=str(SHOTS / "phone-404-ko.png"), full_page=True)
        assert_accessible(page, "404 at 390 px")
        r = page.goto(base + "/pages/nowhere?lang=en")  # no such route at all, in English
        assert r.status == 404
        assert page.locator("#error-title").inner_text() == "Page not found"
        _no_raw_json(page)
        assert_accessible(page, "404 en at 390 px")

        # The long description wraps between words at 390 px.
        r = page.goto(base + f"/pages/companies/{company['id']}")
        assert r.status == 200
        description = page.locator("#solutions .description")
        assert description.inner_text() == LONG_KO
        assert page.evaluate("getComputedStyle(document.body).wordBreak") == "keep-all"
        layout = description.evaluate(MID_WORD_BREAKS)
        assert layout["lines"] >= 5, layout  # long enough to wrap many times on a phone
        assert layout["breaks"] == [], f"lines break inside words: {layout['breaks']}"
        _no_raw_json(page)
        page.screenshot(path=str(SHOTS / "phone-company-long-description.png"), full_page=True)
        assert_accessible(page, "company long description at 390 px")

        # 429 once the pages' own bucket is spent: a page with the wait, and Retry-After.
        for _ in range(20):
            r = page.goto(base + "/pages/companies")
            if r.status == 429:
                break
            assert r.status == 200
        assert r.status == 429
        retry = int(r.headers["retry-after"])
        assert 0 < retry <= 3600
        assert page.locator("#error-title").inner_text() == "요청이 너무 많습니다"
        assert page.locator("#error-detail").inner_text() == f"{duration_ko(retry)} 후에 다시 시도하세요."
        assert "분" in duration_ko(retry) or retry < 60  # a wait of minutes reads in minutes
        _no_raw_json(page)
        page.screenshot(path=str(SHOTS / "phone-429-ko.png"), full_page=True)
        assert_accessible(page, "429 at 390 px")
        phone.close()
    for name in ("phone-404-ko.png", "phone-company-long-description.png", "phone-429-ko.png"):
        assert (SHOTS / name).stat().st_size > 5_000


def test_a_revoked_certificate_at_phone_size_says_it_is_not_in_force(client, mint, engine, app, browser):
    desk = Desk.open(client, mint, engine)
    _, number = desk.certificate("active")
    desk.post(f"/v1/certificates/{number}/revoke", desk.admin, {"reason": "허위 실적 자료 제출이 확인됨"})
    today = date_ko(kst(clock.now()))
    SHOTS.mkdir(parents=True, exist_ok=True)
    with live_server(app) as base:
        phone = browser.new_context(**PHONE)
        page = phone.new_page()
        r = page.goto(base + f"/pages/verify?number={number}")
        assert r.status == 200
        assert page.locator("#certificate-status").inner_text() == "지정 취소"
        notice = page.locator("#certificate-notice")
        assert notice.inner_text() == f"이 지정서는 {today}에 지정이 취소되어 지정 효력이 없습니다."
        assert notice.is_visible()
        assert page.locator("#certificate-reason").inner_text() == "허위 실적 자료 제출이 확인됨"
        assert page.locator("#certificate-since").inner_text() == today
        assert "당초 유효기간" in page.locator("#verification").inner_text()
        _no_raw_json(page)  # and nothing wider than the phone
        page.screenshot(path=str(SHOTS / "phone-revoked-ko.png"), full_page=True)
        assert_accessible(page, "revoked at 390 px")

        page.goto(base + f"/pages/verify?number={number}&lang=en")
        assert page.locator("#certificate-notice").inner_text().startswith("This designation was revoked on ")
        assert "Was valid" in page.locator("#verification").inner_text()
        assert_accessible(page, "revoked en at 390 px")
        phone.close()
    assert (SHOTS / "phone-revoked-ko.png").stat().st_size > 5_000
