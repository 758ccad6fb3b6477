"""Pydantic schemas of selection by rule: rule versions, runs, decisions with reasons, withdrawals."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from programme.selection_rules import SelectionRuleDoc
from registry.fields import Count, Flag, Krw, LongText, Read, Score, ShortText, Strict
from registry.reference import Level
from registry.schemas import _not_null


class Outcome(StrEnum):
    selected = "selected"
    waitlisted = "waitlisted"
    refused = "refused"


class SelectionRuleRead(Read):
    id: str
    year: int
    version: int
    digest: str = Field(description="SHA-256 of the rule document (canonical JSON)")
    loaded_by: str
    loaded_at: datetime
    document: SelectionRuleDoc


class SelectionRunRead(Read):
    id: str
    rule_id: str
    run_by: str
    run_at: datetime
    applicants: int
    selected: int
    waitlisted: int
    refused: int
    digest: str = Field(description="SHA-256 of the ordered result: every decision with its rank and reasons")
    elapsed_ms: int


class Reason(Read):
    ko: str = Field(examples=["점수 87.2500점, 적격 신청 13,020개사 중 15위"])
    en: str = Field(examples=["score 87.2500, ranked 15 of 13,020 eligible applicants"])


class DecisionRead(Read):
    sme_id: str
    business_number: str | None = None
    outcome: Outcome
    rank: int | None = Field(None, description="Place among the eligible, 1 = best")
    waitlist_position: int | None = None
    score: float | None = None
    groups: dict[str, Any] = Field(default_factory=dict, examples=[{"region": "경기", "size_band": "소기업"}])
    reasons: list[Reason]
    promoted_at: datetime | None = None
    withdrawn_at: datetime | None = None


class WithdrawalCreate(Strict):
    sme_id: str = Field(max_length=36)
    reason: ShortText = Field(examples=["자금 사정으로 사업 참여를 포기합니다"])


class WithdrawalRead(Read):
    withdrawn: DecisionRead
    promoted: DecisionRead | None = Field(None, description="The first waitlisted SME that fits the quotas, if any")


class ProfileUpdate(Strict):
    """What the SME states about itself. No confirmed level, cohort or selection status: sent, they are
    refused (422)."""

    sales_krw: Krw | None = Field(None, description="매출액 (최근 연도) / Yearly sales", examples=[4_800_000_000])
    employees: Count | None = Field(None, examples=[42])
    founded_year: int | None = Field(None, ge=1900, le=2100, examples=[2004])
    supply_chain: Flag | None = Field(None, description="A partner in a large company's supply chain")
    prior_support: Flag | None = Field(None, description="Had smart-factory support before")

    _required = _not_null("sales_krw", "employees", "supply_chain", "prior_support")


class LevelConfirmation(Strict):
    level: Level = Field(description="The level the pre-consultant confirmed")
    diagnosis_score: Score | None = Field(None, examples=[78.5])


class ProfileRead(Read):
    sme_id: str
    sales_krw: int
    employees: int
    founded_year: int | None
    confirmed_level: str | None
    diagnosis_score: float | None
    supply_chain: bool
    prior_support: bool


class AppealCreate(Strict):
    reason_ko: LongText = Field(description="이의신청 사유 / Why the SME appeals its result",
                                examples=["진단 점수 산정 시 2025년 매출액(48억 원)이 반영되지 않았습니다"])


class AppealOutcome(StrEnum):
    upheld = "upheld"
    dismissed = "dismissed"


class AppealDecide(Strict):
    outcome: AppealOutcome = Field(description="upheld = 인용, dismissed = 기각")
    reason: ShortText = Field(examples=["2025년 매출액 증빙을 확인하여 점수를 바로잡음"])


class AppealRead(Read):
    id: str
    sme_id: str
    run_id: str
    outcome_before: Outcome
    reason_ko: str
    filed_by: str
    filed_at: datetime
    state: str = Field(description="submitted (접수), upheld (인용) or dismissed (기각)", examples=["submitted"])
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None
    outcome_after: str | None = Field(None, description="selected, waitlisted, or unchanged (dismissed)")
    waitlist_position: int | None = None


class MySelectionRead(Read):
    year: int
    run_id: str
    run_at: datetime
    decision: DecisionRead
    appeal_until: datetime = Field(description="이의신청 마감 / The end of the appeal period")
    can_appeal: bool = Field(description="Not selected, no appeal filed yet, and within the period")
    appeal: AppealRead | None = None
