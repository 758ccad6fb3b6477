"""The accessibility helper itself (tests/api/axe.py) in Debian's chromium: it fails on a page with known
WCAG A/AA violations, naming each rule, its impact, help and targets, including what a closed <details>
hides, and passes an accessible page."""

from __future__ import annotations

import pytest

from tests.api.axe import assert_accessible, violations

BAD = """<!doctype html><html><head></head><body><main>
<img src="x.png"><p style="color:#aaa;background:#fff">옅은 글씨</p><input id="q">
<details><summary>더 보기</summary><a href="/x"><img src="y.png"></a></details>
</main></body></html>"""
GOOD = """<!doctype html><html lang="ko"><head><title>확인</title></head><body><main>
<h1>확인</h1><label for="q">검색어</label><input id="q"><img src="x.png" alt="로고"></main></body></html>"""


def test_the_helper_fails_on_violations_and_passes_a_clean_page(browser):
    page = browser.new_page()
    page.set_content(BAD)
    found = {v["id"]: v for v in violations(page)}
    assert {"image-alt", "html-has-lang", "document-title", "color-contrast", "label", "link-name"} <= set(found)
    assert found["image-alt"]["impact"] == "critical"
    assert len(found["image-alt"]["targets"]) == 2  # the second is inside the closed <details>
    assert page.evaluate("document.querySelector('details').open") is False  # closed again after the run
    with pytest.raises(AssertionError, match=r"(?s)image-alt \(critical\): Images must have alternative text.*img"):
        assert_accessible(page, "bad page")
    page.set_content(GOOD)
    assert_accessible(page, "good page")
    page.close()
