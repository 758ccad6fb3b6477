"""The public directory searches through the same engine as the API (Kiwi, thesaurus, typos,
designated suppliers only), on the demo data, in Debian's chromium: the placeholder's own example
finds the companies whose solutions fit, in Korean and in English."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.api.axe import assert_accessible
from tests.api.browser import SHOTS
from tests.api.live_server import live_server
from tests.cli.runner import axr_in_process


@pytest.mark.parametrize(("q", "first", "also"), [
    ("비전 검사", "누리비전 주식회사", set()),
    ("vision inspection", "누리비전 주식회사", set()),
    ("예지보전", "한결인사이트 주식회사", {"창원스마트엠 주식회사"}),
])
def test_directory_search_lists_the_companies_whose_solutions_fit(app, settings, browser, q, first, also):
    assert axr_in_process(settings, "demo", "load").exit_code == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    with live_server(app) as base:
        page = browser.new_page(locale="ko-KR")
        page.goto(f"{base}/pages/companies?q={quote(q)}")
        names = page.locator("#companies h2").all_inner_texts()
        assert names, f"{q!r} found no company"
        assert names[0] == first, names
        assert also <= set(names), names
        # only actively designated companies: the expired and revoked demo suppliers never show
        assert not {"오창비전테크 주식회사", "물류온 주식회사", "빛고을로보틱스 주식회사"} & set(names)
        # and not every designated company: the search ranks and cuts, it is not a list of all
        assert "다온랭귀지웍스 주식회사" not in names
        page.screenshot(path=str(SHOTS / f"directory-search-{quote(q)}.png"), full_page=True)
        assert_accessible(page, f"directory search {q}")
        page.close()
