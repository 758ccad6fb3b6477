"""The policy KPI report as a pure computation over plain facts, each figure by year, region and KSIC
industry, against the programme's targets.

- adoption rate: selected SMEs (selected or graduated) with a completed project / selected SMEs; an SME
  counts in its cohort's year
- designated companies: actively designated suppliers now
- budget committed (approved lines of projects not cancelled) and spent, by source, in the line's year
- outcomes (confirmed only): the median relative change per metric over projects, in the project's year;
  industrial accidents as the change of their total, against the -20% target
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from programme.rules import METRICS, relative_change

STATES = ("planned", "contracted", "in_progress", "completed", "cancelled")
DIMENSIONS = ("year", "region", "industry")


@dataclass(frozen=True)
class Where:
    year: int
    region: str
    industry: str

    def key(self, dimension: str) -> str:
        return str(getattr(self, dimension))


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


@dataclass(frozen=True)
class MoneyFact:
    kind: str  # committed | spent
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


@dataclass(frozen=True)
class Facts:
    selected: list[SelectedSme]
    projects: list[ProjectFact]
    money: list[MoneyFact]
    outcomes: list[OutcomeFact]
    designated_companies: int


@dataclass(frozen=True)
class Targets:
    adoption_rate: float = 0.10
    designated_companies: int = 500
    accident_change: float = -0.20


def _round(x: float | None, places: int = 4) -> float | None:
    return None if x is None else round(x, places)


def figures(selected: list[SelectedSme], projects: list[ProjectFact], money: list[MoneyFact],
            outcomes: list[OutcomeFact], adopters: set[str]) -> dict[str, Any]:
    """The figures of one slice of the facts."""
    chosen = {s.sme_id for s in selected}
    adopted = chosen & adopters
    states = {s: 0 for s in STATES}
    for pr in projects:
        states[pr.state] += 1
    budget: dict[str, dict[str, int]] = {k: {"gov": 0, "own": 0, "total": 0} for k in ("committed", "spent")}
    for m in money:
        budget[m.kind][m.source] += m.amount_krw
        budget[m.kind]["total"] += m.amount_krw
    changes: dict[str, list[float]] = defaultdict(list)
    for o in outcomes:
        change = relative_change(o.before, o.after)
        if change is not None:
            changes[o.metric].append(change)
    summary = {metric: {"projects": len(changes[metric]),
                        "median_change": _round(statistics.median(changes[metric])) if changes[metric] else None}
               for metric in METRICS}
    accidents = [o for o in outcomes if o.metric == "industrial_accidents"]
    before = sum(o.before for o in accidents)
    accident_change = (sum(o.after for o in accidents) - before) / before if before else None
    return {"selected_smes": len(chosen), "adopted_smes": len(adopted),
            "adoption_rate": _round(len(adopted) / len(chosen)) if chosen else None,
            "projects": states, "budget": budget, "outcomes": summary,
            "accident_change": _round(accident_change)}


def _by(dimension: str, facts: Facts, adopters: set[str]) -> dict[str, Any]:
    items: list[Any] = [*facts.selected, *facts.projects, *facts.money, *facts.outcomes]
    keys = {item.where.key(dimension) for item in items}

    def pick(items: Iterable[Any], key: str) -> list[Any]:
        return [x for x in items if x.where.key(dimension) == key]

    return {key: figures(pick(facts.selected, key), pick(facts.projects, key), pick(facts.money, key),
                         pick(facts.outcomes, key), adopters) for key in sorted(keys)}


def compute(facts: Facts, targets: Targets = Targets()) -> dict[str, Any]:
    adopters = {pr.sme_id for pr in facts.projects if pr.state == "completed"}
    overall = figures(facts.selected, facts.projects, facts.money, facts.outcomes, adopters)
    overall["designated_companies"] = facts.designated_companies
    return {
        "targets": {"adoption_rate": targets.adoption_rate, "designated_companies": targets.designated_companies,
                    "accident_change": targets.accident_change},
        "overall": overall,
        "progress": {
            "adoption_rate": _ratio(overall["adoption_rate"], targets.adoption_rate),
            "designated_companies": _ratio(facts.designated_companies, targets.designated_companies),
            "accident_change": _ratio(overall["accident_change"], targets.accident_change),
        },
        "by_year": _by("year", facts, adopters),
        "by_region": _by("region", facts, adopters),
        "by_industry": _by("industry", facts, adopters),
    }


def _ratio(actual: float | None, target: float) -> float | None:
    return None if actual is None or not target else _round(actual / target)


def rows(report: dict[str, Any]) -> list[tuple[str, str, str, Any]]:
    """The report flattened to (dimension, key, indicator, value) rows, for CSV."""
    out: list[tuple[str, str, str, Any]] = []

    def flat(dimension: str, key: str, fig: dict[str, Any]) -> None:
        add: Callable[[str, Any], None] = lambda name, value: out.append((dimension, key, name, value))  # noqa: E731
        for name in ("selected_smes", "adopted_smes", "adoption_rate"):
            add(name, fig[name])
        for state, n in fig["projects"].items():
            add(f"projects_{state}", n)
        for kind, sources in fig["budget"].items():
            for source, amount in sources.items():
                add(f"budget_{kind}_{source}_krw", amount)
        for metric, s in fig["outcomes"].items():
            add(f"outcome_{metric}_projects", s["projects"])
            add(f"outcome_{metric}_median_change", s["median_change"])
        add("accident_change", fig["accident_change"])
        if "designated_companies" in fig:
            add("designated_companies", fig["designated_companies"])

    flat("overall", "all", report["overall"])
    for dimension in DIMENSIONS:
        for key, fig in report[f"by_{dimension}"].items():
            flat(dimension, key, fig)
    for name, target in report["targets"].items():
        out.append(("target", "all", name, target))
    return out
