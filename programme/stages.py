"""Stages of AI introduction as data (a versioned rules document, `programme/stage_rules.json` unless
AXR_PROGRAMME_STAGE_RULES_FILE names another) and the pure checks of a project's yearly stage plan.

A stage may be planned for a fiscal year when the SME's size reaches the stage's minimum (employees and
sales, from the profile) and each stage it requires is planned for an earlier year of the same plan, or
the level the pre-consultant confirmed is at least `requires_done_from_level` (the SME has that stage
in place already). A budget line of a year names the stage planned for that year.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from core.korean import krw
from registry.fields import Strict
from registry.reference import LEVEL_LABELS, LEVEL_ORDER

DEFAULT_FILE = Path(__file__).with_name("stage_rules.json")


class StageRule(Strict):
    code: str = Field(pattern=r"^[a-z_]{1,24}$", examples=["data_collection"])
    name_ko: str = Field(max_length=60, examples=["데이터 수집·연결"])
    name_en: str = Field(max_length=60)
    requires: list[str] = Field(default_factory=list, description="Stages planned in an earlier year first")
    requires_done_from_level: str | None = Field(None, description="From this confirmed level on, the required "
                                                 "stages count as done already")
    min_employees: int = Field(0, ge=0)
    min_sales_krw: int = Field(0, ge=0)


class StageRulesDoc(Strict):
    version: str = Field(max_length=32, examples=["2026.1"])
    stages: list[StageRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _known(self) -> StageRulesDoc:
        codes = [s.code for s in self.stages]
        if len(set(codes)) != len(codes):
            raise ValueError("stage codes are unique")
        for s in self.stages:
            if unknown := sorted(set(s.requires) - set(codes)):
                raise ValueError(f"{s.code} requires unknown stages {', '.join(unknown)}")
            if s.requires_done_from_level is not None and s.requires_done_from_level not in LEVEL_ORDER:
                raise ValueError(f"requires_done_from_level must be one of {', '.join(LEVEL_ORDER)}")
        return self

    def get(self, code: str) -> StageRule | None:
        return next((s for s in self.stages if s.code == code), None)


@lru_cache(maxsize=8)
def load(path: str | None = None) -> StageRulesDoc:
    """The rules document (cached per path); a broken file fails at the first use, loudly."""
    return StageRulesDoc.model_validate(json.loads(Path(path or DEFAULT_FILE).read_text(encoding="utf-8")))


def _level_ko(level: str) -> str:
    return LEVEL_LABELS.get(level, (level, level))[0]


def check_plan(doc: StageRulesDoc, *, plan: Sequence[Mapping[str, Any]], level: str | None, employees: int,
               sales_krw: int, first_year: int, last_year: int) -> list[tuple[str, str]]:
    """Reasons (ko, en) why the yearly plan is not allowed for the SME's confirmed level and size."""
    if level is None:
        return [("사전 컨설턴트가 확인한 스마트공장 수준이 없어 AI 도입 단계를 계획할 수 없습니다",
                 "no smart-factory level confirmed by a pre-consultant: stages cannot be planned")]
    reasons: list[tuple[str, str]] = []
    years = [int(step["year"]) for step in plan]
    if len(set(years)) != len(years):
        reasons.append(("한 회계연도에는 한 단계만 계획합니다", "one stage per fiscal year"))
    earlier: dict[int, str] = {}
    for step in sorted(plan, key=lambda s: int(s["year"])):
        year, code = int(step["year"]), str(step["stage"])
        rule = doc.get(code)
        if not first_year <= year <= last_year:
            reasons.append((f"{year}년은 사업 기간({first_year}~{last_year}년) 밖입니다",
                            f"{year} is outside the programme years {first_year}-{last_year}"))
        if rule is None:
            known = ", ".join(s.code for s in doc.stages)
            reasons.append((f"{year}년에 알 수 없는 단계가 있습니다 (가능한 단계: "
                            f"{', '.join(s.name_ko for s in doc.stages)})",
                            f"unknown stage {code} (known: {known})"))
            continue
        if employees < rule.min_employees or sales_krw < rule.min_sales_krw:
            reasons.append((f"{year}년 {rule.name_ko} 단계는 종업원 {rule.min_employees:,}명 이상, 매출액 "
                            f"{krw(rule.min_sales_krw)} 이상 기업만 계획할 수 있습니다",
                            f"{rule.name_en} ({year}) needs at least {rule.min_employees:,} employees and "
                            f"{rule.min_sales_krw:,} KRW of sales"))
        done_from = rule.requires_done_from_level
        done = done_from is not None and LEVEL_ORDER.index(level) >= LEVEL_ORDER.index(done_from)
        for need in rule.requires:
            if not done and need not in {c for y, c in earlier.items() if y < year}:
                first = doc.get(need)
                name_ko, name_en = (first.name_ko, first.name_en) if first else (need, need)
                reasons.append((f"{year}년 {rule.name_ko} 단계 전에 {name_ko} 단계를 먼저 계획해야 합니다 "
                                f"(확인된 수준 {_level_ko(level)})",
                                f"{rule.name_en} ({year}) needs {name_en} planned in an earlier year "
                                f"(confirmed level {level})"))
        earlier[year] = code
    return reasons


def planned(plan: Sequence[Mapping[str, Any]], year: int) -> str | None:
    return next((str(s["stage"]) for s in plan if int(s["year"]) == year), None)


def check_line(doc: StageRulesDoc, plan: Sequence[Mapping[str, Any]], *, year: int,
               stage: str | None) -> list[tuple[str, str]]:
    """A budget line of `year` names the stage planned for that year."""
    want = planned(plan, year)
    if want is None:
        return [(f"{year}년 AI 도입 단계 계획이 없습니다. 먼저 단계 계획을 세우세요",
                 f"no AI introduction stage is planned for {year}; plan the stages first")]
    rule = doc.get(want)
    name_ko, name_en = (rule.name_ko, rule.name_en) if rule else (want, want)
    if stage is None:
        return [(f"{year}년 예산에는 그해 계획 단계({name_ko})를 적어야 합니다",
                 f"a budget line for {year} names the stage planned for it ({want})")]
    if stage != want:
        given = doc.get(stage)
        return [(f"{year}년 계획 단계는 {name_ko}입니다. 예산 항목의 단계"
                 f"({given.name_ko if given else '알 수 없는 단계'})와 다릅니다",
                 f"the stage planned for {year} is {want} ({name_en}), not {stage}")]
    return []
