"""ORM models of appeals (이의신청) against a rejection, suspension or revocation, and their panels."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core import clock
from core.db import Base
from core.ids import new_id


class Appeal(Base):
    """One appeal per decision: the decision is its audit event, so `decision_seq` is unique."""

    __tablename__ = "appeal"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    company_id: Mapped[str] = mapped_column(ForeignKey("company.id", ondelete="RESTRICT"), index=True)
    applicant_org: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str] = mapped_column(String(16))  # "application" or "certificate"
    subject_id: Mapped[str] = mapped_column(String(64))  # application id or certificate number
    decision_seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    decision_action: Mapped[str] = mapped_column(String(24))  # reject, screen_fail, suspend, revoke
    decided_at: Mapped[datetime]
    reasons_ko: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="submitted", index=True)
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    outcome_at: Mapped[datetime | None]
    outcome_seq: Mapped[int | None] = mapped_column(BigInteger)
    created_by: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __mapper_args__ = {"version_id_col": version}


class AppealSeat(Base):
    """A reviewer on an appeal's panel: never one who took part in the decision appealed against."""

    __tablename__ = "appeal_seat"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    appeal_id: Mapped[str] = mapped_column(ForeignKey("appeal.id", ondelete="CASCADE"), index=True)
    reviewer_sub: Mapped[str] = mapped_column(ForeignKey("reviewer_profile.sub"))
    assigned_by: Mapped[str] = mapped_column(String(200))
    assigned_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (UniqueConstraint("appeal_id", "reviewer_sub"),)
