"""ORM model of a call for applications (공고): its window, criteria version, rubric and quotas by field."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core import clock
from core.db import Base
from core.ids import new_id


class Call(Base):
    """Open from `opens_at` until `closes_at` (or `closed_at`, when an admin closes it early)."""

    __tablename__ = "call"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title_ko: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    summary_ko: Mapped[str | None] = mapped_column(Text)
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    criteria_version: Mapped[str] = mapped_column(ForeignKey("criteria_version.version"))
    rubric_version: Mapped[str] = mapped_column(String(40))
    quotas: Mapped[dict[str, Any]] = mapped_column(default=dict)  # category -> applications it takes
    closed_at: Mapped[datetime | None]
    close_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (CheckConstraint("closes_at > opens_at", name="window"),)
