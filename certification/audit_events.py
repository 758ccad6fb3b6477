"""Reading the audit log: the staff list of events by subject, and the public history of a certificate
with each event's inclusion proof against the current signed tree head.

What is shown comes from the hashed entry, never from the query columns alone; a row whose columns or
leaf hash disagree with its entry is refused (IntegrityCheckFailed), not shown under a subject it was
moved to.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from certification import audit_log, designations, service
from certification.audit import decode_entry, entry_columns
from certification.audit_state import IntegrityCheckFailed
from certification.merkle import MerkleTree, leaf_hash
from certification.models import Application, AuditLogEntry
from core.pagination import BadCursor, Page, decode_cursor, encode_cursor
from core.principal import Principal

# What a reviewer's scores look like in a "review" event: other reviewers see them through the reviews
# endpoint's rule (only after scoring themselves), not here.
_SCORES = ("scores", "weighted")


def _b64(h: bytes) -> str:
    return base64.b64encode(h).decode()


def _intact(row: AuditLogEntry, subject: str) -> dict[str, Any]:
    """The row's entry, decoded, when it hashes to the stored leaf and its columns agree with it."""
    try:
        doc = decode_entry(row.entry)
    except ValueError:
        doc = None
    if (doc is None or leaf_hash(row.entry) != row.leaf_hash or doc.get("seq") != row.seq
            or entry_columns(doc) != audit_log.stored_columns(row)):
        raise IntegrityCheckFailed.event(subject, row.seq)
    return doc


# ---- staff -------------------------------------------------------------------------------------------
def _visible(p: Principal) -> Any:
    """Admins see every event; reviewers those of certificates, of the programme, and of applications
    they may see (their panels), by the same rule as the applications list."""
    stmt = select(AuditLogEntry)
    if p.role == "admin":
        return stmt
    apps = service.visible_stmt(p).with_only_columns(Application.id)
    return stmt.where(or_(AuditLogEntry.subject_type != "application", AuditLogEntry.subject_id.in_(apps)))


def _cursor_seq(cursor: str) -> int:
    value = decode_cursor(cursor)
    if not value.isdigit() or len(value) > 18:
        raise BadCursor("커서를 해석할 수 없습니다.", "The cursor could not be decoded.")
    return int(value)


def _staff_view(p: Principal, row: AuditLogEntry, doc: dict[str, Any]) -> dict[str, Any]:
    payload = dict(doc.get("payload") or {})
    if p.role != "admin" and doc.get("action") == "review" and payload.get("reviewer") != p.sub:
        for k in _SCORES:
            payload.pop(k, None)
    subject = doc["subject"]
    return {"seq": row.seq, "at": doc["at"], "actor": doc.get("actor"), "role": doc.get("role"),
            "subject_type": subject["type"], "subject_id": subject["id"], "action": doc.get("action"),
            "from_state": doc.get("from"), "to_state": doc.get("to"), "reason": doc.get("reason"),
            "payload": payload, "leaf_hash": _b64(row.leaf_hash)}


def list_events(session: Session, p: Principal, *, subject_type: str | None, subject_id: str | None,
                cursor: str | None, limit: int) -> Page[dict[str, Any]]:
    """Events in log order, filtered by subject, a page at a time (keyset on seq)."""
    stmt = _visible(p)
    if subject_type:
        stmt = stmt.where(AuditLogEntry.subject_type == subject_type)
    if subject_id:
        stmt = stmt.where(AuditLogEntry.subject_id == subject_id)
    if cursor:
        stmt = stmt.where(AuditLogEntry.seq > _cursor_seq(cursor))
    rows = list(session.scalars(stmt.order_by(AuditLogEntry.seq).limit(limit + 1)))
    more, rows = len(rows) > limit, rows[:limit]
    items = [_staff_view(p, r, _intact(r, f"{r.subject_type} {r.subject_id}")) for r in rows]
    return Page(items, encode_cursor(str(rows[-1].seq)) if more and rows else None)


# ---- public ------------------------------------------------------------------------------------------
def proofs(session: Session, seqs: Iterable[int], size: int, root_b64: str, *,
           subject: str) -> dict[int, dict[str, Any]]:
    """Inclusion proofs of `seqs` (those below `size`) in the signed tree of `size` events; refused when
    the stored leaf hashes no longer give the signed root (one tree built for all of them)."""
    wanted = [s for s in seqs if 0 <= s < size]
    if not wanted:
        return {}
    hashes = session.scalars(select(AuditLogEntry.leaf_hash).order_by(AuditLogEntry.seq).limit(size)).all()
    tree = MerkleTree(hashes)
    if tree.size != size or _b64(tree.root(size)) != root_b64:
        raise IntegrityCheckFailed.tree(subject, size)
    root = _b64(tree.root(size))
    return {s: {"leaf_index": s, "tree_size": size, "root_hash": root, "leaf_hash": _b64(tree.levels[0][s]),
                "audit_path": [_b64(h) for h in tree.inclusion_proof(s, size)]} for s in wanted}


def certificate_history(session: Session, number: str) -> dict[str, Any]:
    """Issue, suspensions, reinstatements, revocation, renewals and expiry of a certificate, with dates
    and reasons, each with its proof against the latest signed tree head. Who acted is not shown: the
    public sees the registry's decisions, not its reviewers."""
    cert, _ = designations.attested(session, number)
    rows = audit_log.events_for(session, "certificate", cert.number)
    docs = [(r, _intact(r, cert.number)) for r in rows]
    head = audit_log.latest_tree_head(session)
    signed = None
    found: dict[int, dict[str, Any]] = {}
    if head is not None:
        signed = {"tree_size": head.size, "root_hash": _b64(head.root), "timestamp": head.timestamp,
                  "signature": head.signature}
        found = proofs(session, [r.seq for r in rows], head.size, _b64(head.root), subject=cert.number)
    events = []
    for row, doc in docs:
        payload = doc.get("payload") or {}
        events.append({"seq": row.seq, "at": doc["at"], "action": doc.get("action"),
                       "from_state": doc.get("from"), "to_state": doc.get("to"), "reason": doc.get("reason"),
                       "valid_from": payload.get("valid_from"), "valid_until": payload.get("valid_until"),
                       "leaf_hash": _b64(row.leaf_hash), "inclusion_proof": found.get(row.seq)})
    return {"number": cert.number, "status": designations.status_now(cert), "events": events,
            "tree_head": signed}
