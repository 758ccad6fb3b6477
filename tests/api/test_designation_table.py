"""Every (state, action, role) of the designation state machines, through HTTP: what is refused is
refused with the right status and changes nothing; what the table allows works and is audited."""

from __future__ import annotations

from typing import Any

import pytest

from certification import lifecycle
from certification.lifecycle import APPLICATION_TABLE, CERTIFICATE_TABLE, MachineKind
from core.accounts import ROLE_SCOPES
from tests.api.designation_builders import TRANSIENT_STATES, Desk, audit_actions, snapshot
from tests.conftest import bearer

APP, CERT = MachineKind.application, MachineKind.certificate
ROLES = ("supplier", "reviewer", "admin", "sme", "portal")

# action -> (path under the application, body, scope the route needs)
APP_ROUTES: dict[str, tuple[str, dict[str, Any] | None, str]] = {
    "submit": ("submit", None, "designation:apply"),
    "withdraw": ("withdraw", {"reason": "내부 사정으로 철회합니다"}, "designation:apply"),
    "resubmit": ("resubmit", {"answer": "측정 보고서를 첨부합니다."}, "designation:apply"),
    "assign_panel": ("panel", None, "admin"),  # body names the reviewer off the panel, see _body
    "request_supplement": ("supplement-request", {"message": "근거 보완 요청"}, "designation:review"),
    "approve": ("decision", {"decision": "approve", "reason": "기준 충족"}, "designation:review"),
    "reject": ("decision", {"decision": "reject", "reason": "실적 근거 부족"}, "designation:review"),
}
CERT_ROUTES = dict.fromkeys(("suspend", "reinstate", "revoke"), "designation:review")
# What the service runs by itself, in the same transaction, after a person's action lands here.
FOLLOW_UPS = {"submitted": ("start_screening", "screen_pass"), "resubmitted": ("resume_review",)}
AUDITED_AS = {"assign_panel": "assign_reviewer"}


def _token(desk: Desk, role: str, supplier_token: dict[str, str]) -> dict[str, str]:
    if role == "supplier":
        return supplier_token
    if role == "reviewer":
        return desk.reviewer
    if role == "admin":
        return desk.admin
    return bearer(desk.mint(role))


def _body(desk: Desk, action: str) -> dict[str, Any] | None:
    if action == "assign_panel":
        return {"reviewers": [desk.reviewers[3][0]]}
    return APP_ROUTES[action][1]


def expected_app(state: str, action: str, role: str) -> tuple[int, str | None]:
    """(status, problem type suffix) a caller of `role` should get; 200 when the table allows it."""
    if APP_ROUTES[action][2] not in ROLE_SCOPES[role]:
        return 403, "insufficient-scope"  # a role that may never take this action, checked first
    if role == "reviewer" and state == "draft":
        return 404, "not-found"  # no panel yet: a reviewer sees only applications they are seated on
    rule = APPLICATION_TABLE.get((state, action))
    if rule is None:
        return 409, "illegal-transition"
    if role not in rule.roles:
        return 403, "forbidden-transition"
    return 200, None


def expected_cert(state: str, action: str, role: str) -> tuple[int, str | None]:
    if CERT_ROUTES[action] not in ROLE_SCOPES[role]:
        return 403, "insufficient-scope"
    rule = CERTIFICATE_TABLE.get((state, action))
    if rule is None:
        return 409, "illegal-transition"
    if role not in rule.roles:
        return 403, "forbidden-transition"
    return 200, None


def _check_refusal(r: Any, status: int, kind: str | None, machine: str, state: str, role: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["type"].endswith("/" + kind), body
    if status == 409:
        assert body["state"] == state
        assert body["allowed_actions"] == lifecycle.allowed_actions(machine, state, role)


def test_the_table_has_a_route_for_every_action_a_person_takes() -> None:
    for kind, table, routes in ((APP, APPLICATION_TABLE, APP_ROUTES), (CERT, CERTIFICATE_TABLE, CERT_ROUTES)):
        for action in lifecycle.ACTIONS[kind]:
            roles = set().union(*(rule.roles for (_, a), rule in table.items() if a == action))
            if action in routes:
                assert "system" not in roles, action
                assert roles, f"{action} has a route but no state allows it"
            else:  # no route: only the service itself may take it, or a client would be offered it
                assert roles == {"system"}, f"{action} has no route but the table lets {roles - {'system'}}"
    for state in TRANSIENT_STATES:  # never at rest: only withdraw and system steps leave them
        people = {a for (s, a), rule in APPLICATION_TABLE.items() if s == state and rule.roles - {"system"}}
        assert people <= {"withdraw"}, state


def test_every_refused_application_action_is_refused_and_changes_nothing(client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    tried = 0
    for state in lifecycle.STATES[APP]:
        supplier, app_id = desk.application_in(state)
        assert snapshot(engine, application_id=app_id)["application_row"]["state"] == state
        for action, (path, _, _) in APP_ROUTES.items():
            for role in ROLES:
                status, kind = expected_app(state, action, role)
                if status == 200:
                    continue
                before = snapshot(engine, application_id=app_id)
                r = client.post(f"/v1/applications/{app_id}/{path}", json=_body(desk, action),
                                headers=_token(desk, role, supplier.token))
                _check_refusal(r, status, kind, APP, state, role)
                assert snapshot(engine, application_id=app_id) == before, (state, action, role)
                tried += 1
    assert tried > 250


def test_every_allowed_application_action_works_and_is_audited(client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    allowed = [(s, a, role) for (s, a), rule in APPLICATION_TABLE.items() if a in APP_ROUTES
               for role in ROLES if expected_app(s, a, role)[0] == 200]
    assert len(allowed) == 12
    for state, action, role in allowed:
        # A decision also needs the quorum of reviews (panel.py): give it two, above the pass mark.
        supplier, app_id = desk.reviewed() if action in ("approve", "reject") else desk.application_in(state)
        before = audit_actions(engine, app_id)
        counts = snapshot(engine)
        r = client.post(f"/v1/applications/{app_id}/{APP_ROUTES[action][0]}", json=_body(desk, action),
                        headers=_token(desk, role, supplier.token))
        assert r.status_code == 200, (state, action, role, r.text)
        nxt = APPLICATION_TABLE[(state, action)].next_state
        follow = FOLLOW_UPS.get(nxt, ())
        for step in follow:
            nxt = lifecycle.transition(APP, nxt, step, "system")
        after = snapshot(engine, application_id=app_id)
        assert after["application_row"]["state"] == nxt, (state, action, role)
        if action != "assign_panel":
            assert r.json()["state"] == nxt
        assert audit_actions(engine, app_id)[len(before):] == [AUDITED_AS.get(action, action), *follow]
        assert after["certificate"] == counts["certificate"] + (action == "approve")


def test_every_certificate_action_follows_the_table(client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    states = {s: desk.certificate(s) for s in lifecycle.STATES[CERT]}
    states["expired (job not run yet)"] = desk.certificate("expired", expire_job=False)
    tried = 0
    for label, (supplier, number) in states.items():
        state = label.split()[0]
        for action in CERT_ROUTES:
            for role in ROLES:
                status, kind = expected_cert(state, action, role)
                if status == 200:
                    continue
                before = snapshot(engine, certificate=number)
                r = client.post(f"/v1/certificates/{number}/{action}", json={"reason": "현장 점검"},
                                headers=_token(desk, role, supplier.token))
                _check_refusal(r, status, kind, CERT, state, role)
                assert snapshot(engine, certificate=number) == before, (label, action, role)
                tried += 1
    assert tried == 5 * 3 * 5 - 8

    allowed = [(s, a, role) for (s, a) in CERTIFICATE_TABLE if a in CERT_ROUTES
               for role in ROLES if expected_cert(s, a, role)[0] == 200]
    assert len(allowed) == 8
    for state, action, role in allowed:
        supplier, number = desk.certificate(state)
        counts = snapshot(engine)
        r = client.post(f"/v1/certificates/{number}/{action}", json={"reason": "현장 점검"},
                        headers=_token(desk, role, supplier.token))
        assert r.status_code == 200, (state, action, role, r.text)
        nxt = CERTIFICATE_TABLE[(state, action)].next_state
        assert r.json()["status"] == nxt
        assert client.get(f"/v1/public/certificates/{number}").json()["status"] == nxt
        after = snapshot(engine, certificate=number)
        assert after["certificate_row"]["status"] == nxt
        assert after["audit_log"] == counts["audit_log"] + 1
        assert audit_actions(engine, number)[-1] == action


@pytest.mark.parametrize("role", ["sme", "portal"])
def test_a_role_outside_designation_cannot_learn_an_application_exists(client, mint, engine, role) -> None:
    desk = Desk.open(client, mint, engine, n_reviewers=0)
    supplier, app_id = desk.draft()
    token = bearer(mint(role))
    for path in ("submit", "withdraw", "decision"):
        real = client.post(f"/v1/applications/{app_id}/{path}", json={}, headers=token)
        made_up = client.post(f"/v1/applications/{'0' * 32}/{path}", json={}, headers=token)
        assert real.status_code == made_up.status_code == 403
        assert real.json()["type"] == made_up.json()["type"]
