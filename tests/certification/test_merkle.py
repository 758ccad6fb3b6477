"""RFC 9162 Merkle tree: transparency-dev/merkle vectors, their negative cases, and random trees."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certification import merkle
from certification.errors import InvalidProofRequest

VECTORS = json.loads((Path(__file__).parent / "data" / "transparency_dev_merkle_vectors.json").read_text())
h = bytes.fromhex
LEAVES = [h(x) for x in VECTORS["tree"]["leaves"]]
ROOTS = [h(x) for x in VECTORS["tree"]["roots"]]
TREE = merkle.MerkleTree.from_entries(LEAVES)
SOME_HASH = h(VECTORS["negative_rules"]["some_hash"])


def reference_mth(entries: list[bytes]) -> bytes:
    """RFC 9162 2.1.1 written recursively, as the text reads."""
    if not entries:
        return merkle.EMPTY_ROOT
    if len(entries) == 1:
        return merkle.leaf_hash(entries[0])
    k = 1 << ((len(entries) - 1).bit_length() - 1)
    return merkle.node_hash(reference_mth(entries[:k]), reference_mth(entries[k:]))


def test_hasher_vectors() -> None:
    v = VECTORS["hasher"]
    assert merkle.EMPTY_ROOT == h(v["empty_root"])
    assert merkle.leaf_hash(b"") == h(v["empty_leaf_hash"])
    assert merkle.leaf_hash(v["leaf"]["data_ascii"].encode()) == h(v["leaf"]["hash"])
    node = v["node"]
    assert merkle.node_hash(node["left_ascii"].encode(), node["right_ascii"].encode()) == h(node["hash"])


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_of_every_prefix(size: int) -> None:
    assert TREE.root(size) == ROOTS[size - 1]
    assert merkle.mth(LEAVES[:size]) == ROOTS[size - 1]


def test_empty_tree_root() -> None:
    assert merkle.mth([]) == merkle.EMPTY_ROOT == TREE.root(0)


def inclusion_probes(index: int, size: int, proof: list[bytes], root: bytes, leaf: bytes):
    """The negative rules of transparency-dev/merkle (cmd/proofgen invalidInclusionProof)."""
    yield "leafIdx sub @1", (index - 1, size, proof, root, leaf)
    yield "leafIdx plus @1", (index + 1, size, proof, root, leaf)
    yield "leafIdx XOR @2", (index ^ 2, size, proof, root, leaf)
    yield "treeSize mul @2", (index, size * 2, proof, root, leaf)
    yield "treeSize div @2", (index, size // 2, proof, root, leaf)
    yield "wrong leaf", (index, size, proof, root, b"WrongLeaf")
    yield "empty root", (index, size, proof, merkle.EMPTY_ROOT, leaf)
    yield "random root", (index, size, proof, SOME_HASH, leaf)
    yield "trailing garbage", (index, size, [*proof, b""], root, leaf)
    yield "trailing root", (index, size, [*proof, root], root, leaf)
    yield "preceding garbage", (index, size, [b"", *proof], root, leaf)
    yield "preceding root", (index, size, [root, *proof], root, leaf)
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = bytes([bad[i][0] ^ 8]) + bad[i][1:]
        yield f"modified proof[{i}] bit @3", (index, size, bad, root, leaf)
    if proof:
        yield "removed component", (index, size, proof[:-1], root, leaf)
    if len(proof) > 1:
        yield "inserted component", (index, size, [proof[0], SOME_HASH, *proof[1:]], root, leaf)


@pytest.mark.parametrize("vector", VECTORS["inclusion_proofs"]["vectors"],
                         ids=lambda v: f"{v['leaf']}of{v['size']}")
def test_inclusion_vectors_generate_verify_and_reject_corruptions(vector: dict) -> None:
    index, size, proof = vector["leaf"] - 1, vector["size"], [h(p) for p in vector["proof"]]
    leaf, root = merkle.leaf_hash(LEAVES[index]), ROOTS[size - 1]
    assert TREE.inclusion_proof(index, size) == proof
    assert merkle.verify_inclusion(leaf, index, size, proof, root)
    accepted = [name for name, (i, s, p, r, lf) in inclusion_probes(index, size, proof, root, leaf)
                if merkle.verify_inclusion(lf, i, s, p, r)]
    assert accepted == []


def consistency_probes(size1: int, size2: int, proof: list[bytes], root1: bytes, root2: bytes):
    """cmd/proofgen invalidConsistencyProof."""
    yield "size1 sub @1", (size1 - 1, size2, proof, root1, root2)
    yield "size1 plus @1", (size1 + 1, size2, proof, root1, root2)
    yield "size1 XOR @2", (size1 ^ 2, size2, proof, root1, root2)
    yield "size2 mul @2", (size1, size2 * 2, proof, root1, root2)
    yield "size2 div @2", (size1, size2 // 2, proof, root1, root2)
    yield "wrong root1", (size1, size2, proof, b"WrongRoot", root2)
    yield "wrong root2", (size1, size2, proof, root1, b"WrongRoot")
    yield "swapped roots", (size1, size2, proof, root2, root1)
    yield "empty proof", (size1, size2, [], root1, root2)
    yield "trailing garbage", (size1, size2, [*proof, b""], root1, root2)
    yield "trailing root1", (size1, size2, [*proof, root1], root1, root2)
    yield "trailing root2", (size1, size2, [*proof, root2], root1, root2)
    yield "preceding garbage", (size1, size2, [b"", *proof], root1, root2)
    yield "preceding root1", (size1, size2, [root1, *proof], root1, root2)
    yield "preceding root2", (size1, size2, [root2, *proof], root1, root2)
    yield "preceding proof @0", (size1, size2, [proof[0], *proof], root1, root2)
    yield "truncated proof", (size1, size2, proof[:-1], root1, root2)
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = bytes([bad[i][0] ^ 16]) + bad[i][1:]
        yield f"modified proof@{i} bit @4", (size1, size2, bad, root1, root2)


@pytest.mark.parametrize("vector", VECTORS["consistency_proofs"]["vectors"],
                         ids=lambda v: f"{v['size1']}to{v['size2']}")
def test_consistency_vectors_generate_verify_and_reject_corruptions(vector: dict) -> None:
    size1, size2, proof = vector["size1"], vector["size2"], [h(p) for p in vector["proof"]]
    root1, root2 = ROOTS[size1 - 1], ROOTS[size2 - 1]
    assert TREE.consistency_proof(size1, size2) == proof
    assert merkle.verify_consistency(size1, size2, proof, root1, root2)
    if not proof:  # as upstream: only non-trivial proofs are corrupted
        return
    accepted = [name for name, args in consistency_probes(size1, size2, proof, root1, root2)
                if merkle.verify_consistency(*args)]
    assert accepted == []


@pytest.mark.parametrize("index_size", VECTORS["static_inclusion"]["probes"])
def test_static_inclusion_probes_fail(index_size: list[int]) -> None:
    index, size = index_size
    assert not merkle.verify_inclusion(SOME_HASH, index, size, [], b"")
    assert not merkle.verify_inclusion(b"", index, size, [], merkle.EMPTY_ROOT)
    assert not merkle.verify_inclusion(SOME_HASH, index, size, [], merkle.EMPTY_ROOT)


def test_single_entry_inclusion() -> None:
    leaf = merkle.leaf_hash(VECTORS["static_inclusion"]["single_entry_data_ascii"].encode())
    assert merkle.verify_inclusion(leaf, 0, 1, [], leaf)
    assert not merkle.verify_inclusion(b"", 0, 1, [], leaf)
    assert not merkle.verify_inclusion(leaf, 0, 1, [], b"")
    assert not merkle.verify_inclusion(b"", 0, 1, [], b"")


def _ascii_or_empty(value: str) -> bytes:
    return merkle.EMPTY_ROOT if value == "EMPTY" else value.encode()


@pytest.mark.parametrize("case", VECTORS["static_consistency"]["cases"])
def test_static_consistency_cases(case: dict) -> None:
    proof = [_ascii_or_empty(p) for p in case["proof"]]
    ok = merkle.verify_consistency(case["size1"], case["size2"], proof,
                                   _ascii_or_empty(case["root1"]), _ascii_or_empty(case["root2"]))
    assert ok is not case["wantErr"]


@pytest.mark.parametrize("probe", VECTORS["generated_files"]["inclusion"], ids=lambda p: p["path"])
def test_generated_inclusion_files(probe: dict) -> None:
    b64 = base64.b64decode
    ok = merkle.verify_inclusion(b64(probe["leafHash"]), probe["leafIdx"], probe["treeSize"],
                                 [b64(p) for p in probe["proof"]], b64(probe["root"]))
    assert ok is not probe["wantErr"]


@pytest.mark.parametrize("probe", VECTORS["generated_files"]["consistency"], ids=lambda p: p["path"])
def test_generated_consistency_files(probe: dict) -> None:
    b64 = base64.b64decode
    ok = merkle.verify_consistency(probe["size1"], probe["size2"], [b64(p) for p in probe["proof"]],
                                   b64(probe["root1"]), b64(probe["root2"]))
    assert ok is not probe["wantErr"]


# Node layout tables from proof/proof_test.go: which subtree hashes a proof holds --------------------

BIG = merkle.MerkleTree.from_entries([f"leaf {i}".encode() for i in range(95)])


def expected_from_ids(ids: list[list[int]], rehash: list[int] | None) -> list[bytes]:
    hashes = [merkle.root_from_leaf_hashes(BIG.levels[0][i << level:(i + 1) << level]) for level, i in ids]
    if rehash:
        begin, end = rehash
        acc = hashes[begin]
        for nxt in hashes[begin + 1:end]:
            acc = merkle.node_hash(nxt, acc)
        hashes = [*hashes[:begin], acc, *hashes[end:]]
    return hashes


@pytest.mark.parametrize("case", VECTORS["node_layout"]["inclusion"],
                         ids=lambda c: f"{c['index']}of{c['size']}")
def test_inclusion_proof_layout(case: dict) -> None:
    expected = expected_from_ids(case["ids"], case.get("rehash"))
    assert BIG.inclusion_proof(case["index"], case["size"]) == expected


@pytest.mark.parametrize("case", VECTORS["node_layout"]["consistency"],
                         ids=lambda c: f"{c['size1']}to{c['size2']}")
def test_consistency_proof_layout(case: dict) -> None:
    expected = expected_from_ids(case["ids"], case.get("rehash"))
    assert BIG.consistency_proof(case["size1"], case["size2"]) == expected


@pytest.mark.parametrize("size_index", VECTORS["node_layout"]["inclusion_errors"])
def test_inclusion_proof_refuses_bad_requests(size_index: list[int]) -> None:
    size, index = size_index
    tree = merkle.MerkleTree.from_entries([b"x"] * 8)
    with pytest.raises(InvalidProofRequest):
        tree.inclusion_proof(index, size)


@pytest.mark.parametrize("sizes", [*VECTORS["node_layout"]["consistency_errors"], [0, 3], [3, 99]])
def test_consistency_proof_refuses_bad_requests(sizes: list[int]) -> None:
    with pytest.raises(InvalidProofRequest):
        BIG.consistency_proof(*sizes)


# Random trees -----------------------------------------------------------------------------------

entries_st = st.lists(st.binary(max_size=12), min_size=1, max_size=70)


@settings(max_examples=150, deadline=None)
@given(entries=entries_st, data=st.data())
def test_every_inclusion_proof_verifies_and_any_flipped_byte_fails(
    entries: list[bytes], data: st.DataObject,
) -> None:
    tree = merkle.MerkleTree.from_entries(entries)
    size = data.draw(st.integers(1, len(entries)))
    index = data.draw(st.integers(0, size - 1))
    root, leaf = tree.root(size), merkle.leaf_hash(entries[index])
    assert root == reference_mth(entries[:size])
    proof = tree.inclusion_proof(index, size)
    assert merkle.verify_inclusion(leaf, index, size, proof, root)
    target = data.draw(st.integers(0, len(proof) + 1))  # a proof node, the leaf or the root
    byte, bit = data.draw(st.integers(0, 31)), data.draw(st.integers(0, 7))
    parts = [*proof, leaf, root]
    part = parts[target]
    parts[target] = part[:byte] + bytes([part[byte] ^ (1 << bit)]) + part[byte + 1:]
    assert not merkle.verify_inclusion(parts[-2], index, size, parts[:-2], parts[-1])
    if size > 1:
        other = data.draw(st.integers(0, size - 1).filter(lambda i: i != index))
        assert not merkle.verify_inclusion(leaf, other, size, proof, root) or entries[other] == entries[index]


@settings(max_examples=150, deadline=None)
@given(entries=entries_st, data=st.data())
def test_every_consistency_proof_verifies_and_any_flipped_byte_fails(
    entries: list[bytes], data: st.DataObject,
) -> None:
    tree = merkle.MerkleTree.from_entries(entries)
    size2 = data.draw(st.integers(1, len(entries)))
    size1 = data.draw(st.integers(1, size2))
    root1, root2 = tree.root(size1), tree.root(size2)
    proof = tree.consistency_proof(size1, size2)
    assert merkle.verify_consistency(size1, size2, proof, root1, root2)
    if size1 == size2:
        assert proof == []
        return
    target = data.draw(st.integers(0, len(proof) + 1))
    byte = data.draw(st.integers(0, 31))
    parts = [*proof, root1, root2]
    parts[target] = parts[target][:byte] + bytes([parts[target][byte] ^ 0x01]) + parts[target][byte + 1:]
    assert not merkle.verify_consistency(size1, size2, parts[:-2], parts[-2], parts[-1])


@given(entries=st.lists(st.binary(max_size=8), max_size=200))
def test_compact_range_and_flat_root_agree_with_the_tree(entries: list[bytes]) -> None:
    hashes = [merkle.leaf_hash(e) for e in entries]
    compact = merkle.CompactRange()
    for x in hashes:
        compact.append(x)
    assert compact.root() == merkle.root_from_leaf_hashes(hashes) == merkle.MerkleTree(hashes).root()
    assert merkle.CompactRange(compact.size, compact.hashes).root() == compact.root()


def test_hundred_thousand_leaves() -> None:
    hashes = [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(100_000)]
    tree = merkle.MerkleTree(hashes)
    root = tree.root()
    assert root == merkle.root_from_leaf_hashes(hashes)
    for index in (0, 1, 65_535, 65_536, 99_999):
        assert merkle.verify_inclusion(hashes[index], index, 100_000, tree.inclusion_proof(index), root)
    for size1 in (1, 4_097, 65_536, 99_999):
        proof = tree.consistency_proof(size1)
        assert merkle.verify_consistency(size1, 100_000, proof, tree.root(size1), root)
