"""Tampering with the stored audit log in the database is caught by `axr audit verify` (the real
command, in a subprocess), which exits non-zero and names the event; an untouched log verifies.
Editing only the columns a row is found by (subject, action, time) is tampering too: it would move an
event out of a certificate's history."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import rfc8785
from sqlalchemy import delete, func, select, update

from certification.merkle import leaf_hash
from certification.models import AuditLogEntry
from core.db import writer
from tests.api.designation_builders import Desk
from tests.cli.runner import axr


@pytest.fixture
def log(client, mint, engine) -> int:
    """A real log written through the API: applications, a panel, reviews, approval, a suspension."""
    desk = Desk.open(client, mint, engine)
    desk.certificate("suspended")
    desk.application_in("supplement_requested")
    with engine.connect() as conn:
        size = conn.scalar(select(func.count()).select_from(AuditLogEntry))
    assert size >= 20
    return size  # type: ignore[no-any-return]


def _row(conn: Any, seq: int) -> Any:
    return conn.execute(select(AuditLogEntry.entry, AuditLogEntry.leaf_hash, AuditLogEntry.root_after)
                        .where(AuditLogEntry.seq == seq)).one()


def _edited_entry(conn: Any, seq: int) -> bytes:
    doc = json.loads(_row(conn, seq).entry)
    doc["actor"] = "someone-else"
    return rfc8785.dumps(doc)  # still canonical JSON: only the hash can tell


def edit_entry(conn: Any, n: int) -> tuple[int, str]:
    k = n // 2
    conn.execute(update(AuditLogEntry).where(AuditLogEntry.seq == k).values(entry=_edited_entry(conn, k)))
    return k, "edited"


def edit_entry_and_rehash(conn: Any, n: int) -> tuple[int, str]:
    k = n // 2
    entry = _edited_entry(conn, k)
    conn.execute(update(AuditLogEntry).where(AuditLogEntry.seq == k)
                 .values(entry=entry, leaf_hash=leaf_hash(entry)))
    return k, "edited"


def flip_a_byte(conn: Any, n: int) -> tuple[int, str]:
    k = n // 3
    entry = bytearray(_row(conn, k).entry)
    entry[-2] ^= 0x01  # the entry's last value ("v":1 -> "v":0): still canonical JSON, not what was hashed
    conn.execute(update(AuditLogEntry).where(AuditLogEntry.seq == k).values(entry=bytes(entry)))
    return k, "edited"


def delete_middle(conn: Any, n: int) -> tuple[int, str]:
    k = n // 2
    conn.execute(delete(AuditLogEntry).where(AuditLogEntry.seq == k))
    return k, "deleted"


def delete_last(conn: Any, n: int) -> tuple[int, str]:
    conn.execute(delete(AuditLogEntry).where(AuditLogEntry.seq == n - 1))
    return n - 1, "deleted"


def swap_two(conn: Any, n: int) -> tuple[int, str]:
    i, j = n // 3, 2 * n // 3
    a, b = _row(conn, i), _row(conn, j)
    for seq, row in ((i, b), (j, a)):
        conn.execute(update(AuditLogEntry).where(AuditLogEntry.seq == seq)
                     .values(entry=row.entry, leaf_hash=row.leaf_hash, root_after=row.root_after))
    return i, "reordered"


def _set_column(conn: Any, seq: int, **values: Any) -> None:
    conn.execute(update(AuditLogEntry).where(AuditLogEntry.seq == seq).values(**values))


def refile_subject_id(conn: Any, n: int) -> tuple[int, str]:
    """Only the query column changes: the event leaves its subject's history; its entry is untouched."""
    k = n // 2
    _set_column(conn, k, subject_id="somewhere-else")
    return k, "misfiled"


def refile_subject_type(conn: Any, n: int) -> tuple[int, str]:
    k = n // 3
    _set_column(conn, k, subject_type="review")
    return k, "misfiled"


def relabel_action(conn: Any, n: int) -> tuple[int, str]:
    k = 2 * n // 3
    _set_column(conn, k, action="import")
    return k, "misfiled"


def retime_event(conn: Any, n: int) -> tuple[int, str]:
    k = n - 2
    at = conn.scalar(select(AuditLogEntry.recorded_at).where(AuditLogEntry.seq == k))
    _set_column(conn, k, recorded_at=at + timedelta(days=1))
    return k, "misfiled"


TAMPERS: list[Callable[[Any, int], tuple[int, str]]] = [
    edit_entry, edit_entry_and_rehash, flip_a_byte, delete_middle, delete_last, swap_two,
    refile_subject_id, refile_subject_type, relabel_action, retime_event]


def test_an_untouched_log_verifies(settings, log) -> None:
    result = axr(settings, "audit", "verify")
    assert result.returncode == 0, result.stderr
    assert f"audit log OK: {log} events" in result.stdout


@pytest.mark.parametrize("tamper", TAMPERS, ids=lambda t: t.__name__)
def test_tampering_is_caught_and_the_event_named(settings, engine, log, tamper) -> None:
    with writer(engine).begin() as conn:
        seq, kind = tamper(conn, log)
    result = axr(settings, "audit", "verify")
    assert result.returncode == 1, result.stdout + result.stderr
    first = result.stderr.splitlines()[0] if result.stderr else ""
    assert re.search(rf"FAILED at event {seq} \({kind}\)", first), result.stderr
    from certification.audit import PROBLEM_KO, ProblemKind

    assert f"감사 로그 검증 실패: 이벤트 {seq}({PROBLEM_KO[ProblemKind(kind)]}): " in result.stderr  # no code in Korean
