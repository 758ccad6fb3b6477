"""Pydantic schemas of appeals (이의신청)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from certification.schemas import SubId
from registry.fields import LongText, Read, ShortText, Strict


class AppealCreate(Strict):
    """Name exactly one: the rejected application, or the suspended or revoked certificate."""

    application_id: str | None = Field(None, max_length=36)
    certificate_number: str | None = Field(None, max_length=40, examples=["AXR-2026-7KQM-P3XD-H"])
    reasons_ko: LongText = Field(examples=["반려 사유인 도입 실적 부족은 사실과 다릅니다. 2025년 3개 공장 도입 "
                                           "확인서를 첨부합니다."])


class AppealPanelAssign(Strict):
    reviewers: list[SubId] = Field(min_length=1, max_length=10, examples=[["reviewer-appeal-1"]])


class AppealDecision(Strict):
    outcome: Literal["upheld", "dismissed"]
    reason: ShortText = Field(examples=["제출된 도입 확인서로 실적 요건이 충족됨을 확인했습니다."])


class AppealRead(Read):
    id: str
    company_id: str
    subject_type: Literal["application", "certificate"]
    subject_id: str = Field(description="The application id or certificate number appealed against")
    decision_action: str = Field(description="reject, screen_fail, suspend or revoke", examples=["reject"])
    decided_at: datetime = Field(description="When the decision appealed against was recorded")
    appeal_deadline: datetime = Field(description="The last moment an appeal could be filed")
    reasons_ko: str
    state: Literal["submitted", "upheld", "dismissed"]
    outcome_reason: str | None
    outcome_at: datetime | None
    outcome_seq: int | None = Field(description="The audit event recording the outcome")
    created_at: datetime


class AppealSeatRead(Read):
    reviewer_sub: str
    assigned_by: str
    assigned_at: datetime
