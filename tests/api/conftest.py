"""Fixtures shared by the API tests: a headless chromium (Debian's) for the page tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.browser import ARGS, CHROMIUM
from tests.notices.smtp_server import smtp  # noqa: F401 - the loopback SMTP server fixture


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium through Playwright; skipped (a failure under CI) without the package or the browser."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the browser is Debian's)")
    if not Path(CHROMIUM).exists():
        pytest.skip("no chromium: apt-get install -y chromium")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()
