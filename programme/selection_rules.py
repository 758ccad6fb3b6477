"""Selection by rule as pure functions: the rule document (eligibility, capacity, quotas, score weights),
the score of an applicant, and the ranking that selects within capacity and quotas, puts the rest of the
eligible on a waiting list in order and refuses the ineligible, each decision with its reasons (ko, en).

Ties are broken by score, then confirmed smart-factory level, then the earlier application, then the
business number, so the same applications and rule always give the same order and the same digest.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import Field, model_validator

from core.korean import josa, krw
from registry.fields import Strict
from registry.reference import LEVEL_LABELS, LEVEL_ORDER

QuotaBy = Literal["region", "size_band", "ksic"]
FACTORS = ("sales", "level", "diagnosis", "supply_chain")


class SizeBand(Strict):
    code: str = Field(max_length=16, examples=["소기업"])
    max_employees: int | None = Field(None, ge=0, description="Up to this many employees; the last band has none")


class Eligibility(Strict):
    min_sales_krw: int = Field(0, ge=0, description="매출액 하한 / Minimum yearly sales", examples=[1_000_000_000])
    min_employees: int = Field(0, ge=0)
    min_level: str = Field("basic", description="확인된 스마트공장 수준 하한 / Minimum confirmed level")
    require_confirmed_level: bool = Field(True, description="A pre-consultant must have confirmed the level")
    exclude_prior_cohort: bool = Field(True, description="Not already selected in another year's cohort")

    @model_validator(mode="after")
    def _level(self) -> Eligibility:
        if self.min_level not in LEVEL_ORDER:
            raise ValueError(f"min_level must be one of {', '.join(LEVEL_ORDER)}")
        return self


class Quota(Strict):
    """At most `max[value]` selected SMEs per value of `by`; `*` is the limit of any other value."""

    by: QuotaBy
    max: dict[str, int] = Field(examples=[{"경기": 3000, "*": 1500}])

    @model_validator(mode="after")
    def _limits(self) -> Quota:
        if any(v < 0 for v in self.max.values()):
            raise ValueError("quota limits are not negative")
        return self


class SelectionRuleDoc(Strict):
    """A selection rule as loaded by `axr selection rule load FILE` (JSON)."""

    year: int = Field(ge=2026, le=2030, examples=[2027])
    capacity: int = Field(ge=0, description="선정 정원 / Places", examples=[12_000])
    waitlist_max: int | None = Field(None, ge=0, description="대기 명단 최대 길이 / Longest waiting list")
    eligibility: Eligibility = Field(default_factory=Eligibility)
    quotas: list[Quota] = Field(default_factory=list)
    size_bands: list[SizeBand] = Field(default_factory=lambda: [
        SizeBand(code="소기업", max_employees=49), SizeBand(code="중기업", max_employees=299),
        SizeBand(code="중견기업", max_employees=None)])
    weights: dict[str, float] = Field(default_factory=lambda: {"sales": 0.3, "level": 0.3, "diagnosis": 0.3,
                                                               "supply_chain": 0.1})

    @model_validator(mode="after")
    def _weights(self) -> SelectionRuleDoc:
        unknown = sorted(set(self.weights) - set(FACTORS))
        if unknown:
            raise ValueError(f"unknown weights {', '.join(unknown)}; known: {', '.join(FACTORS)}")
        if any(w < 0 for w in self.weights.values()) or sum(self.weights.values()) <= 0:
            raise ValueError("weights are not negative and do not all equal 0")
        if not self.size_bands or self.size_bands[-1].max_employees is not None:
            raise ValueError("the last size band has no max_employees")
        return self


def rule_digest(doc: SelectionRuleDoc) -> str:
    return hashlib.sha256(json.dumps(doc.model_dump(mode="json"), sort_keys=True, ensure_ascii=False,
                                     separators=(",", ":")).encode()).hexdigest()


@dataclass(frozen=True)
class Applicant:
    sme_id: str
    business_number: str
    region: str
    ksic: str
    applied_on: date
    sales_krw: int
    employees: int
    confirmed_level: str | None
    declared_level: str
    diagnosis_score: float | None
    supply_chain: bool
    prior_cohort: int | None


@dataclass
class Decision:
    sme_id: str
    business_number: str
    outcome: str
    score: float | None = None
    rank: int | None = None
    waitlist_position: int | None = None
    groups: dict[str, str] = field(default_factory=dict)
    reasons: list[dict[str, str]] = field(default_factory=list)


def _ko(level: str) -> str:
    return LEVEL_LABELS.get(level, (level, level))[0]


def size_band(doc: SelectionRuleDoc, employees: int) -> str:
    return next(b.code for b in doc.size_bands if b.max_employees is None or employees <= b.max_employees)


def _level(a: Applicant, doc: SelectionRuleDoc) -> str | None:
    return a.confirmed_level if a.confirmed_level or doc.eligibility.require_confirmed_level else a.declared_level


def refusals(doc: SelectionRuleDoc, a: Applicant) -> list[dict[str, str]]:
    """Every eligibility rule the applicant breaks, in Korean and English."""
    e, out = doc.eligibility, []
    if a.sales_krw < e.min_sales_krw:
        out.append({"ko": f"매출액 {josa(krw(a.sales_krw), '이')} 기준 {krw(e.min_sales_krw)}보다 적습니다",
                    "en": f"sales of {a.sales_krw:,} KRW are below the minimum of {e.min_sales_krw:,} KRW"})
    if a.employees < e.min_employees:
        out.append({"ko": f"종업원 {a.employees}명으로 기준 {e.min_employees}명보다 적습니다",
                    "en": f"{a.employees} employees, fewer than the minimum of {e.min_employees}"})
    level = _level(a, doc)
    if level is None:
        out.append({"ko": "사전 컨설팅에서 확인된 스마트공장 수준이 없습니다",
                    "en": "no smart-factory level confirmed by a pre-consultant"})
    elif LEVEL_ORDER.index(level) < LEVEL_ORDER.index(e.min_level):
        out.append({"ko": f"스마트공장 수준 {josa(_ko(level), '이')} 기준 {_ko(e.min_level)}보다 낮습니다",
                    "en": f"smart-factory level {level} is below the minimum {e.min_level}"})
    if e.exclude_prior_cohort and a.prior_cohort is not None and a.prior_cohort != doc.year:
        out.append({"ko": f"이미 {a.prior_cohort}년 기수로 선정된 기업입니다",
                    "en": f"already selected in the {a.prior_cohort} cohort"})
    return out


def factors(doc: SelectionRuleDoc, a: Applicant) -> dict[str, float]:
    """Each factor on 0..1: sales on a log scale from 100M to 100B KRW, the confirmed level, the
    pre-consultant's diagnosis (0-100), supply-chain membership."""
    level = _level(a, doc) or LEVEL_ORDER[0]
    sales = min(1.0, max(0.0, math.log10(max(a.sales_krw, 1) / 1e8) / 3))
    return {"sales": sales, "level": LEVEL_ORDER.index(level) / (len(LEVEL_ORDER) - 1),
            "diagnosis": min(1.0, max(0.0, (a.diagnosis_score or 0.0) / 100)),
            "supply_chain": 1.0 if a.supply_chain else 0.0}


def score(doc: SelectionRuleDoc, a: Applicant) -> float:
    """The weighted mean of the factors, on 0..100, rounded to 4 places (so ties are exact everywhere)."""
    f, total = factors(doc, a), sum(doc.weights.values())
    return round(100 * sum(doc.weights.get(k, 0.0) * v for k, v in f.items()) / total, 4)


def _groups(doc: SelectionRuleDoc, a: Applicant) -> dict[str, str]:
    values = {"region": a.region, "ksic": a.ksic, "size_band": size_band(doc, a.employees)}
    return {q.by: values[q.by] for q in doc.quotas}


def _limit(q: Quota, value: str) -> int | None:
    return q.max.get(value, q.max.get("*"))


_BY_KO = {"region": "지역", "size_band": "규모", "ksic": "업종"}


def fits(doc: SelectionRuleDoc, groups: dict[str, str], taken: dict[tuple[str, str], int]) -> Quota | None:
    """The first quota that has no room for these group values, or None."""
    for q in doc.quotas:
        limit = _limit(q, groups[q.by])
        if limit is not None and taken.get((q.by, groups[q.by]), 0) >= limit:
            return q
    return None


def _quota_reason(q: Quota, value: str) -> dict[str, str]:
    limit = _limit(q, value)
    return {"ko": f"{_BY_KO[q.by]} 할당({value} {limit:,}개사)이 찼습니다",
            "en": f"the {q.by} quota for {value} ({limit:,} places) is full"}


def order_key(doc: SelectionRuleDoc, a: Applicant, s: float) -> tuple[Any, ...]:
    level = _level(a, doc) or LEVEL_ORDER[0]
    return (-s, -LEVEL_ORDER.index(level), a.applied_on, a.business_number)


def rank(doc: SelectionRuleDoc, applicants: list[Applicant], capacity: int) -> list[Decision]:
    """Decisions in result order: the selected by rank, then the waiting list in order, then the refused
    by business number."""
    eligible: list[tuple[tuple[Any, ...], Applicant, float]] = []
    refused: list[Decision] = []
    for a in applicants:
        why = refusals(doc, a)
        if why:
            refused.append(Decision(a.sme_id, a.business_number, "refused", groups=_groups(doc, a), reasons=why))
        else:
            s = score(doc, a)
            eligible.append((order_key(doc, a, s), a, s))
    eligible.sort(key=lambda t: t[0])
    taken: dict[tuple[str, str], int] = {}
    selected: list[Decision] = []
    waiting: list[Decision] = []
    for position, (_, a, s) in enumerate(eligible, start=1):
        g = _groups(doc, a)
        d = Decision(a.sme_id, a.business_number, "selected", score=s, rank=position, groups=g)
        head = {"ko": f"점수 {s:.4f}점, 적격 신청 {len(eligible):,}개사 중 {position:,}위",
                "en": f"score {s:.4f}, ranked {position:,} of {len(eligible):,} eligible applicants"}
        full = fits(doc, g, taken)
        if len(selected) < capacity and full is None:
            d.reasons = [head, {"ko": f"정원 {capacity:,}개사 안에 선정되었습니다",
                                "en": f"selected within the {capacity:,} places"}]
            for k, v in g.items():
                taken[(k, v)] = taken.get((k, v), 0) + 1
            selected.append(d)
            continue
        blocker = (_quota_reason(full, g[full.by]) if full is not None else
                   {"ko": f"정원 {capacity:,}개사가 모두 찼습니다", "en": f"all {capacity:,} places are taken"})
        if doc.waitlist_max is not None and len(waiting) >= doc.waitlist_max:
            d.outcome, d.reasons = "refused", [head, blocker, {
                "ko": f"대기 명단({doc.waitlist_max:,}개사)도 찼습니다",
                "en": f"the waiting list ({doc.waitlist_max:,}) is full too"}]
            refused.append(d)
            continue
        d.outcome, d.waitlist_position = "waitlisted", len(waiting) + 1
        d.reasons = [head, blocker, {"ko": f"대기 {d.waitlist_position:,}번입니다",
                                     "en": f"waiting list position {d.waitlist_position:,}"}]
        waiting.append(d)
    refused.sort(key=lambda d: d.business_number)
    return [*selected, *waiting, *refused]


def result_digest(rule_digest_hex: str, decisions: list[Decision]) -> str:
    """SHA-256 over the rule's digest and every decision in result order (number, outcome, rank,
    waitlist position, score, reasons): two runs agree on it exactly when they agree on everything."""
    h = hashlib.sha256(rule_digest_hex.encode())
    for d in decisions:
        h.update(b"\n")
        h.update(json.dumps([d.business_number, d.outcome, d.rank, d.waitlist_position,
                             None if d.score is None else f"{d.score:.4f}", d.reasons],
                            ensure_ascii=False, separators=(",", ":")).encode())
    return h.hexdigest()
