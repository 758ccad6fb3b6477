"""The programme's aggregate rules hold when 30 requests arrive at once, over a real TCP server.

Each request locks a row of its own (the candidate, the project) and counts rows it did not lock; without
a lock on the aggregate's parent (the cohort, the SME) two requests both count "one place left" and both
write. On PostgreSQL the services lock the parent row (SELECT ... FOR NO KEY UPDATE); on SQLite a writing
request begins IMMEDIATE and holds the database write lock. The tests run on both backends (CI runs the
suite on SQLite and on PostgreSQL).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
from sqlalchemy import func, select

from programme.models import BudgetLine, Cohort, CohortMember, Consultant, Expenditure, Project
from tests.api import programme_helpers as h
from tests.api.live_server import live_server
from tests.conftest import bearer

N = 30
M = 1_000_000
STAGE = {"stage": "data_collection"}  # the stage h.project plans for 2026


async def _at_once(base: str, calls: list[tuple[str, dict[str, str], dict[str, Any]]]) -> list[httpx.Response]:
    """POST every call at the same moment, each on a connection of its own."""
    limits = httpx.Limits(max_connections=len(calls), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as ac:
        start = asyncio.Event()

        async def one(path: str, headers: dict[str, str], body: dict[str, Any]) -> httpx.Response:
            await start.wait()
            return await ac.post(path, headers=headers, json=body)

        tasks = [asyncio.create_task(one(*c)) for c in calls]
        await asyncio.sleep(0.05)
        start.set()
        return await asyncio.gather(*tasks)


def _candidates(client, admin: dict[str, str], year: int, capacity: int, n: int) -> list[str]:
    assert client.post("/v1/programme/cohorts", json={"year": year, "capacity": capacity, "name_ko": "동시 선정"},
                       headers=admin).status_code == 201
    rows = ["사업자등록번호,기업명,업종,지역,스마트공장수준"]
    rows += [f"{h.number(500 + i)},동시정밀{i} 주식회사,C22,경남,기초" for i in range(n)]
    r = client.post(f"/v1/programme/cohorts/{year}/candidates", headers=admin,
                    files={"file": ("후보.csv", "\n".join(rows).encode(), "text/csv")})
    assert r.status_code == 200, r.text
    assert r.json()["imported"] == n, r.text
    return [m["sme_id"] for m in client.get(f"/v1/programme/cohorts/{year}/members", headers=admin).json()]


def test_thirty_concurrent_selections_fill_a_capacity_of_one(app, client, mint, engine):
    admin = bearer(mint("admin", org="ministry"))
    smes = _candidates(client, admin, 2027, capacity=1, n=N)

    with live_server(app) as base:
        responses = asyncio.run(_at_once(base, [(f"/v1/programme/cohorts/2027/members/{s}/select",
                                                 admin, {"reason": "동시 선정"}) for s in smes]))

    codes = Counter(r.status_code for r in responses)
    assert codes == {200: 1, 409: N - 1}, [r.text for r in responses if r.status_code not in (200, 409)]
    assert all(r.json()["type"].endswith("/cohort-full") for r in responses if r.status_code == 409)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(CohortMember)
                           .where(CohortMember.state == "selected")) == 1
    cohort = next(c for c in client.get("/v1/programme/cohorts", headers=admin).json() if c["year"] == 2027)
    assert cohort["selected"] == 1


def _approved_gov(engine, **where: Any) -> tuple[int, int]:
    """(number, sum) of the approved government lines of 2026, optionally of one SME."""
    stmt = (select(func.count(), func.coalesce(func.sum(BudgetLine.amount_krw), 0))
            .join(Project, Project.id == BudgetLine.project_id)
            .where(BudgetLine.year == 2026, BudgetLine.source == "gov", BudgetLine.status == "approved"))
    if "sme_id" in where:
        stmt = stmt.where(Project.sme_id == where["sme_id"])
    with engine.connect() as conn:
        n, total = conn.execute(stmt).one()
    return int(n), int(total)


def _submitted(client, sme: dict[str, str], project_id: str, amount: int) -> str:
    r = client.post(f"/v1/programme/projects/{project_id}/budget-lines", headers=sme,
                    json={"year": 2026, "source": "gov", "amount_krw": amount, "stage": "data_collection"})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "submitted"
    return r.json()["id"]


def test_thirty_concurrent_approvals_never_pass_the_government_cap(app, client, mint, engine):
    """Cap 200M per SME and year; 30 submitted government lines of 50M across 30 projects of one SME (each
    submission passes: nothing is approved yet); 30 approvals at once: exactly four pass."""
    admin = bearer(mint("admin", org="ministry"))
    n = h.number(600)
    _, smes = h.cohort_with_smes(client, mint, admin, [n], encoding="utf-8")
    sme = smes[n]["token"]
    h.envelope(client, admin)
    lines = []
    for _ in range(N):
        pid = h.project(client, sme)["id"]
        lines.append((pid, _submitted(client, sme, pid, 50 * M)))

    with live_server(app) as base:
        responses = asyncio.run(_at_once(base, [(f"/v1/programme/projects/{pid}/budget-lines/{lid}/approve",
                                                 admin, {}) for pid, lid in lines]))

    codes = Counter(r.status_code for r in responses)
    assert codes == {200: 4, 422: N - 4}, [r.text for r in responses if r.status_code not in (200, 422)]
    assert all(r.json()["type"].endswith("/budget-rule") for r in responses if r.status_code == 422)
    assert _approved_gov(engine, sme_id=smes[n]["id"]) == (4, 200 * M)


def test_thirty_concurrent_approvals_never_pass_the_fiscal_envelope(app, client, mint, engine):
    """An envelope of 350M for 2026; 30 SMEs each with a submitted 50M government line (each under its own
    cap); 30 approvals at once: exactly seven pass, and the approved total is the envelope's 350M."""
    admin = bearer(mint("admin", org="ministry"))
    numbers = [h.number(900 + i) for i in range(N)]
    _, smes = h.cohort_with_smes(client, mint, admin, numbers, encoding="utf-8")
    h.envelope(client, admin, gov_krw=350 * M)
    lines = []
    for num in numbers:
        pid = h.project(client, smes[num]["token"])["id"]
        lines.append((pid, _submitted(client, smes[num]["token"], pid, 50 * M)))

    with live_server(app) as base:
        responses = asyncio.run(_at_once(base, [(f"/v1/programme/projects/{pid}/budget-lines/{lid}/approve",
                                                 admin, {}) for pid, lid in lines]))

    codes = Counter(r.status_code for r in responses)
    assert codes == {200: 7, 422: N - 7}, [r.text for r in responses if r.status_code not in (200, 422)]
    refused = [r.json() for r in responses if r.status_code == 422]
    assert all("사업 예산 총액" in x["detail"] for x in refused), refused[:2]
    assert _approved_gov(engine) == (7, 350 * M)
    listed = client.get("/v1/programme/envelopes", headers=admin).json()
    assert [(e["year"], e["gov_krw"], e["approved_gov_krw"]) for e in listed] == [(2026, 350 * M, 350 * M)]


def test_thirty_concurrent_one_of_a_kind_creations_make_one(app, client, mint, engine):
    """One cohort per year, one registration per consultant, one invitation per SME and group: the same
    request 30 times at once gives one success and 29 answers saying it already exists, and one row."""
    admin = bearer(mint("admin", org="ministry"))
    n = h.number(700)
    _, smes = h.cohort_with_smes(client, mint, admin, [n], encoding="utf-8")
    lead = bearer(mint("sme", org="lead-race"))
    gid = client.post("/v1/programme/groups", json={"name_ko": "동시 그룹", "lead_name_ko": "대한"},
                      headers=lead).json()["id"]
    cases = [
        ("/v1/programme/cohorts", admin, {"year": 2029, "capacity": 5, "name_ko": "2029년 기수"}, 201),
        ("/v1/programme/consultants", admin, {"sub": "consultant-race", "name": "이정훈"}, 201),
        (f"/v1/programme/groups/{gid}/members", lead, {"sme_id": smes[n]["id"]}, 201),
    ]
    with live_server(app) as base:
        for path, headers, body, ok in cases:
            responses = asyncio.run(_at_once(base, [(path, headers, body)] * N))
            codes = Counter(r.status_code for r in responses)
            assert codes == {ok: 1, 409: N - 1}, (path, [r.text for r in responses if r.status_code != ok][:3])
            # each refusal says what exists, as the sequential case does (not a bare constraint conflict)
            assert {r.json()["type"].rsplit("/", 1)[1] for r in responses if r.status_code == 409} == {"already-exists"}
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Cohort).where(Cohort.year == 2029)) == 1
        assert conn.scalar(select(func.count()).select_from(Consultant)
                           .where(Consultant.sub == "consultant-race")) == 1


def test_thirty_concurrent_expenditures_stay_within_the_approved_budget(app, client, mint, engine):
    admin = bearer(mint("admin", org="ministry"))
    n = h.number(800)
    _, smes = h.cohort_with_smes(client, mint, admin, [n], encoding="utf-8")
    sme = smes[n]["token"]
    _, _, (solution_id,), _ = h.supplier(client, mint, admin)
    pid = h.project(client, sme)["id"]
    h.envelope(client, admin)
    for path, body in (("supplier", {"solution_id": solution_id}),
                       ("budget-lines", {"year": 2026, "source": "gov", "amount_krw": 100 * M, **STAGE}),
                       ("budget-lines", {"year": 2026, "source": "own", "amount_krw": 100 * M, **STAGE}),
                       ("transitions", {"action": "contract"})):
        r = client.post(f"/v1/programme/projects/{pid}/{path}", json=body, headers=sme)
        assert r.status_code in (200, 201), r.text
        if path == "budget-lines":
            assert h.approve(client, admin, pid, r.json()["id"]).status_code == 200
    spend = {"year": 2026, "source": "gov", "amount_krw": 30 * M, "spent_on": "2026-06-01", "description": "장비"}
    with live_server(app) as base:
        responses = asyncio.run(_at_once(base, [(f"/v1/programme/projects/{pid}/expenditures", sme, spend)] * N))
    codes = Counter(r.status_code for r in responses)
    assert codes == {201: 3, 422: N - 3}, [r.text for r in responses if r.status_code not in (201, 422)]
    with engine.connect() as conn:
        assert conn.scalar(select(func.sum(Expenditure.amount_krw)).where(Expenditure.project_id == pid)) == 90 * M
