"""The notice outbox row: one message to one organisation for one event, and where its delivery stands.

The row is the outbox (written in the transaction of the event), the inbox entry once the dispatcher has
delivered it (`delivered_at`), and the e-mail's delivery record (`email_status`, attempts, last error)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core import clock
from core.db import Base
from core.ids import new_id


class Notice(Base):
    __tablename__ = "notice"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    # what caused it: "audit:<seq>" for a recorded transition, "renewal_90:<cert>:<until>" for a date
    event_key: Mapped[str] = mapped_column(String(120))
    recipient_org: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    subject_ko: Mapped[str] = mapped_column(String(300))
    subject_en: Mapped[str] = mapped_column(String(300))
    body_ko: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(300))  # the API path of the object it is about
    email_to: Mapped[str | None] = mapped_column(String(254))  # the company's contact e-mail when enqueued
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)  # in the inbox from then on
    read_at: Mapped[datetime | None] = mapped_column(default=None)
    # pending (dispatcher has work), sent, failed (retries exhausted), skipped (no SMTP or no address)
    email_status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime] = mapped_column(default=clock.now)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (UniqueConstraint("event_key", "recipient_org", name="uq_notice_event_recipient"),
                      Index("ix_notice_inbox", "recipient_org", "id"),
                      Index("ix_notice_pending", "email_status", "next_attempt_at"))
