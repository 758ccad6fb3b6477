"""State machines of the programme as explicit (state, action) -> next state tables with the roles
allowed to act: the AX project, an SME's place in a cohort and an SME's appeal of its selection result."""

from __future__ import annotations

from dataclasses import dataclass

from certification.errors import ForbiddenTransition, IllegalTransition, ReasonRequired

PROJECT = "project"
MEMBER = "cohort_member"
APPEAL = "selection_appeal"


@dataclass(frozen=True)
class Rule:
    next_state: str
    roles: frozenset[str]
    needs_reason: bool = False


def _r(nxt: str, *roles: str, reason: bool = False) -> Rule:
    return Rule(nxt, frozenset(roles), reason)


# The SME runs its project; an admin may act for it. Cancelling always needs a reason. A completed
# project is accepted by the programme officer (admin) once the post-consultant evaluated it
# (`programme/completion.py` checks the evaluation), or returned to work with the officer's reason.
PROJECT_TABLE: dict[tuple[str, str], Rule] = {
    ("planned", "contract"): _r("contracted", "sme", "admin"),
    ("planned", "cancel"): _r("cancelled", "sme", "admin", reason=True),
    ("contracted", "start"): _r("in_progress", "sme", "admin"),
    ("contracted", "cancel"): _r("cancelled", "sme", "admin", reason=True),
    ("in_progress", "complete"): _r("completed", "sme", "admin"),
    ("in_progress", "cancel"): _r("cancelled", "sme", "admin", reason=True),
    ("completed", "accept_completion"): _r("accepted", "admin"),
    ("completed", "return_completion"): _r("in_progress", "admin", reason=True),
}

# Selection is the ministry's decision (admin); dropping needs a reason.
MEMBER_TABLE: dict[tuple[str, str], Rule] = {
    ("candidate", "select"): _r("selected", "admin"),
    ("candidate", "drop"): _r("dropped", "admin", reason=True),
    ("selected", "graduate"): _r("graduated", "admin"),
    ("selected", "drop"): _r("dropped", "admin", reason=True),
}

# An SME appeals its selection result once per round; the programme officer (admin) decides, with reasons.
APPEAL_TABLE: dict[tuple[str, str], Rule] = {
    ("submitted", "uphold"): _r("upheld", "admin", reason=True),
    ("submitted", "dismiss"): _r("dismissed", "admin", reason=True),
}

TABLES = {PROJECT: PROJECT_TABLE, MEMBER: MEMBER_TABLE, APPEAL: APPEAL_TABLE}


def allowed_actions(kind: str, state: str, role: str) -> list[str]:
    return sorted(a for (s, a), rule in TABLES[kind].items() if s == state and role in rule.roles)


def transition(kind: str, state: str, action: str, role: str, *, reason: str | None = None) -> str:
    """The next state, or IllegalTransition (409), ForbiddenTransition (403), ReasonRequired (422)."""
    rule = TABLES[kind].get((state, action))
    if rule is None:
        raise IllegalTransition(kind, state, action, allowed_actions(kind, state, role))
    if role not in rule.roles:
        raise ForbiddenTransition(kind, state, action, role, rule.roles)
    if rule.needs_reason and not (reason and reason.strip()):
        raise ReasonRequired(action)
    return rule.next_state
