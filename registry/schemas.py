"""Pydantic schemas of the registry: XCreate, XUpdate (all optional) and XRead, with Korean examples."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, field_validator

from registry.fields import (
    NOT_NULL,
    BusinessNumber,
    ContactEmail,
    Count,
    Industry,
    IsoDate,
    Krw,
    KsicDivision,
    LongText,
    Measure,
    Name,
    Read,
    ShortText,
    Strict,
)
from registry.reference import (
    Category,
    DeploymentMode,
    Level,
    Region,
    SizeClass,
    SmeStatus,
    SolutionStatus,
    TipsProgram,
    TipsStage,
)

Phone = Annotated[str, Field(pattern=r"^[0-9+\-() ]{7,20}$", examples=["031-123-4567"])]
Url = Annotated[str, Field(pattern=r"^https?://[^\s]{1,490}$", max_length=500, examples=["https://deepvision.kr"])]



def _not_null(*names: str) -> Any:
    """Update fields that may be left out but not sent as null: their columns are NOT NULL."""

    def check(cls: Any, value: Any) -> Any:
        if value is None:
            raise ValueError("must not be null; leave the field out to keep its value")
        return value

    setattr(check, NOT_NULL, True)  # the spec then shows these fields as not nullable
    return field_validator(*names)(check)


# ---- companies -------------------------------------------------------------------------------------
class CompanyBase(Strict):
    name_ko: Name = Field(examples=["딥비전랩 주식회사"])
    name_en: Name | None = Field(None, examples=["DeepVision Lab Inc."])
    representative: Name | None = Field(None, examples=["김민준"])
    region: Region = Field(description="시·도 (one of the 17)", examples=["경기"])
    size_class: SizeClass | None = None
    founded_on: IsoDate | None = Field(None, examples=["2019-03-15"])
    employees: Count | None = Field(None, examples=[42])
    revenue_krw: Krw | None = Field(None, examples=[3_200_000_000])
    rnd_krw: Krw | None = Field(None, examples=[640_000_000])
    ai_staff: Count | None = Field(None, examples=[12])
    contact_email: ContactEmail | None = None
    contact_phone: Phone | None = None
    website: Url | None = None


class CompanyCreate(CompanyBase):
    business_number: BusinessNumber


class CompanyUpdate(Strict):
    name_ko: Name | None = None
    name_en: Name | None = None
    representative: Name | None = None
    region: Region | None = None
    size_class: SizeClass | None = None
    founded_on: IsoDate | None = None
    employees: Count | None = None
    revenue_krw: Krw | None = None
    rnd_krw: Krw | None = None
    ai_staff: Count | None = None
    contact_email: ContactEmail | None = None
    contact_phone: Phone | None = None
    website: Url | None = None

    _required = _not_null("name_ko", "region")



class CompanyPublic(Read):
    """What anyone with catalogue access sees of a supplier."""

    id: str
    business_number: str
    name_ko: str
    name_en: str | None
    region: str
    size_class: str | None
    founded_on: date | None
    website: str | None


class CompanyRead(CompanyPublic):
    """The full record, for the owner, reviewers and admins."""

    owner_org: str
    representative: str | None
    employees: int | None
    revenue_krw: int | None
    rnd_krw: int | None
    ai_staff: int | None
    contact_email: str | None
    contact_phone: str | None
    version: int
    created_at: datetime
    updated_at: datetime


# ---- solutions -------------------------------------------------------------------------------------
class OutcomeMetric(Strict):
    metric: Name = Field(examples=["불량률"], description="What was measured (불량률, 설비 가동률, 에너지 사용량...)")
    before: Measure = Field(examples=[3.2])
    after: Measure = Field(examples=[0.9])
    unit: Annotated[str, Field(max_length=20)] = Field(examples=["%"])


class ReferenceCase(Strict):
    client: Name = Field(examples=["경기 소재 자동차 부품사"])
    industry: KsicDivision
    summary: ShortText = Field(examples=["프레스 부품 외관 검사 자동화"])
    year: int = Field(ge=1990, le=2100, examples=[2025])
    outcomes: list[OutcomeMetric] = Field(default_factory=list, max_length=20)


class PriceRange(Strict):
    # a field validator (not a model one) so the error points at /price_max_krw; price_min_krw comes first
    @field_validator("price_max_krw", check_fields=False)
    @classmethod
    def _min_le_max(cls, hi: int | None, info: ValidationInfo) -> int | None:
        lo = info.data.get("price_min_krw")
        if lo is not None and hi is not None and lo > hi:
            raise ValueError("price_min_krw must not exceed price_max_krw")
        return hi


class SolutionCreate(PriceRange):
    company_id: str = Field(max_length=36, description="Your company's id")
    title_ko: Name = Field(examples=["사출·금속 부품 비전 불량 검출"])
    title_en: Name | None = Field(None, examples=["Vision defect detection for molded and metal parts"])
    description_ko: LongText = Field(
        examples=["산업용 카메라와 딥러닝으로 사출 성형품의 스크래치, 미성형을 실시간 검출합니다."])
    description_en: LongText | None = None
    category: Category
    industries: list[Industry] = Field(min_length=1, max_length=40, examples=[["C22", "C25"]])
    min_level: Level = Field(description="Minimum smart-factory level: basic=기초 ... advanced=고도화")
    deployment_mode: DeploymentMode
    price_min_krw: Krw = Field(examples=[80_000_000])
    price_max_krw: Krw = Field(examples=[180_000_000])
    lead_time_weeks: int | None = Field(None, ge=0, le=520, examples=[8])
    reference_cases: list[ReferenceCase] = Field(default_factory=list, max_length=50)
    status: SolutionStatus = Field(SolutionStatus.draft, description="draft or published")


class SolutionUpdate(PriceRange):
    title_ko: Name | None = None
    title_en: Name | None = None
    description_ko: LongText | None = None
    description_en: LongText | None = None
    category: Category | None = None
    industries: list[Industry] | None = Field(None, min_length=1, max_length=40)
    min_level: Level | None = None
    deployment_mode: DeploymentMode | None = None
    price_min_krw: Krw | None = None
    price_max_krw: Krw | None = None
    lead_time_weeks: int | None = Field(None, ge=0, le=520)
    reference_cases: list[ReferenceCase] | None = Field(None, max_length=50)
    status: SolutionStatus | None = None

    _required = _not_null("title_ko", "description_ko", "category", "industries", "min_level",
                          "deployment_mode", "price_min_krw", "price_max_krw", "reference_cases", "status")



class SolutionRead(Read):
    id: str
    company_id: str
    ref: str | None
    title_ko: str
    title_en: str | None
    description_ko: str
    description_en: str | None
    category: str
    industries: list[str]
    min_level: str
    deployment_mode: str
    price_min_krw: int
    price_max_krw: int
    lead_time_weeks: int | None
    reference_cases: list[ReferenceCase]
    status: str
    version: int
    created_at: datetime
    updated_at: datetime


# ---- TIPS ------------------------------------------------------------------------------------------
class TipsLinkageCreate(Strict):
    program: TipsProgram
    operator: Name = Field(examples=["블루포인트파트너스"])
    stage: TipsStage = TipsStage.none
    stage_on: IsoDate | None = Field(None, description="When the stage was reached (default today)")
    government_amount_krw: Krw | None = Field(None, examples=[500_000_000])
    private_amount_krw: Krw | None = Field(None, examples=[200_000_000])


class TipsStageChange(Strict):
    stage: TipsStage
    on_date: IsoDate
    note: ShortText | None = None


class TipsStageEventRead(Read):
    stage: str
    on_date: date
    note: str | None


class TipsLinkagePublic(Read):
    """A TIPS linkage as the catalogue shows it: programme, operator and stage, without the amounts."""

    id: str
    company_id: str
    program: str
    operator: str
    stage: str
    history: list[TipsStageEventRead]
    version: int


class TipsLinkageRead(TipsLinkagePublic):
    """With the invested amounts: for the company itself, reviewers and admins."""

    government_amount_krw: int | None
    private_amount_krw: int | None


# ---- SMEs and needs --------------------------------------------------------------------------------
class SmeCreate(Strict):
    business_number: BusinessNumber
    name_ko: Name = Field(examples=["한빛정밀 주식회사"])
    name_en: Name | None = Field(None, examples=["Hanbit Precision Co., Ltd."])
    ksic: KsicDivision = Field(examples=["C25"])
    region: Region = Field(examples=["경남"])
    smart_factory_level: Level = Field(description="The level the SME declares; selection uses the level a "
                                                   "pre-consultant confirmed (programme profile)")
    # no cohort_year or status: the ministry selects (cohorts, selection runs); sent, they are refused (422)
    budget_gov_krw: Krw = Field(0, examples=[200_000_000])
    budget_own_krw: Krw = Field(0, examples=[200_000_000])


class SmeUpdate(Strict):
    name_ko: Name | None = None
    name_en: Name | None = None
    ksic: KsicDivision | None = None
    region: Region | None = None
    smart_factory_level: Level | None = None
    budget_gov_krw: Krw | None = None
    budget_own_krw: Krw | None = None

    _required = _not_null("name_ko", "ksic", "region", "smart_factory_level", "budget_gov_krw", "budget_own_krw")



class SmeRead(Read):
    id: str
    owner_org: str
    business_number: str
    name_ko: str
    name_en: str | None
    ksic: str
    region: str
    smart_factory_level: str
    cohort_year: int | None
    status: SmeStatus
    budget_gov_krw: int
    budget_own_krw: int
    version: int
    created_at: datetime


class NeedCreate(Strict):
    sme_id: str | None = Field(None, max_length=36, description="Defaults to the caller's SME")
    text: LongText = Field(examples=["사출 성형품에 미성형 불량이 자주 나와서 카메라로 자동 검사하고 싶습니다"])
    categories: list[Category] = Field(default_factory=list, max_length=12)
    budget_krw: Krw | None = Field(None, examples=[150_000_000])
    smart_factory_level: Level | None = None
    region: Region | None = None
    deadline: IsoDate | None = None


class NeedUpdate(Strict):
    text: LongText | None = None
    categories: list[Category] | None = Field(None, max_length=12)
    budget_krw: Krw | None = None
    smart_factory_level: Level | None = None
    region: Region | None = None
    deadline: IsoDate | None = None
    status: Annotated[str, Field(pattern="^(open|closed)$")] | None = None

    _required = _not_null("text", "categories", "status")



class NeedRead(Read):
    id: str
    sme_id: str
    text: str
    categories: list[str]
    budget_krw: int | None
    smart_factory_level: str | None
    region: str | None
    deadline: date | None
    status: str
    version: int
    created_at: datetime
    updated_at: datetime
