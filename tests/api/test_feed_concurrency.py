"""The feed's promise under load: 8 writers commit concurrently while a portal follows the feed, stopping
and resuming from saved cursors; it receives every committed public change exactly once, in commit order.

Runs on both backends; on SQLite the writers queue on the database lock, on PostgreSQL on the outbox
counter row, which is what makes the cursor safe there.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from core import outbox
from core.db import writer
from tests.api.portal_helpers import follow
from tests.conftest import bearer

WRITERS = 8
TRANSACTIONS = 15
RESOURCES = ("company", "solution", "certificate")


@dataclass
class Txn:
    writer: int
    index: int
    events: list[str] = field(default_factory=list)  # public resource ids, in write order
    started: int = 0
    committed: int = 0


class Rollback(Exception):
    pass


def _write(engine, w: int, done: list[Txn], errors: list[BaseException], go: threading.Event) -> None:
    rng = random.Random(w)
    go.wait()
    try:
        for t in range(TRANSACTIONS):
            txn = Txn(w, t)
            try:
                with Session(writer(engine)) as s, s.begin():
                    time.sleep(rng.random() * 0.002)  # work before the first event
                    txn.started = time.monotonic_ns()
                    for k in range(rng.randint(1, 3)):
                        rid = f"w{w}-t{t}-e{k}"
                        outbox.record(s, resource=rng.choice(RESOURCES), resource_id=rid, action="updated")
                        txn.events.append(rid)
                    if rng.random() < 0.3:
                        outbox.record(s, resource="application", resource_id=f"w{w}-t{t}-private",
                                      action="submitted", public=False)
                    time.sleep(rng.random() * 0.003)  # hold the transaction open: commits interleave
                    if rng.random() < 0.1:
                        raise Rollback
                txn.committed = time.monotonic_ns()
                done.append(txn)
            except Rollback:
                pass
    except BaseException as exc:  # noqa: BLE001 - reported by the test
        errors.append(exc)


def test_eight_concurrent_writers_and_a_restarting_reader(app, client, engine, mint):
    feed = bearer(mint("portal", client_id="portal-load"))
    done: list[Txn] = []
    errors: list[BaseException] = []
    go = threading.Event()
    threads = [threading.Thread(target=_write, args=(engine, w, done, errors, go)) for w in range(WRITERS)]
    for th in threads:
        th.start()
    go.set()

    received: list[dict] = []
    cursor: str | None = None
    polls = restarts = 0
    http = client
    while any(th.is_alive() for th in threads) or polls < 2:
        page, cursor = follow(http, feed, cursor=cursor, limit=7)
        received += page
        polls += 1
        if polls % 5 == 0:  # the portal stops; it keeps only the saved cursor, and a new process resumes
            if http is not client:
                http.close()
            http = TestClient(app)
            restarts += 1
        time.sleep(0.002)
    for th in threads:
        th.join()
    assert not errors, errors
    page, cursor = follow(http, feed, cursor=cursor, limit=7)
    received += page
    if http is not client:
        http.close()

    seqs = [e["seq"] for e in received]
    assert seqs == sorted(seqs), "an event came late"
    assert len(set(seqs)) == len(seqs), "an event was repeated"
    got = [e["resource_id"] for e in received]
    committed = {rid for txn in done for rid in txn.events}
    assert len(got) == len(set(got)), "an event was delivered twice"
    assert set(got) == committed, (f"missing {sorted(committed - set(got))[:5]}, "
                                   f"unexpected {sorted(set(got) - committed)[:5]}")
    assert not any("private" in rid for rid in got)

    position = {rid: i for i, rid in enumerate(got)}
    for txn in done:  # a transaction's events are contiguous and in write order
        at = [position[rid] for rid in txn.events]
        assert at == list(range(at[0], at[0] + len(at))), txn
    ordered = sorted(done, key=lambda x: x.committed)
    for i, first in enumerate(ordered):  # committed before another began -> earlier in the feed
        for second in ordered[i + 1:]:
            if first.committed < second.started:
                assert position[first.events[-1]] < position[second.events[0]], (first, second)
    assert len(done) > WRITERS * TRANSACTIONS * 0.7
    assert restarts >= 1
