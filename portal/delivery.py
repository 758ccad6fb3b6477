"""The webhook delivery worker: fans public outbox events out to endpoints and posts them, signed.

Each endpoint gets its events in feed order: only its oldest pending delivery is attempted, and a
failing one is retried on the schedule below (about 27.5 hours in all) before it is marked failed and
the next one goes. `step()` does one round and is what tests drive, with `core.clock` moved forward.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import Engine, and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import clock
from core.db import unit_of_work
from core.outbox import OutboxEvent
from core.settings import Settings
from portal import feed, signing, ssrf
from portal.models import WebhookDelivery, WebhookDispatchState, WebhookEndpoint
from portal.webhooks import matches

log = logging.getLogger("axr.webhooks")

# Wait before attempt 2, 3, ...: the Standard Webhooks schedule; 8 attempts over 27 h 35 min.
RETRY_SCHEDULE = (timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
                  timedelta(hours=5), timedelta(hours=10), timedelta(hours=10))
LEASE = timedelta(minutes=2)  # a claimed delivery is due again if its worker dies mid-attempt
FAN_OUT_BATCH = 500
CLAIM_BATCH = 50


@dataclass
class Attempt:
    id: str
    url: str
    secret: str
    body: str
    cursor: str


@dataclass
class StepResult:
    fanned_out: int = 0
    attempted: int = 0
    delivered: int = 0
    failed: int = 0

    @property
    def idle(self) -> bool:
        return self.fanned_out == 0 and self.attempted == 0


def message_id(endpoint_id: str, seq: int) -> str:
    return f"msg_{endpoint_id.replace('-', '')}_{seq}"


def _state(session: Session) -> WebhookDispatchState:
    stmt = select(WebhookDispatchState).where(WebhookDispatchState.id == 1).with_for_update()
    state = session.scalars(stmt).one_or_none()
    if state is None:
        try:
            with session.begin_nested():
                session.add(WebhookDispatchState(id=1, last_seq=0))
        except IntegrityError:
            pass  # created by a concurrent worker
        state = session.scalars(stmt).one()
    return state


def pending_fan_out(session: Session) -> bool:
    last = session.scalar(select(WebhookDispatchState.last_seq).where(WebhookDispatchState.id == 1)) or 0
    return feed.head(session) > last


def fan_out(session: Session, *, base_url: str) -> int:
    """Create a delivery per (matching endpoint, public event) past the watermark; returns how many."""
    state = _state(session)
    watermark = feed.head(session)
    rows = list(session.scalars(select(OutboxEvent).where(
        OutboxEvent.public.is_(True), OutboxEvent.seq > state.last_seq, OutboxEvent.seq <= watermark)
        .order_by(OutboxEvent.seq).limit(FAN_OUT_BATCH)))
    endpoints = list(session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True))))
    made = 0
    for row in rows:
        event = feed.to_event(row, base_url)
        for ep in endpoints:
            if row.seq <= ep.start_after_seq or not matches(event.type, ep.event_types):
                continue
            body = json.dumps({"type": event.type, "timestamp": event.occurred_at.isoformat(),
                               "cursor": event.cursor, "data": event.model_dump(mode="json")},
                              ensure_ascii=False, separators=(",", ":"))
            session.add(WebhookDelivery(id=message_id(ep.id, row.seq), endpoint_id=ep.id, seq=row.seq,
                                        event_type=event.type, body=body, next_attempt_at=clock.now()))
            made += 1
    state.last_seq = rows[-1].seq if len(rows) == FAN_OUT_BATCH else max(state.last_seq, watermark)
    session.flush()
    return made


def _due(now: datetime):  # type: ignore[no-untyped-def]
    heads = (select(WebhookDelivery.endpoint_id, func.min(WebhookDelivery.seq).label("seq"))
             .where(WebhookDelivery.status == "pending").group_by(WebhookDelivery.endpoint_id).subquery())
    return (select(WebhookDelivery, WebhookEndpoint)
            .join(heads, and_(WebhookDelivery.endpoint_id == heads.c.endpoint_id, WebhookDelivery.seq == heads.c.seq))
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(WebhookDelivery.next_attempt_at <= now, WebhookEndpoint.active.is_(True))
            .order_by(WebhookDelivery.next_attempt_at).limit(CLAIM_BATCH))


def any_due(session: Session) -> bool:
    return session.execute(_due(clock.now()).limit(1)).first() is not None


def claim(session: Session) -> list[Attempt]:
    """Lease the oldest pending delivery of each endpoint that is due, so no other worker takes it."""
    now = clock.now()
    rows = session.execute(_due(now).with_for_update(skip_locked=True, of=WebhookDelivery)).all()
    attempts = []
    for delivery, endpoint in rows:
        delivery.next_attempt_at = now + LEASE
        attempts.append(Attempt(delivery.id, endpoint.url, endpoint.secret, delivery.body,
                                feed.encode_cursor(delivery.seq)))
    session.flush()
    return attempts


def send(http: httpx.Client, attempt: Attempt, *, allow_private: bool) -> tuple[int | None, str | None]:
    """POST one signed attempt; returns (status code, error text)."""
    try:
        addresses = ssrf.check_url(attempt.url, allow_private=allow_private, require_resolution=True)
    except ssrf.UnsafeUrl as exc:
        return None, f"refused: {exc}"
    target, pin, extensions = ssrf.pinned(attempt.url, addresses[0])
    body = attempt.body.encode()
    headers = {**signing.headers(attempt.secret, attempt.id, int(clock.now().timestamp()), body),
               "content-type": "application/json", "user-agent": "axr-webhooks/1",
               "axr-feed-cursor": attempt.cursor}
    try:
        response = http.post(target, content=body, headers={**headers, **pin}, extensions=extensions)
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    return response.status_code, None if response.is_success else f"HTTP {response.status_code}"


def record(session: Session, delivery_id: str, code: int | None, error: str | None) -> str:
    """Store an attempt's outcome; returns the delivery's new status."""
    delivery = session.get(WebhookDelivery, delivery_id, with_for_update=True)
    if delivery is None:  # the endpoint was deleted meanwhile
        return "gone"
    now = clock.now()
    delivery.attempts += 1
    delivery.last_status_code, delivery.last_error = code, error
    if error is None and code is not None:
        delivery.status, delivery.delivered_at = "delivered", now
    elif delivery.attempts > len(RETRY_SCHEDULE):
        delivery.status = "failed"
    else:
        delivery.next_attempt_at = now + RETRY_SCHEDULE[delivery.attempts - 1]
    session.flush()
    return delivery.status


class DeliveryWorker:
    """One worker: `step()` for tests and jobs, `run(stop)` for `axr worker` and the embedded thread."""

    def __init__(self, engine: Engine, settings: Settings, http: httpx.Client | None = None) -> None:
        self.engine = engine
        self.settings = settings
        self.http = http or httpx.Client(timeout=settings.webhook_timeout_seconds, follow_redirects=False)

    def step(self) -> StepResult:
        result = StepResult()
        with Session(self.engine) as s:  # read-only looks first, so an idle worker takes no write lock
            fan, due = pending_fan_out(s), any_due(s)
        if fan:
            with unit_of_work(self.engine) as s:
                result.fanned_out = fan_out(s, base_url=self.settings.public_base_url)
            due = True
        if not due:
            return result
        with unit_of_work(self.engine) as s:
            attempts = claim(s)
        for attempt in attempts:
            code, error = send(self.http, attempt, allow_private=self.settings.webhook_allow_private)
            with unit_of_work(self.engine) as s:
                status = record(s, attempt.id, code, error)
            result.attempted += 1
            result.delivered += status == "delivered"
            result.failed += status == "failed"
        return result

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                busy = not self.step().idle
            except Exception:  # noqa: BLE001 - a worker outlives a bad round (database restart, ...)
                log.exception("webhook delivery round failed")
                busy = False
            if not busy:
                stop.wait(self.settings.worker_poll_seconds)

    def close(self) -> None:
        self.http.close()


def start_background(engine: Engine, settings: Settings) -> tuple[threading.Thread, threading.Event]:
    """The embedded default: delivery in a daemon thread of the API process."""
    stop = threading.Event()
    worker = DeliveryWorker(engine, settings)

    def run() -> None:
        try:
            worker.run(stop)
        finally:
            worker.close()

    thread = threading.Thread(target=run, name="axr-webhooks", daemon=True)
    thread.start()
    return thread, stop
