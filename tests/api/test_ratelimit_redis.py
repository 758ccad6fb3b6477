"""Rate limits: per IP for anonymous callers and per client for token holders, the draft RateLimit
headers, 429 problem+json with Retry-After; with Redis, two app instances share one count (a Redis of
the test's own, started on a free loopback port, unless AXR_TEST_REDIS_URL names one)."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from core.korean import duration_en, duration_ko
from tests.conftest import bearer

PUBLIC = "/v1/public/exports/designated-companies"  # an anonymous API route in the public bucket


def _app(settings, engine, tmp_path, **update):
    from api.app import create_app

    return create_app(settings.model_copy(update={"index_dir": tmp_path / "index", **update}), engine=engine)


def test_request_q_plus_one_gets_429_per_ip_and_per_client(settings, engine, tmp_path):
    app = _app(settings, engine, tmp_path, rate_limit_public=3, rate_limit_client=2, rate_limit_window_seconds=3600)
    with TestClient(app) as client:
        for _ in range(3):
            r = client.get(PUBLIC)
            assert r.status_code == 200
            assert r.headers["RateLimit-Policy"] == '"public";q=3;w=3600'
        r = client.get(PUBLIC)
        assert r.status_code == 429
        assert r.headers["content-type"] == "application/problem+json"
        retry = int(r.headers["Retry-After"])
        assert 0 < retry <= 3600
        assert re.fullmatch(rf'"public";r=0;t={retry}', r.headers["RateLimit"])

        # A portal with its token is counted as itself, not as the IP it shares.
        one, _ = app.state.tokens.mint(sub="client:one", role="portal", client_id="portal-one")
        two, _ = app.state.tokens.mint(sub="client:two", role="portal", client_id="portal-two")
        for _ in range(2):
            r = client.get("/v1/feed/changes", headers=bearer(one))
            assert r.status_code == 200
            assert r.headers["RateLimit-Policy"] == '"client";q=2;w=3600'
        r = client.get("/v1/feed/changes", headers=bearer(one))
        assert r.status_code == 429
        assert "Retry-After" in r.headers
        assert r.json()["status"] == 429
        assert client.get("/v1/feed/changes", headers=bearer(two)).status_code == 200
        assert client.get("/v1/public/exports/catalogue", headers=bearer(two)).status_code == 200
        assert client.get("/v1/public/exports/catalogue", headers=bearer(two)).status_code == 429


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """AXR_TEST_REDIS_URL when set (it must answer), else a redis-server of this module's own on a free
    loopback port, nothing saved to disk, stopped after. Without the program: skipped, a failure under CI
    (.ci/run installs Debian's redis-server)."""
    import redis

    from tests.cli.server import free_port

    configured = os.environ.get("AXR_TEST_REDIS_URL")
    if configured:
        redis.Redis.from_url(configured, socket_connect_timeout=2).ping()
        yield configured
        return
    program = shutil.which("redis-server")
    if program is None:
        pytest.skip("no redis-server: apt-get install -y redis-server (or set AXR_TEST_REDIS_URL)")
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([program, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(folder)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, f"redis-server exited {process.returncode}"
            try:
                redis.Redis.from_url(url, socket_connect_timeout=1).ping()
                break
            except redis.RedisError:
                assert time.monotonic() < deadline, "redis-server did not answer within 20 s"
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_two_app_instances_share_the_count_in_redis(settings, engine, tmp_path, redis_url):
    prefix = "axr-test-" + secrets.token_hex(4)  # a fresh namespace: other runs do not count
    apps = [_app(settings, engine, tmp_path, redis_url=redis_url, redis_prefix=prefix, rate_limit_public=3,
                 rate_limit_window_seconds=3600) for _ in range(2)]
    with TestClient(apps[0]) as a, TestClient(apps[1]) as b:
        remaining = []
        for client in (a, b, a):
            r = client.get(PUBLIC)
            assert r.status_code == 200
            remaining.append(int(re.search(r";r=(\d+)", r.headers["RateLimit"]).group(1)))
        assert remaining == [2, 1, 0]
        r = b.get(PUBLIC)
        assert r.status_code == 429
        assert int(r.headers["Retry-After"]) > 0
        assert r.headers["RateLimit-Policy"] == '"public";q=3;w=3600'
    import redis

    conn = redis.Redis.from_url(redis_url)
    keys = list(conn.scan_iter(f"{prefix}:*"))
    assert keys
    assert all(0 < conn.ttl(k) <= 3601 for k in keys)
    conn.delete(*keys)


def test_pages_count_in_their_own_higher_bucket_and_answer_429_as_a_page(settings, engine, tmp_path):
    app = _app(settings, engine, tmp_path, rate_limit_public=2, rate_limit_pages=4, rate_limit_window_seconds=3600)
    with TestClient(app) as client:
        for _ in range(2):
            assert client.get(PUBLIC).status_code == 200
        assert client.get(PUBLIC).status_code == 429  # the API's bucket is spent ...
        for _ in range(4):  # ... and the same address still browses the pages
            r = client.get("/pages/verify")
            assert r.status_code == 200
            assert r.headers["RateLimit-Policy"] == '"pages";q=4;w=3600'
        r = client.get("/pages/verify?lang=en")
        assert r.status_code == 429
        assert r.headers["content-type"].startswith("text/html")
        retry = int(r.headers["Retry-After"])
        assert f"Please try again in {duration_en(retry)}." in r.text
        r = client.get("/pages/companies")  # Korean by default, with the wait in seconds
        assert r.status_code == 429
        assert f"{duration_ko(int(r.headers['Retry-After']))} 후에 다시 시도하세요." in r.text
        assert '"type"' not in r.text
