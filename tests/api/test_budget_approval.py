"""A budget line counts only once an officer approved it: a submitted or returned line is not in the cap,
the envelope or the KPI report's committed budget; a year without an envelope approves no government
money, and an envelope cannot drop below what is approved."""

from __future__ import annotations

from tests.api import programme_helpers as h
from tests.conftest import bearer

M = 1_000_000


def _submit(client, sme, pid: str, source: str, amount: int) -> dict:
    r = client.post(f"/v1/programme/projects/{pid}/budget-lines", headers=sme,
                    json={"year": 2026, "source": source, "amount_krw": amount, "stage": "data_collection"})
    assert r.status_code == 201, r.text
    return r.json()


def test_only_approved_lines_count(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    n = h.number(51)
    _, smes = h.cohort_with_smes(client, mint, admin, [n], encoding="utf-8")
    sme = smes[n]["token"]
    pid = h.project(client, sme)["id"]
    first = _submit(client, sme, pid, "gov", 200 * M)
    r = h.approve(client, admin, pid, first["id"])  # no envelope for 2026 yet
    assert r.status_code == 422
    assert "2026년 사업 예산 총액이 정해지지 않았습니다" in r.json()["detail"]
    r = client.post(f"/v1/programme/projects/{pid}/budget-lines/{first['id']}/return", headers=admin,
                    json={"reason": "자부담 증빙이 부족합니다"})
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["decision_reason"]) == ("returned", "자부담 증빙이 부족합니다")
    assert h.approve(client, admin, pid, first["id"]).status_code == 409  # returned is final

    h.envelope(client, admin, gov_krw=1_000 * M)
    second = _submit(client, sme, pid, "gov", 200 * M)  # the returned 200M does not count
    pending = _submit(client, sme, pid, "gov", 150 * M)  # nor does a submitted one, until approved
    assert h.approve(client, admin, pid, second["id"]).status_code == 200
    r = h.approve(client, admin, pid, pending["id"])
    assert r.status_code == 422
    assert "연간 한도 2억 원을 넘습니다" in r.json()["detail"]

    r = client.put("/v1/programme/envelopes/2026", json={"gov_krw": 100 * M}, headers=admin)
    assert r.status_code == 422
    assert "이미 승인된 정부지원금 2억 원보다 적습니다" in r.json()["detail"]
    envelopes = client.get("/v1/programme/envelopes", headers=admin).json()
    assert [(e["gov_krw"], e["approved_gov_krw"]) for e in envelopes] == [(1_000 * M, 200 * M)]
    budget = client.get("/v1/reports/kpis", headers=admin).json()["overall"]["budget"]
    assert budget["approved"]["gov"] == 200 * M  # the returned and the submitted lines count nowhere
    assert budget["committed"]["gov"] == 0  # approved, but the project is not under contract yet
    lines = client.get(f"/v1/programme/projects/{pid}", headers=sme).json()["budget_lines"]
    assert sorted(x["status"] for x in lines) == ["approved", "returned", "submitted"]
