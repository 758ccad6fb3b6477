"""Pydantic schemas of shop-floor data: profiles, solution data requirements, SME data inventory, datasets.

The dataset's public view uses DCAT-AP property names (dct:title -> `title`, dcat:keyword -> `keyword`,
dcat:theme -> `theme`, dct:license -> `license`, dct:temporal, dct:spatial, dcat:distribution with
`format` and `accessURL`), so portals map it to their catalogues without a table of our own names."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, model_validator

from registry.fields import Flag, IsoDate, LongText, Measure, Name, Read, ShortText, Strict, WholeInt

ProfileCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,47}$", max_length=48,
                                   description="데이터 프로파일 코드 (GET /v1/data-profiles)",
                                   examples=["vibration_timeseries"])]
RateHz = Annotated[Measure, Field(gt=0, le=10_000_000, description="샘플링 주기 (Hz) / sampling rate in Hz",
                                  examples=[10_000])]
Volume = Annotated[WholeInt, Field(ge=0, le=10**12, description="건수(ea) 또는 초(s): 프로파일의 volume_unit",
                                   examples=[50_000])]
Uri = Annotated[str, Field(pattern=r"^(https?|s3|file)://[^\s]{1,1990}$", max_length=2000,
                           examples=["s3://axr-datasets/hanbit/vibration-2026.parquet"])]


class Collection(StrEnum):
    manual = "manual"
    plc = "plc"
    mes = "mes"
    sensor = "sensor"


class Access(StrEnum):
    private = "private"
    group = "group"
    public = "public"


# ---- profiles --------------------------------------------------------------------------------------
class FieldOut(Read):
    name: str
    type: str
    unit: str | None


class StandardOut(Read):
    name: str = Field(examples=["IEC 62264-2"])
    clause: str | None
    element: str | None = Field(examples=["material lot / material sublot (genealogy)"])


class ProfileOut(Read):
    code: str
    label_ko: str
    label_en: str
    description_ko: str
    description_en: str
    sampled: bool = Field(description="샘플링 주기가 의미 있는 시계열 / a sampling rate describes the data")
    volume_unit: str
    acquire_ko: str
    acquire_en: str
    fields: list[FieldOut]
    standards: list[StandardOut]


class ProfilesOut(Read):
    version: str
    profiles: list[ProfileOut]


class ProfilesSaved(Read):
    version: str
    profiles: int


# ---- what a solution needs -------------------------------------------------------------------------
class RequirementIn(Strict):
    profile_code: ProfileCode
    required: Flag = True
    min_sampling_rate_hz: RateHz | None = None
    min_volume: Volume | None = None
    labelling_needed: Flag = False
    note_ko: ShortText | None = Field(None, examples=["베어링 하우징 3축 가속도"])


class RequirementsIn(Strict):
    items: list[RequirementIn] = Field(max_length=30, examples=[[
        {"profile_code": "vibration_timeseries", "required": True, "min_sampling_rate_hz": 10000},
        {"profile_code": "maintenance_log", "required": False}]])

    @model_validator(mode="after")
    def _distinct(self) -> RequirementsIn:
        codes = [i.profile_code for i in self.items]
        if len(codes) != len(set(codes)):
            raise ValueError("each profile_code at most once")
        return self


class RequirementOut(Read):
    profile_code: str
    label_ko: str
    label_en: str
    required: bool
    min_sampling_rate_hz: float | None
    min_volume: int | None
    labelling_needed: bool
    note_ko: str | None


class RequirementsOut(Read):
    solution_id: str
    items: list[RequirementOut]


# ---- what an SME has -------------------------------------------------------------------------------
class HoldingIn(Strict):
    profile_code: ProfileCode
    since: IsoDate | None = Field(None, description="수집 시작일 / collected since", examples=["2024-03-01"])
    volume: Volume | None = None
    collection: Collection = Field(description="수집 방식: 수기·PLC·MES·센서 / how it is collected")
    sampling_rate_hz: RateHz | None = None
    labelled: Flag = False
    note_ko: ShortText | None = Field(None, examples=["프레스 2호기 인버터 전류, 1초 평균"])


class InventoryIn(Strict):
    items: list[HoldingIn] = Field(max_length=30, examples=[[
        {"profile_code": "motor_current", "since": "2025-01-01", "collection": "plc", "sampling_rate_hz": 1000}]])

    @model_validator(mode="after")
    def _distinct(self) -> InventoryIn:
        codes = [i.profile_code for i in self.items]
        if len(codes) != len(set(codes)):
            raise ValueError("each profile_code at most once")
        return self


class HoldingOut(Read):
    profile_code: str
    label_ko: str
    label_en: str
    since: date | None
    volume: int | None
    collection: str
    sampling_rate_hz: float | None
    labelled: bool
    note_ko: str | None
    confirmed: bool
    confirmed_by: str | None
    confirmed_at: datetime | None


class InventoryOut(Read):
    sme_id: str
    items: list[HoldingOut]
    confirmed: bool = Field(description="모든 항목을 사전 컨설턴트(또는 담당관)가 확인함 / every item confirmed")


# ---- datasets --------------------------------------------------------------------------------------
class DatasetCreate(Strict):
    sme_id: Annotated[str, Field(max_length=36)] | None = Field(
        None, description="이 수요기업의 데이터셋 (그룹 데이터셋이면 비움) / the publishing SME")
    group_id: Annotated[str, Field(max_length=36)] | None = Field(
        None, description="공급망 그룹: access=group이면 필수 / the supply-chain group (required for access=group)")
    title_ko: Name = Field(examples=["프레스 2호기 모터 전류 (2025년)"])
    title_en: Name | None = Field(None, examples=["Press line 2 motor current (2025)"])
    description_ko: LongText = Field(examples=["인버터에서 1 kHz로 읽은 상전류. 정지·고장 구간 표시 포함."])
    description_en: LongText | None = None
    keywords: list[Name] = Field(default_factory=list, max_length=20, examples=[["모터 전류", "프레스"]])
    profile_code: ProfileCode
    industry: Annotated[str, Field(max_length=4, pattern=r"^C[0-9]{2}$", examples=["C29"])] | None = None
    licence: Name = Field(examples=["CC BY 4.0"], description="이용 허락 / licence")
    temporal_start: IsoDate | None = None
    temporal_end: IsoDate | None = None
    spatial: Name | None = Field(None, examples=["경남 창원"])
    media_format: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[\w.+\-/ ]{1,100}$",
                                       examples=["text/csv"])]
    access: Access = Field(description="private: 등록 기관만, group: 그룹 구성원, public: 누구나")
    anonymisation_ko: LongText = Field(examples=["작업자·설비 식별 정보 없음. 시각은 분 단위로 절사."])
    file_uri: Uri | None = None
    document_id: Annotated[str, Field(max_length=36)] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> DatasetCreate:
        if self.temporal_start and self.temporal_end and self.temporal_start > self.temporal_end:
            raise ValueError("temporal_start must not be after temporal_end")
        if not self.file_uri and not self.document_id:
            raise ValueError("give file_uri or document_id")
        return self


class DatasetRead(Read):
    id: str
    owner_org: str
    sme_id: str | None
    group_id: str | None
    title_ko: str
    title_en: str | None
    description_ko: str
    description_en: str | None
    keywords: list[str]
    profile_code: str
    industry: str | None
    licence: str
    temporal_start: date | None
    temporal_end: date | None
    spatial: str | None
    media_format: str
    access: str
    anonymisation_ko: str
    file_uri: str | None
    document_id: str | None
    created_at: datetime


class PeriodOfTime(Read):
    startDate: date | None  # noqa: N815 - DCAT-AP property names
    endDate: date | None  # noqa: N815


class Distribution(Read):
    format: str = Field(examples=["text/csv"])
    accessURL: str | None  # noqa: N815


class PublicDataset(Read):
    """A public dataset in DCAT-AP terms."""

    identifier: str
    title: dict[str, str] = Field(examples=[{"ko": "프레스 2호기 모터 전류 (2025년)"}])
    description: dict[str, str]
    keyword: list[str]
    theme: str = Field(description="데이터 프로파일 코드 / the data profile (a theme of our vocabulary)")
    themeLabel: dict[str, str]  # noqa: N815
    license: str
    temporal: PeriodOfTime
    spatial: str | None
    publisher: str = Field(description="게시 기관: 수요기업명 또는 그룹 주관 기업 / the publishing SME or lead firm",
                           examples=["한빛정밀 주식회사"])
    issued: datetime
    distribution: list[Distribution]
    anonymisation: str


def public_view(d: Any, label: dict[str, str], publisher: str) -> PublicDataset:
    titles = {"ko": d.title_ko, **({"en": d.title_en} if d.title_en else {})}
    texts = {"ko": d.description_ko, **({"en": d.description_en} if d.description_en else {})}
    return PublicDataset(identifier=d.id, title=titles, description=texts, keyword=list(d.keywords or []),
                         theme=d.profile_code, themeLabel=label, license=d.licence,
                         temporal=PeriodOfTime(startDate=d.temporal_start, endDate=d.temporal_end),
                         spatial=d.spatial, publisher=publisher, issued=d.created_at,
                         distribution=[Distribution(format=d.media_format, accessURL=d.file_uri)],
                         anonymisation=d.anonymisation_ko)
