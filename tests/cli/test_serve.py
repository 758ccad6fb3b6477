"""`axr serve --port P` links to itself: the feed's `link`/`page` and the exports' `page` column carry the
port it listens on, unless AXR_PUBLIC_BASE_URL (a proxy's public address) is set."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from cli.main import served_base_url
from core.settings import Settings
from tests.cli.server import serve
from tests.cli.test_errors import catalogue


def _links(server, tmp_path: Path) -> tuple[list[str], list[str]]:
    cat = tmp_path / "cat.json"
    cat.write_text(json.dumps(catalogue(), ensure_ascii=False), encoding="utf-8")
    imported = server.axr("import-catalogue", str(cat))
    assert imported.returncode == 0, imported.stderr
    token = server.axr("token", "create", "--role", "portal")
    assert token.returncode == 0, token.stderr
    feed = httpx.get(server.url + "/v1/feed/changes", headers={"Authorization": "Bearer " + token.stdout.strip()})
    assert feed.status_code == 200, feed.text
    events = feed.json()["items"]
    assert {e["resource"] for e in events} >= {"company", "solution", "certificate"}
    export = httpx.get(server.url + "/v1/public/exports/designated-companies", params={"format": "json"})
    assert export.status_code == 200, export.text
    rows = export.json()
    rows = rows["items"] if isinstance(rows, dict) else rows
    assert rows
    return [u for e in events for u in (e["link"], e["page"]) if u], [r["page"] for r in rows]


def test_links_point_at_the_port_served(tmp_path: Path) -> None:
    with serve(tmp_path / "one") as server:
        feed, export = _links(server, tmp_path)
    assert feed
    assert all(u.startswith(f"http://127.0.0.1:{server.port}/") for u in feed + export), feed + export


def test_a_public_base_url_set_by_the_operator_wins(tmp_path: Path) -> None:
    with serve(tmp_path / "two", env={"AXR_PUBLIC_BASE_URL": "https://axr.example.kr"}) as server:
        feed, export = _links(server, tmp_path)
    assert all(u.startswith("https://axr.example.kr/") for u in feed + export), feed + export


def test_the_base_url_of_each_listening_address() -> None:
    plain = Settings(_env_file=None)  # type: ignore[call-arg]
    assert served_base_url(plain, "127.0.0.1", 8101) == "http://127.0.0.1:8101"
    assert served_base_url(plain, "0.0.0.0", 9000) == "http://127.0.0.1:9000"
    assert served_base_url(plain, "::", 9000) == "http://[::1]:9000"
    given = Settings(public_base_url="https://axr.go.kr", _env_file=None)  # type: ignore[call-arg]
    assert served_base_url(given, "0.0.0.0", 9000) is None
