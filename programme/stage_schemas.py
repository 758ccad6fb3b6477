"""Pydantic schemas of the AI introduction stages: the yearly plan of a project and the stage rules."""

from __future__ import annotations

from pydantic import Field

from registry.fields import Read, ShortText, Strict

StageCode = Field(pattern=r"^[a-z_]{1,24}$", description="A stage code of the stage rules",
                  examples=["data_collection"])


class YearStage(Strict):
    year: int = Field(ge=2020, le=2100, examples=[2026])
    stage: str = StageCode
    note_ko: ShortText | None = Field(None, examples=["사출기 12대 가동 데이터 수집·연결"])


class StagePlanSet(Strict):
    stages: list[YearStage] = Field(min_length=1, max_length=10, examples=[[
        {"year": 2026, "stage": "data_collection", "note_ko": "사출기 가동 데이터 수집"},
        {"year": 2027, "stage": "analytics", "note_ko": "불량 원인 분석·시각화"},
        {"year": 2028, "stage": "vertical_ai", "note_ko": "AI 비전 검사 현장 적용"}]])


class YearStageRead(Read):
    year: int
    stage: str
    note_ko: str | None = None


class StageRuleRead(Read):
    code: str
    name_ko: str
    name_en: str
    requires: list[str]
    requires_done_from_level: str | None
    min_employees: int
    min_sales_krw: int


class StageRulesRead(Read):
    version: str
    stages: list[StageRuleRead]
