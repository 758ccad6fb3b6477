"""Application and certificate state machines: every (state, action, role) is enumerated."""

from __future__ import annotations

import itertools

import pytest

from certification import lifecycle as lc
from certification.errors import ForbiddenTransition, IllegalTransition, ReasonRequired

APP, CERT = lc.MachineKind.application, lc.MachineKind.certificate
ROLES = [r.value for r in lc.Role]


def every(kind: str):
    return itertools.product(lc.STATES[kind], lc.ACTIONS[kind], ROLES)


@pytest.mark.parametrize("kind", [APP, CERT])
def test_every_state_action_role_either_moves_or_raises_the_right_error(kind: str) -> None:
    table = lc.TABLES[kind]
    for state, action, role in every(kind):
        rule = table.get((state, action))
        if rule is None:
            with pytest.raises(IllegalTransition) as exc:
                lc.transition(kind, state, action, role, reason="r")
            assert exc.value.status == 409
            assert exc.value.allowed_actions == lc.allowed_actions(kind, state, role)
            assert exc.value.extra["allowed_actions"] == exc.value.allowed_actions
        elif role not in rule.roles:
            with pytest.raises(ForbiddenTransition) as fexc:
                lc.transition(kind, state, action, role, reason="r")
            assert fexc.value.status == 403
            assert role not in fexc.value.allowed_roles
        else:
            assert lc.transition(kind, state, action, role, reason="r") == rule.next_state
            assert rule.next_state in lc.STATES[kind]


def test_happy_path_with_a_supplement_round() -> None:
    steps = [("submit", "supplier"), ("start_screening", "system"), ("screen_pass", "system"),
             ("assign_panel", "admin"), ("request_supplement", "reviewer"), ("resubmit", "supplier"),
             ("resume_review", "system"), ("approve", "reviewer")]
    state = "draft"
    seen = [state]
    for action, role in steps:
        reason = "보완 요청" if action == "request_supplement" else None
        state = lc.transition(APP, state, action, role, reason=reason)
        seen.append(state)
    assert seen == ["draft", "submitted", "screening", "under_review", "under_review", "supplement_requested",
                    "resubmitted", "under_review", "approved"]


def test_definite_fail_stops_at_screening_with_a_reason() -> None:
    with pytest.raises(ReasonRequired):
        lc.transition(APP, "screening", "screen_fail", "system")
    assert lc.transition(APP, "screening", "screen_fail", "system", reason="E2 미달") == "rejected"


def test_supplier_can_withdraw_before_a_decision_but_not_after() -> None:
    for state in ("draft", "submitted", "screening", "under_review", "supplement_requested", "resubmitted"):
        assert lc.transition(APP, state, "withdraw", "supplier") == "withdrawn"
    for state in ("approved", "rejected", "withdrawn"):
        with pytest.raises(IllegalTransition):
            lc.transition(APP, state, "withdraw", "supplier")


def test_illegal_move_lists_what_the_caller_may_do() -> None:
    with pytest.raises(IllegalTransition) as exc:
        lc.transition(APP, "under_review", "submit", "reviewer")
    assert exc.value.allowed_actions == ["approve", "reject", "request_supplement"]
    assert "approve" in exc.value.detail_en


def test_admin_assigns_panels_but_does_not_decide() -> None:
    assert lc.transition(APP, "under_review", "assign_panel", "admin") == "under_review"
    with pytest.raises(ForbiddenTransition):
        lc.transition(APP, "under_review", "approve", "admin")
    with pytest.raises(ForbiddenTransition):
        lc.transition(APP, "under_review", "approve", "supplier")


def test_terminal_states() -> None:
    # a rejection and a revocation end the matter unless an appeal is upheld (certification/appeals.py)
    assert lc.TERMINAL[APP] == {"approved", "withdrawn"}
    assert lc.TERMINAL[CERT] == {"expired"}
    assert lc.allowed_actions(APP, "rejected", "supplier") == []
    assert lc.allowed_actions(CERT, "revoked", "admin") == []


def test_certificate_suspend_reinstate_revoke_need_reasons_where_it_matters() -> None:
    with pytest.raises(ReasonRequired):
        lc.transition(CERT, "active", "suspend", "reviewer")
    with pytest.raises(ReasonRequired):
        lc.transition(CERT, "active", "suspend", "admin", reason="   ")
    assert lc.transition(CERT, "active", "suspend", "admin", reason="허위 실적 조사") == "suspended"
    assert lc.transition(CERT, "suspended", "reinstate", "reviewer") == "active"
    with pytest.raises(ReasonRequired):
        lc.transition(CERT, "suspended", "revoke", "admin")
    assert lc.transition(CERT, "suspended", "revoke", "admin", reason="취소 사유") == "revoked"
    with pytest.raises(ForbiddenTransition):
        lc.transition(CERT, "active", "suspend", "supplier", reason="x")
    with pytest.raises(IllegalTransition):
        lc.transition(CERT, "revoked", "reinstate", "admin")


def test_unknown_machine_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown state machine"):
        lc.transition("designation", "active", "suspend", "admin")
