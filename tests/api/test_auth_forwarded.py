"""X-Forwarded-For is believed only from the proxies named in AXR_FORWARDED_ALLOW_IPS (empty by default).

Against a real uvicorn server on a loopback port, run with the options `axr serve` passes: a caller that
rotates X-Forwarded-For stays at its 429; with the setting naming 127.0.0.1 (a proxy on this machine)
the forwarded address is the one counted.
"""

from __future__ import annotations

from typing import Any

import httpx

from cli.main import proxy_options
from tests.api.live_server import live_server

PUBLIC = "/v1/public/audit/tree-head"  # public and rate-limited (404 while the log is empty)


def _app(settings: Any, engine: Any, tmp_path: Any, **update: Any) -> tuple[Any, Any]:
    from api.app import create_app

    configured = settings.model_copy(update={"index_dir": tmp_path / "index", "rate_limit_public": 3,
                                             "rate_limit_window_seconds": 3600, **update})
    return create_app(configured, engine=engine), configured


def test_rotating_x_forwarded_for_does_not_escape_the_limit(settings, engine, tmp_path):
    app, configured = _app(settings, engine, tmp_path)
    assert configured.forwarded_allow_ips == ""  # the default
    with live_server(app, **proxy_options(configured)) as base, httpx.Client(base_url=base) as http:
        assert [http.get(PUBLIC).status_code for _ in range(3)] == [404, 404, 404]
        assert http.get(PUBLIC).status_code == 429
        rotated = [http.get(PUBLIC, headers={"X-Forwarded-For": f"198.51.100.{i}"}) for i in range(1, 21)]
        assert [r.status_code for r in rotated] == [429] * 20
        assert all(r.headers["Retry-After"] for r in rotated)
        # several hops, or the other spellings, make no difference either
        for header in ({"X-Forwarded-For": "203.0.113.9, 127.0.0.1"}, {"X-Real-IP": "203.0.113.10"},
                       {"Forwarded": "for=203.0.113.11"}):
            assert http.get(PUBLIC, headers=header).status_code == 429, header


def test_a_configured_proxy_is_believed(settings, engine, tmp_path):
    app, configured = _app(settings, engine, tmp_path, forwarded_allow_ips="127.0.0.1")
    with live_server(app, **proxy_options(configured)) as base, httpx.Client(base_url=base) as http:
        first = {"X-Forwarded-For": "198.51.100.1"}
        assert [http.get(PUBLIC, headers=first).status_code for _ in range(3)] == [404, 404, 404]
        assert http.get(PUBLIC, headers=first).status_code == 429
        # the proxy appends the address it saw; what the client wrote before it changes nothing
        for spoof in ("203.0.113.5", "10.0.0.1, 203.0.113.6"):
            assert http.get(PUBLIC, headers={"X-Forwarded-For": f"{spoof}, 198.51.100.1"}).status_code == 429
        other = http.get(PUBLIC, headers={"X-Forwarded-For": "198.51.100.2"})
        assert other.status_code == 404  # another client behind the proxy has a quota of its own
        assert other.headers["RateLimit"] == '"public";r=2;t=' + other.headers["RateLimit"].split("t=")[1]


def test_a_proxy_not_named_is_not_believed(settings, engine, tmp_path):
    """AXR_FORWARDED_ALLOW_IPS names a proxy elsewhere: a request straight from 127.0.0.1 is counted as itself."""
    app, configured = _app(settings, engine, tmp_path, forwarded_allow_ips="10.9.8.7")
    with live_server(app, **proxy_options(configured)) as base, httpx.Client(base_url=base) as http:
        statuses = [http.get(PUBLIC, headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code for i in range(6)]
        assert statuses == [404, 404, 404, 429, 429, 429]
