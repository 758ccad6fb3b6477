"""Typo tolerance: terms one edit away, Hangul compared jamo by jamo (붕량 ~ 불량).

Known terms are kept by their jamo spelling; a lookup spells every string one edit away from the
query term (a jamo or letter deleted, inserted, replaced or two swapped: about a thousand for a
three-syllable word) and probes for each, so memory is one entry per term (a deletion index, the
SymSpell idea, needed ten per term: 80 MB at 100k solutions) and a lookup stays well under a
millisecond. Only the few query words that are not known terms are ever looked up.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

_S_BASE, _S_END = 0xAC00, 0xD7A3
_CHO = [chr(0x1100 + i) for i in range(19)]
_JUNG = [chr(0x1161 + i) for i in range(21)]
_JONG = [""] + [chr(0x11A8 + i) for i in range(27)]
_JAMO = "".join(_CHO + _JUNG + _JONG)
_LATIN = "abcdefghijklmnopqrstuvwxyz"

MIN_HANGUL_SYLLABLES = 2
MIN_LATIN_LETTERS = 5


def to_jamo(text: str) -> str:
    """Decompose Hangul syllables into conjoining jamo (불 -> ㅂㅜㄹ); other characters unchanged."""
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if _S_BASE <= code <= _S_END:
            idx = code - _S_BASE
            out.append(_CHO[idx // 588])
            out.append(_JUNG[(idx % 588) // 28])
            out.append(_JONG[idx % 28])
        else:
            out.append(ch)
    return "".join(out)


def _is_hangul_word(term: str) -> bool:
    return all(_S_BASE <= ord(c) <= _S_END for c in term)


def eligible(term: str) -> bool:
    """Whether a term is long enough for a typo to be told apart from a different word."""
    if _is_hangul_word(term):
        return len(term) >= MIN_HANGUL_SYLLABLES
    return term.isascii() and term.isalpha() and len(term) >= MIN_LATIN_LETTERS


def one_edit_variants(key: str, alphabet: str) -> set[str]:
    """Every string one deletion, insertion, substitution (from `alphabet`) or adjacent swap from `key`."""
    splits = [(key[:i], key[i:]) for i in range(len(key) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in alphabet}
    out |= {a + c + b for a, b in splits for c in alphabet}
    out.discard(key)
    return out


def within_one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance <= 1 (one insertion, deletion, substitution or swap)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


class FuzzyVocabulary:
    """Terms one edit away from a query term; Hangul is compared by jamo."""

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._known: set[str] = set()
        self._by_key: dict[str, str] = {}  # jamo spelling -> term, for terms that may be suggested
        self.add(terms)

    def __len__(self) -> int:
        return len(self._known)

    def __contains__(self, term: object) -> bool:
        return term in self._known

    def add(self, terms: Iterable[str]) -> None:
        """Add terms (idempotent); short or mixed-script terms are known but never suggested."""
        with self._lock:
            for term in terms:
                if term in self._known:
                    continue
                self._known.add(term)
                if eligible(term):
                    self._by_key[to_jamo(term)] = term

    def similar(self, term: str, limit: int = 3) -> list[str]:
        """Known terms within one edit of `term` (not `term` itself), most similar first."""
        if not eligible(term):
            return []
        key = to_jamo(term)
        by_key = self._by_key
        alphabet = _LATIN if term.isascii() else _JAMO
        hits = [t for v in one_edit_variants(key, alphabet) if (t := by_key.get(v)) is not None]
        # prefer same length (a substituted jamo) and then alphabetical order, for stable output
        hits.sort(key=lambda t: (abs(len(t) - len(term)), t))
        return hits[:limit]
