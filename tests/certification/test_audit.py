"""Audit log: canonical entries, the Merkle chain, signed tree heads, and what `axr audit verify` names."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from certification import merkle
from certification.audit import (
    AuditEvent,
    LogHead,
    ProblemKind,
    SignedTreeHead,
    StoredEvent,
    TreeHead,
    append_event,
    canonical_entry,
    decode_entry,
    sign_tree_head,
    tree_head_payload,
    verify_log,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KEY = ECKey.generate_key("P-256")
PUBLIC = ECKey.import_key(KEY.as_dict(private=False))


def sign(payload: bytes) -> str:
    return jws.serialize_compact({"alg": "ES256"}, payload, KEY)


def verify(payload: bytes, signature: str) -> bool:
    try:
        return jws.deserialize_compact(signature, PUBLIC).payload == payload
    except (JoseError, ValueError):
        return False


def event(i: int) -> AuditEvent:
    return AuditEvent(occurred_at=T0 + timedelta(minutes=i), actor=f"user-{i % 3}", role="reviewer",
                      subject_type="application", subject_id=f"app-{i // 4}", action="screen_pass",
                      from_state="screening", to_state="under_review", reason=f"사유 {i}",
                      payload={"criteria_version": "v1", "n": i})


def build(n: int) -> tuple[list[StoredEvent], LogHead]:
    rows, head = [], LogHead()
    for i in range(n):
        row, head = append_event(head, event(i))
        rows.append(row)
    return rows, head


def sth(rows: list[StoredEvent], size: int) -> SignedTreeHead:
    root = merkle.root_from_leaf_hashes([r.leaf_hash for r in rows[:size]])
    return sign_tree_head(TreeHead(size, root, T0 + timedelta(days=1)), sign)


def rehash_from(rows: list[StoredEvent], start: int) -> list[StoredEvent]:
    """What an attacker with database access does after an edit: recompute hashes and roots."""
    out = list(rows[:start])
    cr = merkle.CompactRange()
    for r in out:
        cr.append(r.leaf_hash)
    for r in rows[start:]:
        lh = merkle.leaf_hash(r.entry)
        cr.append(lh)
        out.append(StoredEvent(r.seq, r.entry, lh, cr.root()))
    return out


def edit_reason(row: StoredEvent, new_reason: str) -> StoredEvent:
    doc = json.loads(row.entry)
    doc["reason"] = new_reason
    return dataclasses.replace(row, entry=rfc8785.dumps(doc))


def test_entry_is_rfc8785_canonical_and_carries_its_position() -> None:
    entry = canonical_entry(event(5), seq=5, prev_root=merkle.EMPTY_ROOT)
    doc = decode_entry(entry)
    assert list(doc) == sorted(doc)
    assert doc["seq"] == 5
    assert doc["prev_root"] == merkle.EMPTY_ROOT.hex()
    assert doc["at"] == "2026-03-02T09:05:00.000000Z"
    assert doc["reason"] == "사유 5"
    assert entry.startswith(b'{"action":"screen_pass","actor":"user-2","at":')  # sorted keys, no spaces
    assert "사유 5".encode() in entry
    assert b"\\u" not in entry


def test_timestamps_are_normalised_to_utc_and_naive_ones_refused() -> None:
    seoul = timezone(timedelta(hours=9))
    e = dataclasses.replace(event(0), occurred_at=datetime(2026, 3, 2, 18, 0, tzinfo=seoul))
    entry = canonical_entry(e, seq=0, prev_root=merkle.EMPTY_ROOT)
    assert decode_entry(entry)["at"] == "2026-03-02T09:00:00.000000Z"
    naive = dataclasses.replace(e, occurred_at=datetime(2026, 3, 2))
    with pytest.raises(ValueError, match="timezone"):
        canonical_entry(naive, seq=0, prev_root=merkle.EMPTY_ROOT)


def test_payload_outside_json_safe_integers_is_refused() -> None:
    huge = dataclasses.replace(event(0), payload={"krw": 2**60})
    with pytest.raises(ValueError, match="canonicalised"):
        canonical_entry(huge, seq=0, prev_root=merkle.EMPTY_ROOT)


def test_a_clean_log_verifies_and_its_root_is_the_mth_of_the_entries() -> None:
    rows, head = build(20)
    check = verify_log(rows, [sth(rows, 7), sth(rows, 20)], verify)
    assert check.ok
    assert check.checked == 20
    assert check.heads_verified == 2
    assert check.root == head.root == merkle.mth([r.entry for r in rows]) == rows[-1].root_after


def test_inclusion_proof_of_a_stored_event_checks_against_a_signed_head() -> None:
    rows, _ = build(13)
    head = sth(rows, 13)
    assert verify(tree_head_payload(head), head.signature)
    proof = merkle.MerkleTree(r.leaf_hash for r in rows).inclusion_proof(6, 13)
    assert merkle.verify_inclusion(merkle.leaf_hash(rows[6].entry), 6, 13, proof, head.root_hash)


def test_edited_middle_event_is_named() -> None:
    rows, _ = build(10)
    rows[4] = edit_reason(rows[4], "조작된 사유")
    check = verify_log(rows)
    assert check.problem is not None
    assert (check.problem.kind, check.problem.seq) == (ProblemKind.edited, 4)
    assert check.checked == 4


def test_edited_and_rehashed_middle_event_is_named_by_its_successors_chain() -> None:
    rows, _ = build(10)
    rows[4] = edit_reason(rows[4], "조작된 사유")
    rows = rehash_from(rows, 4)
    problem = verify_log(rows).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (ProblemKind.edited, 4)


def test_edited_and_rehashed_last_event_is_caught_only_by_a_signed_head() -> None:
    rows, _ = build(10)
    head = sth(rows, 10)
    rows[9] = edit_reason(rows[9], "조작")
    rows = rehash_from(rows, 9)
    assert verify_log(rows).ok  # nothing after it to chain: this is why heads are published
    problem = verify_log(rows, [sth(rows[:5], 5), head], verify).problem
    assert problem is not None
    assert problem.kind == ProblemKind.rewritten
    assert (problem.seq, problem.other_seq) == (5, 9)


def test_deleted_middle_event_is_named() -> None:
    rows, _ = build(10)
    del rows[6]
    problem = verify_log(rows).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (ProblemKind.deleted, 6)


def test_deleted_last_event_is_detected_by_the_signed_tree_head() -> None:
    rows, _ = build(10)
    head = sth(rows, 10)
    rows.pop()
    assert verify_log(rows).ok  # without a head a truncated tail looks like a shorter log
    problem = verify_log(rows, [head], verify).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (ProblemKind.deleted, 9)


def test_swapping_two_events_is_named() -> None:
    rows, _ = build(10)
    rows[2], rows[7] = rows[7], rows[2]
    problem = verify_log(rows).problem
    assert problem is not None
    assert (problem.kind, problem.seq, problem.other_seq) == (ProblemKind.reordered, 2, 7)


def test_swapping_contents_while_keeping_seq_columns_is_named() -> None:
    rows, _ = build(10)
    a, b = rows[3], rows[4]
    rows[3] = StoredEvent(3, b.entry, b.leaf_hash, a.root_after)
    rows[4] = StoredEvent(4, a.entry, a.leaf_hash, b.root_after)
    problem = verify_log(rows).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (ProblemKind.reordered, 3)


def test_renumbering_after_a_deletion_is_caught_by_the_chain() -> None:
    rows, _ = build(8)
    del rows[3]
    renumbered = rows[:3]
    for r in rows[3:]:
        doc = json.loads(r.entry)
        doc["seq"] -= 1
        renumbered.append(StoredEvent(doc["seq"], rfc8785.dumps(doc), b"", None))
    problem = verify_log(rehash_from(renumbered, 3)).problem
    assert problem is not None
    assert problem.kind == ProblemKind.edited
    assert problem.seq == 2


def test_duplicated_event_is_reported() -> None:
    rows, _ = build(6)
    rows.insert(4, rows[3])
    problem = verify_log(rows).problem
    assert problem is not None
    assert (problem.kind, problem.seq, problem.other_seq) == (ProblemKind.reordered, 4, 3)


def test_tampered_seq_column_or_stored_root_is_named() -> None:
    rows, _ = build(5)
    moved = list(rows)
    moved[2] = dataclasses.replace(rows[2], seq=9)
    assert verify_log(moved).problem.seq == 2  # type: ignore[union-attr]
    rooted = list(rows)
    rooted[3] = dataclasses.replace(rows[3], root_after=merkle.EMPTY_ROOT)
    problem = verify_log(rooted).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (ProblemKind.edited, 3)


def test_non_canonical_entry_is_an_edit() -> None:
    rows, _ = build(3)
    pretty = json.dumps(json.loads(rows[1].entry), indent=1).encode()
    rows[1] = StoredEvent(1, pretty, merkle.leaf_hash(pretty), rows[1].root_after)
    problem = verify_log(rows).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == (ProblemKind.edited, 1)


def test_forged_signed_head_is_refused() -> None:
    rows, _ = build(4)
    good = sth(rows, 4)
    forged = dataclasses.replace(good, root_hash=merkle.EMPTY_ROOT)
    problem = verify_log(rows, [forged], verify).problem
    assert problem is not None
    assert problem.kind == ProblemKind.bad_signature
    with pytest.raises(ValueError, match="verifier"):
        verify_log(rows, [good])


def test_signed_head_payload_is_canonical_json_of_the_published_fields() -> None:
    payload = tree_head_payload(TreeHead(3, b"\x01" * 32, T0))
    assert json.loads(payload) == {"v": 1, "log": "axr-audit", "tree_size": 3,
                                   "root_hash": "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",
                                   "timestamp": "2026-03-02T09:00:00.000000Z"}


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 25), data=st.data())
def test_any_flipped_byte_in_any_entry_names_that_event(n: int, data: st.DataObject) -> None:
    rows, _ = build(n)
    i = data.draw(st.integers(0, n - 1))
    pos = data.draw(st.integers(0, len(rows[i].entry) - 1))
    entry = bytearray(rows[i].entry)
    entry[pos] ^= 1 << data.draw(st.integers(0, 6))
    rows[i] = dataclasses.replace(rows[i], entry=bytes(entry))
    problem = verify_log(rows).problem
    assert problem is not None
    assert problem.seq == i
