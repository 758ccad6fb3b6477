"""Twenty reviewers' clicks on "approve" at the same moment: one designation, one decision on record.

The requests run concurrently through the ASGI app (sync routes run in the threadpool, each with its
own connection). On PostgreSQL the application row lock (SELECT ... FOR UPDATE) serialises them; on
SQLite a writing request begins IMMEDIATE and holds the database write lock, which serialises them
too. Either way the invariant must hold, so the test runs on both.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
from sqlalchemy import func, select

from certification import audit_log
from certification.models import Application, AuditLogEntry, Certificate
from core.db import writer
from core.keys import verify_compact
from tests.api.designation_builders import Desk

N = 20


async def _approve_all(app, app_id: str, tokens: list[dict[str, str]]) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as ac:
        start = asyncio.Event()

        async def one(i: int) -> httpx.Response:
            await start.wait()
            return await ac.post(f"/v1/applications/{app_id}/decision", headers=tokens[i % len(tokens)],
                                 json={"decision": "approve", "reason": f"동시 승인 {i}"})

        tasks = [asyncio.create_task(one(i)) for i in range(N)]
        await asyncio.sleep(0)
        start.set()
        return await asyncio.gather(*tasks)


def test_twenty_concurrent_approvals_make_one_certificate(app, client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    supplier, app_id = desk.reviewed()
    panel = [tok for _, tok in desk.reviewers[:2]]

    responses = asyncio.run(_approve_all(app, app_id, panel))

    codes = Counter(r.status_code for r in responses)
    assert codes == {200: 1, 409: N - 1}, [r.text for r in responses if r.status_code not in (200, 409)]
    for r in responses:
        if r.status_code == 409:
            body = r.json()
            assert body["type"].endswith("/illegal-transition")
            assert body["state"] == "approved"
    with engine.connect() as conn:
        assert conn.scalar(select(Application.state).where(Application.id == app_id)) == "approved"
        assert conn.scalar(select(func.count()).select_from(Certificate)
                           .where(Certificate.company_id == supplier.company["id"])) == 1
        assert conn.scalar(select(func.count()).select_from(AuditLogEntry)
                           .where(AuditLogEntry.subject_id == app_id, AuditLogEntry.action == "approve")) == 1

    # The losers wrote nothing to the log either: it still verifies, sequence and signed heads intact.
    from sqlalchemy.orm import Session

    key = app.state.tokens.key
    with Session(writer(engine)) as session:
        check = audit_log.verify(session, lambda payload, sig: verify_compact(key, payload, sig))
        assert check.ok, check.problem
        assert check.checked == audit_log.current_head(session)[0]
