"""ORM models of selection by rule: the facts selection reads about an SME (its profile), the
selection rules as versioned data, each run of a rule over a cohort's applications, and the decision
(selected, waitlisted or refused, with reasons in Korean and English) for every applicant of a run."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core import clock
from core.db import Base
from core.ids import new_id

OUTCOMES = ("selected", "waitlisted", "refused")


class SmeProfile(Base):
    """What selection uses about an SME: scale, readiness and the level a pre-consultant confirmed
    (`confirmed_level`; the SME's own `smart_factory_level` on the registry is only declared)."""

    __tablename__ = "programme_sme_profile"

    sme_id: Mapped[str] = mapped_column(ForeignKey("sme.id", ondelete="CASCADE"), primary_key=True)
    sales_krw: Mapped[int] = mapped_column(BigInteger)
    employees: Mapped[int]
    founded_year: Mapped[int | None]
    confirmed_level: Mapped[str | None] = mapped_column(String(16))
    diagnosis_score: Mapped[float | None] = mapped_column(Float)  # pre-consulting diagnosis, 0-100
    supply_chain: Mapped[bool] = mapped_column(default=False)
    prior_support: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    __table_args__ = (CheckConstraint("sales_krw >= 0", name="sales"),
                      CheckConstraint("employees >= 0", name="employees"))


class SelectionRule(Base):
    """One version of the selection rule of a year: eligibility, capacity, quotas, score weights."""

    __tablename__ = "programme_selection_rule"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    year: Mapped[int] = mapped_column(index=True)
    version: Mapped[int]
    document: Mapped[dict[str, Any]] = mapped_column(default=dict)
    digest: Mapped[str] = mapped_column(String(64))
    loaded_by: Mapped[str] = mapped_column(String(200))
    loaded_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (UniqueConstraint("year", "version"),)


class SelectionRun(Base):
    """A run of a rule version over the cohort's applications; `digest` is the SHA-256 of the ordered
    result (every decision, its rank and reasons), also written to the audit log."""

    __tablename__ = "programme_selection_run"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    cohort_id: Mapped[str] = mapped_column(ForeignKey("programme_cohort.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[str] = mapped_column(ForeignKey("programme_selection_rule.id", ondelete="RESTRICT"))
    run_by: Mapped[str] = mapped_column(String(200))
    run_at: Mapped[datetime] = mapped_column(default=clock.now)
    applicants: Mapped[int]
    selected: Mapped[int]
    waitlisted: Mapped[int]
    refused: Mapped[int]
    digest: Mapped[str] = mapped_column(String(64))
    elapsed_ms: Mapped[int] = mapped_column(default=0)


class SelectionDecision(Base):
    """One applicant's decision in a run. `rank` orders the eligible (1 = best); `waitlist_position`
    orders the waiting list; `promoted_at` marks a waitlisted SME promoted after a withdrawal."""

    __tablename__ = "programme_selection_decision"

    run_id: Mapped[str] = mapped_column(ForeignKey("programme_selection_run.id", ondelete="CASCADE"),
                                        primary_key=True)
    sme_id: Mapped[str] = mapped_column(ForeignKey("sme.id", ondelete="CASCADE"), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(12))
    rank: Mapped[int | None]
    waitlist_position: Mapped[int | None]
    score: Mapped[float | None] = mapped_column(Float)
    groups: Mapped[dict[str, Any]] = mapped_column(default=dict)  # quota group values, e.g. {"region": "경기"}
    reasons: Mapped[list[Any]] = mapped_column(default=list)  # [{"ko": ..., "en": ...}]
    promoted_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]

    __table_args__ = (CheckConstraint("outcome IN ('selected', 'waitlisted', 'refused')", name="outcome"),
                      Index("ix_programme_selection_decision_run_outcome", "run_id", "outcome",
                            "waitlist_position"))


class SelectionAppeal(Base):
    """An SME's appeal of its result in a round (cohort), once per SME and round (the unique constraint
    holds under concurrent requests): submitted -> upheld | dismissed by the programme officer, with reasons."""

    __tablename__ = "programme_selection_appeal"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    cohort_id: Mapped[str] = mapped_column(ForeignKey("programme_cohort.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("programme_selection_run.id", ondelete="CASCADE"))
    sme_id: Mapped[str] = mapped_column(ForeignKey("sme.id", ondelete="CASCADE"), index=True)
    outcome_before: Mapped[str] = mapped_column(String(12))  # the decision appealed: waitlisted | refused
    reason_ko: Mapped[str] = mapped_column(Text)
    filed_by: Mapped[str] = mapped_column(String(200))
    filed_at: Mapped[datetime] = mapped_column(default=clock.now)
    state: Mapped[str] = mapped_column(String(12), default="submitted")
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(Text)
    outcome_after: Mapped[str | None] = mapped_column(String(12))  # selected | waitlisted | unchanged
    waitlist_position: Mapped[int | None]

    __table_args__ = (UniqueConstraint("cohort_id", "sme_id"),
                      CheckConstraint("state IN ('submitted', 'upheld', 'dismissed')", name="state"))
