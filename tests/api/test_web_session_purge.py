"""`axr worker` deletes what sign-in leaves behind once it has expired: web sessions past their end and
authorization codes a day past theirs (a redeemed code is kept that day so a replay is still recognised);
a live session and a fresh code stay, and the live session still opens its pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from core import clock
from core.db import unit_of_work
from core.signin import CODE_KEPT, AuthorizationCode, WebSession
from tests.api.web_helpers import account, sign_in
from tests.cli.runner import axr_in_process


@pytest.fixture
def http(app):
    with TestClient(app, base_url="http://localhost", raise_server_exceptions=False) as c:
        yield c


def _rows(engine) -> tuple[int, int]:
    with unit_of_work(engine) as session:
        return (session.scalar(select(func.count()).select_from(WebSession)) or 0,
                session.scalar(select(func.count()).select_from(AuthorizationCode)) or 0)


def test_the_worker_deletes_expired_sessions_and_codes_and_keeps_live_ones(http, app, engine, settings):
    account(http, app, "kim.reviewer", role="reviewer")
    sign_in(http, "kim.reviewer")
    assert _rows(engine) == (1, 1)

    # the session has ended, the code is not yet a day past its expiry: only the session goes
    clock.advance(timedelta(seconds=app.state.settings.web_session_seconds + 1))
    r = axr_in_process(settings, "worker", "--once")
    assert r.exit_code == 0, r.output
    assert "expired web sessions deleted 1, expired authorization codes deleted 0" in r.stderr
    assert _rows(engine) == (0, 1)

    # a new sign-in (a live session, a fresh code); a day later the first code goes, the new rows stay
    clock.advance(CODE_KEPT)
    http.cookies.clear()
    sign_in(http, "kim.reviewer")
    assert _rows(engine) == (1, 2)
    r = axr_in_process(settings, "worker", "--once")
    assert r.exit_code == 0, r.output
    assert "expired web sessions deleted 0, expired authorization codes deleted 1" in r.stderr
    assert _rows(engine) == (1, 1)
    assert http.get("/web/reviewer", follow_redirects=False).status_code == 200
