"""Pydantic schemas of search and matching: queries, hits with highlights and facets, matches with reasons."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from registry.fields import Krw, KsicDivision, LongText, Strict
from registry.reference import Category, Level, Region


class SolutionHit(BaseModel):
    id: str
    ref: str | None
    company_id: str
    supplier_name: str
    title_ko: str
    title_en: str
    category: str
    industries: list[str]
    min_level: str
    price_min_krw: int
    price_max_krw: int
    region: str
    deployment_mode: str
    tips_stage: str | None
    score: float
    highlights: dict[str, list[str]] = Field(description="Per field, the query words it contains (for <mark>)")


class SearchResponse(BaseModel):
    items: list[SolutionHit]
    total: int = Field(description="Indexed solutions matching query and filters")
    facets: dict[str, dict[str, int]]
    next: str | None


class AdHocNeed(Strict):
    text: LongText = Field(examples=["사출품에 미성형 불량이 자주 나와요. 카메라로 자동 검사하고 싶습니다"])
    industry: KsicDivision | None = Field(None, examples=["C22"])
    smart_factory_level: Level | None = Field(None, examples=["basic"])
    budget_krw: Krw | None = Field(None, examples=[150_000_000])
    region: Region | None = Field(None, examples=["경기"])
    categories: list[Category] | None = Field(None, max_length=12)
    limit: Annotated[int, Field(ge=1, le=50)] = 10


class MatchOut(BaseModel):
    solution_id: str
    ref: str | None
    title_ko: str
    title_en: str
    supplier_name: str
    company_id: str
    score: float
    breakdown: dict[str, float] = Field(description="Components; they sum to `score`")
    reasons_ko: list[str] = Field(examples=[["기초 단계에서 도입 가능", "예산 1.5억 원 이내"]])
    reasons_en: list[str] = Field(examples=[["Deployable at the basic level", "Within the budget of 150 million KRW"]])


class MatchResponse(BaseModel):
    need_id: str | None = None
    matches: list[MatchOut]
