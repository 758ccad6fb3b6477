"""The policy KPI report as a pure computation over plain facts, against the programme's targets
(the definitions, with a worked example each, are in docs/programme.md, "KPI definitions").

- adoption rate: SMEs of the registered population with at least one completed project whose completion
  the programme officer accepted (state `accepted`, only after the post-consultant's evaluation) / the
  registered population; overall and by region, KSIC industry and size band; by year cumulative
  (accepted by the end of the year). A completed and evaluated project the officer has not accepted
  does not count.
- designated companies: suppliers whose designation is in force (now, and at the end of each year)
- budget per fiscal year against the year's envelope, government vs own: approved (lines an officer
  approved, projects not cancelled), committed (approved lines of projects under contract: contracted,
  in progress or completed) and spent
- outcomes (confirmed only): the median relative change per metric with the number of projects
- industrial accidents per 1,000 workers (the configured exposure) before and after, among officer-accepted
  projects whose SME's workforce is known, and their change against the -20% target
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from programme.rules import METRICS, relative_change

STATES = ("planned", "contracted", "in_progress", "completed", "accepted", "cancelled")
UNDER_CONTRACT = ("contracted", "in_progress", "completed", "accepted")
ACCEPTED = "accepted"
MONEY = ("committed", "approved", "spent")
DIMENSIONS = ("year", "region", "industry")
UNKNOWN_SIZE = "미상"
# (largest headcount, band): the bands of the selection rule's example (docs/programme.md)
SIZE_BANDS: tuple[tuple[int | None, str], ...] = ((49, "소기업"), (299, "중기업"), (None, "중견기업"))


def size_band(employees: int | None) -> str:
    if employees is None:
        return UNKNOWN_SIZE
    return next(band for most, band in SIZE_BANDS if most is None or employees <= most)


@dataclass(frozen=True)
class Where:
    year: int
    region: str
    industry: str

    def key(self, dimension: str) -> str:
        return str(getattr(self, dimension))


@dataclass(frozen=True)
class PopulationSme:
    """An SME of the registered smart-factory population: the denominator of adoption."""

    sme_id: str
    region: str
    industry: str
    size: str = UNKNOWN_SIZE


@dataclass(frozen=True)
class SelectedSme:
    sme_id: str
    where: Where


@dataclass(frozen=True)
class ProjectFact:
    project_id: str
    sme_id: str
    state: str
    where: Where
    evaluated: bool = False  # the post-consultant's evaluation recorded (not enough to count as adopted)
    completed_on: date | None = None
    accepted_on: date | None = None  # the officer accepted the completion (state `accepted`)


@dataclass(frozen=True)
class MoneyFact:
    kind: str  # committed | approved | spent
    source: str  # gov | own
    amount_krw: int
    where: Where


@dataclass(frozen=True)
class OutcomeFact:
    project_id: str
    metric: str
    before: float
    after: float
    where: Where
    workers: int | None = None  # the SME's workforce, for accidents per 1,000 workers


@dataclass(frozen=True)
class Facts:
    selected: list[SelectedSme]
    projects: list[ProjectFact]
    money: list[MoneyFact]
    outcomes: list[OutcomeFact]
    designated_companies: int
    population: list[PopulationSme] = field(default_factory=list)
    envelopes: dict[int, int] = field(default_factory=dict)  # fiscal year -> government envelope (KRW)
    designated_by_year: dict[int, int] = field(default_factory=dict)  # in force at the year's end (or now)


@dataclass(frozen=True)
class Targets:
    adoption_rate: float = 0.10
    designated_companies: int = 500
    accident_change: float = -0.20
    adoption_baseline: float = 0.01
    exposure_workers: int = 1000
    years: tuple[int, ...] = (2026, 2027, 2028, 2029, 2030)


def _round(x: float | None, places: int = 4) -> float | None:
    return None if x is None else round(x, places)


def adopters(projects: Iterable[ProjectFact]) -> set[str]:
    """SMEs with an officer-accepted project: the numerator of adoption."""
    return {pr.sme_id for pr in projects if pr.state == ACCEPTED}


def adoption(population: Iterable[PopulationSme], adopted: set[str]) -> dict[str, Any]:
    ids = {s.sme_id for s in population}
    n = len(ids & adopted)
    return {"population": len(ids), "adopted_smes": n, "adoption_rate": _round(n / len(ids)) if ids else None}


def accidents(outcomes: Iterable[OutcomeFact], accepted_projects: set[str], exposure: int) -> dict[str, Any]:
    """Accidents per `exposure` workers before and after, over accepted projects with a known workforce."""
    rows = [o for o in outcomes if o.metric == "industrial_accidents" and o.project_id in accepted_projects]
    known = [o for o in rows if o.workers]
    workers = sum(o.workers or 0 for o in known)
    before = sum(o.before for o in known) / workers * exposure if workers else None
    after = sum(o.after for o in known) / workers * exposure if workers else None
    change = after / before - 1 if before and after is not None else None
    return {"projects": len(known), "without_workforce": len(rows) - len(known), "workers": workers,
            "exposure_workers": exposure, "before_per_exposure": _round(before, 2),
            "after_per_exposure": _round(after, 2), "change": _round(change)}


def _budget(money: Iterable[MoneyFact]) -> dict[str, dict[str, int]]:
    budget: dict[str, dict[str, int]] = {k: {"gov": 0, "own": 0, "total": 0} for k in MONEY}
    for m in money:
        budget[m.kind][m.source] += m.amount_krw
        budget[m.kind]["total"] += m.amount_krw
    return budget


def figures(population: list[PopulationSme], selected: list[SelectedSme], projects: list[ProjectFact],
            money: list[MoneyFact], outcomes: list[OutcomeFact], adopted: set[str],
            accepted_projects: set[str], exposure: int) -> dict[str, Any]:
    """The figures of one slice of the facts."""
    states = {s: 0 for s in STATES}
    for pr in projects:
        states[pr.state] += 1
    changes: dict[str, list[float]] = defaultdict(list)
    for o in outcomes:
        change = relative_change(o.before, o.after)
        if change is not None:
            changes[o.metric].append(change)
    summary = {metric: {"projects": len(changes[metric]),
                        "median_change": _round(statistics.median(changes[metric])) if changes[metric] else None}
               for metric in METRICS}
    acc = accidents(outcomes, accepted_projects, exposure)
    return {**adoption(population, adopted), "selected_smes": len({s.sme_id for s in selected}),
            "projects": states, "budget": _budget(money), "outcomes": summary,
            "accidents": acc, "accident_change": acc["change"]}


def _by(dimension: str, facts: Facts, adopted: set[str], accepted: set[str], exposure: int) -> dict[str, Any]:
    items: list[Any] = [*facts.selected, *facts.projects, *facts.money, *facts.outcomes]
    keys = {item.where.key(dimension) for item in items}
    if dimension != "year":
        keys |= {str(getattr(s, dimension)) for s in facts.population}

    def pick(items: Iterable[Any], key: str) -> list[Any]:
        return [x for x in items if x.where.key(dimension) == key]

    out = {}
    for key in sorted(keys):
        if dimension == "year":  # adoption by the end of the year, among the whole population
            population = facts.population
            upto = {pr.sme_id for pr in facts.projects if pr.state == ACCEPTED
                    and (pr.accepted_on.year if pr.accepted_on else pr.where.year) <= int(key)}
            slice_adopted = adopted & upto
        else:
            population = [s for s in facts.population if str(getattr(s, dimension)) == key]
            slice_adopted = adopted
        out[key] = figures(population, pick(facts.selected, key), pick(facts.projects, key), pick(facts.money, key),
                           pick(facts.outcomes, key), slice_adopted, accepted, exposure)
    return out


def budget_by_year(facts: Facts, years: Iterable[int]) -> dict[str, Any]:
    out = {}
    for year in sorted({*years, *facts.envelopes, *(m.where.year for m in facts.money)}):
        budget = _budget(m for m in facts.money if m.where.year == year)
        envelope = facts.envelopes.get(year)
        out[str(year)] = {"envelope_gov_krw": envelope, **budget,
                          "approved_gov_share": _round(budget["approved"]["gov"] / envelope) if envelope else None}
    return out


def compute(facts: Facts, targets: Targets = Targets()) -> dict[str, Any]:
    adopted = adopters(facts.projects)
    accepted = {pr.project_id for pr in facts.projects if pr.state == ACCEPTED}
    exposure = targets.exposure_workers
    overall = figures(facts.population, facts.selected, facts.projects, facts.money, facts.outcomes, adopted,
                      accepted, exposure)
    overall["adoption_baseline"] = targets.adoption_baseline
    overall["designated_companies"] = facts.designated_companies

    def by_attr(attr: str) -> dict[str, Any]:
        groups: dict[str, list[PopulationSme]] = defaultdict(list)
        for s in facts.population:
            groups[getattr(s, attr)].append(s)
        return {key: adoption(groups[key], adopted) for key in sorted(groups)}

    return {
        "targets": {"adoption_rate": targets.adoption_rate, "designated_companies": targets.designated_companies,
                    "accident_change": targets.accident_change},
        "overall": overall,
        "progress": {
            "adoption_rate": _ratio(overall["adoption_rate"], targets.adoption_rate),
            "designated_companies": _ratio(facts.designated_companies, targets.designated_companies),
            "accident_change": _ratio(overall["accident_change"], targets.accident_change),
        },
        "adoption": {"overall": adoption(facts.population, adopted), "baseline": targets.adoption_baseline,
                     "by_region": by_attr("region"), "by_industry": by_attr("industry"), "by_size": by_attr("size")},
        "designated_by_year": {str(y): n for y, n in sorted(facts.designated_by_year.items())},
        "budget_by_year": budget_by_year(facts, targets.years),
        "by_year": _by("year", facts, adopted, accepted, exposure),
        "by_region": _by("region", facts, adopted, accepted, exposure),
        "by_industry": _by("industry", facts, adopted, accepted, exposure),
    }


def _ratio(actual: float | None, target: float) -> float | None:
    return None if actual is None or not target else _round(actual / target)


MONEY_KO = {"committed": "협약", "approved": "승인", "spent": "집행"}
SOURCE_KO = {"gov": "정부지원금", "own": "자부담", "total": "합계"}
STATE_KO = {"planned": "계획", "contracted": "협약", "in_progress": "수행 중", "completed": "완료",
            "accepted": "완료 승인", "cancelled": "취소"}
NAMES_KO = {
    "population": "모집단 기업 수", "adopted_smes": "AI 도입 기업 수", "adoption_rate": "AI 도입률",
    "selected_smes": "선정 기업 수", "accident_change": "산업재해율 변화", "designated_companies": "지정 기업 수",
    "accidents_projects": "산업재해 측정 과제 수", "accidents_workers": "산업재해 측정 근로자 수",
    "accidents_before_per_exposure": "도입 전 산업재해(근로자 1,000명당)",
    "accidents_after_per_exposure": "도입 후 산업재해(근로자 1,000명당)",
    "envelope_gov_krw": "사업 예산 총액(정부)", "approved_gov_share": "예산 총액 대비 승인 비율",
}


def name_ko(indicator: str) -> str:
    """The Korean name of a CSV indicator code."""
    if indicator in NAMES_KO:
        return NAMES_KO[indicator]
    parts = indicator.split("_")
    if parts[0] == "projects" and len(parts) > 1:
        return f"과제 수({STATE_KO.get('_'.join(parts[1:]), parts[1])})"
    if parts[0] == "budget" and len(parts) == 4:
        return f"{MONEY_KO.get(parts[1], parts[1])} 예산 {SOURCE_KO.get(parts[2], parts[2])}(원)"
    if parts[0] == "outcome":
        metric = "_".join(parts[1:-2]) if parts[-1] == "change" else "_".join(parts[1:-1])
        label = METRICS.get(metric, {}).get("ko", metric)
        return f"{label} 중앙 변화율" if parts[-1] == "change" else f"{label} 측정 과제 수"
    for suffix, ko in (("_target", "목표"), ("_actual", "실적"), ("_projection", "전망(추정)")):
        if indicator.endswith(suffix):
            return f"{name_ko(indicator[: -len(suffix)])} {ko}"
    return indicator


def rows(report: dict[str, Any]) -> list[tuple[str, str, str, Any]]:
    """The report flattened to (dimension, key, indicator, value) rows, for CSV."""
    out: list[tuple[str, str, str, Any]] = []

    def flat(dimension: str, key: str, fig: dict[str, Any]) -> None:
        add: Callable[[str, Any], None] = lambda name, value: out.append((dimension, key, name, value))  # noqa: E731
        for name in ("population", "adopted_smes", "adoption_rate", "selected_smes"):
            add(name, fig[name])
        for state, n in fig["projects"].items():
            add(f"projects_{state}", n)
        for kind, sources in fig["budget"].items():
            for source, amount in sources.items():
                add(f"budget_{kind}_{source}_krw", amount)
        for metric, s in fig["outcomes"].items():
            add(f"outcome_{metric}_projects", s["projects"])
            add(f"outcome_{metric}_median_change", s["median_change"])
        acc = fig["accidents"]
        for name in ("projects", "workers", "before_per_exposure", "after_per_exposure"):
            add(f"accidents_{name}", acc[name])
        add("accident_change", fig["accident_change"])
        if "designated_companies" in fig:
            add("designated_companies", fig["designated_companies"])

    flat("overall", "all", report["overall"])
    for dimension in DIMENSIONS:
        for key, fig in report[f"by_{dimension}"].items():
            flat(dimension, key, fig)
    for key, fig in report["adoption"]["by_size"].items():
        for name in ("population", "adopted_smes", "adoption_rate"):
            out.append(("size", key, name, fig[name]))
    for year, n in report["designated_by_year"].items():
        out.append(("designated_year", year, "designated_companies", n))
    for year, b in report["budget_by_year"].items():
        out.append(("fiscal_year", year, "envelope_gov_krw", b["envelope_gov_krw"]))
        for kind in MONEY:
            for source, amount in b[kind].items():
                out.append(("fiscal_year", year, f"budget_{kind}_{source}_krw", amount))
        out.append(("fiscal_year", year, "approved_gov_share", b["approved_gov_share"]))
    for kpi, series in report.get("trajectory", {}).get("kpis", {}).items():
        for point in series["years"]:
            out.append(("trajectory", str(point["year"]), f"{kpi}_target", point["target"]))
            out.append(("trajectory", str(point["year"]), f"{kpi}_actual", point["actual"]))
        projection = series["projection"]
        if projection is not None:
            out.append(("trajectory", projection["as_of"], f"{kpi}_projection", projection["value"]))
    for name, target in report["targets"].items():
        out.append(("target", "all", name, target))
    return out
