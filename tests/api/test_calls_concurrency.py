"""Thirty suppliers submit to a call's last few places at once: the quota is never exceeded. Thirty clicks
on "appeal" for one decision: one appeal. Runs on SQLite and PostgreSQL (the call's row lock, and the
unique decision, serialise them)."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
from sqlalchemy import func, select

from certification.appeal_models import Appeal
from certification.models import Application
from tests.api.designation_builders import Desk
from tests.api.test_calls import open_call

N = 30
QUOTA = 3


async def _all(app: Any, requests: list[tuple[str, dict[str, str], Any]]) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as ac:
        start = asyncio.Event()

        async def one(path: str, headers: dict[str, str], body: Any) -> httpx.Response:
            await start.wait()
            return await ac.post(path, headers=headers, json=body)

        tasks = [asyncio.create_task(one(*r)) for r in requests]
        await asyncio.sleep(0)
        start.set()
        return await asyncio.gather(*tasks)


def test_thirty_submissions_fill_a_quota_of_three_once(app, client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine, n_reviewers=0)
    call = open_call(desk, quotas={"vision_inspection": QUOTA})
    drafts = []
    for i in range(N):
        s = desk.supplier(name_ko=f"비전기업{i}")
        a = desk.post("/v1/applications", s.token, {"company_id": s.company["id"], "call_id": call["id"],
                                                    "field": "vision_inspection"}, expect=201)
        drafts.append((f"/v1/applications/{a['id']}/submit", s.token, None))

    responses = asyncio.run(_all(app, drafts))

    codes = Counter(r.status_code for r in responses)
    assert codes == {200: QUOTA, 409: N - QUOTA}, [r.text for r in responses if r.status_code not in (200, 409)]
    assert all("접수 한도" in r.json()["detail"] for r in responses if r.status_code == 409)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Application).where(
            Application.call_id == call["id"], Application.submitted_at.is_not(None))) == QUOTA
    assert client.get(f"/v1/public/calls/{call['id']}").json()["quotas"][0]["submitted"] == QUOTA


def test_thirty_appeals_of_one_decision_make_one(app, client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    s, app_id = desk.application_in("rejected")
    body = {"application_id": app_id, "reasons_ko": "반려 사유에 이의가 있습니다."}
    responses = asyncio.run(_all(app, [("/v1/appeals", s.token, body)] * N))
    codes = Counter(r.status_code for r in responses)
    assert codes == {201: 1, 409: N - 1}, [r.text for r in responses if r.status_code not in (201, 409)]
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Appeal)) == 1
