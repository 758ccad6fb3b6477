"""Bilingual thesaurus as versioned data: synonym expansion and category inference.

A group holds terms that mean the same thing to an SME (불량 검출 ~ 결함 검사 ~ defect detection),
optionally tagged with the solution categories it points to and how strongly. Terms are run
through the same analyser as documents, so a group matches whatever spacing or particles the
query uses. Edit `data/thesaurus.yaml`, or load a dict with `Thesaurus.from_data`.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from matching.analysis import Analysis, AnalyzedQuery, QueryTerm, analyze_many

CATEGORIES: tuple[str, ...] = (
    "vision_inspection", "predictive_maintenance", "industrial_safety", "production_scheduling",
    "energy_management", "process_optimization", "quality_prediction", "demand_forecasting",
    "logistics_automation", "robotics_control", "manufacturing_llm", "data_platform",
)
DEFAULT_SYNONYM_WEIGHT = 0.6
# A part of a multi-word synonym (검사 of 결함 검사) says less than the whole phrase.
PART_FACTOR = 0.5
# Words of a multi-word entry must appear in order, with at most this many words between.
WINDOW_SLACK = 0


class ThesaurusError(ValueError):
    """The thesaurus data is malformed; the message says where."""


@dataclass(frozen=True)
class Group:
    id: str
    terms: tuple[str, ...]
    categories: Mapping[str, float] = field(default_factory=dict)
    weight: float = DEFAULT_SYNONYM_WEIGHT
    note: str | None = None


@dataclass(frozen=True)
class GroupMatch:
    group: Group
    term: str  # the thesaurus term found in the query, as written in the thesaurus


@dataclass(frozen=True)
class CategoryInference:
    """Share of evidence per category (sums to 1 when any evidence) and the terms behind it."""

    scores: dict[str, float]
    evidence: dict[str, list[str]]
    strength: dict[str, float] = field(default_factory=dict)  # summed group strengths, before normalising

    def top(self, n: int = 3) -> list[tuple[str, float]]:
        return sorted(self.scores.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


@dataclass(frozen=True)
class _Entry:
    group: int
    term: str
    analysis: Analysis


class Thesaurus:
    """Validated thesaurus data plus the lookup structures built from it."""

    def __init__(self, version: str, groups: list[Group], labels: dict[str, dict[str, str]]) -> None:
        self.version = version
        self.groups = groups
        self.labels = labels  # category -> {"ko": ..., "en": ...}
        self._lock = threading.Lock()
        self._entries: list[_Entry] | None = None
        self._by_token: dict[str, list[int]] = {}
        self._by_group: dict[int, list[_Entry]] = {}

    # --- data ----------------------------------------------------------------------------------

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Thesaurus:
        """Build from a dict shaped like `data/thesaurus.yaml`; raises ThesaurusError if invalid."""
        if not isinstance(data, Mapping):
            raise ThesaurusError("thesaurus must be a mapping")
        version = data.get("version")
        if not isinstance(version, str | int) or isinstance(version, bool) or str(version) == "":
            raise ThesaurusError("`version` is required (string or integer)")
        labels = _parse_labels(data.get("categories", {}))
        raw_groups = data.get("groups")
        if not isinstance(raw_groups, list) or not raw_groups:
            raise ThesaurusError("`groups` must be a non-empty list")
        seen: set[str] = set()
        groups = []
        for i, g in enumerate(raw_groups):
            group = _parse_group(g, i)
            if group.id in seen:
                raise ThesaurusError(f"groups[{i}]: duplicate id {group.id!r}")
            seen.add(group.id)
            groups.append(group)
        return cls(str(version), groups, labels)

    def to_data(self) -> dict[str, Any]:
        """The data this thesaurus was built from, ready for YAML or JSON."""
        groups: list[dict[str, Any]] = []
        for g in self.groups:
            d: dict[str, Any] = {"id": g.id}
            if g.categories:
                d["categories"] = dict(g.categories)
            if g.weight != DEFAULT_SYNONYM_WEIGHT:
                d["weight"] = g.weight
            if g.note:
                d["note"] = g.note
            d["terms"] = list(g.terms)
            groups.append(d)
        return {"version": self.version, "categories": {k: dict(v) for k, v in self.labels.items()},
                "groups": groups}

    def label(self, category: str, lang: str) -> str:
        return self.labels.get(category, {}).get(lang, category.replace("_", " "))

    # --- lookup --------------------------------------------------------------------------------

    def _compiled(self) -> list[_Entry]:
        if self._entries is None:
            with self._lock:
                if self._entries is None:
                    pairs = [(gi, t) for gi, g in enumerate(self.groups) for t in g.terms]
                    analyses = analyze_many([t for _, t in pairs])
                    entries: list[_Entry] = []
                    by_token: dict[str, list[int]] = {}
                    for (gi, term), a in zip(pairs, analyses, strict=True):
                        if not a.terms:
                            continue
                        idx = len(entries)
                        entries.append(_Entry(gi, term, a))
                        for key in {*a.terms, "".join(a.terms)}:
                            by_token.setdefault(key, []).append(idx)
                    self._by_token = by_token
                    by_group: dict[int, list[_Entry]] = {}
                    for e in entries:
                        by_group.setdefault(e.group, []).append(e)
                    self._by_group = by_group
                    self._entries = entries
        return self._entries

    def compile(self) -> None:
        """Analyse every term now (Kiwi, a few thousand terms): a catch-up does this before it starts, so the
        first query meanwhile does not analyse them while competing with the catch-up for Kiwi's threads
        (2-3.7 s for the first search after a restart at 10k solutions, bench/catch_up.py)."""
        self._compiled()

    def vocabulary(self) -> set[str]:
        """Every token the thesaurus can emit, for the typo-tolerance vocabulary."""
        return {tok for e in self._compiled() for tok in e.analysis.tokens}

    def matches(self, query: AnalyzedQuery) -> list[GroupMatch]:
        """Groups with a term present in the query, each once, in group order.

        The longest reading wins: a match whose query words all lie inside another group's
        longer match (picking inside bin picking) is dropped.
        """
        entries = self._compiled()
        qterms = list(query.terms)
        qtokens = set(query.tokens) | set(qterms)
        positions: dict[str, list[int]] = {}
        for i, t in enumerate(qterms):
            positions.setdefault(t, []).append(i)
        found: dict[int, tuple[str, frozenset[int]]] = {}
        candidates = {ix for tok in qtokens for ix in self._by_token.get(tok, ())}
        for ix in sorted(candidates):
            e = entries[ix]
            covered = _entry_in_query(e.analysis, qtokens, positions)
            if covered is None:
                continue
            old = found.get(e.group)
            if old is None or len(covered) > len(old[1]):
                found[e.group] = (e.term, covered)
        kept = [
            (gi, term) for gi, (term, cov) in found.items()
            if not cov or not any(cov < other for gj, (_, other) in found.items() if gj != gi)
        ]
        return [GroupMatch(self.groups[gi], term) for gi, term in sorted(kept)]

    def expand(self, query: AnalyzedQuery, matches: list[GroupMatch] | None = None) -> list[QueryTerm]:
        """Synonyms of the query's terms as weighted tokens (below the 1.0 of the query's own)."""
        self._compiled()
        matches = self.matches(query) if matches is None else matches
        own = set(query.tokens)
        out: dict[str, QueryTerm] = {}
        index_of = {id(g): gi for gi, g in enumerate(self.groups)}
        for m in matches:
            w = m.group.weight
            if w <= 0:
                continue
            for e in self._by_group.get(index_of[id(m.group)], []):
                a = e.analysis
                if len(a.terms) == 1:
                    weighted = [(a.tokens[0] if a.tokens else a.terms[0], w)]
                else:
                    term_set = set(a.terms)
                    weighted = [(t, w if t not in term_set else w * PART_FACTOR) for t in a.tokens]
                for tok, tw in weighted:
                    if tok in own:
                        continue
                    old = out.get(tok)
                    if old is None or tw > old.weight:
                        out[tok] = QueryTerm(tok, tw, "synonym", m.term)
        return list(out.values())

    def infer_categories(self, query: AnalyzedQuery, matches: list[GroupMatch] | None = None
                         ) -> CategoryInference:
        """Distribution over the 12 categories from the groups the query mentions."""
        matches = self.matches(query) if matches is None else matches
        raw: dict[str, float] = {}
        evidence: dict[str, list[str]] = {}
        for m in matches:
            for cat, strength in m.group.categories.items():
                raw[cat] = raw.get(cat, 0.0) + strength
                ev = evidence.setdefault(cat, [])
                if m.term not in ev:
                    ev.append(m.term)
        total = sum(raw.values())
        scores = {c: v / total for c, v in raw.items()} if total > 0 else {}
        return CategoryInference(scores, evidence, raw)


def _entry_in_query(a: Analysis, qtokens: set[str], positions: dict[str, list[int]]
                    ) -> frozenset[int] | None:
    """The query positions an entry covers, or None when it is not in the query."""
    terms = a.terms
    if len(terms) == 1:
        # 불량률 must not match a bare 불량: require the whole word when the entry has one
        whole = [t for t in a.tokens if t != terms[0]]
        if whole and whole[0] not in qtokens:
            return None
        if not whole and terms[0] not in qtokens:
            return None
        key = whole[0] if whole else terms[0]
        return _positions_of(key, positions)
    for start in positions.get(terms[0], ()):
        covered = [start]
        for t in terms[1:]:
            nxt = [p for p in positions.get(t, ()) if covered[-1] < p <= covered[-1] + 1 + WINDOW_SLACK]
            if not nxt:
                break
            covered.append(nxt[0])
        else:
            return frozenset(covered)
    if "".join(terms) in qtokens:
        return _positions_of("".join(terms), positions)
    return None


def _positions_of(token: str, positions: dict[str, list[int]]) -> frozenset[int]:
    """Query positions of a token, or of the query words inside it when it is a compound."""
    if token in positions:
        return frozenset(positions[token])
    return frozenset(i for t, ps in positions.items() if len(t) > 1 and t in token for i in ps)


def _parse_labels(raw: Any) -> dict[str, dict[str, str]]:
    if not isinstance(raw, Mapping):
        raise ThesaurusError("`categories` must map a category to its ko/en labels")
    labels: dict[str, dict[str, str]] = {}
    for cat, lab in raw.items():
        if cat not in CATEGORIES:
            raise ThesaurusError(f"categories: unknown category {cat!r}")
        if not isinstance(lab, Mapping) or not all(isinstance(lab.get(k), str) for k in ("ko", "en")):
            raise ThesaurusError(f"categories.{cat}: needs `ko` and `en` labels")
        labels[cat] = {"ko": lab["ko"], "en": lab["en"]}
    return labels


def _parse_group(g: Any, i: int) -> Group:
    where = f"groups[{i}]"
    if not isinstance(g, Mapping):
        raise ThesaurusError(f"{where}: must be a mapping")
    gid = g.get("id")
    if not isinstance(gid, str) or not gid.strip():
        raise ThesaurusError(f"{where}: `id` must be a non-empty string")
    where = f"group {gid!r}"
    terms = g.get("terms")
    if not isinstance(terms, list) or not terms:
        raise ThesaurusError(f"{where}: `terms` must be a non-empty list")
    clean: list[str] = []
    for t in terms:
        if not isinstance(t, str) or not t.strip():
            raise ThesaurusError(f"{where}: every term must be a non-empty string, got {t!r}")
        if t.strip() not in clean:
            clean.append(t.strip())
    cats = g.get("categories", {}) or {}
    if not isinstance(cats, Mapping):
        raise ThesaurusError(f"{where}: `categories` must map category -> strength")
    for cat, s in cats.items():
        if cat not in CATEGORIES:
            raise ThesaurusError(f"{where}: unknown category {cat!r}")
        if not isinstance(s, int | float) or isinstance(s, bool) or not 0 < s <= 1 or math.isnan(s):
            raise ThesaurusError(f"{where}: strength of {cat} must be in (0, 1]")
    weight = g.get("weight", DEFAULT_SYNONYM_WEIGHT)
    if not isinstance(weight, int | float) or isinstance(weight, bool) or not 0 <= weight < 1:
        raise ThesaurusError(f"{where}: `weight` must be in [0, 1) (synonyms rank below the query's words)")
    note = g.get("note")
    if note is not None and not isinstance(note, str):
        raise ThesaurusError(f"{where}: `note` must be a string")
    return Group(gid, tuple(clean), {str(k): float(v) for k, v in cats.items()}, float(weight), note)


@lru_cache(maxsize=1)
def default_thesaurus() -> Thesaurus:
    """The thesaurus shipped in `matching/data/thesaurus.yaml`."""
    import yaml

    text = resources.files("matching.data").joinpath("thesaurus.yaml").read_text(encoding="utf-8")
    return Thesaurus.from_data(yaml.safe_load(text))
