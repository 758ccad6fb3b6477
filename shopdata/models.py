"""ORM models of shop-floor data: profile vocabulary versions, what a solution needs, what an SME has, and the
datasets SMEs and supply-chain groups share.

Ownership follows the registry: a requirement belongs to its solution's company, an inventory item to its
SME's `owner_org`, a dataset to `owner_org` (the SME's organisation, or the group's lead firm).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core import clock
from core.db import Base
from core.ids import new_id

COLLECTION_METHODS = ("manual", "plc", "mes", "sensor")
ACCESS_LEVELS = ("private", "group", "public")


class DataProfileVersion(Base):
    """An admin-saved vocabulary; immutable, the newest in force (the shipped YAML while there is none)."""

    __tablename__ = "data_profile_version"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                     autoincrement=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    document: Mapped[dict[str, Any]]
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class SolutionDataRequirement(Base):
    """One data profile a solution consumes, as its supplier declares it."""

    __tablename__ = "solution_data_requirement"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    solution_id: Mapped[str] = mapped_column(ForeignKey("solution.id", ondelete="CASCADE"), index=True)
    profile_code: Mapped[str] = mapped_column(String(48))
    required: Mapped[bool] = mapped_column(default=True)
    min_sampling_rate_hz: Mapped[float | None] = mapped_column(Float)
    min_volume: Mapped[int | None] = mapped_column(BigInteger)
    labelling_needed: Mapped[bool] = mapped_column(default=False)
    note_ko: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (UniqueConstraint("solution_id", "profile_code"),)


class SmeDataHolding(Base):
    """One kind of data an SME collects; the SME states it, its pre-consultant (or an officer) confirms it."""

    __tablename__ = "sme_data_holding"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    sme_id: Mapped[str] = mapped_column(ForeignKey("sme.id", ondelete="CASCADE"), index=True)
    profile_code: Mapped[str] = mapped_column(String(48))
    since: Mapped[date | None] = mapped_column(Date)
    volume: Mapped[int | None] = mapped_column(BigInteger)
    collection: Mapped[str] = mapped_column(String(8))
    sampling_rate_hz: Mapped[float | None] = mapped_column(Float)
    labelled: Mapped[bool] = mapped_column(default=False)
    note_ko: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
    confirmed_by: Mapped[str | None] = mapped_column(String(200))
    confirmed_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("sme_id", "profile_code"),
                      CheckConstraint("collection IN ('manual', 'plc', 'mes', 'sensor')", name="collection"))


class Dataset(Base):
    """A dataset shared for AI, described with DCAT-AP style metadata; `access` decides who sees it."""

    __tablename__ = "shared_dataset"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    owner_org: Mapped[str] = mapped_column(String(64), index=True)
    sme_id: Mapped[str | None] = mapped_column(ForeignKey("sme.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[str | None] = mapped_column(ForeignKey("programme_group.id", ondelete="CASCADE"), index=True)
    title_ko: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    description_ko: Mapped[str] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    profile_code: Mapped[str] = mapped_column(String(48), index=True)
    industry: Mapped[str | None] = mapped_column(String(8))
    licence: Mapped[str] = mapped_column(String(100))
    temporal_start: Mapped[date | None] = mapped_column(Date)
    temporal_end: Mapped[date | None] = mapped_column(Date)
    spatial: Mapped[str | None] = mapped_column(String(100))
    media_format: Mapped[str] = mapped_column(String(100))
    access: Mapped[str] = mapped_column(String(8), index=True)
    anonymisation_ko: Mapped[str] = mapped_column(Text)
    file_uri: Mapped[str | None] = mapped_column(String(2000))
    document_id: Mapped[str | None] = mapped_column(String(36))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (CheckConstraint("access IN ('private', 'group', 'public')", name="access"),
                      CheckConstraint("access <> 'group' OR group_id IS NOT NULL", name="group_named"))
