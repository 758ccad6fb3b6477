"""ORM models of the registry: supplier companies, their solutions and TIPS linkages, SMEs and needs.

Ownership is by organisation id (`owner_org`), the `org` claim of the caller's access token.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from core import clock
from core.db import Base
from core.ids import new_id


class Versioned:
    """Row version for optimistic concurrency and strong ETags."""

    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]

    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)


class Company(Versioned, Base):
    __tablename__ = "company"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    owner_org: Mapped[str] = mapped_column(String(64), unique=True)
    business_number: Mapped[str] = mapped_column(String(12), unique=True)
    name_ko: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    representative: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(8), index=True)
    size_class: Mapped[str | None] = mapped_column(String(16))
    founded_on: Mapped[date | None] = mapped_column(Date)
    employees: Mapped[int | None]
    revenue_krw: Mapped[int | None] = mapped_column(BigInteger)
    rnd_krw: Mapped[int | None] = mapped_column(BigInteger)
    ai_staff: Mapped[int | None]
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    website: Mapped[str | None] = mapped_column(String(500))

    solutions: Mapped[list[Solution]] = relationship(back_populates="company", lazy="raise")
    tips: Mapped[list[TipsLinkage]] = relationship(back_populates="company", lazy="raise")


class Solution(Versioned, Base):
    __tablename__ = "solution"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    company_id: Mapped[str] = mapped_column(ForeignKey("company.id", ondelete="RESTRICT"), index=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    title_ko: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    description_ko: Mapped[str] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40), index=True)
    industries: Mapped[list[Any]] = mapped_column(default=list)
    min_level: Mapped[str] = mapped_column(String(16))
    deployment_mode: Mapped[str] = mapped_column(String(16))
    price_min_krw: Mapped[int] = mapped_column(BigInteger)
    price_max_krw: Mapped[int] = mapped_column(BigInteger)
    lead_time_weeks: Mapped[int | None]
    reference_cases: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)

    company: Mapped[Company] = relationship(back_populates="solutions", lazy="raise")

    __table_args__ = (
        CheckConstraint("price_min_krw >= 0 AND price_min_krw <= price_max_krw", name="price_range"),
    )


class TipsLinkage(Versioned, Base):
    __tablename__ = "tips_linkage"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    company_id: Mapped[str] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    program: Mapped[str] = mapped_column(String(20))
    operator: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(16), default="none")
    government_amount_krw: Mapped[int | None] = mapped_column(BigInteger)
    private_amount_krw: Mapped[int | None] = mapped_column(BigInteger)

    company: Mapped[Company] = relationship(back_populates="tips", lazy="raise")
    history: Mapped[list[TipsStageEvent]] = relationship(
        back_populates="linkage", lazy="raise", order_by="TipsStageEvent.on_date")


class TipsStageEvent(Base):
    __tablename__ = "tips_stage_event"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    linkage_id: Mapped[str] = mapped_column(ForeignKey("tips_linkage.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    on_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(500))
    recorded_at: Mapped[datetime] = mapped_column(default=clock.now)

    linkage: Mapped[TipsLinkage] = relationship(back_populates="history", lazy="raise")


class Sme(Versioned, Base):
    __tablename__ = "sme"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    owner_org: Mapped[str] = mapped_column(String(64), unique=True)
    business_number: Mapped[str] = mapped_column(String(12), unique=True)
    name_ko: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    ksic: Mapped[str] = mapped_column(String(4), index=True)
    region: Mapped[str] = mapped_column(String(8), index=True)
    smart_factory_level: Mapped[str] = mapped_column(String(16))
    cohort_year: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(16), default="candidate")
    budget_gov_krw: Mapped[int] = mapped_column(BigInteger, default=0)
    budget_own_krw: Mapped[int] = mapped_column(BigInteger, default=0)

    needs: Mapped[list[Need]] = relationship(back_populates="sme", lazy="raise")


class Need(Versioned, Base):
    __tablename__ = "need"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    sme_id: Mapped[str] = mapped_column(ForeignKey("sme.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    categories: Mapped[list[Any]] = mapped_column(default=list)
    budget_krw: Mapped[int | None] = mapped_column(BigInteger)
    smart_factory_level: Mapped[str | None] = mapped_column(String(16))
    region: Mapped[str | None] = mapped_column(String(8))
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")

    sme: Mapped[Sme] = relationship(back_populates="needs", lazy="raise")

    __table_args__ = (Index("ix_need_sme_created", "sme_id", "created_at"),)
