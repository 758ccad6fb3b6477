"""Structured re-ranking: text relevance plus fit on category, industry, level, budget and region.

Pure functions: every component is `weight x value`, the score is their sum, and each component
that matters to the SME yields a reason in Korean and English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from matching import reasons as r
from matching.documents import ALL_MANUFACTURING, LEVELS, NeedQuery, SearchDoc
from matching.weights import MatchWeights

COMPONENTS: tuple[str, ...] = (
    "text", "category", "industry", "level", "budget", "region", "track_record", "tips")
GATED: tuple[str, ...] = ("industry", "level", "budget", "region")


@dataclass(frozen=True)
class Candidate:
    doc: SearchDoc
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


@dataclass
class _Part:
    value: float = 0.0
    ko: str | None = None
    en: str | None = None


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
    matches = [_score(need, c, top_text, cat_fit, weights, evidence or {}, labels or {}, explain)
               for c in candidates]
    matches.sort(key=lambda m: (-m.score, m.doc_id))
    return matches


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
    evidence: Mapping[str, list[str]],
    labels: Mapping[str, Mapping[str, str]],
    explain: bool,
) -> Match:
    doc = cand.doc
    parts = {
        "text": _text(cand, top_text),
        "category": _category(doc, need, cat_fit, evidence, labels),
        "industry": _industry(doc, need, w),
        "level": _level(doc, need, w),
        "budget": _budget(doc, need, w),
        "region": _region(doc, need),
        "track_record": _track_record(doc),
        "tips": _tips(doc, w),
    }
    weight_of = {"text": w.text, "category": w.category, "industry": w.industry, "level": w.level,
                 "budget": w.budget, "region": w.region, "track_record": w.track_record, "tips": w.tips}
    # Fit counts as far as the solution is relevant at all (its category or its wording): a cheap,
    # deployable solution of an unrelated kind must not climb over a relevant one.
    relevance = max(parts["text"].value, parts["category"].value)
    for name in GATED:
        parts[name].value *= relevance
    breakdown = {name: round(weight_of[name] * parts[name].value, 6) for name in COMPONENTS}
    score = sum(breakdown.values())
    if not explain:
        return Match(doc.id, score, breakdown, [], [], list(cand.matched_terms))
    order = sorted(COMPONENTS, key=lambda n: -abs(breakdown[n]))
    ko = [t for n in order if (t := parts[n].ko)]
    en = [t for n in order if (t := parts[n].en)]
    return Match(doc.id, score, breakdown, ko, en, list(cand.matched_terms))


def _text(c: Candidate, top: float) -> _Part:
    value = c.text_score / top if top > 0 else 0.0
    if not c.matched_terms:
        return _Part(value)
    shown = list(c.matched_terms[:4])
    return _Part(value, f"요청 내용과 일치: {r.join_ko(shown)}", f"Matches the need: {', '.join(shown)}")


def _category(doc: SearchDoc, need: NeedQuery, fit: Mapping[str, float],
              evidence: Mapping[str, list[str]], labels: Mapping[str, Mapping[str, str]]) -> _Part:
    value = fit.get(doc.category, 0.0)
    if value < 0.5:
        return _Part(value)
    ko_label = labels.get(doc.category, {}).get("ko", doc.category)
    en_label = labels.get(doc.category, {}).get("en", doc.category.replace("_", " "))
    if doc.category in (need.categories or []):
        return _Part(value, f"요청한 분야({ko_label})의 솔루션", f"A {en_label} solution, as requested")
    ev = evidence.get(doc.category, [])[:3]
    if ev:
        joined = ", ".join(ev)
        return _Part(value, f"요청에 맞는 분야: {ko_label} (근거: {joined})",
                     f"Fits the need's field: {en_label} (from: {joined})")
    return _Part(value, f"요청에 맞는 분야: {ko_label}", f"Fits the need's field: {en_label}")


def _industry(doc: SearchDoc, need: NeedQuery, w: MatchWeights) -> _Part:
    if not need.industry:
        return _Part()
    if need.industry in doc.industries:
        return _Part(1.0, f"{r.industry_ko(need.industry)} 업종 적용 사례",
                     f"Applied in {r.industry_en(need.industry)}")
    if ALL_MANUFACTURING in doc.industries or not doc.industries:
        return _Part(w.industry_all_value, "제조업 전 업종에 적용 가능", "Applicable across manufacturing")
    targets = ", ".join(doc.industries[:3])
    return _Part(w.industry_other_value, f"업종 불일치: 주요 적용 업종 {targets}",
                 f"Other industries: built for {targets}")


def _level(doc: SearchDoc, need: NeedQuery, w: MatchWeights) -> _Part:
    if not need.smart_factory_level:
        return _Part()
    gap = LEVELS.index(doc.min_level) - LEVELS.index(need.smart_factory_level)
    if gap <= 0:
        return _Part(1.0, f"{r.LEVEL_KO[doc.min_level]} 단계에서 도입 가능",
                     f"Deployable at the {r.LEVEL_EN[doc.min_level]} level")
    return _Part(max(-1.0, -w.level_step_penalty * gap),
                 f"{r.LEVEL_KO[doc.min_level]} 단계 이상 필요 (현재 {r.LEVEL_KO[need.smart_factory_level]})",
                 f"Needs the {r.LEVEL_EN[doc.min_level]} level "
                 f"(you are at {r.LEVEL_EN[need.smart_factory_level]})")


def _budget(doc: SearchDoc, need: NeedQuery, w: MatchWeights) -> _Part:
    budget = need.budget_krw
    if not budget or budget <= 0:
        return _Part()
    b_ko, b_en = r.format_krw_ko(budget), r.format_krw_en(budget)
    if doc.price_max_krw <= budget:
        return _Part(1.0, f"예산 {b_ko} 이내", f"Within the budget of {b_en}")
    lo_ko, lo_en = r.format_krw_ko(doc.price_min_krw), r.format_krw_en(doc.price_min_krw)
    if doc.price_min_krw <= budget:
        return _Part(w.budget_straddle_value, f"예산 {b_ko} 안에서 시작 가능 (최저 {lo_ko})",
                     f"Can start within the budget of {b_en} (from {lo_en})")
    over = doc.price_min_krw / budget - 1.0
    return _Part(-min(1.0, w.budget_over_slope * over), f"최저 가격 {lo_ko}로 예산 {b_ko} 초과",
                 f"Lowest price {lo_en} is over the budget of {b_en}")


def _region(doc: SearchDoc, need: NeedQuery) -> _Part:
    if need.region and doc.region == need.region:
        return _Part(1.0, f"같은 지역({doc.region}) 공급기업",
                     f"Supplier in the same region ({r.region_en(doc.region)})")
    return _Part()


def _track_record(doc: SearchDoc) -> _Part:
    if doc.track_record is None or doc.track_record <= 0:
        return _Part()
    value = min(1.0, float(doc.track_record))
    if value >= 0.5:
        pct = round(value * 100)
        return _Part(value, f"도입 성과 검증 사례 {pct}%",
                     f"{pct}% of reference cases with measured outcomes")
    return _Part(value)


def _tips(doc: SearchDoc, w: MatchWeights) -> _Part:
    stage = doc.tips_stage
    value = w.tips_values.get(stage or "none", 0.0)
    if value <= 0 or stage is None:
        return _Part()
    return _Part(value, r.TIPS_KO.get(stage), r.TIPS_EN.get(stage))
