"""The state a subject's audit events replay to, through the lifecycle tables, and the comparison of a
stored row (certificate, application) with it: a state column is only a copy of what the log says.

Pure functions over decoded entries; `audit_log` feeds them the whole log for `axr audit verify`, and
`designations.attested` feeds them one certificate's latest event on every public verification.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from certification import lifecycle
from certification.audit import entry_columns
from certification.merkle import leaf_hash
from core.errors import PROBLEM_BASE, AppError
from core.i18n import FIELD_KO
from core.korean import datetime_ko, josa

# Subjects whose rows hold a state the log must support; each starts with one of its opening actions.
MACHINES = {"certificate": lifecycle.MachineKind.certificate, "application": lifecycle.MachineKind.application}
OPENINGS = {"certificate": frozenset({"issue", "import"}), "application": frozenset({"create"})}
# Events recorded on a subject that do not move it (the panel's work on an application).
NOTES = {"certificate": frozenset({"appeal_dismissed", "change_scope"}),
         "application": frozenset({"assign_reviewer", "declare", "review", "attach_document", "appeal_dismissed",
                                   "confirm_business_status"})}
# Row fields that every event of the subject carries in its payload.
PAYLOAD_FIELDS = {"certificate": ("company_id", "valid_from", "valid_until", "scope"),  # scope: from 0015 on
                  "application": ("company_id", "kind", "facts_digest")}  # facts: from screening on
TIMES = frozenset({"valid_from", "valid_until"})
SUBJECT_KO = {"certificate": "지정서", "application": "신청"}  # subjects as a Korean sentence names them


class IntegrityCheckFailed(AppError):
    """A stored state that its audit events do not support: the registry will not vouch for it."""

    status = 503
    type = PROBLEM_BASE + "integrity-check-failed"
    title_ko = "무결성 검증에 실패했습니다"
    title_en = "Integrity check failed"

    def __init__(self, subject: str, cause_ko: str = "저장된 상태가 감사 로그와 일치하지 않아",
                 cause_en: str = "its stored state does not agree with its audit log") -> None:
        super().__init__(f"{subject}: {cause_ko} 확인해 드릴 수 없습니다. 등록부 운영 기관에 문의하세요.",
                         f"{subject}: {cause_en}, so it cannot be confirmed. Please contact the registry operator.",
                         subject=subject)

    @classmethod
    def event(cls, subject: str, seq: int) -> IntegrityCheckFailed:
        return cls(subject, f"감사 이벤트 {josa(seq, '이')} 기록된 내용과 달라",
                   f"audit event {seq} differs from its recorded entry")

    @classmethod
    def tree(cls, subject: str, size: int) -> IntegrityCheckFailed:
        return cls(subject, f"감사 로그가 크기 {size}의 서명된 트리 헤드와 일치하지 않아",
                   f"the audit log no longer matches its signed tree head at size {size}")


@dataclass
class Replayed:
    """Where a subject's events lead: its state, the fields they carry, the last event's seq."""

    subject_type: str
    subject_id: str
    state: str | None = None
    last_seq: int = -1
    fields: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # the first event the lifecycle does not allow (replay stops there)


@dataclass(frozen=True)
class StateProblem:
    subject_type: str
    subject_id: str
    seq: int | None  # the event concerned (the latest one for a row that disagrees), when there is one
    detail_en: str
    detail_ko: str


def _step(r: Replayed, seq: int, doc: Mapping[str, Any]) -> None:
    kind, action = r.subject_type, doc.get("action")
    before, after = doc.get("from"), doc.get("to")
    if action in OPENINGS[kind]:
        if r.state is not None:
            r.error = f"event {seq}: '{action}' on a {kind} that already exists"
            return
        if after not in lifecycle.STATES[MACHINES[kind]]:
            r.error = f"event {seq}: '{action}' to unknown state {after!r}"
            return
    elif r.state is None:
        r.error = f"event {seq}: '{action}' before the {kind} was created"
        return
    elif action in NOTES[kind]:
        if before != r.state or after != r.state:
            r.error = f"event {seq}: '{action}' records {before!r} -> {after!r} while the state is {r.state!r}"
            return
    else:
        rule = lifecycle.TABLES[MACHINES[kind]].get((r.state, str(action)))
        if rule is None or before != r.state or after != rule.next_state:
            r.error = (f"event {seq}: '{action}' {before!r} -> {after!r} is not a move of the {kind} "
                       f"lifecycle from {r.state!r}")
            return
    r.state, r.last_seq = after, seq
    payload = doc.get("payload") or {}
    r.fields.update({k: payload[k] for k in PAYLOAD_FIELDS[kind] if k in payload})


def replay(events: Iterable[tuple[int, Mapping[str, Any]]]) -> dict[tuple[str, str], Replayed]:
    """Replay decoded entries (in log order) of every subject that has a lifecycle."""
    out: dict[tuple[str, str], Replayed] = {}
    for seq, doc in events:
        subject = doc.get("subject") or {}
        kind, sid = subject.get("type"), subject.get("id")
        if kind not in MACHINES or not isinstance(sid, str):
            continue
        r = out.setdefault((kind, sid), Replayed(kind, sid))
        if r.error is None:
            _step(r, seq, doc)
    return out


def _same(name: str, stored: Any, recorded: Any) -> bool:
    if name in TIMES and isinstance(stored, datetime):
        try:
            return isinstance(recorded, str) and datetime.fromisoformat(recorded) == stored
        except ValueError:
            return False
    return bool(stored == recorded)


def disagreements(kind: str, row: Mapping[str, Any], replayed: Replayed) -> list[str]:
    """The row fields that differ from the replayed subject, as 'field: stored ... , log ...' lines.

    `row` holds `state` (a certificate's status), the payload fields and, for certificates, `last_event_seq`.
    """
    out = []
    if row.get("state") != replayed.state:
        out.append(f"state {row.get('state')!r}, events say {replayed.state!r}")
    for name in PAYLOAD_FIELDS[kind]:
        if name in replayed.fields and not _same(name, row.get(name), replayed.fields[name]):
            out.append(f"{name} {_show(row.get(name))!r}, events say {replayed.fields[name]!r}")
    if "last_event_seq" in row and row["last_event_seq"] != replayed.last_seq:
        out.append(f"last_event_seq {row['last_event_seq']!r}, latest event is {replayed.last_seq}")
    return out


def disagreements_ko(kind: str, row: Mapping[str, Any], replayed: Replayed) -> list[str]:
    """`disagreements` as a Korean sentence words them: states by their Korean names, times in KST."""
    from certification.errors import STATE_KO

    out = []
    if row.get("state") != replayed.state:
        stored_ko = STATE_KO.get(str(row.get("state")), "알 수 없는 값")
        out.append(f"상태가 {josa(stored_ko, '로')} 저장되어 있으나 "
                   f"감사 로그로는 {STATE_KO.get(str(replayed.state), '알 수 없는 값')}입니다")
    for name in PAYLOAD_FIELDS[kind]:
        if name in replayed.fields and not _same(name, row.get(name), replayed.fields[name]):
            stored, logged = row.get(name), replayed.fields[name]
            if name in TIMES:
                stored, logged = _time_ko(stored), _time_ko(logged)
            label = "지정 분야" if name == "scope" else FIELD_KO.get(name, "기록된 값")  # not a token's scope
            out.append(f"{label}: 저장된 값 '{stored}', 감사 로그 '{logged}'")
    if "last_event_seq" in row and row["last_event_seq"] != replayed.last_seq:
        out.append(f"마지막 이벤트 번호가 {row['last_event_seq']}번으로 저장되어 있으나 최근 이벤트는 "
                   f"{replayed.last_seq}번입니다")
    return out


def _time_ko(value: Any) -> Any:
    try:
        return datetime_ko(value) if isinstance(value, datetime | str) else value
    except ValueError:
        return value


def _show(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def compare(kind: str, rows: Mapping[str, Mapping[str, Any]],
            replayed: Mapping[tuple[str, str], Replayed]) -> list[StateProblem]:
    """Every row of `kind` (by subject id) against its replayed events, and events without a row."""
    problems = []
    for sid, row in rows.items():
        r = replayed.get((kind, sid))
        if r is None:
            problems.append(StateProblem(kind, sid, None, f"{kind} {sid} has no audit events",
                                         f"{SUBJECT_KO[kind]} {sid}의 감사 이벤트가 없습니다"))
            continue
        if r.error is not None:
            problems.append(StateProblem(kind, sid, r.last_seq if r.last_seq >= 0 else None,
                                         f"{kind} {sid}: {r.error}",
                                         f"{SUBJECT_KO[kind]} {sid}: 수명주기에 맞지 않는 이벤트가 있습니다"))
            continue
        wrong = disagreements(kind, row, r)
        if wrong:
            problems.append(StateProblem(kind, sid, r.last_seq,
                                         f"{kind} {sid} disagrees with its audit log: " + "; ".join(wrong),
                                         f"{SUBJECT_KO[kind]} {sid}의 저장된 값이 감사 로그와 다릅니다: "
                                         + "; ".join(disagreements_ko(kind, row, r))))
    for (k, sid), r in replayed.items():
        if k == kind and sid not in rows:
            also = f" ({r.error})" if r.error else ""
            problems.append(StateProblem(kind, sid, r.last_seq if r.last_seq >= 0 else None,
                                         f"{kind} {sid} is in the audit log but has no row{also}",
                                         f"{SUBJECT_KO[kind]} {josa(sid, '이')} 감사 로그에는 있으나 "
                                         "저장된 행이 없습니다" + (" (수명주기에 맞지 않는 이벤트도 있습니다)"
                                                                  if r.error else "")))
    return problems


def check_latest(kind: str, subject_id: str, row: Mapping[str, Any], *, seq: int, entry: bytes,
                 stored_hash: bytes, columns: Mapping[str, str], doc: Mapping[str, Any]) -> list[str]:
    """The request-time check of one row against its latest event: the entry is the one hashed into
    the log, filed under this subject, and leads to the row's state and fields. Empty when they agree.

    This does not replay the whole history (that is `axr audit verify`'s job): it trusts that the
    earlier events are what verification last found, and catches a state column edited since."""
    if leaf_hash(entry) != stored_hash:
        return [f"event {seq} does not match its leaf hash"]
    expected = entry_columns(doc)
    wrong = [k for k in expected if k in columns and columns[k] != expected[k]]
    if wrong or expected["subject_type"] != kind or expected["subject_id"] != subject_id:
        return [f"event {seq} is filed under {columns} but records {expected}"]
    replayed = Replayed(kind, subject_id, state=doc.get("to"), last_seq=seq,
                        fields={k: v for k, v in (doc.get("payload") or {}).items() if k in PAYLOAD_FIELDS[kind]})
    return disagreements(kind, row, replayed)
