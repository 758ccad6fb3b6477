"""Designation use cases: apply, screen, panel, declare, score, supplement, decide, withdraw.

Every state change goes through the explicit table in lifecycle.py and appends an audit event in
the same transaction. Callers load the application with a row lock (`load(..., lock=True)`), so two
concurrent decisions serialise and the second finds the application already decided.
"""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from certification import audit_log, business_status, calls, criteria_store, designations, panel, scope, snapshot
from certification.appeal_models import Appeal, AppealSeat
from certification.certificates import check_renewal_open
from certification.errors import STATE_KO
from certification.lifecycle import MachineKind, transition
from certification.models import Application, Certificate, PanelSeat, Review, ReviewerProfile
from certification.rules import Outcome, evaluate
from core import clock
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.korean import josa, quoted
from core.principal import Principal
from notices import events as notify
from registry.models import Company

APP = MachineKind.application


class OpenApplicationExists(Conflict):
    title_ko = "이미 진행 중인 지정 신청이 있습니다"
    title_en = "The company already has an open application"


def _role(p: Principal) -> str:
    return p.role if p.role in ("supplier", "reviewer", "admin") else "other"


def _move(session: Session, app: Application, action: str, *, actor: Principal | str, role: str,
          reason: str | None = None, payload: dict[str, Any] | None = None) -> int:
    """Apply one move of the table and record it; returns the audit event's sequence number."""
    before = app.state
    app.state = transition(APP, app.state, action, role, reason=reason)
    entry = audit_log.append(session, actor=actor, subject_type="application", subject_id=app.id, action=action,
                     from_state=before, to_state=app.state, reason=reason,
                     payload={"company_id": app.company_id, "kind": app.kind, **(payload or {})})
    session.flush()
    return entry.seq


# ---- loading and visibility ------------------------------------------------------------------------
def load(session: Session, app_id: str, p: Principal, *, lock: bool = False) -> Application:
    """The application if the caller may see it: its supplier, a reviewer on its panel, or an admin."""
    stmt = select(Application).where(Application.id == app_id)
    app = session.scalars(stmt.with_for_update() if lock else stmt).one_or_none()
    if app is None or not may_see(session, app, p):
        raise NotFound(f"신청 {josa(quoted(app_id), '을')} 찾을 수 없습니다.", f"Application {app_id} was not found.")
    return app


def may_see(session: Session, app: Application, p: Principal) -> bool:
    if p.role == "admin":
        return True
    if p.role == "supplier":
        return p.owns(app.applicant_org)
    if p.role == "reviewer":
        return _seat(session, app, p.sub) is not None or session.scalar(
            _appeal_seats(p.sub).where(Application.id == app.id).limit(1)) is not None
    return False


def _appeal_seats(sub: str) -> Any:
    """Applications a reviewer reads as a member of an appeal panel: the rejected application appealed,
    or the one that issued the suspended or revoked certificate appealed (the record the decision rests on)."""
    seated = select(Appeal.subject_type, Appeal.subject_id).join(AppealSeat, AppealSeat.appeal_id == Appeal.id) \
        .where(AppealSeat.reviewer_sub == sub).subquery()
    by_cert = select(Certificate.application_id).join(
        seated, (seated.c.subject_type == "certificate") & (seated.c.subject_id == Certificate.number))
    by_app = select(seated.c.subject_id).where(seated.c.subject_type == "application")
    return select(Application.id).where(Application.id.in_(by_app) | Application.id.in_(by_cert))


def visible_stmt(p: Principal) -> Any:
    stmt = select(Application)
    if p.role == "admin":
        return stmt
    if p.role == "supplier":
        return stmt.where(Application.applicant_org == (p.org or ""))
    if p.role == "reviewer":
        seats = select(PanelSeat.application_id).where(PanelSeat.reviewer_sub == p.sub)
        return stmt.where(Application.id.in_(seats) | Application.id.in_(_appeal_seats(p.sub)))
    return stmt.where(Application.id.is_(None))


def _seat(session: Session, app: Application, sub: str) -> PanelSeat | None:
    return session.scalars(select(PanelSeat).where(PanelSeat.application_id == app.id,
                                                   PanelSeat.reviewer_sub == sub)).one_or_none()


# ---- supplier side ---------------------------------------------------------------------------------
def create(session: Session, *, company_id: str, kind: str, statement: str | None,
           p: Principal, call_id: str | None = None, field: str | None = None,
           requested_scope: list[str] | None = None) -> Application:
    """Open a draft application for the caller's company, in a call (calls.py; renewal: from 90 days
    before expiry, no call; scope change: for an active certificate, naming the fields to add, no call)."""
    company = session.get(Company, company_id)
    if company is None or not (p.role == "supplier" and p.owns(company.owner_org)):
        raise NotFound(f"기업 {josa(quoted(company_id), '을')} 찾을 수 없습니다.",
                       f"Company {company_id} was not found.")
    if kind == "renewal":
        cert = designations.live_certificate(session, company.id)
        if cert is None:
            raise Invalid("갱신할 지정서가 없습니다.", "There is no certificate to renew.")
        check_renewal_open(designations._value(cert), clock.now(), designations.renewal_window())
    if kind == "scope_change":
        if call_id is not None:
            raise Invalid("지정 분야 추가 신청은 공고 없이 합니다.", "A scope change names no call.",
                          errors=[{"pointer": "#/call_id", "detail": "not for scope changes"}])
        requested_scope = _new_fields(session, company.id, requested_scope)
    else:
        call_id, field = calls.for_draft(session, call_id=call_id, field=field, kind=kind)
    app = Application(company_id=company.id, applicant_org=company.owner_org, kind=kind,
                      statement_ko=statement, call_id=call_id, call_field=field,
                      requested_scope=scope.normalise(requested_scope) if requested_scope else None)
    try:
        with session.begin_nested():
            session.add(app)
    except IntegrityError as exc:
        raise OpenApplicationExists() from exc
    audit_log.append(session, actor=p, subject_type="application", subject_id=app.id, action="create",
                     to_state=app.state, payload={"company_id": company.id, "kind": kind,
                                                  "requested_scope": app.requested_scope,
                                                  **({"call_id": call_id, "field": field} if call_id else {})})
    return app


def _new_fields(session: Session, company_id: str, requested: list[str] | None) -> list[str]:
    """A scope change names fields an active certificate of the company does not cover yet."""
    cert = designations.live_certificate(session, company_id)
    if cert is None or designations.status_now(cert) != "active":
        raise Invalid("지정 분야를 추가할 유효한 지정서가 없습니다.", "There is no active certificate to extend.")
    if not requested:
        raise scope.ScopeInvalid("추가할 지정 분야(scope)를 하나 이상 적어 주세요.",
                                 "Name at least one field to add (scope).",
                                 errors=[{"pointer": "#/scope", "detail": "required for a scope change"}])
    held = [c for c in requested if c in cert.scope]
    if held:
        raise scope.ScopeInvalid(f"이미 지정된 분야입니다: {scope.names_ko(held)}",
                                 f"Already within the designation: {', '.join(held)}",
                                 errors=[{"pointer": "#/scope", "detail": f"already covered: {', '.join(held)}"}])
    return requested


def submit(session: Session, *, app: Application, p: Principal) -> Application:
    """Submit a draft while its call is open: screening runs at once with the call's criteria version
    (without a call, the version in force today)."""
    transition(APP, app.state, "submit", _role(p))  # state and role first (409 / 403), then the call
    calls.check_submission(session, app)
    _move(session, app, "submit", actor=p, role=_role(p))
    app.submitted_at = clock.now()
    _screen(session, app)
    return app


def _screen(session: Session, app: Application) -> None:
    version = calls.criteria_version(session, app)
    criteria = (criteria_store.by_version(session, version) if version else None) or \
        criteria_store.in_force(session, clock.now().date())
    _move(session, app, "start_screening", actor="system", role="system",
          payload={"criteria_version": criteria.version})
    company = session.get_one(Company, app.company_id)
    app.facts = snapshot.capture(session, company)  # frozen: screening and reviewers read this from now on
    check = business_status.at_screening(company.business_number)
    result = evaluate(criteria, snapshot.to_facts(app.facts, business_status=business_status.known_status(check)),
                      as_of=clock.now().date())
    app.criteria_version = criteria.version
    app.screening = {**result.to_dict(), "screened_at": clock.now().isoformat(), "business_check": check}
    summary = {"criteria_version": criteria.version, "criteria_digest": criteria.digest,
               "outcome": result.outcome.value, "facts_digest": snapshot.digest(app.facts)}
    if result.outcome == Outcome.fail:
        failed = [r.code for r in result.results if r.outcome == Outcome.fail]
        seq = _move(session, app, "screen_fail", actor="system", role="system",
                    reason="eligibility criteria failed: " + ", ".join(failed), payload=summary)
        app.decided_at = clock.now()
        notify.screened(session, app=app, seq=seq, passed=False, failed=failed)
    else:
        seq = _move(session, app, "screen_pass", actor="system", role="system", payload=summary)
        notify.screened(session, app=app, seq=seq, passed=True, failed=[])


def facts(session: Session, app: Application) -> dict[str, Any]:
    """The facts frozen at submission, their digest, and what changed in the live records since."""
    if app.facts is None:
        return {"frozen_at": None, "digest": None, "facts": None, "changes": []}
    current = snapshot.capture(session, session.get_one(Company, app.company_id))
    return {"frozen_at": app.submitted_at, "digest": snapshot.digest(app.facts), "facts": app.facts,
            "changes": snapshot.changes(app.facts, current)}


def withdraw(session: Session, *, app: Application, p: Principal, reason: str | None) -> Application:
    _move(session, app, "withdraw", actor=p, role=_role(p), reason=reason)
    return app


def resubmit(session: Session, *, app: Application, p: Principal, answer: str) -> Application:
    """Answer a supplement request; review resumes with the supplemented record."""
    app.supplement_answer = answer
    _move(session, app, "resubmit", actor=p, role=_role(p), payload={"answer": answer})
    _move(session, app, "resume_review", actor="system", role="system")
    return app


# ---- panel -----------------------------------------------------------------------------------------
def _reviewer(session: Session, sub: str) -> panel.Reviewer:
    profile = session.get(ReviewerProfile, sub)
    if profile is None or not profile.active:
        raise NotFound(f"심사위원 {josa(quoted(sub), '이')} 등록되어 있지 않습니다.",
                       f"Reviewer {sub} is not registered.")
    return panel.Reviewer(profile.sub, profile.org, frozenset(profile.related_orgs))


def in_state(session: Session, p: Principal, state: str, *, limit: int = 100) -> list[Application]:
    """The applications the caller may see in one state, oldest submission first (the officer's panel page)."""
    stmt = visible_stmt(p).where(Application.state == state)
    return list(session.scalars(stmt.order_by(Application.submitted_at, Application.id).limit(limit)))


def registered_reviewers(session: Session) -> list[ReviewerProfile]:
    """The active reviewer profiles an admin may seat on a panel (the officer's panel page), by name."""
    return list(session.scalars(select(ReviewerProfile).where(ReviewerProfile.active.is_(True))
                                .order_by(ReviewerProfile.name, ReviewerProfile.sub)))


def assign_panel(session: Session, *, app: Application, reviewer_subs: list[str],
                 p: Principal) -> list[PanelSeat]:
    """An admin seats reviewers; anyone with a detected conflict is refused with the reason."""
    transition(APP, app.state, "assign_panel", _role(p))  # 409 with the allowed actions, or 403
    for sub in dict.fromkeys(reviewer_subs):
        reviewer = _reviewer(session, sub)
        conflict = panel.detect_conflict(reviewer, app.applicant_org)
        if conflict:
            raise panel.ConflictOfInterest(sub, conflict)
        if _seat(session, app, sub) is None:
            session.add(PanelSeat(application_id=app.id, reviewer_sub=sub, assigned_by=p.sub))
            audit_log.append(session, actor=p, subject_type="application", subject_id=app.id,
                             action="assign_reviewer", from_state=app.state, to_state=app.state,
                             payload={"reviewer": sub})
    session.flush()
    return seats(session, app)


def panel_queue(session: Session, p: Principal) -> list[tuple[Application, PanelSeat]]:
    """The applications a reviewer is seated on (not removed by a declared conflict), newest seat first."""
    rows = session.execute(select(Application, PanelSeat).join(PanelSeat, PanelSeat.application_id == Application.id)
                           .where(PanelSeat.reviewer_sub == p.sub, PanelSeat.removed.is_(False))
                           .order_by(PanelSeat.assigned_at.desc(), PanelSeat.id)).all()
    return [(a, s) for a, s in rows] if p.role == "reviewer" else []


def seat_of(session: Session, app: Application, sub: str) -> PanelSeat | None:
    """The reviewer's seat on the application's panel, removed or not; None if never seated."""
    return _seat(session, app, sub)


def seats(session: Session, app: Application) -> list[PanelSeat]:
    return list(session.scalars(select(PanelSeat).where(PanelSeat.application_id == app.id)
                                .order_by(PanelSeat.assigned_at, PanelSeat.id)))


def declare(session: Session, *, app: Application, p: Principal, has_conflict: bool,
            note: str | None) -> PanelSeat:
    """A panel reviewer declares (no) conflict of interest; a declared conflict removes them."""
    seat = _seat(session, app, p.sub)
    if seat is None or p.role != "reviewer":
        raise Forbidden("이 신청의 심사위원이 아닙니다.", "You are not on this application's panel.")
    if seat.declared_at is not None:
        raise Conflict("이미 이해충돌 여부를 신고했습니다.", "You have already declared.")
    seat.declared_at, seat.has_conflict, seat.conflict_reason = clock.now(), has_conflict, note
    seat.removed = has_conflict
    audit_log.append(session, actor=p, subject_type="application", subject_id=app.id, action="declare",
                     from_state=app.state, to_state=app.state, reason=note,
                     payload={"reviewer": p.sub, "has_conflict": has_conflict})
    session.flush()
    return seat


def submit_review(session: Session, *, app: Application, p: Principal, scores: dict[str, int],
                  comments: str | None) -> Review:
    """Score every rubric criterion (1-5); only a seated reviewer who declared no conflict may."""
    if app.state != "under_review":
        raise Conflict(f"{STATE_KO.get(app.state, app.state)} 상태에서는 심사할 수 없습니다.",
                       f"Cannot review in state '{app.state}'.", state=app.state)
    seat = _seat(session, app, p.sub)
    if seat is None or p.role != "reviewer":
        raise Forbidden("이 신청의 심사위원이 아닙니다.", "You are not on this application's panel.")
    reviewer = _reviewer(session, p.sub)
    declaration = (panel.Declaration(p.sub, bool(seat.has_conflict), seat.conflict_reason)
                   if seat.declared_at else None)
    panel.check_may_score(reviewer, declaration, app.applicant_org)
    rubric = panel.builtin_rubric(calls.rubric_version(session, app))
    mean = panel.weighted_score(rubric, scores)
    review = Review(application_id=app.id, reviewer_sub=p.sub, rubric_version=rubric.version, scores=scores,
                    comments=comments, weighted=str(panel.display(mean)))
    try:
        with session.begin_nested():
            session.add(review)
    except IntegrityError as exc:
        raise Conflict("이미 심사 점수를 제출했습니다.", "You have already submitted a review.") from exc
    audit_log.append(session, actor=p, subject_type="application", subject_id=app.id, action="review",
                     from_state=app.state, to_state=app.state,
                     payload={"reviewer": p.sub, "scores": scores, "weighted": review.weighted})
    return review


def reviews_for(session: Session, *, app: Application, p: Principal) -> list[Review]:
    """What the caller may see: others' scores only after submitting one's own (admins see all)."""
    rows = list(session.scalars(select(Review).where(Review.application_id == app.id)
                                .order_by(Review.submitted_at)))
    if p.role == "supplier":
        return rows if app.state in ("approved", "rejected") else []
    panel_subs = [s.reviewer_sub for s in seats(session, app) if not s.removed]
    visible = panel.visible_reviews(p.sub, p.role, panel_subs,
                                    [panel.Review(r.reviewer_sub, r.scores, True) for r in rows])
    keep = {v.reviewer_id for v in visible}
    return [r for r in rows if r.reviewer_sub in keep]


def request_supplement(session: Session, *, app: Application, p: Principal, message: str) -> Application:
    _require_active_seat(session, app, p)
    app.supplement_message = message
    seq = _move(session, app, "request_supplement", actor=p, role=_role(p), reason=message)
    notify.supplement_requested(session, app=app, seq=seq, message=message)
    return app


def _require_active_seat(session: Session, app: Application, p: Principal) -> PanelSeat:
    seat = _seat(session, app, p.sub)
    if p.role == "reviewer" and (seat is None or seat.removed):
        raise Forbidden("이 신청의 심사위원이 아닙니다.", "You are not on this application's panel.")
    return seat  # type: ignore[return-value]


def panel_result(session: Session, app: Application) -> panel.PanelResult:
    rubric = panel.builtin_rubric(calls.rubric_version(session, app))
    active = {s.reviewer_sub for s in seats(session, app) if not s.removed}
    rows = session.scalars(select(Review).where(Review.application_id == app.id)).all()
    return panel.aggregate(rubric, [panel.Review(r.reviewer_sub, r.scores, True)
                                    for r in rows if r.reviewer_sub in active])


def decide(session: Session, *, app: Application, p: Principal, approve: bool, reason: str | None,
           certificate_years: int, fields: list[str] | None = None) -> tuple[Application, Certificate | None]:
    """Approve or reject: the quorum of submitted reviews, the pass mark and four-eyes must hold. An
    approval grants `fields` (within those applied for; all of them when None: scope.py)."""
    action = "approve" if approve else "reject"
    transition(APP, app.state, action, _role(p), reason=reason)  # state and role first: 409 / 403
    _require_active_seat(session, app, p)
    decider = _reviewer(session, p.sub)
    if approve:
        _require_no_failed_criterion(app)
    result = panel_result(session, app)
    panel.check_decision(action, result, decider, app.applicant_org)
    granted = scope.decided(session, app, fields) if approve else None
    if not approve and fields is not None:
        raise scope.ScopeInvalid("반려 결정에는 지정 분야를 적지 않습니다.", "A rejection grants no scope.",
                                 errors=[{"pointer": "#/scope", "detail": "only with approve"}])
    app.decided_by, app.decided_at, app.decision_reason = p.sub, clock.now(), reason
    mean = None if result.mean is None else str(panel.display(result.mean))
    seq = _move(session, app, action, actor=p, role=_role(p), reason=reason,
                payload={"weighted_mean": mean, "reviews": result.submitted,
                         "pass_mark": str(panel.display(Fraction(result.pass_mark))), "scope": granted})
    cert = None
    if granted is not None:
        live = designations.live_certificate(session, app.company_id)
        if app.kind == "renewal" and live is not None:
            cert = designations.renew(session, cert=live, application=app, p=p, years=certificate_years,
                                      fields=granted)
        elif app.kind == "scope_change" and live is not None:
            cert = designations.change_scope(session, cert=live, application=app, p=p, granted=granted)
        elif app.kind == "scope_change":
            raise Conflict("지정 분야를 추가할 지정서가 더 이상 유효하지 않습니다.",
                           "The certificate to extend is no longer live.")
        else:
            cert = designations.issue(session, application=app, p=p, years=certificate_years, fields=granted)
        app.certificate_id = cert.id
    notify.decided(session, app=app, seq=seq, cert=cert)
    session.flush()
    return app, cert


def _require_no_failed_criterion(app: Application) -> None:
    """An approval needs screening without a failed criterion: a reviewer's confirmation that the business
    is suspended or closed (certification/business_status.py) fails E1 after screening let it through."""
    failed = [r for r in (app.screening or {}).get("results", []) if r.get("outcome") == Outcome.fail.value]
    if failed:
        raise Conflict("자격 요건을 충족하지 못한 기준이 있어 승인할 수 없습니다: "
                       + "; ".join(f"{r['code']} {r['reason_ko']}" for r in failed),
                       "A criterion is not met, so the application cannot be approved: "
                       + "; ".join(f"{r['code']} {r['reason_en']}" for r in failed),
                       failed=[r["code"] for r in failed])


def renewal_opens(cert: Certificate) -> str:
    return (cert.valid_until - timedelta(days=90)).isoformat()
