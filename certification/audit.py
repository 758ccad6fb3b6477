"""Audit events as RFC 8785 canonical entries in an RFC 9162 Merkle log, signed tree heads, and the
pure check behind `axr audit verify` that names the first edited, deleted, reordered or misfiled event.

Each entry embeds its own `seq` and `prev_root` (the tree head before it), so swapping, deleting or
renumbering rows breaks either a leaf hash, the sequence, or the chain; rewriting the whole tail
consistently is caught only by a signed tree head published earlier, so publish one often. The
columns a row is found by (subject, action, time) are copies of the entry and are checked against it,
so an event cannot be moved out of a subject's history by editing them.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import rfc8785

from certification.merkle import EMPTY_ROOT, CompactRange, leaf_hash
from core.korean import josa

ENTRY_VERSION = 1
LOG_ID = "axr-audit"


@dataclass(frozen=True)
class AuditEvent:
    """What happened; `seq` and `prev_root` are added when it is appended to the log."""

    occurred_at: datetime
    actor: str
    role: str
    subject_type: str  # "application", "certificate", "review", ...
    subject_id: str
    action: str
    from_state: str | None = None
    to_state: str | None = None
    reason: str | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredEvent:
    """One audit row as stored: its sequence number, canonical bytes, leaf hash and the root after it."""

    seq: int
    entry: bytes
    leaf_hash: bytes
    root_after: bytes | None = None
    # the row's query columns as stored (see `entry_columns`); None: not checked
    columns: Mapping[str, str] | None = None


@dataclass(frozen=True)
class LogHead:
    """The writer's state: size, root and the compact-range frontier needed to append the next leaf."""

    size: int = 0
    root: bytes = EMPTY_ROOT
    frontier: tuple[bytes, ...] = ()


def _timestamp(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return at.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def canonical_entry(event: AuditEvent, *, seq: int, prev_root: bytes) -> bytes:
    """The RFC 8785 bytes that become the Merkle leaf (integers must stay within +-2^53)."""
    doc: dict[str, Any] = {
        "v": ENTRY_VERSION,
        "seq": seq,
        "at": _timestamp(event.occurred_at),
        "actor": event.actor,
        "role": event.role,
        "subject": {"type": event.subject_type, "id": event.subject_id},
        "action": event.action,
        "from": event.from_state,
        "to": event.to_state,
        "reason": event.reason,
        "payload": dict(event.payload),
        "prev_root": prev_root.hex(),
    }
    try:
        return rfc8785.dumps(doc)
    except rfc8785.CanonicalizationError as exc:
        raise ValueError(f"audit payload cannot be canonicalised: {exc}") from exc


def decode_entry(entry: bytes) -> dict[str, Any]:
    """Parse a stored entry; ValueError unless it is exactly its own RFC 8785 form."""
    doc = json.loads(entry)
    if not isinstance(doc, dict) or rfc8785.dumps(doc) != entry:
        raise ValueError("entry is not canonical JSON")
    return doc


def entry_columns(doc: Mapping[str, Any]) -> dict[str, str]:
    """What the query columns of an entry's row must hold: its subject, action and time, as text."""
    subject = doc.get("subject") or {}
    return {"subject_type": str(subject.get("type")), "subject_id": str(subject.get("id")),
            "action": str(doc.get("action")), "recorded_at": str(doc.get("at"))}


def column_text(at: datetime) -> str:
    """A stored timestamp column in the entry's own notation, to compare with `entry_columns`."""
    return _timestamp(at)


def append_event(head: LogHead, event: AuditEvent) -> tuple[StoredEvent, LogHead]:
    """Build the next row and the new head; the service stores both in the same transaction,
    with the head row locked so sequence numbers never interleave."""
    entry = canonical_entry(event, seq=head.size, prev_root=head.root)
    h = leaf_hash(entry)
    cr = CompactRange(head.size, head.frontier)
    cr.append(h)
    root = cr.root()
    return StoredEvent(head.size, entry, h, root), LogHead(cr.size, root, tuple(cr.hashes))


# Signed tree heads ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class TreeHead:
    tree_size: int
    root_hash: bytes
    timestamp: datetime


@dataclass(frozen=True)
class SignedTreeHead:
    tree_size: int
    root_hash: bytes
    timestamp: datetime
    signature: str


def tree_head_payload(head: TreeHead | SignedTreeHead, log_id: str = LOG_ID) -> bytes:
    """The canonical bytes that are signed; a verifier rebuilds them from the published fields."""
    return rfc8785.dumps({
        "v": ENTRY_VERSION,
        "log": log_id,
        "tree_size": head.tree_size,
        "root_hash": base64.b64encode(head.root_hash).decode(),
        "timestamp": _timestamp(head.timestamp),
    })


def sign_tree_head(head: TreeHead, sign: Callable[[bytes], str], log_id: str = LOG_ID) -> SignedTreeHead:
    """`sign` receives the payload bytes and returns e.g. a JWS; the key never enters this module."""
    signature = sign(tree_head_payload(head, log_id))
    return SignedTreeHead(head.tree_size, head.root_hash, head.timestamp, signature)


# Verification --------------------------------------------------------------------------------------

class ProblemKind(StrEnum):
    edited = "edited"  # an entry, its hash, its seq column or its stored root changed
    deleted = "deleted"  # a gap in the sequence, or fewer events than a signed head covers
    reordered = "reordered"  # an event stored at another event's position, or twice
    rewritten = "rewritten"  # internally consistent, but not the log a signed head committed to
    misfiled = "misfiled"  # a query column (subject, action, time) disagrees with the hashed entry
    unsigned = "unsigned"  # events after the last signed tree head: appended without the signing key
    bad_signature = "bad_signature"  # a signed tree head whose signature does not verify


# the kinds as a Korean sentence names them (axr audit verify's Korean line)
PROBLEM_KO = {ProblemKind.edited: "내용 변경", ProblemKind.deleted: "삭제", ProblemKind.reordered: "순서 바뀜",
              ProblemKind.rewritten: "다시 쓰인 기록", ProblemKind.misfiled: "조회 열 불일치",
              ProblemKind.unsigned: "서명 없는 추가", ProblemKind.bad_signature: "서명 불일치"}
# the query columns of an event's row, in Korean
COLUMN_KO = {"subject_type": "대상 종류", "subject_id": "대상", "action": "동작", "recorded_at": "기록 시각"}


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    seq: int  # the first event affected (for a bad signature: the head's tree size)
    detail_en: str
    detail_ko: str
    other_seq: int | None = None  # the other event of a swap, or the last one of a rewritten range


@dataclass(frozen=True)
class LogCheck:
    checked: int  # events verified before the first problem (all of them when ok)
    root: bytes  # root over the verified events
    heads_verified: int
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _sequence_problem(i: int, embedded: int, column: int, first_pos: Mapping[int, int]) -> Problem:
    later = first_pos.get(i)
    if later is not None and later > i:
        return Problem(ProblemKind.reordered, i,
                       f"event {i} is stored at position {later}; position {i} holds event {embedded}",
                       f"이벤트 {josa(i, '가')} {later}번 위치에 있고 "
                       f"{i}번 위치에는 이벤트 {josa(embedded, '가')} 있습니다",
                       other_seq=embedded)
    if embedded < i:
        return Problem(ProblemKind.reordered, i,
                       f"position {i} holds event {embedded} again",
                       f"{i}번 위치에 이벤트 {josa(embedded, '가')} 다시 있습니다", other_seq=embedded)
    if column == i:  # the row claims to be event i but its content says otherwise
        return Problem(ProblemKind.edited, i, f"event {i} claims to be event {embedded}",
                       f"이벤트 {i}의 내용이 이벤트 {josa(embedded, '로')} 바뀌었습니다", other_seq=embedded)
    return Problem(ProblemKind.deleted, i,
                   f"events {i}..{embedded - 1} are missing",
                   f"이벤트 {i}..{josa(embedded - 1, '이')} 삭제되었습니다",
                   other_seq=embedded - 1)


def _misfiled(i: int, columns: Mapping[str, str], doc: Mapping[str, Any]) -> Problem | None:
    expected = entry_columns(doc)
    wrong = [k for k in expected if k in columns and columns[k] != expected[k]]
    if not wrong:
        return None
    shown = ", ".join(f"{k} {columns[k]!r} (entry: {expected[k]!r})" for k in wrong)
    return Problem(ProblemKind.misfiled, i, f"event {i}'s columns differ from its entry: {shown}",
                   f"이벤트 {i}의 조회 열({', '.join(COLUMN_KO.get(k, '기타') for k in wrong)})이 "
                   "기록된 내용과 다릅니다")


def verify_log(
    rows: Sequence[StoredEvent],
    signed_heads: Sequence[SignedTreeHead] = (),
    verify_signature: Callable[[bytes, str], bool] | None = None,
    log_id: str = LOG_ID,
    *,
    require_signed: bool = False,
) -> LogCheck:
    """Recompute the log from `rows` (in stored order) and return the first problem, if any.

    Per row, in this order: the entry parses as canonical JSON and hashes to its stored leaf hash
    (else edited); its embedded seq is its position (else reordered or deleted); its prev_root is
    the recomputed root before it (else the previous event was edited and re-hashed); its stored
    root_after matches; its query columns, when given, equal the entry's (else misfiled). Signed
    heads are checked at their size; a head beyond the last row means the tail was deleted. With
    `require_signed` (the service seals every transaction that appends), events after the last signed
    head are a problem too: anyone can chain a new event, only the key holder can sign it.
    Cost: O(n log n) hashes, about 1 s per 100k events.
    """
    if signed_heads and verify_signature is None:
        raise ValueError("signed heads need a signature verifier")
    heads = sorted(signed_heads, key=lambda h: h.tree_size)
    for head in heads:
        if not verify_signature(tree_head_payload(head, log_id), head.signature):  # type: ignore[misc]
            return LogCheck(0, EMPTY_ROOT, 0, Problem(
                ProblemKind.bad_signature, head.tree_size,
                f"signed tree head at size {head.tree_size} has an invalid signature",
                f"크기 {head.tree_size}의 서명된 트리 헤드 서명이 올바르지 않습니다"))

    heads = [h for h in heads if h.tree_size > 0]  # a signed empty log says nothing about any event
    docs: list[dict[str, Any] | None] = []
    first_pos: dict[int, int] = {}
    for pos, row in enumerate(rows):
        try:
            doc = decode_entry(row.entry)
            seq = doc["seq"]
            if not isinstance(seq, int):
                raise ValueError("seq is not an integer")
        except (ValueError, KeyError):
            docs.append(None)
            continue
        docs.append(doc)
        first_pos.setdefault(seq, pos)

    cr = CompactRange()
    head_idx, last_good_head = 0, 0

    def result(problem: Problem | None) -> LogCheck:
        return LogCheck(cr.size, cr.root(), head_idx, problem)

    for i, (row, parsed) in enumerate(zip(rows, docs, strict=True)):
        if parsed is None:
            return result(Problem(ProblemKind.edited, i, f"event at position {i} is not canonical JSON",
                                  f"{i}번 위치의 이벤트가 정규 JSON이 아닙니다"))
        doc = parsed
        if doc["seq"] != i:
            return result(_sequence_problem(i, doc["seq"], row.seq, first_pos))
        if leaf_hash(row.entry) != row.leaf_hash:
            return result(Problem(ProblemKind.edited, i, f"event {i} does not match its leaf hash",
                                  f"이벤트 {i}의 내용이 저장된 해시와 다릅니다"))
        if row.seq != i:
            return result(Problem(ProblemKind.edited, i, f"event {i} is stored under seq {row.seq}",
                                  f"이벤트 {josa(i, '가')} 일련번호 {josa(row.seq, '로')} 저장되어 있습니다"))
        if doc.get("prev_root") != cr.root().hex():
            # The prefix up to i-2 was confirmed by event i-1's own prev_root, so the change is in
            # event i-1 (re-hashed to hide it) unless event i itself was forged and re-hashed.
            return result(Problem(ProblemKind.edited, i - 1,
                                  f"event {i} chains to a different history: event {i - 1} was changed and "
                                  f"re-hashed, or events before {i} were deleted and the rest renumbered",
                                  f"이벤트 {i}의 이전 루트가 다릅니다: 이벤트 {josa(i - 1, '이')} 수정 후 "
                                  f"재해시되었거나 그 앞의 이벤트가 삭제되고 번호가 다시 매겨졌습니다",
                                  other_seq=i))
        cr.append(row.leaf_hash)
        if row.root_after is not None and row.root_after != cr.root():
            return result(Problem(ProblemKind.edited, i, f"stored tree head after event {i} was changed",
                                  f"이벤트 {i} 이후의 저장된 루트가 변경되었습니다"))
        if row.columns is not None:
            misfiled = _misfiled(i, row.columns, doc)
            if misfiled is not None:
                return result(misfiled)
        while head_idx < len(heads) and heads[head_idx].tree_size == cr.size:
            if heads[head_idx].root_hash != cr.root():
                return result(Problem(
                    ProblemKind.rewritten, last_good_head,
                    f"events {last_good_head}..{i} differ from the signed tree head at size {cr.size}",
                    f"이벤트 {last_good_head}..{josa(i, '이')} 크기 {cr.size}의 서명된 트리 헤드와 다릅니다",
                    other_seq=i))
            last_good_head = cr.size
            head_idx += 1

    if head_idx < len(heads):
        missing = heads[-1].tree_size
        return result(Problem(
            ProblemKind.deleted, cr.size,
            f"events {cr.size}..{missing - 1} are missing: a signed tree head covers {missing} events",
            f"이벤트 {cr.size}..{josa(missing - 1, '이')} 삭제되었습니다: 서명된 트리 헤드는 {missing}건입니다",
            other_seq=missing - 1))
    signed = heads[-1].tree_size if heads else 0
    if require_signed and cr.size > signed:
        return result(Problem(
            ProblemKind.unsigned, signed,
            f"events {signed}..{cr.size - 1} are covered by no signed tree head",
            f"이벤트 {signed}..{josa(cr.size - 1, '이')} 어떤 서명된 트리 헤드에도 포함되지 않습니다",
            other_seq=cr.size - 1))
    return result(None)
