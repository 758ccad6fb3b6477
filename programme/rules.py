"""The programme's rules as configuration, checked by pure functions that return every broken rule.

Budget: the government share per SME and year is capped (default 200,000,000 KRW), the SME's own
share must at least match it, and spending never exceeds the approved amount. Stages: a solution
whose minimum smart-factory level is above the SME's needs a stage plan that climbs to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.korean import josa, krw
from registry.reference import LEVEL_LABELS, LEVEL_ORDER

SOURCES = ("gov", "own")

# Outcome metrics and the unit each is recorded in, so figures of different projects add up.
METRICS: dict[str, dict[str, Any]] = {
    "defect_rate": {"unit": "%", "ko": "불량률", "lower_is_better": True},
    "downtime": {"unit": "h/month", "ko": "설비 비가동 시간", "lower_is_better": True},
    "energy_use": {"unit": "kWh/month", "ko": "에너지 사용량", "lower_is_better": True},
    "lead_time": {"unit": "day", "ko": "리드타임", "lower_is_better": True},
    "industrial_accidents": {"unit": "case/year", "ko": "산업재해", "lower_is_better": True},
}


class ProgrammeRules(BaseSettings):
    """Override with AXR_PROGRAMME_GOV_CAP_KRW and friends."""

    model_config = SettingsConfigDict(env_prefix="AXR_PROGRAMME_", env_file=".env", extra="ignore")

    gov_cap_krw: int = Field(200_000_000, ge=0, description="Government support per SME and year")
    own_min_ratio: float = Field(1.0, ge=0, description="Own investment at least this times the government share")
    adoption_target: float = Field(0.10, description="Share of registered SMEs with an accepted AI project")
    designated_target: int = Field(500, description="Designated companies")
    accident_target: float = Field(-0.20, description="Change in industrial accidents")
    # the path to 2030 (docs/programme.md, KPI definitions): a target at the end of each programme year,
    # the last one at the horizon (June 2030); override as JSON, e.g. AXR_PROGRAMME_ADOPTION_PATH='{"2026": 0.03}'
    first_year: int = Field(2026, description="First fiscal year of the programme")
    last_year: int = Field(2030, description="Last fiscal year of the programme")
    horizon: date = Field(date(2030, 6, 30), description="The date the final targets are due")
    baseline_date: date = Field(date(2025, 12, 31), description="The date of the starting points")
    adoption_baseline: float = Field(0.01, ge=0, le=1, description="AI adoption among SMEs at the start")
    designated_baseline: int = Field(0, ge=0, description="Designated companies at the start")
    adoption_path: dict[int, float] = Field(
        default_factory=lambda: {2026: 0.03, 2027: 0.05, 2028: 0.07, 2029: 0.09, 2030: 0.10})
    designated_path: dict[int, int] = Field(
        default_factory=lambda: {2026: 100, 2027: 200, 2028: 300, 2029: 400, 2030: 500})
    accident_path: dict[int, float] = Field(
        default_factory=lambda: {2026: -0.04, 2027: -0.08, 2028: -0.12, 2029: -0.16, 2030: -0.20})
    accident_exposure_workers: int = Field(1000, gt=0, description="Accidents are counted per this many workers")
    stage_rules_file: str | None = Field(None, description="The AI stage rules document (programme/stages.py); "
                                         "default programme/stage_rules.json")


@dataclass(frozen=True)
class Line:
    year: int
    source: str
    amount_krw: int


def _ko(level: str) -> str:
    return LEVEL_LABELS.get(level, (level, level))[0]


def _sum(lines: Iterable[Line], year: int, source: str) -> int:
    return sum(x.amount_krw for x in lines if x.year == year and x.source == source)


def check_new_line(rules: ProgrammeRules, *, new: Line, project_lines: list[Line], sme_gov_other: int,
                   match_required: bool) -> list[tuple[str, str]]:
    """Reasons (ko, en) why `new` may not be added. `sme_gov_other` is the government money the same
    SME already has for that year in its other (not cancelled) projects."""
    reasons = []
    lines = [*project_lines, new]
    gov = _sum(lines, new.year, "gov") + sme_gov_other
    if gov > rules.gov_cap_krw:
        reasons.append((f"{new.year}년 정부지원금 합계 {josa(krw(gov), '이')} "
                        f"연간 한도 {josa(krw(rules.gov_cap_krw), '를')} 넘습니다",
                        f"government support for {new.year} would be {gov:,} KRW, over the annual cap of "
                        f"{rules.gov_cap_krw:,} KRW"))
    if match_required:
        reasons += check_matching(rules, lines, years=[new.year])
    return reasons


def check_matching(rules: ProgrammeRules, lines: list[Line], years: Iterable[int] | None = None
                   ) -> list[tuple[str, str]]:
    """The own share must at least match the government share in every year."""
    reasons = []
    for year in sorted(set(years) if years is not None else {x.year for x in lines}):
        gov, own = _sum(lines, year, "gov"), _sum(lines, year, "own")
        if own < gov * rules.own_min_ratio:
            reasons.append((f"{year}년 자부담 {josa(krw(own), '이')} 정부지원금 {krw(gov)}보다 적습니다",
                            f"own investment for {year} ({own:,} KRW) is below the government share ({gov:,} KRW)"))
    return reasons


def check_spending(*, approved: list[Line], spent: list[Line], new: Line) -> list[tuple[str, str]]:
    budget = _sum(approved, new.year, new.source)
    total = _sum(spent, new.year, new.source) + new.amount_krw
    if total <= budget:
        return []
    label = "정부지원금" if new.source == "gov" else "자부담"
    return [(f"{new.year}년 {label} 집행액 {josa(krw(total), '이')} 승인 예산 {josa(krw(budget), '을')} 넘습니다",
             f"{new.source} spending for {new.year} would be {total:,} KRW, over the approved {budget:,} KRW")]


def check_stage_plan(sme_level: str, solution_min_level: str, plan: Sequence[Mapping[str, Any]]
                     ) -> list[tuple[str, str]]:
    """A solution above the SME's level needs stages that climb, one level at most each, to its level."""
    start, goal = LEVEL_ORDER.index(sme_level), LEVEL_ORDER.index(solution_min_level)
    if goal <= start:
        return []
    if not plan:
        return [(f"솔루션 최소 수준({_ko(solution_min_level)})이 기업 수준({_ko(sme_level)})보다 높아 "
                 "단계별 도입 계획이 필요합니다",
                 f"the solution needs level {solution_min_level} and the SME is at {sme_level}: "
                 "a stage plan is required")]
    reasons = []
    current = start
    for step in plan:
        level = LEVEL_ORDER.index(step["target_level"])
        if level < current or level > current + 1:
            reasons.append((f"{step['stage']}단계 목표 수준 {_ko(step['target_level'])}: "
                            "한 번에 한 단계씩 올라가야 합니다",
                            f"stage {step['stage']} targets {step['target_level']}: climb one level at a time"))
        current = max(current, level)
    if current < goal:
        reasons.append((f"단계 계획이 솔루션 최소 수준({_ko(solution_min_level)})에 도달하지 않습니다",
                        f"the stage plan does not reach the solution's level ({solution_min_level})"))
    return reasons


def relative_change(before: float, after: float) -> float | None:
    """(after - before) / before; None when there is no base to compare with."""
    return None if before == 0 else (after - before) / before
