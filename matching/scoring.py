"""Structured re-ranking: text relevance plus fit on category, industry, level, budget and region.

Pure functions: every component is `weight x value`, the score is their sum, and each component
that matters to the SME yields a reason in Korean and English.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from core.korean import josa
from matching import readiness as rd
from matching import reasons as r
from matching.documents import ALL_MANUFACTURING, LEVELS, NeedQuery, SolutionFacts
from matching.weights import MatchWeights

COMPONENTS: tuple[str, ...] = (
    "text", "category", "industry", "level", "budget", "region", "track_record", "tips", "readiness")
GATED: tuple[str, ...] = ("industry", "level", "budget", "region", "readiness")
# solution id -> the data profiles it declares (matching/readiness.py); read only when the need has an inventory
Requirements = Mapping[str, Sequence[rd.Requirement]]
_GATED_MASK = tuple(name in GATED for name in COMPONENTS)


@dataclass(frozen=True)
class Candidate:
    doc: SolutionFacts  # a `SearchDoc` (with texts) for the candidates that are shown
    text_score: float
    matched_terms: tuple[str, ...] = ()  # query words found in the solution's text, for reasons


@dataclass(frozen=True)
class Match:
    doc_id: str
    score: float
    breakdown: dict[str, float]  # sums to `score`
    reasons_ko: list[str]
    reasons_en: list[str]
    matched_terms: list[str] = field(default_factory=list)
    doc: SolutionFacts | None = None  # what was ranked (the shown matches carry their `SearchDoc`)


Words = Callable[[], tuple[str, str]]
# A component's value, and how to word it in Korean and English (called only to explain a match).
_Part = tuple[float, Words | None]
_NONE: _Part = (0.0, None)


def rank(
    need: NeedQuery,
    candidates: list[Candidate],
    categories: Mapping[str, float],
    weights: MatchWeights,
    *,
    evidence: Mapping[str, list[str]] | None = None,
    labels: Mapping[str, Mapping[str, str]] | None = None,
    top_text: float | None = None,
    explain: bool = True,
    requirements: Requirements | None = None,
) -> list[Match]:
    """Score every candidate and return them best first (ties by document id).

    `categories` is the estimated share of each category for the need (any scale; the best is
    full fit); categories the SME asked for explicitly always count as full fit. Text scores are
    divided by `top_text` (default: the best among `candidates`). Without `explain` the reasons
    are left empty (cheaper when ranking hundreds of candidates before showing a few).
    """
    if top_text is None:
        top_text = max((c.text_score for c in candidates), default=0.0)
    cat_fit = _category_fit(need, categories)
    weight_of = tuple(getattr(weights, name) for name in COMPONENTS)
    matches = [_score(need, c, top_text, cat_fit, weights, weight_of, evidence or {}, labels or {}, explain,
                      requirements or {}) for c in candidates]
    matches.sort(key=lambda m: (-m.score, m.doc_id))
    return matches


def best(
    need: NeedQuery,
    candidates: list[Candidate],
    categories: Mapping[str, float],
    weights: MatchWeights,
    *,
    k: int,
    top_text: float,
    requirements: Requirements | None = None,
) -> list[Candidate]:
    """The `k` candidates `rank` would put first, in its order, without wording any reason or
    building a breakdown: the cheap pass over the hundreds a match retrieves (same scores as `rank`)."""
    cat_fit = _category_fit(need, categories)
    weight_of = tuple(getattr(weights, name) for name in COMPONENTS)
    scored = [(-sum(_values(need, c, top_text, cat_fit, weights, weight_of, requirements=requirements)[0]),
               c.doc.id, i)
              for i, c in enumerate(candidates)]
    return [candidates[i] for _s, _id, i in heapq.nsmallest(k, scored)]


def _category_fit(need: NeedQuery, categories: Mapping[str, float]) -> dict[str, float]:
    best = max(categories.values(), default=0.0)
    fit = {c: v / best for c, v in categories.items() if best > 0 and v > 0}
    for c in need.categories or []:
        fit[c] = 1.0
    return fit


def _score(
    need: NeedQuery,
    cand: Candidate,
    top_text: float,
    cat_fit: Mapping[str, float],
    w: MatchWeights,
    weight_of: tuple[float, ...],
    evidence: Mapping[str, list[str]],
    labels: Mapping[str, Mapping[str, str]],
    explain: bool,
    requirements: Requirements,
) -> Match:
    doc = cand.doc
    values, parts = _values(need, cand, top_text, cat_fit, w, weight_of, evidence, labels, requirements)
    breakdown = dict(zip(COMPONENTS, values, strict=True))
    score = sum(values)
    if not explain:
        return Match(doc.id, score, breakdown, [], [], list(cand.matched_terms), doc)
    order = sorted(range(len(COMPONENTS)), key=lambda i: -abs(values[i]))
    worded = [words() for i in order if (words := parts[i][1]) is not None]
    return Match(doc.id, score, breakdown, [ko for ko, _ in worded], [en for _, en in worded],
                 list(cand.matched_terms), doc)


def _values(
    need: NeedQuery,
    cand: Candidate,
    top_text: float,
    cat_fit: Mapping[str, float],
    w: MatchWeights,
    weight_of: tuple[float, ...],
    evidence: Mapping[str, list[str]] | None = None,
    labels: Mapping[str, Mapping[str, str]] | None = None,
    requirements: Requirements | None = None,
) -> tuple[list[float], tuple[_Part, ...]]:
    """Each component's weighted value (COMPONENTS order), and the parts that word them."""
    doc = cand.doc
    text = _text(cand, top_text, w.text_exponent)
    category = _category(doc, need, cat_fit, evidence or {}, labels or {})
    if w.category_text_floor < 1.0 and category[0] > 0:
        # a solution of the need's kind counts fully as far as its own words meet the need's
        category = (category[0] * (w.category_text_floor + (1 - w.category_text_floor) * text[0]), category[1])
    # Fit counts as far as the solution is relevant at all (its category or its wording): a cheap,
    # deployable solution of an unrelated kind must not climb over a relevant one. Components in
    # COMPONENTS order; industry, level, budget and region are scaled by that relevance.
    relevance = max(text[0], category[0])
    parts = (text, category, _industry(doc, need, w), _level(doc, need, w), _budget(doc, need, w),
             _region(doc, need), _track_record(doc), _tips(doc, w), _readiness(doc, need, w, requirements))
    values = [round(wt * (p[0] * relevance if gated else p[0]), 6)
              for wt, p, gated in zip(weight_of, parts, _GATED_MASK, strict=True)]
    return values, parts


def _text(c: Candidate, top: float, exponent: float = 1.0) -> _Part:
    value = (c.text_score / top) ** exponent if top > 0 and c.text_score > 0 else 0.0
    if not c.matched_terms:
        return (value, None)
    shown = list(c.matched_terms[:4])
    return (value, lambda: (f"요청 내용과 일치: {r.join_ko(shown)}", f"Matches the need: {', '.join(shown)}"))


def _category(doc: SolutionFacts, need: NeedQuery, fit: Mapping[str, float],
              evidence: Mapping[str, list[str]], labels: Mapping[str, Mapping[str, str]]) -> _Part:
    value = fit.get(doc.category, 0.0)
    if value < 0.5:
        return (value, None)

    def words() -> tuple[str, str]:
        ko_label = labels.get(doc.category, {}).get("ko", doc.category)
        en_label = labels.get(doc.category, {}).get("en", doc.category.replace("_", " "))
        if doc.category in (need.categories or []):
            return f"요청한 분야({ko_label})의 솔루션", f"A {en_label} solution, as requested"
        ev = evidence.get(doc.category, [])[:3]
        if ev:
            joined = ", ".join(ev)
            return (f"요청에 맞는 분야: {ko_label} (근거: {joined})",
                    f"Fits the need's field: {en_label} (from: {joined})")
        return f"요청에 맞는 분야: {ko_label}", f"Fits the need's field: {en_label}"

    return (value, words)


def _industry(doc: SolutionFacts, need: NeedQuery, w: MatchWeights) -> _Part:
    industry = need.industry
    if not industry:
        return _NONE
    if industry in doc.industries:
        return (1.0, lambda: (f"{r.industry_ko(industry)} 업종 적용 사례",
                                   f"Applied in {r.industry_en(industry)}"))
    if ALL_MANUFACTURING in doc.industries or not doc.industries:
        return (w.industry_all_value, lambda: ("제조업 전 업종에 적용 가능", "Applicable across manufacturing"))
    targets = ", ".join(doc.industries[:3])
    return (w.industry_other_value, lambda: (f"업종 불일치: 주요 적용 업종 {targets}",
                                                  f"Other industries: built for {targets}"))


def _level(doc: SolutionFacts, need: NeedQuery, w: MatchWeights) -> _Part:
    sme = need.smart_factory_level
    if not sme:
        return _NONE
    needed = doc.min_level
    gap = LEVELS.index(needed) - LEVELS.index(sme)
    if gap <= 0:
        return (1.0, lambda: (f"{r.LEVEL_KO[needed]} 단계에서 도입 가능",
                                   f"Deployable at the {r.LEVEL_EN[needed]} level"))
    return (max(-1.0, -w.level_step_penalty * gap),
                 lambda: (f"{r.LEVEL_KO[needed]} 단계 이상 필요 (현재 {r.LEVEL_KO[sme]})",
                          f"Needs the {r.LEVEL_EN[needed]} level (you are at {r.LEVEL_EN[sme]})"))


def _budget(doc: SolutionFacts, need: NeedQuery, w: MatchWeights) -> _Part:
    budget = need.budget_krw
    if not budget or budget <= 0:
        return _NONE
    lowest = doc.price_min_krw
    if doc.price_max_krw <= budget:
        return (1.0, lambda: (f"예산 {r.format_krw_ko(budget)} 이내",
                                   f"Within the budget of {r.format_krw_en(budget)}"))
    if lowest <= budget:
        return (w.budget_straddle_value, lambda: (
            f"예산 {r.format_krw_ko(budget)} 안에서 시작 가능 (최저 {r.format_krw_ko(lowest)})",
            f"Can start within the budget of {r.format_krw_en(budget)} (from {r.format_krw_en(lowest)})"))
    over = lowest / budget - 1.0
    return (-min(1.0, w.budget_over_slope * over), lambda: (
        f"최저 가격 {josa(r.format_krw_ko(lowest), '로')} 예산 {r.format_krw_ko(budget)} 초과",
        f"Lowest price {r.format_krw_en(lowest)} is over the budget of {r.format_krw_en(budget)}"))


def _region(doc: SolutionFacts, need: NeedQuery) -> _Part:
    region = doc.region
    if need.region and region == need.region:
        return (1.0, lambda: (f"같은 지역({region}) 공급기업",
                                   f"Supplier in the same region ({r.region_en(region)})"))
    return _NONE


def _track_record(doc: SolutionFacts) -> _Part:
    if doc.track_record is None or doc.track_record <= 0:
        return _NONE
    value = min(1.0, float(doc.track_record))
    if value >= 0.5:
        pct = round(value * 100)
        return (value, lambda: (f"성과 수치가 있는 도입 사례 {pct}% (공급기업 자체 신고 포함)",
                                     f"{pct}% of reference cases report measured outcomes (self-declared included)"))
    return (value, None)


def _tips(doc: SolutionFacts, w: MatchWeights) -> _Part:
    stage = doc.tips_stage
    value = w.tips_values.get(stage or "none", 0.0)
    if value <= 0 or stage is None:
        return _NONE
    return (value, lambda: (r.TIPS_KO.get(stage, stage), r.TIPS_EN.get(stage, stage)))


def _readiness(doc: SolutionFacts, need: NeedQuery, w: MatchWeights, requirements: Requirements | None) -> _Part:
    if need.inventory is None or not requirements or doc.id not in requirements:
        return _NONE
    value, worded = rd.fit(requirements[doc.id], need.inventory, partial=w.readiness_partial_value,
                           missing=w.readiness_missing_value)
    if not worded:
        return _NONE
    return (value, lambda: ("; ".join(ko for ko, _ in worded), "; ".join(en for _, en in worded)))
