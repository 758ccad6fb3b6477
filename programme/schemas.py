"""Pydantic schemas of the programme: request bodies (strict) and reads, with Korean examples."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import Field, model_validator

from programme.rules import METRICS
from registry.fields import (
    BusinessNumber,
    IsoDate,
    Krw,
    LongText,
    Measure,
    Name,
    PositiveKrw,
    Read,
    ShortText,
    Strict,
    WholeInt,
)
from registry.reference import Level

Year = Field(ge=2020, le=2100, examples=[2026])


class Source(StrEnum):
    gov = "gov"
    own = "own"


class MemberAction(StrEnum):
    select = "select"
    graduate = "graduate"
    drop = "drop"


class ProjectAction(StrEnum):
    contract = "contract"
    start = "start"
    complete = "complete"
    cancel = "cancel"


class ConsultKind(StrEnum):
    pre = "pre"
    post = "post"


Metric = StrEnum("Metric", {m: m for m in METRICS})  # type: ignore[misc]


# ---- cohorts ---------------------------------------------------------------------------------------
class CohortCreate(Strict):
    year: int = Year
    capacity: WholeInt = Field(ge=0, le=100_000, examples=[12_000])
    name_ko: Name = Field(examples=["2026년 제조 AX 선도 중소기업"])


class CohortRead(Read):
    id: str
    year: int
    capacity: int
    name_ko: str
    selected: int = 0
    candidates: int = 0


class CandidateAdd(Strict):
    sme_id: str = Field(max_length=36)


class MemberChange(Strict):
    reason: ShortText | None = Field(None, examples=["스마트공장 수준 진단 결과 적합"])
    on_date: IsoDate | None = Field(None, description="Default today")


class MemberRead(Read):
    id: str
    cohort_id: str
    sme_id: str
    state: str
    applied_on: date
    selected_on: date | None
    graduated_on: date | None
    dropped_on: date | None
    reason: str | None


class ImportRowError(Read):
    line: int = Field(description="Line number in the file (the header is line 1)")
    business_number: str | None
    reasons: list[str] = Field(description="Why the row was refused, in Korean, naming the column by its header")
    reasons_en: list[str] = Field(description="The same reasons in English")


class ImportReport(Read):
    year: int
    encoding: str
    rows: int
    imported: int
    already_candidates: int
    errors: list[ImportRowError]


# ---- consultants -----------------------------------------------------------------------------------
class Affiliation(Strict):
    name: Name = Field(examples=["누리비전 주식회사"])
    company_id: str | None = Field(None, max_length=36)
    business_number: BusinessNumber | None = None


class ConsultantCreate(Strict):
    sub: str = Field(min_length=1, max_length=200, description="Subject of the consultant's access tokens")
    name: Name = Field(examples=["이정훈"])
    organisation: Name | None = Field(None, examples=["한국생산성본부"])
    affiliations: list[Affiliation] = Field(default_factory=list, max_length=50)


class ConsultantRead(Read):
    id: str
    sub: str
    name: str
    organisation: str | None
    affiliations: list[dict[str, Any]]
    active: bool


class ConsultantAssign(Strict):
    consultant_id: str = Field(max_length=36)
    kind: ConsultKind


# ---- projects --------------------------------------------------------------------------------------
class ProjectCreate(Strict):
    need_id: str = Field(max_length=36, description="The SME's need this project answers")
    title_ko: Name = Field(examples=["사출 외관 불량 AI 비전 검사 도입"])
    year: int = Year
    group_id: str | None = Field(None, max_length=36, description="Supply-chain group the project runs under")


class Stage(Strict):
    stage: WholeInt = Field(ge=1, le=10, examples=[1])
    target_level: Level = Field(examples=["intermediate1"])
    year: int = Year
    description_ko: ShortText = Field(examples=["설비 데이터 수집 체계 구축 후 AI 모델 적용"])


class SupplierChoice(Strict):
    solution_id: str = Field(max_length=36)
    stage_plan: list[Stage] = Field(default_factory=list, max_length=10)


class BudgetLineCreate(Strict):
    year: int = Year
    source: Source = Field(description="gov = 정부지원금, own = 자부담")
    amount_krw: PositiveKrw = Field(examples=[200_000_000])
    stage: str | None = Field(None, pattern=r"^[a-z_]{1,24}$", examples=["data_collection"],
                              description="The AI stage planned for the year (required: a line names it)")
    note: ShortText | None = Field(None, examples=["1차년도 정부지원금"])


class BudgetLineRead(Read):
    id: str
    year: int
    source: str
    amount_krw: int
    stage: str | None = None
    note: str | None
    status: str = Field(description="submitted (counts for nothing yet), approved (by an officer) or returned",
                        examples=["submitted"])
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None


class BudgetReturn(Strict):
    reason: ShortText = Field(examples=["자부담 증빙이 부족합니다"])


class CompletionReturn(Strict):
    reason: ShortText = Field(examples=["사후 평가에서 지적된 검사 정확도 보완 후 다시 완료 처리하세요"])


class EnvelopeSet(Strict):
    gov_krw: Krw = Field(description="Government money the programme may approve in the fiscal year",
                         examples=[2_400_000_000_000])


class EnvelopeRead(Read):
    year: int
    gov_krw: int
    approved_gov_krw: int = 0
    set_by: str
    updated_at: datetime


class ExpenditureCreate(Strict):
    year: int = Year
    source: Source
    amount_krw: PositiveKrw = Field(examples=[80_000_000])
    spent_on: IsoDate
    description: ShortText = Field(examples=["비전 검사 장비 구매"])


class ExpenditureRead(Read):
    id: str
    year: int
    source: str
    amount_krw: int
    spent_on: date
    description: str


class Transition(Strict):
    action: ProjectAction
    reason: ShortText | None = Field(None, examples=["공급기업과 계약 체결"])


class ShortlistRequest(Strict):
    limit: WholeInt = Field(5, ge=1, le=20)


class ShortlistRead(Read):
    id: str
    taken_by: str
    taken_at: datetime
    query: dict[str, Any]
    items: list[dict[str, Any]]


class ProjectRead(Read):
    id: str
    sme_id: str
    need_id: str | None
    group_id: str | None
    year: int
    title_ko: str
    state: str
    solution_id: str | None
    supplier_company_id: str | None
    stage_plan: list[dict[str, Any]] = Field(description="Smart-factory level climb the chosen solution needs")
    ai_stages: list[dict[str, Any]] = Field(default_factory=list, description="The AI introduction stage of each "
                                            "fiscal year (data_collection, analytics, vertical_ai)",
                                            examples=[[{"year": 2026, "stage": "data_collection",
                                                        "note_ko": "사출기 가동 데이터 수집"}]])
    ai_stages_version: str | None = Field(None, description="Version of the stage rules the plan was checked by")
    pre_consultant_id: str | None
    post_consultant_id: str | None
    contracted_on: date | None
    started_on: date | None
    completed_on: date | None
    cancelled_on: date | None
    accepted_on: date | None = Field(None, description="The programme officer accepted the completion")
    accepted_by: str | None = None
    state_reason: str | None
    version: int
    allowed_actions: list[str] = []


class ProjectDetail(ProjectRead):
    budget_lines: list[BudgetLineRead] = []
    expenditures: list[ExpenditureRead] = []
    shortlists: list[ShortlistRead] = []
    outcomes: list[OutcomeRead] = []


# ---- consulting and outcomes -----------------------------------------------------------------------
class ConsultationCreate(Strict):
    kind: ConsultKind
    assessed_level: Level | None = Field(None, description="Diagnosis (pre): the SME's smart-factory level")
    recommended_stages: list[ShortText] = Field(default_factory=list, max_length=10,
                                                examples=[["1단계: 설비 데이터 수집", "2단계: AI 비전 검사"]])
    priority_needs: list[ShortText] = Field(default_factory=list, max_length=10, examples=[["사출 외관 불량"]])
    evaluation_ko: LongText | None = Field(None, examples=["불량률이 3.4%에서 0.8%로 감소한 것을 현장에서 확인함"])
    rating: WholeInt | None = Field(None, ge=1, le=5)
    confirm_metrics: list[Metric] | None = Field(  # type: ignore[valid-type]
        None, description="Post-consulting: outcomes confirmed (default: every entered outcome)")

    @model_validator(mode="after")
    def _by_kind(self) -> ConsultationCreate:
        if self.kind == ConsultKind.pre and self.assessed_level is None:
            raise ValueError("pre-consulting records the assessed smart-factory level")
        if self.kind == ConsultKind.post and not self.evaluation_ko:
            raise ValueError("post-consulting records an evaluation")
        return self


class ConsultationRead(Read):
    id: str
    project_id: str
    consultant_id: str
    kind: str
    assessed_level: str | None
    recommended_stages: list[str]
    priority_needs: list[str]
    evaluation_ko: str | None
    rating: int | None
    recorded_at: datetime


class OutcomeCreate(Strict):
    metric: Metric = Field(examples=["defect_rate"])  # type: ignore[valid-type]
    before: Measure = Field(ge=0, examples=[3.4])
    after: Measure = Field(ge=0, examples=[0.8])
    unit: str | None = Field(None, max_length=16, description="Must be the metric's unit (default it)")
    note: ShortText | None = Field(None, examples=["2026년 3~5월 평균 대비 9~11월 평균"])

    @model_validator(mode="after")
    def _unit(self) -> OutcomeCreate:
        expected = METRICS[str(self.metric.value)]["unit"]
        if self.unit is not None and self.unit != expected:
            raise ValueError(f"{self.metric.value} is recorded in {expected}")
        return self


class OutcomeRead(Read):
    id: str
    metric: str
    unit: str
    before: float
    after: float
    note: str | None
    confirmed_by: str | None
    confirmed_at: datetime | None


ProjectDetail.model_rebuild()

