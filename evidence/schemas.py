"""What the API says about an evidence document (its bytes come from the download route)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Purpose(StrEnum):
    criterion = "criterion"  # evidence for one eligibility criterion, attached to a draft
    supplement = "supplement"  # the answer to an open supplement request
    appeal = "appeal"  # supporting an appeal (이의신청); the document belongs to the appeal


class DocumentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    application_id: str | None = Field(description="The application it supports (null for an appeal's document)")
    appeal_id: str | None = Field(None, description="The appeal it supports (이의신청)")
    purpose: Purpose
    criterion: str | None = Field(description="The criterion the document supports (E1..), for purpose criterion",
                                  examples=["E3"])
    filename: str = Field(examples=["2025_연구개발비_명세서.pdf"])
    media_type: str = Field(description="The type read from the content", examples=["application/pdf"])
    size: int
    sha256: str = Field(description="SHA-256 of the bytes, hex; also in the audit event that attached it")
    audit_seq: int = Field(description="The audit event that attached the document")
    uploaded_at: datetime
    scanned: bool = Field(False, description="Virus-scanned: always false, no scanner is configured (never "
                                             "reported as clean)")
    download: str = Field(description="Path of the bytes", examples=["/v1/documents/3f1c.../content"])
