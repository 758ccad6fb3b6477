"""The notice dispatcher: moves outbox rows into the inbox and sends their e-mail, retrying failures.

A round claims due rows with a lease (so two workers never send one notice twice), delivers each outside
any transaction, and records the outcome: sent, or the attempt count, the error and the next try."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.orm import Session

from core import clock
from core.db import unit_of_work
from core.settings import Settings
from notices import mail
from notices.models import Notice

log = logging.getLogger("axr.notices")

# Wait before attempt 2, 3, ...; after the last one the e-mail is marked failed (the inbox has it anyway).
RETRY_SCHEDULE = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
                  timedelta(hours=6))
LEASE = timedelta(minutes=2)
BATCH = 50

Sender = Callable[[str, EmailMessage], None]


@dataclass
class DispatchResult:
    delivered: int = 0  # into the inbox
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0

    @property
    def idle(self) -> bool:
        return not (self.delivered or self.sent or self.retrying or self.failed or self.skipped)


def deliver_to_inbox(session: Session) -> int:
    """Every notice not yet in its inbox goes there (the in-app channel cannot fail)."""
    result = session.execute(update(Notice).where(Notice.delivered_at.is_(None)).values(delivered_at=clock.now()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _claim(session: Session, *, sender: str | None) -> tuple[list[tuple[str, EmailMessage]], int]:
    """Lease the due e-mails (sender None: no SMTP configured, so they are skipped, not lost silently)."""
    now = clock.now()
    rows = list(session.scalars(select(Notice).where(
        Notice.email_status == "pending", Notice.next_attempt_at <= now)
        .order_by(Notice.next_attempt_at, Notice.id).limit(BATCH).with_for_update(skip_locked=True)))
    claimed, skipped = [], 0
    for n in rows:
        if sender is None or not n.email_to:
            n.email_status = "skipped"
            n.last_error = "AXR_SMTP_URL is not set" if sender is None else "the company has no contact e-mail"
            skipped += 1
            continue
        n.next_attempt_at = now + LEASE
        claimed.append((n.id, mail.build(sender=sender, to=n.email_to, subject_ko=n.subject_ko,
                                         subject_en=n.subject_en, body_ko=n.body_ko, body_en=n.body_en,
                                         notice_id=n.id)))
    session.flush()
    return claimed, skipped


def _record(session: Session, notice_id: str, error: str | None) -> str:
    n = session.get(Notice, notice_id, with_for_update=True)
    if n is None:
        return "gone"
    n.attempts += 1
    n.last_error = error
    if error is None:
        n.email_status, n.sent_at = "sent", clock.now()
    elif n.attempts > len(RETRY_SCHEDULE):
        n.email_status = "failed"
    else:
        n.next_attempt_at = clock.now() + RETRY_SCHEDULE[n.attempts - 1]
    session.flush()
    return n.email_status


def pending(session: Session) -> bool:
    return session.scalar(select(Notice.id).where(or_(
        Notice.delivered_at.is_(None),
        (Notice.email_status == "pending") & (Notice.next_attempt_at <= clock.now()))).limit(1)) is not None


class Dispatcher:
    """`step()` does one round (tests, `axr notices send`, `axr worker`)."""

    def __init__(self, engine: Engine, settings: Settings, sender: Sender | None = None) -> None:
        self.engine = engine
        self.settings = settings
        self.sender = sender or (lambda url, msg: mail.send(url, msg, timeout=settings.smtp_timeout_seconds))

    def step(self) -> DispatchResult:
        result = DispatchResult()
        with Session(self.engine) as s:  # an idle round takes no write lock
            if not pending(s):
                return result
        with unit_of_work(self.engine) as s:
            result.delivered = deliver_to_inbox(s)
            claimed, result.skipped = _claim(
                s, sender=self.settings.smtp_from if self.settings.smtp_url else None)
        for notice_id, msg in claimed:
            try:
                self.sender(self.settings.smtp_url or "", msg)
                error = None
            except (OSError, mail.smtplib.SMTPException, mail.MailConfigError) as exc:
                error = f"{type(exc).__name__}: {exc}"[:500]
                log.warning("notice %s: e-mail failed: %s", notice_id, error)
            with unit_of_work(self.engine) as s:
                status = _record(s, notice_id, error)
            result.sent += status == "sent"
            result.failed += status == "failed"
            result.retrying += status == "pending"
        return result


def run(dispatcher: Dispatcher, stop: threading.Event, poll_seconds: float) -> None:
    """Deliver until stopped; a failed round (database restart, ...) is logged and the loop goes on."""
    while not stop.is_set():
        try:
            busy = not dispatcher.step().idle
        except Exception:  # noqa: BLE001 - the loop outlives a bad round
            log.exception("notice delivery round failed")
            busy = False
        if not busy:
            stop.wait(poll_seconds)


def start_background(engine: Engine, settings: Settings) -> tuple[threading.Thread, threading.Event]:
    """The embedded default beside the webhook thread (`axr serve`): notices reach inboxes within a poll."""
    stop = threading.Event()
    thread = threading.Thread(target=run, args=(Dispatcher(engine, settings), stop, settings.worker_poll_seconds),
                              name="axr-notices", daemon=True)
    thread.start()
    return thread, stop
