"""The structured facts of every indexed solution, kept in memory by the embedded index.

The matcher ranks hundreds of hits per query on these facts (`Hit.facts`), so reading them must not
touch the index's document store or the database: a hit's 63-bit key (a fast field of the index)
finds them here. About 30 MB at 100k solutions, strings shared.
"""

from __future__ import annotations

import hashlib
import sys
from typing import Any

from matching.documents import SolutionFacts


def doc_key(doc_id: str) -> int:
    """A 63-bit key for a document id (a collision is detected and falls back to the stored doc)."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=8).digest(), "big") >> 1


class FactTable:
    """Every indexed solution's `SolutionFacts` by `doc_key`, with shared strings (about 30 MB at
    100k documents). A key two ids share maps to None, and its hits read the stored document."""

    def __init__(self) -> None:
        self._by_key: dict[int, SolutionFacts | None] = {}
        self._shared: dict[Any, Any] = {}

    def _share(self, value: Any) -> Any:
        return self._shared.setdefault(value, value)

    def put(self, f: SolutionFacts) -> None:
        key = doc_key(f.id)
        old = self._by_key.get(key, f)
        if old is None or old.id != f.id:
            self._by_key[key] = None
            return
        self._by_key[key] = SolutionFacts(
            id=f.id, supplier_id=self._share(f.supplier_id), category=sys.intern(f.category),
            industries=self._share(tuple(f.industries)), min_level=sys.intern(f.min_level),
            price_min_krw=f.price_min_krw, price_max_krw=f.price_max_krw, region=sys.intern(f.region),
            deployment_mode=sys.intern(f.deployment_mode),
            tips_stage=sys.intern(f.tips_stage) if f.tips_stage else None, track_record=f.track_record)

    def drop(self, doc_id: str) -> None:
        key = doc_key(doc_id)
        f = self._by_key.get(key)
        if f is not None and f.id == doc_id:
            del self._by_key[key]

    def get(self, key: int) -> SolutionFacts | None:
        return self._by_key.get(key)

    def __len__(self) -> int:
        return len(self._by_key)
