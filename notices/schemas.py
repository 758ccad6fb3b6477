"""Notices as the inbox and the admin log show them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class EmailStatus(StrEnum):
    pending = "pending"
    sent = "sent"
    failed = "failed"
    skipped = "skipped"


class NoticeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: str = Field(description="supplement_requested, screening_result, decision, suspension, revocation, "
                                  "reinstatement, renewal_window, renewal_reminder, report_due, appeal_outcome")
    subject_ko: str = Field(examples=["[AX 레지스트리] 지정 신청 보완 요청"])
    subject_en: str = Field(examples=["[AX Registry] Supplement requested"])
    body_ko: str
    body_en: str
    link: str | None = Field(None, description="API path of the application or certificate it is about")
    created_at: datetime
    read_at: datetime | None = None


class NoticeLogEntry(NoticeRead):
    event_key: str
    recipient_org: str
    email_to: str | None = None
    email_status: EmailStatus
    attempts: int = Field(description="E-mail attempts so far")
    last_error: str | None = None
    delivered_at: datetime | None = Field(None, description="When it reached the in-app inbox")
    sent_at: datetime | None = None
    next_attempt_at: datetime
