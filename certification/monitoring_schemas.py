"""Pydantic schemas of monitoring after designation: performance reports, suspension cases, listing edits."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from evidence.schemas import ScanStatus, scan_field
from registry.fields import LongText, Read, ShortText, Strict


class ReportCreate(Strict):
    year: int | None = Field(None, ge=1, le=10, description="The designation year reported on; default: the "
                                                            "earliest one not yet submitted whose window is open")
    deployments: int = Field(ge=0, le=100_000, description="Deployments at manufacturers during the year",
                             examples=[7])
    manufacturing_ai_revenue_krw: int = Field(ge=0, le=10**15, description="Revenue from manufacturing AI (KRW)",
                                              examples=[1_450_000_000])
    ai_staff: int = Field(ge=0, le=100_000, description="AI staff at the end of the year", examples=[14])
    summary_ko: LongText | None = Field(
        None, examples=["자동차 부품사 5곳, 전자 부품사 2곳에 비전 검사를 도입했습니다."])


class ReportRead(Read):
    id: str
    certificate_number: str = ""
    year: int
    due_on: date = Field(description="The anniversary of the designation (KST) the report is due on")
    state: str = Field(description="draft or submitted")
    deployments: int
    manufacturing_ai_revenue_krw: int
    ai_staff: int
    summary_ko: str | None
    created_at: datetime
    submitted_at: datetime | None
    on_time: bool | None = Field(description="Submitted by the due date (null until submitted)")
    documents: list[ReportDocumentRead] = Field(default_factory=list)


class ReportDocumentRead(Read):
    id: str
    filename: str = Field(examples=["2026_도입실적_증빙.pdf"])
    media_type: str = Field(examples=["application/pdf"])
    size: int
    sha256: str = Field(description="SHA-256 of the bytes; also in the audit event that attached it")
    audit_seq: int
    uploaded_at: datetime
    scan: ScanStatus = scan_field()
    scanned_at: datetime | None = Field(None, description="검사 시각 / When clamd scanned it (null: not scanned)")
    scanner: str | None = Field(None, description="검사기 버전 / clamd's version line (null: not scanned)")
    download: str = Field("", examples=["/v1/performance-report-documents/3f1c.../content"])


class CaseRead(Read):
    id: str
    certificate_number: str = ""
    year: int
    due_on: date
    state: str = Field(description="open, suspended (the certificate was suspended) or closed")
    opened_at: datetime
    decided_at: datetime | None
    decision_reason: str | None


class CaseDecision(Strict):
    decision: Literal["suspend", "close"]
    reason: ShortText = Field(examples=["2026년 실적 보고 미제출로 지정 효력 정지"])


class Acknowledge(Strict):
    note: ShortText | None = Field(None, examples=["가격 범위 변경 확인, 문제없음"])


class EditChange(BaseModel):
    field: str = Field(examples=["price_max_krw"])
    before: Any = Field(examples=[160000000])
    after: Any = Field(examples=[210000000])


class ListingEditRead(Read):
    id: str
    company_id: str
    certificate_number: str
    resource: str = Field(description="company, solution or tips (a TIPS linkage's stage)")
    resource_id: str
    action: str = Field(description="created or updated")
    changes: list[EditChange]
    in_scope: bool | None = Field(description="A solution: whether its field is within the designation (outside "
                                              "it, the solution is not shown as designated)")
    edited_by: str
    edited_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    note: str | None


ReportRead.model_rebuild()
