"""The audit log in the database: append in the caller's transaction, proofs, signed tree heads, and
the full recomputation behind `axr audit verify` (the chain, the query columns, and the state each
certificate and application row holds against the state its events replay to).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from certification import audit_state, snapshot
from certification.audit import (
    AuditEvent,
    LogCheck,
    LogHead,
    SignedTreeHead,
    StoredEvent,
    TreeHead,
    append_event,
    column_text,
    decode_entry,
    sign_tree_head,
    verify_log,
)
from certification.merkle import EMPTY_ROOT, MerkleTree
from certification.models import Application, AuditHead, AuditLogEntry, Certificate, SignedTreeHeadRow
from core import clock
from core.principal import Principal

Signer = Callable[[bytes], str]


def _locked_head(session: Session) -> AuditHead:
    head = session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one_or_none()
    if head is None:
        try:
            with session.begin_nested():
                session.add(AuditHead(id=1, size=0, root=EMPTY_ROOT, frontier=[]))
        except IntegrityError:
            pass  # another transaction created it first
        head = session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()
    return head


def append(session: Session, *, actor: Principal | str, subject_type: str, subject_id: str, action: str,
           from_state: str | None = None, to_state: str | None = None, reason: str | None = None,
           payload: dict[str, Any] | None = None) -> AuditLogEntry:
    """Append one event in the caller's transaction; the head row lock orders concurrent writers."""
    return append_many(session, actor=actor, events=[dict(
        subject_type=subject_type, subject_id=subject_id, action=action, from_state=from_state,
        to_state=to_state, reason=reason, payload=payload)])[0]


def append_many(session: Session, *, actor: Principal | str, events: list[dict[str, Any]]) -> list[AuditLogEntry]:
    """Append events in order under one head lock (bulk imports); each dict holds `append`'s keywords."""
    head_row = _locked_head(session)
    head = LogHead(head_row.size, head_row.root, tuple(bytes.fromhex(h) for h in head_row.frontier))
    who, role = (actor.sub, actor.role) if isinstance(actor, Principal) else (actor, "system")
    rows = []
    for e in events:
        event = AuditEvent(occurred_at=clock.now(), actor=who, role=role, subject_type=e["subject_type"],
                           subject_id=e["subject_id"], action=e["action"], from_state=e.get("from_state"),
                           to_state=e.get("to_state"), reason=e.get("reason"), payload=e.get("payload") or {})
        stored, head = append_event(head, event)
        rows.append(AuditLogEntry(seq=stored.seq, entry=stored.entry, leaf_hash=stored.leaf_hash,
                                  root_after=stored.root_after, subject_type=e["subject_type"],
                                  subject_id=e["subject_id"], action=e["action"],
                                  recorded_at=event.occurred_at))
    session.add_all(rows)
    head_row.size, head_row.root = head.size, head.root
    head_row.frontier = [h.hex() for h in head.frontier]
    session.info["audit_appended"] = True
    session.flush()
    return rows


@event.listens_for(Session, "before_commit")
def _seal(session: Session) -> None:
    """A transaction that appended events also signs and keeps the resulting tree head, so deleting
    the newest events is caught by `axr audit verify`. The signer is put in session.info by the
    request or job that owns the transaction."""
    if session.in_nested_transaction():
        return  # a savepoint: seal once, when the outer transaction commits
    sign = session.info.get("audit_signer")
    if session.info.pop("audit_appended", False) and sign is not None:
        publish_tree_head(session, sign)


def current_head(session: Session) -> tuple[int, bytes]:
    head = session.get(AuditHead, 1)
    return (head.size, head.root) if head else (0, EMPTY_ROOT)


def _tree(session: Session, size: int) -> MerkleTree:
    hashes = session.scalars(select(AuditLogEntry.leaf_hash).order_by(AuditLogEntry.seq).limit(size))
    return MerkleTree(hashes)


def inclusion_proof(session: Session, seq: int, size: int | None = None) -> dict[str, Any]:
    """The audit path of event `seq` in the tree of `size` events (default: the current tree)."""
    tree_size = size if size is not None else current_head(session)[0]
    tree = _tree(session, tree_size)
    proof = tree.inclusion_proof(seq, tree_size)
    return {"leaf_index": seq, "tree_size": tree_size, "root_hash": _b64(tree.root(tree_size)),
            "leaf_hash": _b64(tree.levels[0][seq]), "audit_path": [_b64(h) for h in proof]}


def consistency_proof(session: Session, first: int, second: int | None = None) -> dict[str, Any]:
    size2 = second if second is not None else current_head(session)[0]
    tree = _tree(session, size2)
    proof = tree.consistency_proof(first, size2)
    return {"first": first, "second": size2, "first_root": _b64(tree.root(first)),
            "second_root": _b64(tree.root(size2)), "consistency_path": [_b64(h) for h in proof]}


def publish_tree_head(session: Session, sign: Signer) -> SignedTreeHeadRow:
    """Sign the current head and keep it; later verification checks the log against every kept head."""
    size, root = current_head(session)
    existing = session.get(SignedTreeHeadRow, size)
    if existing is not None and existing.root == root:
        return existing
    sth = sign_tree_head(TreeHead(size, root, clock.now()), sign)
    row = SignedTreeHeadRow(size=size, root=root, timestamp=sth.timestamp, signature=sth.signature)
    session.merge(row)
    session.flush()
    return row


def latest_tree_head(session: Session) -> SignedTreeHeadRow | None:
    return session.scalars(select(SignedTreeHeadRow).order_by(SignedTreeHeadRow.size.desc()).limit(1)).first()


def stored_columns(row: AuditLogEntry) -> dict[str, str]:
    """A row's query columns as text, to compare with `audit.entry_columns` of its entry."""
    return {"subject_type": row.subject_type, "subject_id": row.subject_id, "action": row.action,
            "recorded_at": column_text(row.recorded_at)}


def verify(session: Session, verify_signature: Callable[[bytes, str], bool]) -> LogCheck:
    rows = [StoredEvent(r.seq, r.entry, r.leaf_hash, r.root_after, stored_columns(r))
            for r in session.scalars(select(AuditLogEntry).order_by(AuditLogEntry.seq))]
    heads = [SignedTreeHead(h.size, h.root, h.timestamp, h.signature)
             for h in session.scalars(select(SignedTreeHeadRow).order_by(SignedTreeHeadRow.size))]
    return verify_log(rows, heads, verify_signature, require_signed=True)


def _decoded(session: Session) -> list[tuple[int, dict[str, Any]]]:
    out = []
    for seq, entry in session.execute(select(AuditLogEntry.seq, AuditLogEntry.entry).order_by(AuditLogEntry.seq)):
        try:
            out.append((seq, decode_entry(entry)))
        except ValueError:
            continue  # not canonical JSON: `verify` names it
    return out


def verify_states(session: Session) -> list[audit_state.StateProblem]:
    """Replay every certificate's and application's events through the lifecycle and name each row
    whose state or recorded fields disagree (and each subject with events but no row, or no events)."""
    replayed = audit_state.replay(_decoded(session))
    certs = {c.number: {"state": c.status, "company_id": c.company_id, "valid_from": c.valid_from,
                        "valid_until": c.valid_until, "scope": c.scope, "last_event_seq": c.last_event_seq}
             for c in session.execute(select(Certificate.number, Certificate.status, Certificate.company_id,
                                             Certificate.valid_from, Certificate.valid_until, Certificate.scope,
                                             Certificate.last_event_seq))}
    apps = {a.id: {"state": a.state, "company_id": a.company_id, "kind": a.kind,
                   "facts_digest": snapshot.digest(a.facts) if a.facts is not None else None}
            for a in session.execute(select(Application.id, Application.state, Application.company_id,
                                            Application.kind, Application.facts))}
    return (audit_state.compare("certificate", certs, replayed)
            + audit_state.compare("application", apps, replayed))


def events_for(session: Session, subject_type: str, subject_id: str) -> list[AuditLogEntry]:
    stmt = (select(AuditLogEntry).where(AuditLogEntry.subject_type == subject_type,
                                        AuditLogEntry.subject_id == subject_id).order_by(AuditLogEntry.seq))
    return list(session.scalars(stmt))


def _b64(h: bytes) -> str:
    return base64.b64encode(h).decode()
