"""Application and certificate state machines as explicit (state, action) -> next state tables,
with the roles allowed to take each action.

Who decides: reviewers score, request supplements and approve or reject (the quorum, pass-mark
and four-eyes guards are in panel.py); the admin assigns panels but does not decide, so the person
who picks the panel is never the one who approves. Suspension, reinstatement and revocation are
open to reviewers and admins. The system screens, resumes review after a supplement and expires certificates.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from certification.errors import ForbiddenTransition, IllegalTransition, ReasonRequired


class Role(StrEnum):
    supplier = "supplier"
    reviewer = "reviewer"
    admin = "admin"
    system = "system"


class MachineKind(StrEnum):
    application = "application"
    certificate = "certificate"


class ApplicationKind(StrEnum):
    """All kinds follow the same machine; an approved renewal extends the existing certificate, an
    approved scope change adds fields to it (scope.py)."""

    initial = "initial"
    renewal = "renewal"
    scope_change = "scope_change"


class AppState(StrEnum):
    draft = "draft"
    submitted = "submitted"
    screening = "screening"
    under_review = "under_review"
    supplement_requested = "supplement_requested"
    resubmitted = "resubmitted"
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"


class AppAction(StrEnum):
    submit = "submit"
    start_screening = "start_screening"
    screen_pass = "screen_pass"  # no criterion failed: pass or needs_judgement both go to reviewers
    screen_fail = "screen_fail"  # a definite fail stops at screening
    assign_panel = "assign_panel"
    request_supplement = "request_supplement"
    resubmit = "resubmit"
    resume_review = "resume_review"
    approve = "approve"
    reject = "reject"
    withdraw = "withdraw"
    appeal_reopen = "appeal_reopen"  # an upheld appeal sets a rejection aside: review again (appeals.py)


class CertState(StrEnum):
    active = "active"
    suspended = "suspended"
    revoked = "revoked"
    expired = "expired"


class CertAction(StrEnum):
    suspend = "suspend"
    reinstate = "reinstate"
    revoke = "revoke"
    expire = "expire"
    renew = "renew"  # taken by the system when a renewal application is approved; keeps the number
    appeal_reinstate = "appeal_reinstate"  # an upheld appeal sets a suspension or revocation aside


@dataclass(frozen=True)
class Rule:
    next_state: str
    roles: frozenset[str]
    needs_reason: bool = False


def _rule(next_state: StrEnum, *roles: Role, reason: bool = False) -> Rule:
    return Rule(next_state.value, frozenset(r.value for r in roles), reason)


S, A = AppState, AppAction
_SUPPLIER, _SYSTEM, _REVIEWER, _ADMIN = Role.supplier, Role.system, Role.reviewer, Role.admin

APPLICATION_TABLE: dict[tuple[str, str], Rule] = {
    (S.draft, A.submit): _rule(S.submitted, _SUPPLIER),
    (S.draft, A.withdraw): _rule(S.withdrawn, _SUPPLIER),
    (S.submitted, A.start_screening): _rule(S.screening, _SYSTEM),
    (S.submitted, A.withdraw): _rule(S.withdrawn, _SUPPLIER),
    (S.screening, A.screen_pass): _rule(S.under_review, _SYSTEM),
    (S.screening, A.screen_fail): _rule(S.rejected, _SYSTEM, reason=True),
    (S.screening, A.withdraw): _rule(S.withdrawn, _SUPPLIER),
    (S.under_review, A.assign_panel): _rule(S.under_review, _ADMIN),
    (S.under_review, A.request_supplement): _rule(S.supplement_requested, _REVIEWER, reason=True),
    (S.under_review, A.approve): _rule(S.approved, _REVIEWER),
    (S.under_review, A.reject): _rule(S.rejected, _REVIEWER, reason=True),
    (S.under_review, A.withdraw): _rule(S.withdrawn, _SUPPLIER),
    (S.supplement_requested, A.resubmit): _rule(S.resubmitted, _SUPPLIER),
    (S.supplement_requested, A.withdraw): _rule(S.withdrawn, _SUPPLIER),
    # The service resumes review in the same transaction as the resubmission; no route offers it, so
    # no person is listed (allowed_actions would otherwise advertise an action nobody can take).
    (S.resubmitted, A.resume_review): _rule(S.under_review, _SYSTEM),
    (S.resubmitted, A.withdraw): _rule(S.withdrawn, _SUPPLIER),
    # Taken by the service when an appeal panel upholds an appeal against the rejection (appeals.py).
    (S.rejected, A.appeal_reopen): _rule(S.under_review, _SYSTEM),
}

C, CA = CertState, CertAction
CERTIFICATE_TABLE: dict[tuple[str, str], Rule] = {
    (C.active, CA.suspend): _rule(C.suspended, _REVIEWER, _ADMIN, reason=True),
    (C.active, CA.revoke): _rule(C.revoked, _REVIEWER, _ADMIN, reason=True),
    (C.active, CA.expire): _rule(C.expired, _SYSTEM),
    (C.active, CA.renew): _rule(C.active, _SYSTEM),
    (C.suspended, CA.reinstate): _rule(C.active, _REVIEWER, _ADMIN),
    (C.suspended, CA.revoke): _rule(C.revoked, _REVIEWER, _ADMIN, reason=True),
    # A suspension outlives nothing: past valid_until the certificate expires (see certificates.py).
    (C.suspended, CA.expire): _rule(C.expired, _SYSTEM),
    # An upheld appeal sets the suspension or revocation aside (appeals.py); only the service takes it.
    (C.suspended, CA.appeal_reinstate): _rule(C.active, _SYSTEM),
    (C.revoked, CA.appeal_reinstate): _rule(C.active, _SYSTEM),
}

TABLES: dict[str, dict[tuple[str, str], Rule]] = {
    MachineKind.application: APPLICATION_TABLE,
    MachineKind.certificate: CERTIFICATE_TABLE,
}
STATES: dict[str, tuple[str, ...]] = {
    MachineKind.application: tuple(s.value for s in AppState),
    MachineKind.certificate: tuple(s.value for s in CertState),
}
ACTIONS: dict[str, tuple[str, ...]] = {
    MachineKind.application: tuple(a.value for a in AppAction),
    MachineKind.certificate: tuple(a.value for a in CertAction),
}
TERMINAL: dict[str, frozenset[str]] = {
    kind: frozenset(s for s in STATES[kind] if not any(st == s for st, _ in table))
    for kind, table in TABLES.items()
}


def _table(kind: str) -> dict[tuple[str, str], Rule]:
    try:
        return TABLES[kind]
    except KeyError:
        raise ValueError(f"unknown state machine {kind!r}") from None


def allowed_actions(kind: str, state: str, role: str | None = None) -> list[str]:
    """Actions available from `state`, for `role` only when given (what a client may offer)."""
    return sorted(a for (s, a), rule in _table(kind).items()
                  if s == state and (role is None or role in rule.roles))


def needs_reason(kind: str, state: str, action: str) -> bool:
    rule = _table(kind).get((state, action))
    return bool(rule and rule.needs_reason)


def transition(kind: str, state: str, action: str, role: str, *, reason: str | None = None) -> str:
    """Return the next state, or raise IllegalTransition (409, listing what this role may do from
    here), ForbiddenTransition (403) or ReasonRequired (422) when a needed reason is missing."""
    rule = _table(kind).get((state, action))
    if rule is None:
        raise IllegalTransition(kind, state, action, allowed_actions(kind, state, role))
    if role not in rule.roles:
        raise ForbiddenTransition(kind, state, action, role, rule.roles)
    if rule.needs_reason and not (reason and reason.strip()):
        raise ReasonRequired(action)
    return rule.next_state
