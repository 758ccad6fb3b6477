"""A stored KPI snapshot: the headline figures of one programme year as they were when taken, so the
trajectory reads history from these rows instead of recomputing it from today's data."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core import clock
from core.db import Base
from core.ids import new_id


class KpiSnapshot(Base):
    """Rows are only inserted; a year's latest snapshot is its actual (earlier ones stay as history)."""

    __tablename__ = "programme_kpi_snapshot"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    year: Mapped[int]
    as_of: Mapped[date] = mapped_column(Date)
    taken_by: Mapped[str] = mapped_column(String(200))
    taken_at: Mapped[datetime] = mapped_column(default=clock.now)
    figures: Mapped[dict[str, Any]] = mapped_column(default=dict)

    __table_args__ = (Index("ix_programme_kpi_snapshot_year_taken", "year", "taken_at"),)
