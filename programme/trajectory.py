"""The path to 2030 as a pure computation: each KPI's target per programme year, the actual of each
year (from the year's stored snapshot, or the live figure for the current year only, so that past
years are never recomputed from today's data) and a projection to the horizon (June 2030), labelled
as a projection: the straight line from the starting point through the latest actual."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

KPIS = ("adoption_rate", "designated_companies", "accident_change")
LABEL_KO = {"adoption_rate": "AI 도입률", "designated_companies": "지정 AI 전문기업 수",
            "accident_change": "산업재해율 변화"}
BOUNDS: dict[str, tuple[float, float | None]] = {"adoption_rate": (0.0, 1.0), "designated_companies": (0.0, None),
                                                 "accident_change": (-1.0, None)}  # a line may not leave them
PROJECTION_KO = "전망(추정): 기준점에서 최근 실적까지의 추세를 2030년 6월까지 직선으로 연장한 값이며 실적이 아닙니다"
PROJECTION_EN = "projection (an estimate, not an actual): the line from the starting point through the latest actual"


@dataclass(frozen=True)
class Plan:
    years: tuple[int, ...]
    horizon: date
    baseline_date: date
    baselines: Mapping[str, float]
    paths: Mapping[str, Mapping[int, float]]


@dataclass(frozen=True)
class Point:
    year: int
    as_of: date
    values: dict[str, Any]  # the headline figures (kpis.headline)
    source: str  # snapshot | live


def _years_between(a: date, b: date) -> float:
    return (b - a).days / 365.25


def project(baseline_date: date, baseline: float, latest_date: date, latest: float, horizon: date) -> float | None:
    """The value at `horizon` on the line through (baseline_date, baseline) and (latest_date, latest)."""
    span = _years_between(baseline_date, latest_date)
    if span <= 0:
        return None
    return baseline + (latest - baseline) / span * _years_between(baseline_date, horizon)


def compute(plan: Plan, points: list[Point]) -> dict[str, Any]:
    by_year = {p.year: p for p in points}
    kpis: dict[str, Any] = {}
    for kpi in KPIS:
        years, latest = [], None
        for year in plan.years:
            point = by_year.get(year)
            actual = point.values.get(kpi) if point else None
            target = plan.paths.get(kpi, {}).get(year)
            years.append({"year": year, "target": target, "actual": actual,
                          "as_of": point.as_of.isoformat() if point and actual is not None else None,
                          "source": point.source if point and actual is not None else None,
                          "gap": _round(actual - target) if actual is not None and target is not None else None})
            if point is not None and actual is not None:
                latest = (point.as_of, float(actual))
        projection = None
        if latest is not None:
            value = project(plan.baseline_date, plan.baselines.get(kpi, 0.0), latest[0], latest[1], plan.horizon)
            if value is not None:
                low, high = BOUNDS[kpi]
                value = max(low, value if high is None else min(high, value))
                final = plan.paths.get(kpi, {}).get(max(plan.years)) if plan.years else None
                projection = {"value": _round(value), "as_of": plan.horizon.isoformat(), "projection": True,
                              "from": latest[0].isoformat(), "target": final,
                              "label_ko": PROJECTION_KO, "label_en": PROJECTION_EN}
        kpis[kpi] = {"label_ko": LABEL_KO[kpi],
                     "baseline": {"value": plan.baselines.get(kpi, 0.0), "as_of": plan.baseline_date.isoformat()},
                     "years": years, "projection": projection}
    return {"horizon": plan.horizon.isoformat(), "kpis": kpis}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
