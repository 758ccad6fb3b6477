"""ORM model of matching: thesaurus versions edited by admins (the shipped YAML is version zero)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core import clock
from core.db import Base


class ThesaurusVersion(Base):
    __tablename__ = "thesaurus_version"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                     autoincrement=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    document: Mapped[dict[str, Any]]
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
