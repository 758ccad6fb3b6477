"""Relevance evaluation: the shared eval catalogue as SearchDocs, graded needs, and the metrics.

Metric definitions follow /work/shared/eval/README.md: nDCG@10 with gain 2^grade - 1 and a
log2(rank + 1) discount against the need's own grades sorted; best-in-top-5 is the share of the
need's grade-3 solutions in the first five; MRR of the first solution graded 2 or more; and the
count of returned solutions whose supplier is not actively designated.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matching.documents import NeedQuery, SearchDoc

MILLION = 1_000_000


@dataclass(frozen=True)
class Catalogue:
    docs: dict[str, SearchDoc]
    designation: dict[str, str]  # supplier id -> active, none, suspended, revoked, expired

    def active_suppliers(self, supplier_ids: set[str]) -> set[str]:
        return {s for s in supplier_ids if self.designation.get(s) == "active"}

    def designated(self, pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
        """The matcher's check: a catalogue designation covers all of the supplier's fields."""
        return {(s, c) for s, c in pairs if self.designation.get(s) == "active"}

    def load(self, ids: list[str]) -> dict[str, SearchDoc]:
        return {i: self.docs[i] for i in ids if i in self.docs}


@dataclass(frozen=True)
class GradedNeed:
    id: str
    need: NeedQuery
    grades: dict[str, int]
    kind: str = ""  # what kind of need it is (colloquial, typos, english_mixed, vague, short, constrained)


def load_catalogue(path: str | Path) -> Catalogue:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    docs: dict[str, SearchDoc] = {}
    designation: dict[str, str] = {}
    for s in data["solutions"]:
        sup = s["supplier"]
        supplier_id = sup.get("id") or sup["name"]
        designation[supplier_id] = sup["designation"]
        docs[s["id"]] = SearchDoc(
            id=s["id"], ref=s["id"], supplier_id=supplier_id, supplier_name=sup["name"],
            title_ko=s["title"]["ko"], title_en=s["title"]["en"],
            description_ko=s["description"]["ko"], description_en=s["description"]["en"],
            category=s["category"], industries=list(s["industries"]), min_level=s["min_level"],
            price_min_krw=int(s["price_million_krw"]["min"] * MILLION),
            price_max_krw=int(s["price_million_krw"]["max"] * MILLION),
            region=sup["region"], deployment_mode=s.get("deployment_mode", "on_premise"),
            tips_stage=s.get("tips_stage"), track_record=s.get("track_record"),
        )
    return Catalogue(docs, designation)


def load_needs(path: str | Path) -> list[GradedNeed]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for n in data["needs"]:
        budget = n.get("budget_million_krw")
        out.append(GradedNeed(n["id"], NeedQuery(
            text=n["text"], industry=n.get("industry"), smart_factory_level=n.get("smart_factory_level"),
            budget_krw=int(budget * MILLION) if budget is not None else None, region=n.get("region"),
            categories=n.get("categories")), {k: int(v) for k, v in n["relevance"].items()}, n.get("kind", "")))
    return out


def ndcg_at(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal_grades = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal_grades))
    return dcg / idcg if idcg > 0 else 0.0


def best_in_top(ranked: Sequence[str], grades: Mapping[str, int], k: int = 5) -> float | None:
    best = {d for d, g in grades.items() if g == 3}
    if not best:
        return None
    return len(best & set(ranked[:k])) / len(best)


def mrr(ranked: Sequence[str], grades: Mapping[str, int], min_grade: int = 2) -> float:
    for i, d in enumerate(ranked):
        if grades.get(d, 0) >= min_grade:
            return 1.0 / (i + 1)
    return 0.0


def non_designated(ranked: Sequence[str], catalogue: Catalogue) -> int:
    return sum(1 for d in ranked if catalogue.designation.get(catalogue.docs[d].supplier_id) != "active")


@dataclass(frozen=True)
class NeedScore:
    need_id: str
    ndcg10: float
    best5: float | None
    mrr: float
    non_designated: int


def score_need(need: GradedNeed, ranked: Sequence[str], catalogue: Catalogue) -> NeedScore:
    return NeedScore(need.id, ndcg_at(ranked, need.grades), best_in_top(ranked, need.grades),
                     mrr(ranked, need.grades), non_designated(ranked, catalogue))


def summarize(scores: Sequence[NeedScore]) -> dict[str, Any]:
    best = [s.best5 for s in scores if s.best5 is not None]
    n = len(scores) or 1
    return {
        "ndcg10": sum(s.ndcg10 for s in scores) / n,
        "best5": sum(best) / len(best) if best else None,
        "mrr": sum(s.mrr for s in scores) / n,
        "non_designated": sum(s.non_designated for s in scores),
    }
