"""Debian's chromium driven by Playwright, for the browser tests (the fixture is in tests/api/conftest.py).
Screenshots go under the run's output folder: $AXR_SCREENSHOT_DIR, else <output>/screenshots, where the
output folder is $AXR_TEST_OUTPUT_DIR or test-artifacts/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from tests.korean_scan import OUTPUT_DIR

SHOTS = Path(os.environ.get("AXR_SCREENSHOT_DIR", OUTPUT_DIR / "screenshots"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def shots(page: Any, name: str) -> None:
    """The page as it is now, whole, at desktop (1280 px) and phone (390 px) width: <SHOTS>/<name>-desktop.png
    and <name>-phone.png (tests/api/doc_screenshots.py keeps the documentation's from them). The page's own
    viewport is put back."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    if size:
        page.set_viewport_size(size)


def sign_in_page(page: Any, base: str, username: str, password: str, *, start: str = "/web") -> None:
    """Open `start` signed out: the browser goes through /web/signin to the embedded issuer's form; sign in
    there with the demo account and come back (the authorization-code flow with PKCE, as a user does)."""
    page.goto(base + start)
    assert page.url.startswith(base + "/oauth/authorize?"), page.url
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#signin-submit")
