"""The KPI report from the database: facts gathered with a few queries (as they stand, or as of a
date for a snapshot), computed by `kpis`, with the trajectory of `trajectory` read from the stored
snapshots; written as JSON or CSV (charts: programme/charts.py)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from certification import audit_log
from certification.models import Certificate
from core import clock, csvsafe
from core.principal import Principal
from programme import kpis, trajectory
from programme.errors import RuleViolation
from programme.kpi_models import KpiSnapshot
from programme.models import (
    BudgetLine,
    Cohort,
    CohortMember,
    Consultation,
    Expenditure,
    FiscalEnvelope,
    Outcome,
    Project,
)
from programme.rules import ProgrammeRules
from programme.selection_models import SmeProfile
from registry.models import Sme


def _end_of(day: date) -> datetime:
    """The first moment after `day` (UTC), so `< _end_of(day)` means on or before it."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)


def designated_at(session: Session, moment: datetime) -> int:
    """Companies whose designation was in force at `moment`: valid then, and not suspended, revoked or
    expired by then (a status other than active counts until the moment it changed)."""
    stmt = select(func.count(func.distinct(Certificate.company_id))).where(
        Certificate.valid_from <= moment, Certificate.valid_until > moment,
        (Certificate.status == "active") | (Certificate.status_changed_at > moment))
    return int(session.scalar(stmt) or 0)


def gather(session: Session, rules: ProgrammeRules | None = None, *, as_of: date | None = None) -> kpis.Facts:
    """The facts as they stand, or as of the end of `as_of` (later completions, decisions, spending and
    registrations left out)."""
    rules = rules or ProgrammeRules()
    end = _end_of(as_of) if as_of else None
    workers = dict(session.execute(select(SmeProfile.sme_id, SmeProfile.employees)).all())
    rows = session.execute(select(Sme.id, Sme.region, Sme.ksic, Sme.created_at)).all()  # columns: 70,000 rows
    smes = {sme_id: (region, ksic) for sme_id, region, ksic, _ in rows}
    population = [kpis.PopulationSme(sme_id, region, ksic, kpis.size_band(workers.get(sme_id)))
                  for sme_id, region, ksic, created_at in rows if end is None or created_at < end]

    def where(sme_id: str, year: int) -> kpis.Where:
        region, ksic = smes[sme_id]
        return kpis.Where(year, region, ksic)

    def by(day: date | None) -> bool:
        return day is not None and (as_of is None or day <= as_of)

    selected = [kpis.SelectedSme(sme_id, where(sme_id, year)) for sme_id, year in session.execute(
        select(CohortMember.sme_id, Cohort.year).join(Cohort, Cohort.id == CohortMember.cohort_id)
        .where(CohortMember.state.in_(("selected", "graduated"))))]
    evaluated: dict[str, datetime] = dict(session.execute(
        select(Consultation.project_id, Consultation.recorded_at).where(Consultation.kind == "post")).all())
    projects = {p.id: p for p in session.scalars(select(Project))}
    states: dict[str, str] = {}
    facts_p = []
    for p in projects.values():
        state = p.state
        if as_of is not None:  # the state the project was in at the end of as_of: the last move made by then
            moves = [(p.contracted_on, "contracted"), (p.started_on, "in_progress"), (p.completed_on, "completed"),
                     (p.accepted_on, "accepted"), (p.cancelled_on, "cancelled")]
            state = next((s for day, s in reversed(moves) if by(day)), "planned")
        states[p.id] = state
        evaluation = evaluated.get(p.id)  # adoption counts the officer's acceptance (state), not this alone
        was_evaluated = evaluation is not None and (end is None or evaluation < end)
        facts_p.append(kpis.ProjectFact(p.id, p.sme_id, state, where(p.sme_id, p.year), was_evaluated,
                                        p.completed_on, p.accepted_on))
    money: list[kpis.MoneyFact] = []
    for pid, year, source, amount, decided_at in session.execute(
            select(BudgetLine.project_id, BudgetLine.year, BudgetLine.source, BudgetLine.amount_krw,
                   BudgetLine.decided_at).where(BudgetLine.status == "approved")):
        if states[pid] == "cancelled" or (end is not None and (decided_at is None or decided_at >= end)):
            continue
        sme_id = projects[pid].sme_id
        money.append(kpis.MoneyFact("approved", source, amount, where(sme_id, year)))
        if states[pid] in kpis.UNDER_CONTRACT:  # approved money of a signed contract
            money.append(kpis.MoneyFact("committed", source, amount, where(sme_id, year)))
    for pid, year, source, amount, spent_on in session.execute(
            select(Expenditure.project_id, Expenditure.year, Expenditure.source, Expenditure.amount_krw,
                   Expenditure.spent_on)):
        if by(spent_on):
            money.append(kpis.MoneyFact("spent", source, amount, where(projects[pid].sme_id, year)))
    confirmed = select(Outcome).where(Outcome.confirmed_at.is_not(None))
    if end is not None:
        confirmed = confirmed.where(Outcome.confirmed_at < end)
    outcomes = []
    for o in session.scalars(confirmed):
        project = projects[o.project_id]
        outcomes.append(kpis.OutcomeFact(o.project_id, o.metric, o.before, o.after,
                                         where(project.sme_id, project.year), workers.get(project.sme_id)))
    moment = end if end is not None else clock.now()
    today = (as_of or clock.now().date())
    by_year = {y: designated_at(session, min(moment, _end_of(date(y, 12, 31))))
               for y in range(rules.first_year, rules.last_year + 1) if y <= today.year}
    envelopes = dict(session.execute(select(FiscalEnvelope.year, FiscalEnvelope.gov_krw)).all())
    return kpis.Facts(selected, facts_p, money, outcomes, designated_at(session, moment), population,
                      envelopes, by_year)


def targets(rules: ProgrammeRules) -> kpis.Targets:
    return kpis.Targets(rules.adoption_target, rules.designated_target, rules.accident_target,
                        rules.adoption_baseline, rules.accident_exposure_workers,
                        tuple(range(rules.first_year, rules.last_year + 1)))


def plan(rules: ProgrammeRules) -> trajectory.Plan:
    return trajectory.Plan(
        years=tuple(range(rules.first_year, rules.last_year + 1)), horizon=rules.horizon,
        baseline_date=rules.baseline_date,
        baselines={"adoption_rate": rules.adoption_baseline, "designated_companies": rules.designated_baseline,
                   "accident_change": 0.0},
        paths={"adoption_rate": rules.adoption_path, "designated_companies": rules.designated_path,
               "accident_change": rules.accident_path})


def headline(report: dict[str, Any], year: int) -> dict[str, Any]:
    """The figures a snapshot keeps of a year: what the trajectory and the charts read."""
    o = report["overall"]
    return {"adoption_rate": o["adoption_rate"], "adopted_smes": o["adopted_smes"], "population": o["population"],
            "designated_companies": o["designated_companies"], "accident_change": o["accident_change"],
            "accidents": o["accidents"], "budget": report["budget_by_year"].get(str(year)),
            "adoption_by_region": report["adoption"]["by_region"]}


def snapshots(session: Session) -> dict[int, KpiSnapshot]:
    """The latest snapshot of each year."""
    latest: dict[int, KpiSnapshot] = {}
    for row in session.scalars(select(KpiSnapshot).order_by(KpiSnapshot.year, KpiSnapshot.taken_at, KpiSnapshot.id)):
        latest[row.year] = row
    return latest


def build(session: Session, rules: ProgrammeRules | None = None) -> dict[str, Any]:
    rules = rules or ProgrammeRules()
    report = kpis.compute(gather(session, rules), targets(rules))
    today = clock.now().date()
    points = [trajectory.Point(s.year, s.as_of, s.figures, "snapshot") for s in snapshots(session).values()]
    if today.year not in {p.year for p in points} and rules.first_year <= today.year <= rules.last_year:
        points.append(trajectory.Point(today.year, today, headline(report, today.year), "live"))
    report["as_of"] = today.isoformat()
    from shopdata import kpis as data_kpis  # shopdata reads programme's models: imported late, no cycle

    report["data_readiness"] = data_kpis.gather(session)
    report["trajectory"] = trajectory.compute(plan(rules), sorted(points, key=lambda p: p.year))
    return report


def take_snapshot(session: Session, *, year: int, p: Principal, rules: ProgrammeRules | None = None,
                  as_of: date | None = None) -> KpiSnapshot:
    """Store the year's headline figures, computed as of the end of the year (or today, in the year
    itself). `as_of` is for loading a recorded history (the demo)."""
    rules = rules or ProgrammeRules()
    today = clock.now().date()
    if not rules.first_year <= year <= rules.last_year:
        raise RuleViolation([(f"{year}년은 사업 기간({rules.first_year}~{rules.last_year}년) 밖입니다",
                              f"{year} is outside the programme ({rules.first_year}-{rules.last_year})")])
    if as_of is None:
        if year > today.year:
            raise RuleViolation([(f"{year}년은 아직 오지 않아 스냅숏을 만들 수 없습니다",
                                  f"{year} has not begun: no snapshot can be taken")])
        as_of = min(today, date(year, 12, 31))
    report = kpis.compute(gather(session, rules, as_of=as_of), targets(rules))
    row = KpiSnapshot(year=year, as_of=as_of, taken_by=p.sub, figures=headline(report, year))
    session.add(row)
    session.flush()
    audit_log.append(session, actor=p, subject_type="kpi_snapshot", subject_id=row.id, action="take",
                     payload={"year": year, "as_of": as_of.isoformat(), "adoption_rate": row.figures["adoption_rate"],
                              "designated_companies": row.figures["designated_companies"]})
    return row


HEADER_KO = ["구분", "항목", "지표", "값", "지표명"]


def to_csv(report: dict[str, Any]) -> str:
    """UTF-8 with a BOM (a spreadsheet opens the Hangul right), Korean headers; the codes stay for scripts."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csvsafe.Writer(buf, lineterminator="\n")
    writer.writerow(HEADER_KO)
    for dimension, key, indicator, value in kpis.rows(report):
        writer.writerow([dimension, key, indicator, "" if value is None else value, kpis.name_ko(indicator)])
    return buf.getvalue()
