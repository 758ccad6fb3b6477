"""Selection by rule on a small, hand-computed population: capacity, a regional quota, the waiting list
(and its limit), reasons in Korean and English for every applicant, the tie-break order, reproducible
digests, the audit event, and promotion from the waiting list after a withdrawal."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from certification.audit import decode_entry
from certification.models import AuditLogEntry
from core.principal import Principal
from programme import cohorts, selection
from programme.models import CohortMember
from programme.schemas import CohortCreate
from programme.selection_models import SmeProfile
from registry.bizno import with_check_digit
from registry.models import Sme
from tests.conftest import bearer

OFFICER = Principal(sub="officer-kim", role="admin", org="ministry")
# level weighs nothing in the score here, so two SMEs can tie on score and differ in level
RULE: dict[str, Any] = {
    "year": 2027, "capacity": 4, "waitlist_max": 2,
    "eligibility": {"min_sales_krw": 1_000_000_000, "min_level": "intermediate1"},
    "quotas": [{"by": "region", "max": {"경기": 2}}],
    "weights": {"sales": 1, "diagnosis": 1},
}
# name: (region, sales, confirmed level, diagnosis, applied on (November 2026), prior cohort); score =
# 50 * (log10(sales / 1e8) / 3 + diagnosis / 100)
POPULATION: dict[str, tuple[str, int, str | None, float, int, int | None]] = {
    "g1": ("경기", 10**11, "advanced", 100, 2, None),       # 100, applied a day after g2
    "g2": ("경기", 10**11, "advanced", 100, 1, None),       # 100
    "g3": ("경기", 10**11, "advanced", 90, 1, None),        # 95: the 경기 quota is full
    "s1": ("서울", 10**10, "intermediate1", 100, 1, None),  # 83.3333, lower level than s2
    "s2": ("서울", 10**10, "advanced", 100, 1, None),       # 83.3333
    "b1": ("부산", 10**10, "advanced", 40, 1, None),        # 53.3333, capacity full: waiting list
    "b2": ("부산", 10**10, "advanced", 40, 1, None),        # same as b1, higher number: the list is full
    "r1": ("대구", 5 * 10**8, "basic", 100, 1, None),       # sales and level too low
    "r2": ("대구", 10**11, None, 100, 1, None),             # no confirmed level
    "r4": ("대구", 10**11, "advanced", 100, 1, 2026),       # selected in 2026 already
}


@pytest.fixture
def population(session) -> dict[str, str]:
    cohort = cohorts.create_cohort(session, data=CohortCreate(year=2027, capacity=10, name_ko="2027년 기수"))
    ids = {}
    for i, (name, (region, sales, level, diag, day, prior)) in enumerate(POPULATION.items()):
        bn = with_check_digit(f"30182{i:04d}")
        sme = Sme(owner_org=f"org-{name}", business_number=bn, name_ko=f"{name} 주식회사", ksic="C25", region=region,
                  smart_factory_level=level or "basic", cohort_year=prior, status="candidate")
        session.add(sme)
        session.flush()
        session.add(SmeProfile(sme_id=sme.id, sales_krw=sales, employees=30, confirmed_level=level,
                               diagnosis_score=diag))
        cohorts.add_candidate(session, cohort=cohort, sme=sme, on=date(2026, 11, day))
        ids[name] = sme.id
    selection.load_rule(session, document=RULE, p=OFFICER)
    session.commit()
    return ids


def _by_name(session, ids: dict[str, str], run_row) -> dict[str, Any]:
    names = {v: k for k, v in ids.items()}
    return {names[d.sme_id]: d for d in selection.decisions(session, run_row, limit=1000)}


def test_selects_within_capacity_and_quota_with_an_ordered_waiting_list_and_reasons(session, population):
    run_row = selection.run(session, year=2027, p=OFFICER)
    session.commit()
    assert (run_row.applicants, run_row.selected, run_row.waitlisted, run_row.refused) == (10, 4, 2, 4)
    ordered = [(n, d.outcome) for n, d in _by_name(session, population, run_row).items()]
    names = {v: k for k, v in population.items()}
    in_order = [names[d.sme_id] for d in selection.decisions(session, run_row, limit=1000)]
    # tie-break: g2 before g1 (earlier application), s2 before s1 (higher level), b1 before b2 (number)
    assert in_order[:6] == ["g2", "g1", "s2", "s1", "g3", "b1"]
    d = _by_name(session, population, run_row)
    assert [d[n].rank for n in ("g2", "g1", "s2", "s1")] == [1, 2, 4, 5]
    assert (d["g3"].outcome, d["g3"].waitlist_position, d["b1"].waitlist_position) == ("waitlisted", 1, 2)
    assert d["g1"].score == d["g2"].score == 100.0
    assert d["s1"].score == d["s2"].score == 83.3333
    assert {n for n, o in ordered if o == "refused"} == {"b2", "r1", "r2", "r4"}
    for name, dec in d.items():
        assert dec.reasons, name
        assert all(r["ko"] and r["en"] for r in dec.reasons), name
    ko = {n: " / ".join(r["ko"] for r in dec.reasons) for n, dec in d.items()}
    assert "지역 할당(경기 2개사)이 찼습니다" in ko["g3"]
    assert "정원 4개사가 모두 찼습니다" in ko["b1"]
    assert "대기 2번입니다" in ko["b1"]
    assert "대기 명단(2개사)도 찼습니다" in ko["b2"]
    assert "매출액 5억 원이 기준 10억 원보다 적습니다" in ko["r1"]
    assert "기준 중간1보다 낮습니다" in ko["r1"]
    assert "확인된 스마트공장 수준이 없습니다" in ko["r2"]
    assert "이미 2026년 기수로 선정된 기업입니다" in ko["r4"]
    assert "정원 4개사 안에 선정되었습니다" in ko["g2"]
    assert "10개사" not in ko["g2"]
    states = {k: v for k, v in session.execute(select(CohortMember.sme_id, CohortMember.state))}
    chosen = {population[n] for n in ("g1", "g2", "s1", "s2")}
    assert {k for k, v in states.items() if v == "selected"} == chosen
    smes = {s.id: s for s in session.scalars(select(Sme).execution_options(populate_existing=True))}
    assert all(smes[i].status == "selected" and smes[i].cohort_year == 2027 for i in chosen)
    assert smes[population["r4"]].cohort_year == 2026
    assert smes[population["g3"]].status == "candidate"


def test_two_runs_give_the_same_digest_and_the_audit_log_records_it(session, population):
    first = selection.run(session, year=2027, p=OFFICER)
    session.commit()
    second = selection.run(session, year=2027, p=OFFICER)
    session.commit()
    assert first.id != second.id
    assert first.digest == second.digest
    assert len(first.digest) == 64
    events = [decode_entry(e.entry) for e in session.scalars(
        select(AuditLogEntry).where(AuditLogEntry.subject_type == "selection_run").order_by(AuditLogEntry.seq))]
    assert [(e["action"], e["payload"]["digest"], e["payload"]["selected"]) for e in events] == [
        ("run", first.digest, 4), ("run", second.digest, 4)]
    assert events[0]["actor"] == "officer-kim"
    selection.load_rule(session, document={**RULE, "capacity": 3}, p=OFFICER)  # a new version changes it
    third = selection.run(session, year=2027, p=OFFICER)
    assert (third.selected, third.digest != first.digest) == (3, True)


def test_a_withdrawal_promotes_the_first_waitlisted_that_fits_the_quota(session, population):
    run_row = selection.run(session, year=2027, p=OFFICER)
    session.commit()
    # s1 (서울) leaves: g3 heads the list but 경기 is still full (g1, g2), so b1 moves up
    promoted = selection.withdraw(session, year=2027, sme_id=population["s1"], p=OFFICER, reason="자금 사정")
    assert promoted is not None
    assert promoted.sme_id == population["b1"]
    assert "대기 2번에서 선정되었습니다" in promoted.reasons[-1]["ko"]
    # g1 (경기) leaves: now g3 fits
    promoted = selection.withdraw(session, year=2027, sme_id=population["g1"], p=OFFICER, reason="사업 포기")
    assert promoted is not None
    assert promoted.sme_id == population["g3"]
    session.commit()
    states = {k: v for k, v in session.execute(select(CohortMember.sme_id, CohortMember.state))}
    assert {n: states[population[n]] for n in ("s1", "g1", "b1", "g3")} == {
        "s1": "dropped", "g1": "dropped", "b1": "selected", "g3": "selected"}
    d = _by_name(session, population, run_row)
    assert d["s1"].withdrawn_at is not None
    assert d["s1"].outcome == "selected"
    assert sum(1 for x in d.values() if x.outcome == "selected" and x.withdrawn_at is None) == 4
    actions = session.scalars(select(AuditLogEntry.action).where(AuditLogEntry.subject_type == "selection_run")
                              .order_by(AuditLogEntry.seq)).all()
    assert actions == ["run", "withdraw", "withdraw"]
    # the waiting list is empty now: the next withdrawal leaves the place open
    assert selection.withdraw(session, year=2027, sme_id=population["g2"], p=OFFICER, reason="포기") is None


def test_officer_routes_over_http(client, mint, population):
    admin, sme = bearer(mint("admin")), bearer(mint("sme"))
    assert client.post("/v1/programme/selection/2027/runs", headers=sme).status_code == 403
    bad = client.post("/v1/programme/selection/rules", headers=admin, json={**RULE, "weights": {"luck": 1}})
    assert bad.status_code == 422
    r = client.post("/v1/programme/selection/2027/runs", headers=admin)
    assert r.status_code == 201, r.text
    assert (r.json()["selected"], r.json()["waitlisted"]) == (4, 2)
    wait = client.get("/v1/programme/selection/2027/decisions", params={"outcome": "waitlisted"}, headers=admin)
    assert [x["waitlist_position"] for x in wait.json()] == [1, 2]
    assert wait.json()[0]["reasons"][1]["en"] == "the region quota for 경기 (2 places) is full"
    w = client.post("/v1/programme/selection/2027/withdrawals", headers=admin,
                    json={"sme_id": population["s1"], "reason": "자금 사정"})
    assert w.status_code == 200, w.text
    assert (w.json()["withdrawn"]["withdrawn_at"] is not None, w.json()["promoted"]["sme_id"]) == (
        True, population["b1"])
    again = client.post("/v1/programme/selection/2027/withdrawals", headers=admin,
                        json={"sme_id": population["s1"], "reason": "자금 사정"})
    assert again.status_code == 409
