"""/v1/health/ready: a load balancer's probe. 503 with Retry-After (Korean or English problem) until Kiwi
and the search index are loaded and caught up with the database, then 200 with the indexed count; the
probe itself starts the loading on a server that did not at start-up."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from api.app import create_app


def _wait_ready(client: TestClient, seconds: float = 90) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        r = client.get("/v1/health/ready")
        if r.status_code == 200:
            return r.json()
        time.sleep(0.2)
    raise AssertionError(f"not ready after {seconds} s: {r.status_code} {r.text}")


def test_not_ready_until_search_has_loaded_then_ready(settings, engine, tmp_path, client, mint):
    # a solution of a designated supplier exists before the server starts: ready means it is indexed
    from tests.api.designation_builders import Desk

    desk = Desk.open(client, mint, engine)
    desk.certificate("active")
    app = create_app(settings.model_copy(update={"index_dir": tmp_path / "index-ready", "search_warm": False}),
                     engine=engine)
    with TestClient(app) as c:
        first = c.get("/v1/health/ready", headers={"Accept-Language": "ko"})
        assert first.status_code == 503
        assert first.headers["Retry-After"] == "5"
        assert first.headers["content-type"].startswith("application/problem+json")
        assert first.json()["title"] == "아직 준비되지 않았습니다"
        assert "검색 색인" in first.json()["detail"]
        english = c.get("/v1/health/ready", headers={"Accept-Language": "en"})
        assert english.status_code in (200, 503)
        if english.status_code == 503:
            assert english.json()["title"] == "Not ready yet"
        body = _wait_ready(c)
        assert body["status"] == "ready"
        assert body["indexed"] == app.state.search().index.count() >= 1
        # liveness never waited for search
        assert c.get("/v1/health").status_code == 200


def test_a_search_while_the_service_loads_is_told_503_at_once(settings, engine, tmp_path, mint, monkeypatch):
    """While the warm-up builds the search service (Kiwi and the index: seconds), a search request is not
    held behind it: after at most REQUEST_WAIT it is answered 503 with Retry-After, as the probe is."""
    import threading

    from api import search_runtime
    from tests.conftest import bearer

    building, release, real = threading.Event(), threading.Event(), search_runtime.build_search_service

    def slow_build(*args, **kwargs):
        building.set()
        release.wait(60)  # loading lasts until the request below has been answered
        return real(*args, **kwargs)

    monkeypatch.setattr(search_runtime, "build_search_service", slow_build)
    app = create_app(settings.model_copy(update={"index_dir": tmp_path / "index-loading", "search_warm": True}),
                     engine=engine)
    with TestClient(app) as c:
        assert building.wait(30)
        started = time.monotonic()
        r = c.get("/v1/search", params={"q": "비전 검사"}, headers={**bearer(mint("sme")), "Accept-Language": "ko"})
        waited = time.monotonic() - started
        release.set()
        assert r.status_code == 503, r.text  # answered while the loading still went on
        assert waited < search_runtime.REQUEST_WAIT + 4  # the wait, plus a busy machine's request overhead
        assert r.headers["Retry-After"] == "5"
        assert r.json()["title"] == "아직 준비되지 않았습니다"
        assert app.state.search_warmed.wait(60)
        assert c.get("/v1/search", params={"q": "비전 검사"}, headers=bearer(mint("sme"))).status_code == 200
