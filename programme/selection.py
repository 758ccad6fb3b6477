"""Use cases of selection by rule: load a rule version, run it over a cohort's applications (the
cohort's candidates), apply the result to the members and SMEs in bulk, and promote from the waiting
list when a selected SME withdraws. Services flush; the caller commits.

The run reads and writes with bulk statements (one select of the applicants, chunked inserts and
updates), not an ORM object per row: 15,000 applicants are a few seconds, not minutes.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy import case, func, insert, select, update
from sqlalchemy.orm import Session

from certification import audit_log
from core import clock
from core.errors import Conflict, Invalid, NotFound
from core.principal import Principal
from programme import cohorts
from programme.models import Cohort, CohortMember
from programme.selection_models import SelectionDecision, SelectionRule, SelectionRun, SmeProfile
from programme.selection_rules import Applicant, SelectionRuleDoc, fits, rank, result_digest, rule_digest
from registry.models import Sme

RUN = "selection_run"
CHUNK = 2000


def _chunks(items: Sequence[Any], n: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def parse_rule(document: Any) -> SelectionRuleDoc:
    """The rule document checked whole; every problem is reported (422) in Korean and English."""
    try:
        return SelectionRuleDoc.model_validate(document)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(x) for x in e['loc']) or '(문서)'}: {e['msg']}" for e in exc.errors()]
        raise Invalid(f"선정 규칙이 올바르지 않습니다 (문제 {len(problems)}건): " + "; ".join(problems),
                      f"invalid selection rule ({len(problems)} problems): " + "; ".join(problems),
                      problems=problems) from exc


def load_rule(session: Session, *, document: Any, p: Principal) -> SelectionRule:
    """Store a new version of the year's rule (versions are kept; a run names the one it used)."""
    doc = parse_rule(document)
    last = session.scalar(select(func.max(SelectionRule.version)).where(SelectionRule.year == doc.year)) or 0
    rule = SelectionRule(year=doc.year, version=last + 1, document=doc.model_dump(mode="json"),
                         digest=rule_digest(doc), loaded_by=p.sub)
    session.add(rule)
    session.flush()
    audit_log.append(session, actor=p, subject_type="selection_rule", subject_id=rule.id, action="load",
                     payload={"year": rule.year, "version": rule.version, "digest": rule.digest})
    return rule


def current_rule(session: Session, year: int) -> SelectionRule:
    rule = session.scalars(select(SelectionRule).where(SelectionRule.year == year)
                           .order_by(SelectionRule.version.desc()).limit(1)).one_or_none()
    if rule is None:
        raise NotFound(f"{year}년 선정 규칙이 없습니다. 먼저 규칙을 등록하세요.",
                       f"No selection rule for {year}; load one first.")
    return rule


def applicants(session: Session, cohort: Cohort) -> list[Applicant]:
    """The cohort's applications that stand (candidates and selected; a withdrawn or dropped one does not),
    with the facts the rule reads, in one query."""
    stmt = (select(Sme.id, Sme.business_number, Sme.region, Sme.ksic, CohortMember.applied_on,
                   SmeProfile.sales_krw, SmeProfile.employees, SmeProfile.confirmed_level, Sme.smart_factory_level,
                   SmeProfile.diagnosis_score, SmeProfile.supply_chain, Sme.cohort_year)
            .join(CohortMember, CohortMember.sme_id == Sme.id)
            .outerjoin(SmeProfile, SmeProfile.sme_id == Sme.id)
            .where(CohortMember.cohort_id == cohort.id, CohortMember.state.in_(("candidate", "selected"))))
    return [Applicant(sme_id=r[0], business_number=r[1], region=r[2], ksic=r[3], applied_on=r[4],
                      sales_krw=r[5] or 0, employees=r[6] or 0, confirmed_level=r[7], declared_level=r[8],
                      diagnosis_score=r[9], supply_chain=bool(r[10]), prior_cohort=r[11])
            for r in session.execute(stmt)]


def _set_members(session: Session, cohort: Cohort, sme_ids: Iterable[str], state: str, on: date | None) -> None:
    ids = list(sme_ids)
    for part in _chunks(ids):
        session.execute(update(CohortMember).where(CohortMember.cohort_id == cohort.id,
                                                   CohortMember.sme_id.in_(part))
                        .values(state=state, selected_on=on, version=CohortMember.version + 1,
                                updated_at=clock.now()).execution_options(synchronize_session=False))
        session.execute(update(Sme).where(Sme.id.in_(part))
                        .values(status=state, cohort_year=cohort.year if state == "selected" else None,
                                version=Sme.version + 1, updated_at=clock.now())
                        .execution_options(synchronize_session=False))


def run(session: Session, *, year: int, p: Principal) -> SelectionRun:
    """Rank the year's applications by its current rule, select within capacity and quotas, keep the
    waiting list in order, record every decision with reasons, the digest on the run and in the audit log."""
    started = time.perf_counter()
    cohort = cohorts.get_cohort(session, year)
    cohorts.lock_cohort(session, cohort)
    if session.scalar(select(func.count()).select_from(CohortMember).where(
            CohortMember.cohort_id == cohort.id, CohortMember.state == "graduated")):
        raise Conflict(f"{year}년 기수에 졸업 기업이 있어 다시 선정할 수 없습니다.",
                       f"The {year} cohort has graduated members; selection cannot be run again.")
    rule = current_rule(session, year)
    doc = SelectionRuleDoc.model_validate(rule.document)
    if doc.capacity > cohort.capacity:
        raise Invalid(f"규칙의 정원 {doc.capacity:,}개사가 기수 정원 {cohort.capacity:,}개사보다 많습니다.",
                      f"The rule's capacity {doc.capacity:,} exceeds the cohort's {cohort.capacity:,}.")
    apps = applicants(session, cohort)
    previously = set(session.scalars(select(CohortMember.sme_id).where(CohortMember.cohort_id == cohort.id,
                                                                       CohortMember.state == "selected")))
    decisions = rank(doc, apps, doc.capacity)
    digest = result_digest(rule.digest, decisions)
    counts = {o: sum(1 for d in decisions if d.outcome == o) for o in ("selected", "waitlisted", "refused")}
    run_row = SelectionRun(cohort_id=cohort.id, rule_id=rule.id, run_by=p.sub, applicants=len(apps),
                           digest=digest, **counts)
    session.add(run_row)
    session.flush()
    rows = [{"run_id": run_row.id, "sme_id": d.sme_id, "outcome": d.outcome, "rank": d.rank,
             "waitlist_position": d.waitlist_position, "score": d.score, "groups": d.groups, "reasons": d.reasons,
             "promoted_at": None, "withdrawn_at": None} for d in decisions]
    for part in _chunks(rows):
        session.execute(insert(SelectionDecision), list(part))
    today = clock.now().date()
    chosen = {d.sme_id for d in decisions if d.outcome == "selected"}
    _set_members(session, cohort, sorted(previously - chosen), "candidate", None)
    _set_members(session, cohort, sorted(chosen - previously), "selected", today)
    run_row.elapsed_ms = int((time.perf_counter() - started) * 1000)
    audit_log.append(session, actor=p, subject_type=RUN, subject_id=run_row.id, action="run",
                     payload={"cohort_year": year, "rule_id": rule.id, "rule_version": rule.version,
                              "rule_digest": rule.digest, "digest": digest, "applicants": len(apps), **counts})
    session.flush()
    return run_row


def latest_run(session: Session, year: int) -> SelectionRun:
    cohort = cohorts.get_cohort(session, year)
    found = session.scalars(select(SelectionRun).where(SelectionRun.cohort_id == cohort.id)
                            .order_by(SelectionRun.run_at.desc(), SelectionRun.id.desc()).limit(1)).one_or_none()
    if found is None:
        raise NotFound(f"{year}년 선정이 아직 실행되지 않았습니다.", f"Selection for {year} has not been run.")
    return found


def decisions(session: Session, run_row: SelectionRun, *, outcome: str | None = None, sme_id: str | None = None,
              offset: int = 0, limit: int = 100) -> list[SelectionDecision]:
    """Decisions in result order: selected by rank, waiting list by position, refused by business number."""
    stmt = (select(SelectionDecision).join(Sme, Sme.id == SelectionDecision.sme_id)
            .where(SelectionDecision.run_id == run_row.id))
    if outcome:
        stmt = stmt.where(SelectionDecision.outcome == outcome)
    if sme_id:
        stmt = stmt.where(SelectionDecision.sme_id == sme_id)
    first = case({"selected": 0, "waitlisted": 1}, value=SelectionDecision.outcome, else_=2)
    stmt = stmt.order_by(first, SelectionDecision.rank, SelectionDecision.waitlist_position, Sme.business_number)
    return list(session.scalars(stmt.offset(offset).limit(limit)))


def smes_of(session: Session, rows: Iterable[SelectionDecision]) -> dict[str, Sme]:
    """The SMEs of decisions, by id (their business numbers and names beside each decision)."""
    ids = {r.sme_id for r in rows}
    return {s.id: s for s in session.scalars(select(Sme).where(Sme.id.in_(ids)))} if ids else {}


def places_held(session: Session, run_row: SelectionRun) -> tuple[SelectionRuleDoc, int, dict[tuple[str, str], int]]:
    """The run's rule, how many SMEs hold a place now (selected, not withdrawn), and places held per quota
    group: what a withdrawal's promotion and an upheld appeal both check room against."""
    doc = SelectionRuleDoc.model_validate(session.get_one(SelectionRule, run_row.rule_id).document)
    held = session.execute(select(SelectionDecision.groups).where(
        SelectionDecision.run_id == run_row.id, SelectionDecision.outcome == "selected",
        SelectionDecision.withdrawn_at.is_(None))).scalars().all()
    taken: dict[tuple[str, str], int] = {}
    for g in held:
        for k, v in g.items():
            taken[(k, v)] = taken.get((k, v), 0) + 1
    return doc, len(held), taken


def withdraw(session: Session, *, year: int, sme_id: str, p: Principal, reason: str) -> SelectionDecision | None:
    """A selected SME withdraws (its place in the cohort is dropped); the first waitlisted SME whose quota
    groups have room takes the place. Returns the promoted decision, or None when nobody could move up."""
    cohort = cohorts.get_cohort(session, year)
    run_row = latest_run(session, year)
    mine = session.get(SelectionDecision, (run_row.id, sme_id), with_for_update=True)
    if mine is None or mine.outcome != "selected" or mine.withdrawn_at is not None:
        raise Conflict("선정된 기업만 선정을 포기할 수 있습니다.", "Only a selected SME can withdraw.")
    cohorts.change_member(session, cohort=cohort, sme_id=sme_id, action="drop", p=p, reason=reason)
    now = clock.now()
    mine.withdrawn_at = now
    doc, held, taken = places_held(session, run_row)
    if held >= doc.capacity:
        return None
    queue = session.scalars(select(SelectionDecision).where(
        SelectionDecision.run_id == run_row.id, SelectionDecision.outcome == "waitlisted")
        .order_by(SelectionDecision.waitlist_position))
    promoted = next((d for d in queue if fits(doc, d.groups, taken) is None), None)
    audit = {"cohort_year": year, "run_id": run_row.id, "withdrawn": sme_id}
    if promoted is not None:
        position = promoted.waitlist_position
        promoted.outcome, promoted.promoted_at, promoted.waitlist_position = "selected", now, None
        promoted.reasons = [*promoted.reasons, {
            "ko": f"선정 포기 기업의 자리에 대기 {position:,}번에서 선정되었습니다",
            "en": f"selected from waiting list position {position:,} after a withdrawal"}]
        _set_members(session, cohort, [promoted.sme_id], "selected", now.date())
        audit |= {"promoted": promoted.sme_id, "from_position": position}
    mine.reasons = [*mine.reasons, {"ko": f"선정을 포기했습니다: {reason}", "en": f"withdrew: {reason}"}]
    session.flush()
    audit_log.append(session, actor=p, subject_type=RUN, subject_id=run_row.id, action="withdraw", reason=reason,
                     payload=audit)
    return promoted

