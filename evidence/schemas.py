"""What the API says about an evidence document (its bytes come from the download route)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

ScanStatus = Literal["clean", "not_scanned"]
SCAN_FIELDS_DOC = (
    "바이러스 검사 결과: clean(clamd 검사에서 발견된 것 없음) 또는 not_scanned(검사기가 설정되지 않아 검사하지 "
    "않음). clamd가 이상 없다고 답한 파일만 clean입니다. / The virus scan: clean only when clamd said so; "
    "not_scanned when no scanner is configured (never reported clean otherwise)")


def scan_field() -> ScanStatus:
    """The `scan` field of a document schema, read from the row's `scan_status`."""
    return Field("not_scanned", description=SCAN_FIELDS_DOC, examples=["clean"],  # type: ignore[no-any-return]
                 validation_alias=AliasChoices("scan", "scan_status"))


class Purpose(StrEnum):
    criterion = "criterion"  # evidence for one eligibility criterion, attached to a draft
    supplement = "supplement"  # the answer to an open supplement request
    appeal = "appeal"  # supporting an appeal (이의신청); the document belongs to the appeal
    outcome = "outcome"  # the evidence of an AX project's measured outcome (성과 증빙); it belongs to the outcome


class DocumentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    application_id: str | None = Field(description="The application it supports (null for an appeal's or an "
                                       "outcome's document)")
    appeal_id: str | None = Field(None, description="The appeal it supports (이의신청)")
    outcome_id: str | None = Field(None, description="The AX project's outcome it supports (성과 증빙)")
    purpose: Purpose
    criterion: str | None = Field(description="The criterion the document supports (E1..), for purpose criterion",
                                  examples=["E3"])
    filename: str = Field(examples=["2025_연구개발비_명세서.pdf"])
    media_type: str = Field(description="The type read from the content", examples=["application/pdf"])
    size: int
    sha256: str = Field(description="SHA-256 of the bytes, hex; also in the audit event that attached it")
    audit_seq: int = Field(description="The audit event that attached the document")
    uploaded_at: datetime
    scan: ScanStatus = scan_field()
    scanned_at: datetime | None = Field(None, description="검사 시각 / When clamd scanned it (null: not scanned)")
    scanner: str | None = Field(None, description="검사기 버전 / clamd's version line (null: not scanned)",
                                examples=["ClamAV 1.4.6/27480/Wed Dec  2 09:30:00 2026"])
    download: str = Field(description="Path of the bytes", examples=["/v1/documents/3f1c.../content"])
