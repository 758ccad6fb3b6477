"""Queries do not wait behind an index catch-up (issue 17 item 4): while another thread holds the apply
lock (a catch-up batch after a restart, `axr reindex`), a search answers at once from what the index
has, designation still checked; a backlog longer than a query applies itself is caught up in the
background, and then search shows what the database holds."""

from __future__ import annotations

import time

from sqlalchemy.orm import Session

from core import outbox
from core.db import writer
from matching import index_sync
from matching import service as search_service
from tests import factories
from tests.api.test_search_api import PDM, VISION, _designated_supplier
from tests.conftest import bearer


def _titles(client, q: str) -> list[str]:
    r = client.get("/v1/search", params={"q": q}, headers=client.reader)
    assert r.status_code == 200, r.text
    return [h["title_ko"] for h in r.json()["items"]]


def _wait_caught_up(engine, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with Session(engine) as session:
            if not index_sync.has_pending(session):
                return
        time.sleep(0.05)
    raise AssertionError("the background catch-up did not finish")


def test_a_search_during_a_catch_up_answers_at_once_from_the_index(app, client, mint, engine):
    admin = bearer(mint("admin", org="ministry"))
    client.reader = bearer(mint("sme"))
    headers, company, _, _ = _designated_supplier(client, mint, admin, [VISION])
    assert _titles(client, "비전 불량 검출") == [VISION["title_ko"]]
    # the supplier publishes a second solution in its field while another thread holds the apply lock
    extra = {**VISION, "title_ko": "사출 부품 비전 불량 검출 2세대"}
    assert client.post("/v1/solutions", json=factories.solution(company["id"], **extra),
                       headers=headers).status_code == 201
    assert index_sync._apply_lock.acquire(timeout=5)
    try:
        started = time.monotonic()
        seen = _titles(client, "비전 불량 검출")
        waited = time.monotonic() - started
        assert waited < 1.0, f"the search waited {waited:.2f} s behind the catch-up"
        assert seen == [VISION["title_ko"]]  # what the index had; the new one is still pending
    finally:
        index_sync._apply_lock.release()
    _wait_caught_up(engine)
    assert sorted(_titles(client, "비전 불량 검출")) == sorted([VISION["title_ko"], extra["title_ko"]])


def test_a_long_backlog_is_caught_up_in_the_background(app, client, mint, engine):
    admin = bearer(mint("admin", org="ministry"))
    client.reader = bearer(mint("sme"))
    headers, company, _, _ = _designated_supplier(client, mint, admin, [VISION])
    _titles(client, "예지보전")
    # a backlog longer than a query applies inline (a bulk import, a restart after a crash) ...
    with Session(writer(engine)) as session:
        outbox.record_many(session, [{"resource": "solution", "resource_id": f"gone-{i}", "action": "updated"}
                                     for i in range(search_service.QUERY_EVENTS * 3)])
        session.commit()
    # ... with a real solution at its end, in a field outside the certificate's scope (not designated)
    assert client.post("/v1/solutions", json=factories.solution(company["id"], **PDM),
                       headers=headers).status_code == 201
    started = time.monotonic()
    first = _titles(client, "비전 불량 검출")
    assert time.monotonic() - started < 5
    assert first == [VISION["title_ko"]]
    _wait_caught_up(engine)
    with Session(engine) as session:
        assert not index_sync.has_pending(session)
    assert _titles(client, "비전 불량 검출") == [VISION["title_ko"]]
    assert PDM["title_ko"] not in _titles(client, "진동 예지보전")  # outside the scope: never shown


def test_a_query_applies_a_short_backlog_itself(app, client, mint, engine):
    """Read-your-writes: a request's own few events are applied by the next query, not later."""
    admin = bearer(mint("admin", org="ministry"))
    client.reader = bearer(mint("sme"))
    headers, company, _, _ = _designated_supplier(client, mint, admin, [VISION])
    extra = {**VISION, "title_ko": "사출 부품 비전 불량 검출 2세대"}
    assert client.post("/v1/solutions", json=factories.solution(company["id"], **extra),
                       headers=headers).status_code == 201
    assert sorted(_titles(client, "비전 불량 검출")) == sorted([VISION["title_ko"], extra["title_ko"]])
