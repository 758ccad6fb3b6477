"""The transactional outbox: a row per change that the search index and the change feed consume."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import clock
from core.db import Base


class OutboxEvent(Base):
    __tablename__ = "outbox_event"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                     autoincrement=True)
    resource: Mapped[str] = mapped_column(String(40))  # company, solution, certificate, ...
    resource_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(40))  # created, updated, deleted, suspended, ...
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    public: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    indexed_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (Index("ix_outbox_event_pending", "indexed_at", "seq"),)


def record(session: Session, *, resource: str, resource_id: str, action: str,
           payload: dict[str, Any] | None = None, public: bool = True) -> OutboxEvent:
    """Record a change in the caller's transaction, so the change and its event commit together."""
    event = OutboxEvent(resource=resource, resource_id=resource_id, action=action,
                        payload=payload or {}, public=public)
    session.add(event)
    return event
