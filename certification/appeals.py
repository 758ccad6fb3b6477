"""Appeals (이의신청): within `appeal_days` after a rejection, suspension or revocation the supplier may appeal
once per decision; an admin seats an appeal panel that shares no one with the original decision; a seated
appeal reviewer upholds or dismisses.

The original panel: for a rejected application every reviewer ever seated on it (also those removed for a
conflict) and whoever decided; for a suspension or revocation the person who took it. Screening failures
are decided by the system, so any panel is disjoint from them.

Outcomes are recorded on the appeal and on the decision's own subject, so they are public exactly where
the decision was: an upheld appeal reopens a rejected application for review by a new panel (the old
panel's seats are set aside, so its scores no longer count) or reinstates a suspended or revoked
certificate (its public history shows `appeal_reinstate`); a dismissed one is an `appeal_dismissed` note on
the subject. The supplier is notified of the outcome (notices/).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from certification import audit_log, designations, panel
from certification import service as applications
from certification.appeal_models import Appeal, AppealSeat
from certification.audit import decode_entry
from certification.errors import STATE_KO
from certification.lifecycle import MachineKind, transition
from certification.models import Application, AuditLogEntry, Certificate, PanelSeat
from core import clock
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.korean import date_ko, josa, quoted
from core.principal import Principal
from notices import events as notify
from registry.models import Company

APPEALABLE = {"application": ("reject", "screen_fail"), "certificate": ("suspend", "revoke")}
SUBJECT_KO = {"application": "지정 신청 반려", "certificate": "지정서 처분"}
# the appeal's own small machine: (state, action) -> next state, and who may take it
TABLE = {("submitted", "assign_panel"): ("submitted", "admin"),
         ("submitted", "uphold"): ("upheld", "reviewer"), ("submitted", "dismiss"): ("dismissed", "reviewer")}


class AppealPeriodOver(Conflict):
    title_ko = "이의신청 기간이 지났습니다"
    title_en = "The appeal period is over"


class AlreadyAppealed(Conflict):
    title_ko = "이미 이의신청한 결정입니다"
    title_en = "This decision has already been appealed"


class NothingToAppeal(Conflict):
    title_ko = "이의신청할 결정이 없습니다"
    title_en = "There is no decision to appeal"


class PanelOverlap(Conflict):
    title_ko = "원 결정에 참여한 심사위원은 이의신청 심사위원이 될 수 없습니다"
    title_en = "The appeal panel overlaps the original decision's panel"


def _not_found(appeal_id: str) -> NotFound:
    return NotFound(f"이의신청 {josa(quoted(appeal_id), '을')} 찾을 수 없습니다.", f"Appeal {appeal_id} was not found.")


def _move(appeal: Appeal, action: str, role: str) -> str:
    rule = TABLE.get((appeal.state, action))
    if rule is None:
        raise Conflict(f"{STATE_KO.get(appeal.state, appeal.state)} 상태의 이의신청에는 할 수 없는 작업입니다.",
                       f"'{action}' is not allowed on an appeal in state '{appeal.state}'.", state=appeal.state)
    if role != rule[1]:
        raise Forbidden("이 작업을 할 권한이 없습니다.", f"Only the {rule[1]} role may {action} an appeal.")
    return rule[0]


# ---- filing ----------------------------------------------------------------------------------------
def _decision(session: Session, subject_type: str, subject_id: str) -> AuditLogEntry | None:
    rows = audit_log.events_for(session, subject_type, subject_id)
    return next((r for r in reversed(rows) if r.action in APPEALABLE[subject_type]), None)


def file(session: Session, *, p: Principal, application_id: str | None, certificate_number: str | None,
         reasons: str, days: int) -> Appeal:
    """The supplier appeals the latest rejection of its application or suspension/revocation of its
    certificate, within `days` of it, once."""
    if p.role != "supplier":
        raise Forbidden("이의신청은 공급기업만 할 수 있습니다.", "Only suppliers appeal.")
    if (application_id is None) == (certificate_number is None):
        raise Invalid("신청 또는 지정서 중 하나를 지정해 주세요.", "Name either an application or a certificate.",
                      errors=[{"pointer": "#/application_id", "detail": "exactly one of application_id, "
                                                                         "certificate_number"}])
    if application_id is not None:
        app = applications.load(session, application_id, p, lock=True)
        subject_type, subject_id, company_id, org = "application", app.id, app.company_id, app.applicant_org
        appealable = app.state == "rejected"
    else:
        cert = designations.get_by_number(session, certificate_number or "", lock=True)
        company = session.get_one(Company, cert.company_id)
        if not p.owns(company.owner_org):
            raise designations._not_found(certificate_number or "")
        subject_type, subject_id, company_id, org = "certificate", cert.number, cert.company_id, company.owner_org
        appealable = designations.status_now(cert) in ("suspended", "revoked")
    event = _decision(session, subject_type, subject_id) if appealable else None
    if event is None:
        raise NothingToAppeal("반려되었거나 정지·취소된 결정에만 이의신청할 수 있습니다.",
                              "Only a rejection, suspension or revocation in force can be appealed.")
    deadline = event.recorded_at + timedelta(days=days)
    if clock.now() > deadline:
        raise AppealPeriodOver(f"이의신청은 결정일로부터 {days}일 이내({date_ko(deadline)}까지)에 할 수 있습니다.",
                               f"Appeals are accepted within {days} days of the decision (until "
                               f"{deadline.isoformat()}).", deadline=deadline.isoformat())
    appeal = Appeal(company_id=company_id, applicant_org=org, subject_type=subject_type, subject_id=subject_id,
                    decision_seq=event.seq, decision_action=event.action, decided_at=event.recorded_at,
                    reasons_ko=reasons, created_by=p.sub)
    try:
        with session.begin_nested():
            session.add(appeal)
    except IntegrityError as exc:
        raise AlreadyAppealed("한 결정에는 한 번만 이의신청할 수 있습니다.",
                              "A decision can be appealed once.") from exc
    _audit(session, appeal, p, "file_appeal", None, reasons, decision_seq=event.seq)
    return appeal


def _audit(session: Session, appeal: Appeal, p: Principal | str, action: str, before: str | None,
           reason: str | None, **extra: Any) -> AuditLogEntry:
    return audit_log.append(session, actor=p, subject_type="appeal", subject_id=appeal.id, action=action,
                            from_state=before, to_state=appeal.state, reason=reason,
                            payload={"company_id": appeal.company_id, "subject_type": appeal.subject_type,
                                     "subject_id": appeal.subject_id, "decision_seq": appeal.decision_seq, **extra})


# ---- loading and visibility ------------------------------------------------------------------------
def _seat(session: Session, appeal: Appeal, sub: str) -> AppealSeat | None:
    return session.scalars(select(AppealSeat).where(AppealSeat.appeal_id == appeal.id,
                                                    AppealSeat.reviewer_sub == sub)).one_or_none()


def may_see(session: Session, appeal: Appeal, p: Principal) -> bool:
    if p.role == "admin":
        return True
    if p.role == "supplier":
        return p.owns(appeal.applicant_org)
    if p.role == "reviewer":
        return _seat(session, appeal, p.sub) is not None
    return False


def load(session: Session, appeal_id: str, p: Principal, *, lock: bool = False) -> Appeal:
    stmt = select(Appeal).where(Appeal.id == appeal_id)
    appeal = session.scalars(stmt.with_for_update() if lock else stmt).one_or_none()
    if appeal is None or not may_see(session, appeal, p):
        raise _not_found(appeal_id)
    return appeal


def visible_stmt(p: Principal) -> Any:
    stmt = select(Appeal)
    if p.role == "admin":
        return stmt
    if p.role == "supplier":
        return stmt.where(Appeal.applicant_org == (p.org or ""))
    if p.role == "reviewer":
        return stmt.where(Appeal.id.in_(select(AppealSeat.appeal_id).where(AppealSeat.reviewer_sub == p.sub)))
    return stmt.where(Appeal.id.is_(None))


def seats(session: Session, appeal: Appeal) -> list[AppealSeat]:
    return list(session.scalars(select(AppealSeat).where(AppealSeat.appeal_id == appeal.id)
                                .order_by(AppealSeat.assigned_at, AppealSeat.id)))


# ---- panel and outcome -----------------------------------------------------------------------------
def original_panel(session: Session, appeal: Appeal) -> set[str]:
    """Everyone who took part in the decision appealed against."""
    row = session.get_one(AuditLogEntry, appeal.decision_seq)
    doc = decode_entry(row.entry)
    people = {str(doc.get("actor"))} if doc.get("role") != "system" else set()
    if appeal.subject_type == "application":
        people |= set(session.scalars(select(PanelSeat.reviewer_sub)
                                      .where(PanelSeat.application_id == appeal.subject_id)))
    return people


def assign_panel(session: Session, *, appeal: Appeal, reviewer_subs: list[str], p: Principal) -> list[AppealSeat]:
    """Seat the appeal panel: refused (409, naming them) if anyone took part in the original decision,
    or has a detected conflict of interest with the supplier."""
    _move(appeal, "assign_panel", p.role)
    subs = list(dict.fromkeys(reviewer_subs))
    overlap = sorted(set(subs) & original_panel(session, appeal))
    if overlap:
        raise PanelOverlap(f"원 결정에 참여한 심사위원이 포함되어 있습니다: {', '.join(quoted(s) for s in overlap)}. "
                           "이의신청은 원 결정과 겹치지 않는 심사위원이 심사합니다.",
                           f"These reviewers took part in the original decision: {', '.join(overlap)}.",
                           overlapping=overlap)
    for sub in subs:
        reviewer = applications._reviewer(session, sub)
        conflict = panel.detect_conflict(reviewer, appeal.applicant_org)
        if conflict:
            raise panel.ConflictOfInterest(sub, conflict)
        if _seat(session, appeal, sub) is None:
            session.add(AppealSeat(appeal_id=appeal.id, reviewer_sub=sub, assigned_by=p.sub))
            _audit(session, appeal, p, "assign_reviewer", appeal.state, None, reviewer=sub)
    session.flush()
    return seats(session, appeal)


def decide(session: Session, *, appeal: Appeal, p: Principal, upheld: bool, reason: str) -> Appeal:
    """A seated appeal reviewer upholds (the decision is set aside) or dismisses (it stands)."""
    action = "uphold" if upheld else "dismiss"
    nxt = _move(appeal, action, p.role)
    if _seat(session, appeal, p.sub) is None:
        raise Forbidden("이 이의신청의 심사위원이 아닙니다.", "You are not on this appeal's panel.")
    before = appeal.state
    if upheld:
        subject_seq = _set_aside(session, appeal, p)
    else:
        subject_seq = _note_dismissed(session, appeal, p, reason)
    appeal.state, appeal.outcome_reason, appeal.decided_by, appeal.outcome_at = nxt, reason, p.sub, clock.now()
    entry = _audit(session, appeal, p, action, before, reason, subject_event=subject_seq)
    appeal.outcome_seq = entry.seq
    session.flush()
    notify.appeal_outcome(session, appeal=appeal, seq=entry.seq)
    return appeal


def _set_aside(session: Session, appeal: Appeal, p: Principal) -> int:
    if appeal.subject_type == "application":
        app = session.scalars(select(Application).where(Application.id == appeal.subject_id)
                              .with_for_update()).one()
        # the old panel is set aside: its seats stop counting, so its scores do not decide again
        session.execute(update(PanelSeat).where(PanelSeat.application_id == app.id).values(removed=True))
        app.decided_by = app.decided_at = app.decision_reason = None
        try:
            with session.begin_nested():
                seq = applications._move(session, app, "appeal_reopen", actor=p, role="system",
                                         reason=f"appeal {appeal.id} upheld",
                                         payload={"appeal_id": appeal.id})
        except IntegrityError as exc:
            raise Conflict("이 기업에 진행 중인 다른 신청이 있어 반려된 신청을 다시 열 수 없습니다. 진행 중인 신청을 "
                           "먼저 철회해야 합니다.",
                           "The company has another open application; withdraw it before the appeal can "
                           "reopen this one.") from exc
        return seq
    cert = designations.get_by_number(session, appeal.subject_id, lock=True)
    if designations.status_now(cert) == "expired":
        raise Conflict("지정서의 유효기간이 이미 끝나 효력을 회복할 수 없습니다.",
                       "The certificate's period has ended; it cannot be reinstated.")
    before = cert.status
    cert.status = transition(MachineKind.certificate, cert.status, "appeal_reinstate", "system")
    cert.status_reason, cert.status_changed_at, cert.revoked_at = None, clock.now(), None
    try:
        with session.begin_nested():
            seq = designations._record(session, cert, p, "appeal_reinstate", before, "이의신청 인용")
    except IntegrityError as exc:
        raise designations.AlreadyDesignated("이 기업은 이미 유효한 다른 지정서가 있습니다.",
                                             "The company holds another live certificate.") from exc
    return seq


def _note_dismissed(session: Session, appeal: Appeal, p: Principal, reason: str) -> int:
    if appeal.subject_type == "application":
        app = session.get_one(Application, appeal.subject_id)
        entry = audit_log.append(session, actor=p, subject_type="application", subject_id=app.id,
                                 action="appeal_dismissed", from_state=app.state, to_state=app.state, reason=reason,
                                 payload={"company_id": app.company_id, "kind": app.kind, "appeal_id": appeal.id})
        return entry.seq
    cert = designations.get_by_number(session, appeal.subject_id, lock=True)
    decision = decode_entry(session.get_one(AuditLogEntry, appeal.decision_seq).entry)
    # the note becomes the certificate's latest event: it carries the decision, so the public
    # verification still states the decision's date and reason (standing.py)
    entry = audit_log.append(session, actor=p, subject_type="certificate", subject_id=cert.number,
                             action="appeal_dismissed", from_state=cert.status, to_state=cert.status,
                             reason="이의신청 기각",
                             payload={"company_id": cert.company_id, "valid_from": cert.valid_from.isoformat(),
                                      "valid_until": cert.valid_until.isoformat(), "appeal_id": appeal.id,
                                      "decision": {"action": decision.get("action"), "at": decision.get("at"),
                                                   "reason": decision.get("reason")}})
    cert.last_event_seq = entry.seq
    session.flush()
    return entry.seq


def appeal_for_certificate(session: Session, cert: Certificate) -> list[Appeal]:
    return list(session.scalars(select(Appeal).where(Appeal.subject_type == "certificate",
                                                     Appeal.subject_id == cert.number)))
