"""A certificate's (or application's) state column is only a copy of what its audit events say. Editing
it in the database is caught by `axr audit verify` (the real command), which replays every subject's
events through the lifecycle and names the row; and the public verification refuses to sign a state
its latest event does not support (503 problem, never a signed 'active')."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import rfc8785
from sqlalchemy import func, select, update

from certification.audit import AuditEvent, LogHead, append_event
from certification.merkle import leaf_hash
from certification.models import Application, AuditHead, AuditLogEntry, Certificate
from core import clock
from core.db import writer
from tests.api.designation_builders import Desk
from tests.cli.runner import axr


@dataclass
class World:
    active: str
    suspended: str
    revoked: str
    application: str  # waiting for a supplement
    size: int


@pytest.fixture
def world(client, mint, engine) -> World:
    desk = Desk.open(client, mint, engine)
    numbers = {s: desk.certificate(s)[1] for s in ("active", "suspended", "revoked")}
    _, app_id = desk.application_in("supplement_requested")
    with engine.connect() as conn:
        size = conn.scalar(select(func.count()).select_from(AuditLogEntry))
    return World(**numbers, application=app_id, size=size)


def _events(conn: Any, number: str) -> list[Any]:
    return list(conn.execute(select(AuditLogEntry).where(AuditLogEntry.subject_id == number)
                             .order_by(AuditLogEntry.seq)))


def _cert(conn: Any, number: str) -> Any:
    return conn.execute(select(Certificate).where(Certificate.number == number)).one()


def _set_cert(conn: Any, number: str, **values: Any) -> None:
    conn.execute(update(Certificate).where(Certificate.number == number).values(**values))


def assert_refused(client: Any, number: str) -> None:
    """What a verifier sees: a problem, in Korean and English, and no signed statement anywhere."""
    r = client.get(f"/v1/public/certificates/{number}")
    assert r.status_code == 503, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["type"].endswith("/integrity-check-failed")
    assert body["title"] == "무결성 검증에 실패했습니다"
    assert "statement" not in body
    assert "active" not in r.text
    en = client.get(f"/v1/public/certificates/{number}", headers={"Accept-Language": "en"}).json()
    assert en["title"] == "Integrity check failed"
    assert number in en["detail"]
    assert client.get(f"/pages/certificates/{number}/statement.jws").status_code == 503
    assert client.get(f"/v1/public/certificates/{number}/history").status_code == 503


def test_an_untouched_registry_verifies_and_is_vouched_for(settings, client, world) -> None:
    result = axr(settings, "audit", "verify")
    assert result.returncode == 0, result.stderr
    assert "states of certificates and applications agree" in result.stdout
    for number, status in ((world.active, "active"), (world.suspended, "suspended"), (world.revoked, "revoked")):
        r = client.get(f"/v1/public/certificates/{number}")
        assert r.status_code == 200, r.text
        assert r.json()["status"] == status
        assert r.json()["statement"]


# ---- a state column edited: (subject named in the verify output, what it says, certificate to verify) --
def reactivate_revoked(conn: Any, w: World) -> tuple[str, str, str | None]:
    _set_cert(conn, w.revoked, status="active", revoked_at=None)
    return f"certificate {w.revoked}", "state 'active', events say 'revoked'", w.revoked


def reactivate_revoked_and_repoint(conn: Any, w: World) -> tuple[str, str, str | None]:
    """The row also names the issue event (which did say 'active') as its latest."""
    issue = _events(conn, w.revoked)[0]
    _set_cert(conn, w.revoked, status="active", revoked_at=None, last_event_seq=issue.seq)
    return f"certificate {w.revoked}", "events say 'revoked'", w.revoked


def lift_suspension(conn: Any, w: World) -> tuple[str, str, str | None]:
    _set_cert(conn, w.suspended, status="active")
    return f"certificate {w.suspended}", "events say 'suspended'", w.suspended


def extend_validity(conn: Any, w: World) -> tuple[str, str, str | None]:
    cert = _cert(conn, w.active)
    _set_cert(conn, w.active, valid_until=cert.valid_until + timedelta(days=5 * 365))
    return f"certificate {w.active}", "valid_until", w.active


def give_to_another_company(conn: Any, w: World) -> tuple[str, str, str | None]:
    """The active number shown under another company's name (the revoked one's: it holds no live one)."""
    _set_cert(conn, w.active, company_id=_cert(conn, w.revoked).company_id)
    return f"certificate {w.active}", "company_id", w.active


def approve_application(conn: Any, w: World) -> tuple[str, str, str | None]:
    conn.execute(update(Application).where(Application.id == w.application).values(state="approved"))
    return f"application {w.application}", "events say 'supplement_requested'", None


STATE_TAMPERS: list[Callable[[Any, World], tuple[str, str, str | None]]] = [
    reactivate_revoked, reactivate_revoked_and_repoint, lift_suspension, extend_validity,
    give_to_another_company, approve_application]


@pytest.mark.parametrize("tamper", STATE_TAMPERS, ids=lambda t: t.__name__)
def test_a_state_column_edit_is_named_and_not_signed(settings, engine, client, world, tamper) -> None:
    with writer(engine).begin() as conn:
        subject, says, number = tamper(conn, world)
    result = axr(settings, "audit", "verify")
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(rf"state check FAILED for {re.escape(subject)}", result.stderr), result.stderr
    assert says in result.stderr
    assert "상태 검증 실패" in result.stderr
    if number is not None:
        assert_refused(client, number)


# ---- the certificate's latest event itself tampered with ---------------------------------------------
def _edited(entry: bytes, **changes: Any) -> bytes:
    return rfc8785.dumps({**json.loads(entry), **changes})


def edit_latest_event(conn: Any, w: World) -> None:
    """The suspension rewritten as a reinstatement, hash left alone."""
    last = _events(conn, w.suspended)[-1]
    entry = _edited(last.entry, action="reinstate", to="active")
    conn.execute(update(AuditLogEntry).where(AuditLogEntry.seq == last.seq).values(entry=entry))
    _set_cert(conn, w.suspended, status="active")


def edit_latest_event_and_rehash(conn: Any, w: World) -> None:
    last = _events(conn, w.suspended)[-1]
    entry = _edited(last.entry, action="reinstate", to="active")
    conn.execute(update(AuditLogEntry).where(AuditLogEntry.seq == last.seq)
                 .values(entry=entry, leaf_hash=leaf_hash(entry), action="reinstate"))
    _set_cert(conn, w.suspended, status="active")


def move_latest_event_away(conn: Any, w: World) -> None:
    """Only the query column: the suspension is filed elsewhere, so the issue event looks latest."""
    last = _events(conn, w.suspended)[-1]
    conn.execute(update(AuditLogEntry).where(AuditLogEntry.seq == last.seq).values(subject_id="elsewhere"))


@pytest.mark.parametrize("tamper", [edit_latest_event, edit_latest_event_and_rehash, move_latest_event_away],
                         ids=lambda t: t.__name__)
def test_a_tampered_latest_event_is_not_signed(settings, engine, client, world, tamper) -> None:
    assert client.get(f"/v1/public/certificates/{world.suspended}").status_code == 200
    with writer(engine).begin() as conn:
        tamper(conn, world)
    assert_refused(client, world.suspended)
    assert axr(settings, "audit", "verify").returncode == 1


def test_an_event_chained_without_the_key_is_named_and_not_signed(settings, engine, client, world) -> None:
    """Anyone with database access can chain a correct-looking 'reinstate' onto the log and update the row;
    only the registry's key can sign a tree head over it."""
    with writer(engine).begin() as conn:
        head_row = conn.execute(select(AuditHead)).one()
        head = LogHead(head_row.size, head_row.root, tuple(bytes.fromhex(h) for h in head_row.frontier))
        suspension = json.loads(_events(conn, world.suspended)[-1].entry)
        event = AuditEvent(occurred_at=clock.now(), actor="reviewer-x", role="reviewer", subject_type="certificate",
                           subject_id=world.suspended, action="reinstate", from_state="suspended",
                           to_state="active", payload=suspension["payload"])
        stored, new_head = append_event(head, event)
        conn.execute(AuditLogEntry.__table__.insert().values(
            seq=stored.seq, entry=stored.entry, leaf_hash=stored.leaf_hash, root_after=stored.root_after,
            subject_type="certificate", subject_id=world.suspended, action="reinstate",
            recorded_at=event.occurred_at))
        conn.execute(update(AuditHead).values(size=new_head.size, root=new_head.root,
                                              frontier=[h.hex() for h in new_head.frontier]))
        _set_cert(conn, world.suspended, status="active", last_event_seq=stored.seq)
    result = axr(settings, "audit", "verify")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"FAILED at event {world.size} (unsigned)" in result.stderr.splitlines()[0]
    assert_refused(client, world.suspended)
