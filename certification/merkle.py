"""RFC 9162 section 2.1 Merkle tree hashing, inclusion and consistency proofs (SHA-256).

Costs: building a MerkleTree from n leaf hashes takes n-1 node hashes and keeps about 2n hashes
(100k leaves: ~0.1 s, ~15 MB); a root, inclusion or consistency proof for any size <= n then costs
O(log^2 n) hash operations. Verification costs O(log n) and never raises on bad input: it returns False.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from certification.errors import InvalidProofRequest
from core.korean import josa

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """Largest power of two strictly smaller than n (n >= 2), RFC 9162's k."""
    return 1 << ((n - 1).bit_length() - 1)


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """MTH over leaf hashes in one O(n) bottom-up pass; an odd last node is carried up unchanged,
    which is the same tree as RFC 9162's split at the largest power of two."""
    if not hashes:
        return EMPTY_ROOT
    level = list(hashes)
    while len(level) > 1:
        nxt = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def mth(entries: Sequence[bytes]) -> bytes:
    """Merkle Tree Hash of raw entries."""
    return root_from_leaf_hashes([leaf_hash(e) for e in entries])


class CompactRange:
    """The right border of a growing log: one complete-subtree hash per 1-bit of the size.

    Appending is amortised O(1) and the root costs O(log n), so a writer needs only this frontier
    (at most 64 hashes, storable as a list) and not the whole tree to compute the next root.
    """

    def __init__(self, size: int = 0, hashes: Iterable[bytes] = ()) -> None:
        self.size = size
        self.hashes = list(hashes)  # left to right, largest subtree first
        if len(self.hashes) != bin(size).count("1"):
            raise ValueError("a compact range needs one hash per 1-bit of its size")

    def append(self, leaf: bytes) -> None:
        self.hashes.append(leaf)
        size, self.size = self.size, self.size + 1
        # Each trailing 1-bit of the old size is a complete subtree that the new leaf now pairs with.
        while size & 1:
            right = self.hashes.pop()
            self.hashes[-1] = node_hash(self.hashes[-1], right)
            size >>= 1

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        acc = self.hashes[-1]
        for h in reversed(self.hashes[:-1]):
            acc = node_hash(h, acc)
        return acc

    def copy(self) -> CompactRange:
        return CompactRange(self.size, self.hashes)


class MerkleTree:
    """Leaf hashes plus every complete subtree hash, level by level, for proofs at any past size."""

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self.levels: list[list[bytes]] = [[]]
        for h in leaf_hashes:
            self.append(h)

    @classmethod
    def from_entries(cls, entries: Iterable[bytes]) -> MerkleTree:
        return cls(leaf_hash(e) for e in entries)

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def append(self, h: bytes) -> None:
        if len(h) != HASH_SIZE:
            raise ValueError("leaf hash must be 32 bytes")
        self.levels[0].append(h)
        level = 0
        # A new complete subtree closes at each level where the count became even.
        while len(self.levels[level]) % 2 == 0:
            pair = self.levels[level][-2:]
            if len(self.levels) == level + 1:
                self.levels.append([])
            self.levels[level + 1].append(node_hash(pair[0], pair[1]))
            level += 1

    def _range(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) where start is aligned as in RFC 9162's recursion."""
        n = end - start
        if n & (n - 1) == 0:  # complete subtree: stored
            level = n.bit_length() - 1
            return self.levels[level][start >> level]
        k = _split(n)
        return node_hash(self._range(start, start + k), self._range(start + k, end))

    def root(self, size: int | None = None) -> bytes:
        size = self.size if size is None else size
        if not 0 <= size <= self.size:
            raise InvalidProofRequest(f"트리 크기 {josa(size, '가')} 범위를 벗어납니다",
                                      f"tree size {size} is outside 0..{self.size}")
        return EMPTY_ROOT if size == 0 else self._range(0, size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[0:size]) of RFC 9162 section 2.1.3.1, ordered from the leaf up."""
        size = self.size if size is None else size
        if not 0 <= index < size <= self.size:
            raise InvalidProofRequest(
                f"위치 {index}, 크기 {size}: 0 <= 위치 < 크기 <= {self.size} 이어야 합니다",
                f"index {index}, size {size}: need 0 <= index < size <= {self.size}")
        path: list[bytes] = []
        start, end = 0, size
        while end - start > 1:
            k = _split(end - start)
            if index < start + k:
                path.append(self._range(start + k, end))
                end = start + k
            else:
                path.append(self._range(start, start + k))
                start += k
        path.reverse()
        return path

    def consistency_proof(self, size1: int, size2: int | None = None) -> list[bytes]:
        """PROOF(size1, D[0:size2]) of RFC 9162 section 2.1.4.1; empty when size1 == size2."""
        size2 = self.size if size2 is None else size2
        if not 0 < size1 <= size2 <= self.size:
            raise InvalidProofRequest(
                f"크기 {size1}, {size2}: 0 < 크기1 <= 크기2 <= {self.size} 이어야 합니다",
                f"sizes {size1}, {size2}: need 0 < size1 <= size2 <= {self.size}")
        path: list[bytes] = []
        start, end, m, complete = 0, size2, size1, True
        while True:
            n = end - start
            if m == n:
                if not complete:
                    path.append(self._range(start, end))
                break
            k = _split(n)
            if m <= k:
                path.append(self._range(start + k, end))
                end = start + k
            else:
                path.append(self._range(start, start + k))
                start, m, complete = start + k, m - k, False
        path.reverse()
        return path


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int, size: int | None = None) -> list[bytes]:
    """One-off proof; build a MerkleTree once instead when answering many."""
    return MerkleTree(leaf_hashes).inclusion_proof(index, size)


def consistency_proof(leaf_hashes: Sequence[bytes], size1: int, size2: int | None = None) -> list[bytes]:
    return MerkleTree(leaf_hashes).consistency_proof(size1, size2)


def _well_formed(*hashes: bytes) -> bool:
    return all(isinstance(h, bytes | bytearray) and len(h) == HASH_SIZE for h in hashes)


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes | None:
    """RFC 9162 section 2.1.3.2 up to the final comparison; None when the proof cannot be right."""
    if not 0 <= index < size or not _well_formed(leaf, *proof):
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """True when `proof` shows that leaf hash `leaf` is at `index` in the tree of `size` with `root`."""
    calculated = root_from_inclusion_proof(index, size, leaf, proof)
    return calculated is not None and _well_formed(root) and calculated == root


def verify_consistency(size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes) -> bool:
    """RFC 9162 section 2.1.4.2: True when the tree of size2 with root2 extends the one of size1/root1.

    Equal sizes need equal roots and an empty proof; a proof from size 0 is meaningless and fails,
    as in transparency-dev/merkle.
    """
    if not _well_formed(root1, root2, *proof) or not 0 <= size1 <= size2:
        return False
    if size1 == size2:
        return not proof and root1 == root2
    if size1 == 0 or not proof:
        return False
    path = list(proof)
    if size1 & (size1 - 1) == 0:  # size1 is a power of two: its root is a node of the bigger tree
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == root1 and sr == root2
