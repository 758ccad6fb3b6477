"""Idempotency-Key across a crash (kill -9 of a real server process on loopback).

A key's record and the request's effect commit together, before the response is sent: a client that
received a 201 and retries after the server died gets that 201 replayed, never a 409 or a second
resource. A request killed before it finished leaves only a reservation with a short lease: once the
lease has run out a retry runs, instead of answering 409 for the key's 48 hours.
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from core import clock
from core.idempotency import IdempotencyRecord
from registry.models import Company
from tests import factories
from tests.api.server_process import server_process
from tests.conftest import bearer

ROUNDS = 2


def _count(engine, model, **where) -> int:
    stmt = select(func.count()).select_from(model)
    for k, v in where.items():
        stmt = stmt.where(getattr(model, k) == v)
    with engine.connect() as conn:
        return conn.scalar(stmt)


def test_a_201_the_client_received_is_replayed_after_the_server_was_killed(settings, engine, app, mint):
    orgs = ["org_" + uuid.uuid4().hex[:10] for _ in range(ROUNDS)]  # one company per organisation
    with server_process(settings) as server:
        url = server.start()
        for org in orgs:
            headers = {**bearer(mint("supplier", org=org)), "Idempotency-Key": "crash-" + uuid.uuid4().hex}
            body = factories.company()
            first = httpx.post(url + "/v1/companies", json=body, headers=headers, timeout=30)
            server.kill()  # the moment the 201 has arrived
            assert first.status_code == 201, first.text
            url = server.start()
            again = httpx.post(url + "/v1/companies", json=body, headers=headers, timeout=30)
            assert again.status_code == 201, again.text  # was 409 idempotency-in-flight for 48 h
            assert again.headers.get("idempotent-replayed") == "true"
            assert again.json()["id"] == first.json()["id"]
    assert [_count(engine, Company, owner_org=org) for org in orgs] == [1] * ROUNDS


def test_a_request_killed_mid_way_frees_its_key_after_the_lease(settings, engine, app, mint):
    """The server dies while the request runs (here: a match on a cold server, loading Kiwi and the
    index for seconds). The retry after the lease is answered, not refused as still in progress."""
    headers = {**bearer(mint("sme")), "Idempotency-Key": "match-" + uuid.uuid4().hex}
    need = {"text": "사출품에 미성형 불량이 자주 나와요", "industry": "C22"}
    lease = 2
    with server_process(settings, AXR_IDEMPOTENCY_LEASE_SECONDS=str(lease)) as server:
        url = server.start()
        answered: list[httpx.Response] = []

        def first_attempt() -> None:
            try:
                answered.append(httpx.post(url + "/v1/match", json=need, headers=headers, timeout=60))
            except httpx.TransportError:
                pass  # the server died under it

        attempt = threading.Thread(target=first_attempt)
        attempt.start()
        deadline = time.monotonic() + 30
        while _count(engine, IdempotencyRecord, state="in_flight") == 0:
            assert not answered, "the request finished before it could be interrupted"
            assert time.monotonic() < deadline, "the request did not reserve its key"
            time.sleep(0.01)
        reserved = time.monotonic()
        time.sleep(0.3)
        assert not answered, "the request finished before the kill: nothing was interrupted"
        server.kill()
        attempt.join(timeout=10)
        assert _count(engine, IdempotencyRecord, state="in_flight") == 1  # what the crash left behind

        url = server.start()
        time.sleep(max(0.0, reserved + lease + 0.5 - time.monotonic()))
        retry = httpx.post(url + "/v1/match", json=need, headers=headers, timeout=60)
        assert retry.status_code == 200, retry.text  # was 409 idempotency-in-flight for 48 h
        assert "idempotent-replayed" not in retry.headers
        assert "matches" in retry.json()
        replay = httpx.post(url + "/v1/match", json=need, headers=headers, timeout=60)
        assert replay.headers.get("idempotent-replayed") == "true"
        assert replay.json() == retry.json()


def test_an_abandoned_reservation_is_honoured_for_its_lease_then_taken_over(client, engine, app, mint):
    """A reservation left by a process that died (written by the middleware's own reservation step, as
    the dead request wrote it): within the lease a retry is 409, after it the retry creates."""
    import hashlib
    import json

    from api.middleware import IdempotencyMiddleware

    org = "org_" + uuid.uuid4().hex[:10]
    token = mint("supplier", org=org)
    p = app.state.tokens.verify(token)
    key, body = "abandoned-" + uuid.uuid4().hex, factories.company()
    raw = json.dumps(body).encode()
    fingerprint = hashlib.sha256(b"/v1/companies\n" + raw).hexdigest()
    dead = IdempotencyMiddleware(None, state=app.state)
    dead._reserve(f"{p.role}:{p.org or ''}:{p.sub}", key, fingerprint)

    headers = {**bearer(token), "Idempotency-Key": key, "Content-Type": "application/json"}
    busy = client.post("/v1/companies", content=raw, headers=headers)
    assert busy.status_code == 409
    assert busy.json()["type"] == "https://axr.go.kr/problems/idempotency-in-flight"

    clock.advance(timedelta(seconds=61))  # the lease is 60 s by default
    created = client.post("/v1/companies", content=raw, headers=headers)
    assert created.status_code == 201, created.text  # was 409 until the 48 h had passed
    assert "idempotent-replayed" not in created.headers
    replay = client.post("/v1/companies", content=raw, headers=headers)
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json()["id"] == created.json()["id"]
    assert _count(engine, Company, owner_org=org) == 1
