"""The transactional outbox: a row per change, consumed by the search index and the portal change feed.

Sequence numbers come from a one-row counter locked until the writing transaction commits, so `seq`
order is commit order: a reader that has seen seq N will never later find a committed event below N.
That serialises writers from their first outbox row to their commit, which the registry's write
volume affords; it is what lets the feed's cursor be a plain number that never skips or repeats.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import clock
from core.db import Base


class OutboxEvent(Base):
    __tablename__ = "outbox_event"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                     autoincrement=False)
    resource: Mapped[str] = mapped_column(String(40))  # company, solution, certificate, ...
    resource_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))  # created, updated, suspended, ...
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    public: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    indexed_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (Index("ix_outbox_event_pending", "indexed_at", "seq"),
                      Index("ix_outbox_event_feed", "public", "seq"))


class OutboxCounter(Base):
    __tablename__ = "outbox_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


def _next_seq(session: Session, count: int = 1) -> int:
    """Lock the counter until commit and take `count` numbers; returns the last one taken."""
    stmt = select(OutboxCounter).where(OutboxCounter.id == 1).with_for_update()
    counter = session.scalars(stmt).one_or_none()
    if counter is None:
        try:
            with session.begin_nested():
                session.add(OutboxCounter(id=1, value=0))
        except IntegrityError:
            pass  # created by a concurrent transaction
        counter = session.scalars(stmt).one()
    counter.value += count
    return counter.value


def record(session: Session, *, resource: str, resource_id: str, action: str,
           payload: dict[str, Any] | None = None, public: bool = True) -> OutboxEvent:
    """Record a change in the caller's transaction, so the change and its event commit together."""
    event = OutboxEvent(seq=_next_seq(session), resource=resource, resource_id=resource_id, action=action,
                        payload=payload or {}, public=public)
    session.add(event)
    return event


def record_many(session: Session, events: list[dict[str, Any]]) -> int:
    """Record many changes at once (bulk imports): one counter lock, consecutive seqs in list order,
    one multi-row insert. Each event is a dict of `record`'s keyword arguments. Returns how many."""
    if not events:
        return 0
    last = _next_seq(session, len(events))
    first = last - len(events) + 1
    now = clock.now()
    rows = [{"seq": first + i, "resource": e["resource"], "resource_id": e["resource_id"], "action": e["action"],
             "payload": e.get("payload") or {}, "public": e.get("public", True), "created_at": now,
             "indexed_at": None} for i, e in enumerate(events)]
    session.flush()  # the counter update goes out with the lock held; the rows follow in seq order
    session.execute(insert(OutboxEvent), rows)
    return len(rows)
