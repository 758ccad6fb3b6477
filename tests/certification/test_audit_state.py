"""Replaying audit entries through the lifecycle tables: where a subject's events lead, and what a row
that disagrees, an illegal move, or an event without a subject is reported as."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from certification.audit_state import compare, replay

FROM = "2026-03-02T09:00:00+00:00"
UNTIL = "2029-03-02T09:00:00+00:00"


def cert_event(number: str, action: str, before: str | None, after: str, until: str = UNTIL) -> dict[str, Any]:
    return {"subject": {"type": "certificate", "id": number}, "action": action, "from": before, "to": after,
            "payload": {"company_id": "c-1", "valid_from": FROM, "valid_until": until}}


def row(state: str, until: str = UNTIL, last: int = 3) -> dict[str, Any]:
    return {"state": state, "company_id": "c-1", "valid_from": datetime.fromisoformat(FROM),
            "valid_until": datetime.fromisoformat(until).astimezone(UTC), "last_event_seq": last}


HISTORY = [cert_event("N1", "issue", None, "active"), cert_event("N1", "suspend", "active", "suspended"),
           cert_event("N1", "reinstate", "suspended", "active"),
           cert_event("N1", "renew", "active", "active", until="2032-03-02T09:00:00+00:00")]


def test_a_history_replays_to_its_row() -> None:
    replayed = replay(enumerate(HISTORY))
    r = replayed[("certificate", "N1")]
    assert (r.state, r.last_seq, r.fields["valid_until"]) == ("active", 3, "2032-03-02T09:00:00+00:00")
    assert compare("certificate", {"N1": row("active", "2032-03-02T09:00:00+00:00")}, replayed) == []


def test_each_disagreement_is_named() -> None:
    replayed = replay(enumerate(HISTORY))
    [p] = compare("certificate", {"N1": row("revoked", UNTIL, last=2)}, replayed)
    assert p.subject_id == "N1"
    assert p.seq == 3
    assert "state 'revoked', events say 'active'" in p.detail_en
    assert "valid_until" in p.detail_en
    assert "last_event_seq 2, latest event is 3" in p.detail_en


def test_moves_the_lifecycle_does_not_allow_stop_the_replay() -> None:
    illegal = [cert_event("N2", "issue", None, "active"), cert_event("N2", "revoke", "active", "revoked"),
               cert_event("N2", "reinstate", "revoked", "active")]
    [p] = compare("certificate", {"N2": row("active", last=2)}, replay(enumerate(illegal)))
    assert "'reinstate'" in p.detail_en
    assert "not a move of the certificate lifecycle from 'revoked'" in p.detail_en

    orphan = [cert_event("N3", "suspend", "active", "suspended")]
    [p] = compare("certificate", {}, replay(enumerate(orphan)))
    assert p.detail_en == ("certificate N3 is in the audit log but has no row "
                           "(event 0: 'suspend' before the certificate was created)")
    assert p.seq is None


def test_rows_without_events_and_events_without_rows() -> None:
    problems = compare("certificate", {"N4": row("active")}, replay(enumerate(HISTORY)))
    assert sorted(p.detail_en for p in problems) == [
        "certificate N1 is in the audit log but has no row", "certificate N4 has no audit events"]


def test_panel_notes_do_not_move_an_application() -> None:
    def app_event(action: str, before: str | None, after: str) -> dict[str, Any]:
        return {"subject": {"type": "application", "id": "A1"}, "action": action, "from": before, "to": after,
                "payload": {"company_id": "c-1", "kind": "initial"}}

    events = [app_event("create", None, "draft"), app_event("submit", "draft", "submitted"),
              app_event("start_screening", "submitted", "screening"),
              app_event("screen_pass", "screening", "under_review"),
              app_event("assign_reviewer", "under_review", "under_review"),
              app_event("approve", "under_review", "approved")]
    app_row = {"state": "approved", "company_id": "c-1", "kind": "initial"}
    assert compare("application", {"A1": app_row}, replay(enumerate(events))) == []
    [p] = compare("application", {"A1": {**app_row, "state": "rejected"}}, replay(enumerate(events)))
    assert "events say 'approved'" in p.detail_en
