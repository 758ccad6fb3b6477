"""Plain BM25 baseline: character bigrams + whitespace words, no domain knowledge.

Okapi BM25 (k1 = 1.2, b = 0.75) over each solution's titles and descriptions (Korean and
English); non-designated suppliers are filtered out. This is the yardstick the matcher must beat.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable

K1 = 1.2
B = 0.75
_PUNCT = re.compile(r"[^\w\s]")


def tokens(text: str) -> list[str]:
    """Lower-cased whitespace words plus the character bigrams inside each word."""
    out: list[str] = []
    for word in _PUNCT.sub(" ", text.lower()).split():
        out.append(word)
        out.extend(word[i:i + 2] for i in range(len(word) - 1))
    return out


class BM25:
    def __init__(self, docs: Iterable[tuple[str, str]]) -> None:
        self.tf: dict[str, Counter[str]] = {}
        self.length: dict[str, int] = {}
        df: Counter[str] = Counter()
        for doc_id, text in docs:
            toks = tokens(text)
            self.tf[doc_id] = Counter(toks)
            self.length[doc_id] = len(toks)
            df.update(set(toks))
        n = len(self.tf)
        self.avgdl = sum(self.length.values()) / n if n else 0.0
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, query: str) -> dict[str, float]:
        q = tokens(query)
        out: dict[str, float] = {}
        for doc_id, tf in self.tf.items():
            norm = K1 * (1 - B + B * self.length[doc_id] / self.avgdl)
            s = 0.0
            for t in q:
                f = tf.get(t, 0)
                if f:
                    s += self.idf[t] * f * (K1 + 1) / (f + norm)
            if s > 0:
                out[doc_id] = s
        return out

    def search(self, query: str, allowed: Callable[[str], bool], limit: int = 50) -> list[str]:
        """Best-first ids of allowed documents (ties by id)."""
        ranked = sorted(self.scores(query).items(), key=lambda kv: (-kv[1], kv[0]))
        return [d for d, _ in ranked if allowed(d)][:limit]
