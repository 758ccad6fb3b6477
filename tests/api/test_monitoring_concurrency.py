"""Thirty concurrent requests on the monitoring rules that must hold once: one report per certificate and
year, one acknowledgement per listing edit, one decision per suspension case (row locks on PostgreSQL, the
write lock on SQLite; the test runs on both)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from certification.monitoring_models import PerformanceReport
from core import clock
from core.korean import kst
from tests.api.designation_builders import Desk
from tests.api.test_monitoring import FIGURES, _designated, _due

N = 30


async def _all(app, method: str, path: str, headers: dict[str, str], body: dict) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as ac:
        start = asyncio.Event()

        async def one() -> httpx.Response:
            await start.wait()
            return await ac.request(method, path, headers=headers, json=body)

        tasks = [asyncio.create_task(one()) for _ in range(N)]
        await asyncio.sleep(0)
        start.set()
        return await asyncio.gather(*tasks)


def test_thirty_concurrent_drafts_of_one_year_make_one_report(app, client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    s, cert = _designated(desk)
    clock.advance(timedelta(days=(_due(cert, 1) - kst(clock.now()).date()).days - 5))
    responses = asyncio.run(_all(app, "POST", f"/v1/certificates/{cert['number']}/performance-reports",
                                 s.token, FIGURES))
    codes = Counter(r.status_code for r in responses)
    assert codes == {201: 1, 409: N - 1}, [r.text for r in responses if r.status_code not in (201, 409)]
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(PerformanceReport)) == 1


def test_thirty_concurrent_acknowledgements_record_one(app, client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    s, _ = _designated(desk)
    etag = client.get(f"/v1/companies/{s.company['id']}", headers=s.token).headers["ETag"]
    client.patch(f"/v1/companies/{s.company['id']}", json={"ai_staff": 9}, headers={**s.token, "If-Match": etag})
    edit = client.get("/v1/listing-edits", headers=desk.reviewer).json()["items"][0]
    responses = asyncio.run(_all(app, "POST", f"/v1/listing-edits/{edit['id']}/acknowledge", desk.reviewer,
                                 {"note": "확인"}))
    codes = Counter(r.status_code for r in responses)
    assert codes == {200: 1, 409: N - 1}, [r.text for r in responses if r.status_code not in (200, 409)]
