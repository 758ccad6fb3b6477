"""Pydantic schemas of calls for applications (공고)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, Field

from registry.fields import LongText, Read, ShortText, Strict
from registry.reference import Category

Title = ShortText


def _plausible(value: datetime) -> datetime:
    if not 2000 <= value.year <= 2999:  # also keeps the conversion to UTC inside the calendar
        raise ValueError("a moment between the years 2000 and 2999")
    return value


Moment = Annotated[AwareDatetime, AfterValidator(_plausible)]
Quotas = dict[Category, Annotated[int, Field(ge=1, le=10000)]]
QUOTA_EXAMPLE = {"vision_inspection": 20, "predictive_maintenance": 10}


class CallCreate(Strict):
    title_ko: Title = Field(examples=["2027년 제1차 제조 AI 전문기업 지정 공고"])
    title_en: Title | None = Field(None, examples=["2027 first call for manufacturing-AI supplier designation"])
    summary_ko: LongText | None = Field(None, examples=["비전 검사·예지보전 분야 공급기업의 지정 신청을 받습니다."])
    opens_at: Moment = Field(description="Applications may be submitted from this moment")
    closes_at: Moment = Field(description="... until this moment (after opens_at, in the future)")
    criteria_version: str = Field(max_length=40, description="Eligibility criteria version applications are "
                                  "screened on (GET /v1/criteria)", examples=["v1"])
    rubric_version: str = Field("v1", max_length=40, description="Rubric the panel scores on", examples=["v1"])
    quotas: Quotas = Field(default_factory=dict, description="Optional: applications the call takes per field; "
                           "with quotas an application must name one of these fields", examples=[QUOTA_EXAMPLE])


class CallUpdate(Strict):
    """All optional. Before opening anything may change; while open only texts, closes_at and quotas."""

    title_ko: Title | None = None
    title_en: Title | None = None
    summary_ko: LongText | None = None
    opens_at: Moment | None = None
    closes_at: Moment | None = None
    criteria_version: str | None = Field(None, max_length=40)
    rubric_version: str | None = Field(None, max_length=40)
    quotas: Quotas | None = Field(None, examples=[QUOTA_EXAMPLE])


class CallClose(Strict):
    reason: ShortText = Field(examples=["예산 소진으로 조기 마감합니다."])


class QuotaRead(Read):
    field: str = Field(examples=["vision_inspection"])
    field_ko: str = Field(examples=["비전 검사"])
    quota: int
    submitted: int = Field(description="Applications submitted in the call for this field so far")


class CallRead(Read):
    id: str
    title_ko: str
    title_en: str | None
    summary_ko: str | None
    opens_at: datetime
    closes_at: datetime
    closed_at: datetime | None = Field(description="Set when an admin closed the call early")
    close_reason: str | None
    status: Literal["scheduled", "open", "closed"]
    status_ko: str = Field(examples=["접수 중"])
    criteria_version: str
    rubric_version: str
    quotas: list[QuotaRead]
