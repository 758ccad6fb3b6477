"""An SME's own selection result and its one appeal per round: filed within the appeal period after the
run (AXR_SELECTION_APPEAL_DAYS, default 14), decided by the programme officer. Upheld, the SME is selected
when the capacity and its quota groups have room, or else put at the head of the waiting list; dismissed,
nothing changes. Filing and deciding are recorded with their reasons in the audit log. Services flush.

Once per SME and round is the unique constraint (cohort, SME): of concurrent filings one inserts and the
others wait on the index and get 409.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from certification import audit_log
from core import clock
from core.errors import NotFound
from core.korean import datetime_ko
from core.principal import Principal
from programme import cohorts, lifecycle, selection
from programme.errors import AppealAlreadyFiled, AppealNotOpen
from programme.selection_models import SelectionAppeal, SelectionDecision, SelectionRun
from programme.selection_rules import fits

SUBJECT = "selection_appeal"


class AppealSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AXR_SELECTION_", env_file=".env", extra="ignore")

    appeal_days: int = Field(14, ge=0, le=365, description="Days after a run during which an SME may appeal")


def deadline(run_row: SelectionRun, settings: AppealSettings) -> datetime:
    return run_row.run_at + timedelta(days=settings.appeal_days)


def my_result(session: Session, *, year: int, sme_id: str) -> tuple[SelectionRun, SelectionDecision,
                                                                      SelectionAppeal | None]:
    """The SME's decision in the latest run of the year, and its appeal if it filed one."""
    run_row = selection.latest_run(session, year)
    mine = session.get(SelectionDecision, (run_row.id, sme_id))
    if mine is None:
        raise NotFound(f"{year}년 선정 결과에 이 기업이 없습니다.", f"The SME has no result in the {year} selection.")
    appeal = session.scalars(select(SelectionAppeal).where(SelectionAppeal.cohort_id == run_row.cohort_id,
                                                           SelectionAppeal.sme_id == sme_id)).one_or_none()
    return run_row, mine, appeal


def file(session: Session, *, year: int, sme_id: str, reason_ko: str, p: Principal,
         settings: AppealSettings) -> SelectionAppeal:
    """File the SME's one appeal of the round against a waitlisted or refused decision, within the period."""
    run_row, mine, appeal = my_result(session, year=year, sme_id=sme_id)
    if appeal is not None:
        raise AppealAlreadyFiled(f"{year}년 선정 결과에는 이미 이의신청했습니다 (한 차례만 가능합니다).",
                                 f"An appeal of the {year} result was already filed (once per round).")
    if mine.outcome == "selected":
        raise AppealNotOpen("선정된 기업은 이의신청할 결과가 없습니다.", "A selected SME has nothing to appeal.",
                            outcome=mine.outcome)
    until = deadline(run_row, settings)
    if clock.now() > until:
        raise AppealNotOpen(f"이의신청 기간({datetime_ko(until)}까지)이 지났습니다.",
                            f"The appeal period ended at {until.isoformat()}.", appeal_until=until.isoformat())
    row = SelectionAppeal(cohort_id=run_row.cohort_id, run_id=run_row.id, sme_id=sme_id, outcome_before=mine.outcome,
                          reason_ko=reason_ko, filed_by=p.sub, state="submitted")
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError as exc:  # a concurrent filing of the same SME and round won
        raise AppealAlreadyFiled(f"{year}년 선정 결과에는 이미 이의신청했습니다 (한 차례만 가능합니다).",
                                 f"An appeal of the {year} result was already filed (once per round).") from exc
    audit_log.append(session, actor=p, subject_type=SUBJECT, subject_id=row.id, action="file", reason=reason_ko,
                     from_state=None, to_state=row.state,
                     payload={"cohort_year": year, "run_id": run_row.id, "sme_id": sme_id, "outcome": mine.outcome})
    return row


def list_appeals(session: Session, *, year: int) -> list[SelectionAppeal]:
    cohort = cohorts.get_cohort(session, year)
    return list(session.scalars(select(SelectionAppeal).where(SelectionAppeal.cohort_id == cohort.id)
                                .order_by(SelectionAppeal.filed_at, SelectionAppeal.id)))


def _load(session: Session, year: int, appeal_id: str) -> SelectionAppeal:
    cohort = cohorts.get_cohort(session, year)
    row = session.scalars(select(SelectionAppeal).where(SelectionAppeal.id == appeal_id,
                                                        SelectionAppeal.cohort_id == cohort.id)
                          .with_for_update()).one_or_none()
    if row is None:
        raise NotFound("이의신청을 찾을 수 없습니다.", f"Appeal {appeal_id} was not found.")
    return row


def _place(session: Session, run_row: SelectionRun, mine: SelectionDecision) -> tuple[str, int | None]:
    """Select the SME when the capacity and its quota groups have room, else the head of the waiting list."""
    doc, held, taken = selection.places_held(session, run_row)
    if held < doc.capacity and fits(doc, mine.groups, taken) is None:
        return "selected", None
    ahead = (SelectionDecision.waitlist_position < mine.waitlist_position if mine.waitlist_position is not None
             else SelectionDecision.waitlist_position.is_not(None))
    session.execute(update(SelectionDecision).where(SelectionDecision.run_id == run_row.id,
                                                    SelectionDecision.outcome == "waitlisted", ahead)
                    .values(waitlist_position=SelectionDecision.waitlist_position + 1)
                    .execution_options(synchronize_session=False))
    return "waitlisted", 1


def decide(session: Session, *, year: int, appeal_id: str, outcome: str, reason: str, p: Principal) -> SelectionAppeal:
    """Uphold or dismiss a submitted appeal (the officer), with the reason recorded in the audit log."""
    cohort = cohorts.get_cohort(session, year)
    cohorts.lock_cohort(session, cohort)  # places are counted: one decision after another
    row = _load(session, year, appeal_id)
    action = {"upheld": "uphold", "dismissed": "dismiss"}[outcome]
    row.state = lifecycle.transition(lifecycle.APPEAL, row.state, action, p.role, reason=reason)
    run_row = selection.latest_run(session, year)
    mine = session.get(SelectionDecision, (run_row.id, row.sme_id), with_for_update=True)
    now = clock.now()
    result, position = "unchanged", None
    if outcome == "upheld" and mine is not None and mine.outcome != "selected":
        result, position = _place(session, run_row, mine)
        mine.outcome, mine.waitlist_position = result, position
        if result == "selected":
            mine.promoted_at = now
            selection._set_members(session, cohort, [row.sme_id], "selected", now.date())
        ko = "선정되었습니다" if result == "selected" else "정원이 차 대기 1번이 되었습니다"
        en = "selected" if result == "selected" else "the places are full: first on the waiting list"
        mine.reasons = [*mine.reasons, {"ko": f"이의신청이 인용되어 {ko}: {reason}",
                                        "en": f"appeal upheld, {en}: {reason}"}]
    elif mine is not None:
        mine.reasons = [*mine.reasons, {"ko": f"이의신청이 기각되었습니다: {reason}",
                                        "en": f"appeal dismissed: {reason}"}]
    row.decided_by, row.decided_at, row.decision_reason = p.sub, now, reason
    row.outcome_after, row.waitlist_position = result, position
    session.flush()
    audit_log.append(session, actor=p, subject_type=SUBJECT, subject_id=row.id, action=action, reason=reason,
                     from_state="submitted", to_state=row.state,
                     payload={"cohort_year": year, "run_id": run_row.id, "sme_id": row.sme_id, "result": result,
                              "waitlist_position": position})
    return row
