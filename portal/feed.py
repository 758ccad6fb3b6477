"""The change feed for portals: public outbox events in commit order behind an opaque cursor.

The outbox assigns `seq` under a counter lock held until commit (core.outbox), so every event at or
below the highest committed seq is already committed. A page reads that head first and then only
events up to it; the cursor it returns never passes an event that could still appear.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.outbox import OutboxEvent
from core.pagination import BadCursor
from portal.schemas import FeedEvent

RESOURCE_TYPES = ("company", "solution", "certificate", "dataset")
_PREFIX = "axr-feed:"


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The seq after which to read; an empty cursor is the start of the feed."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, ValueError, UnicodeError) as exc:
        raise BadCursor("커서를 해석할 수 없습니다.", "The cursor could not be decoded.") from exc
    digits = text.removeprefix(_PREFIX)
    if not text.startswith(_PREFIX) or not digits.isdigit() or len(digits) > 18:
        raise BadCursor("커서를 해석할 수 없습니다.", "The cursor could not be decoded.")
    return int(digits)


def head(session: Session) -> int:
    """The highest committed outbox seq this transaction sees: the feed's watermark."""
    return int(session.scalar(select(func.max(OutboxEvent.seq))) or 0)


def links(resource: str, resource_id: str, data: dict[str, object], base_url: str) -> tuple[str | None, str | None]:
    base = base_url.rstrip("/")
    if resource == "company":
        return f"{base}/v1/companies/{resource_id}", f"{base}/pages/companies/{resource_id}"
    if resource == "solution":
        return f"{base}/v1/solutions/{resource_id}", None
    if resource == "dataset":
        return f"{base}/v1/public/datasets/{resource_id}", None
    if resource == "certificate" and data.get("number"):
        number = data["number"]
        return f"{base}/v1/public/certificates/{number}", f"{base}/pages/verify?number={number}"
    return None, None


def to_event(row: OutboxEvent, base_url: str) -> FeedEvent:
    data = dict(row.payload or {})
    link, page = links(row.resource, row.resource_id, data, base_url)
    return FeedEvent(seq=row.seq, cursor=encode_cursor(row.seq), type=f"{row.resource}.{row.action}",
                     resource=row.resource, resource_id=row.resource_id, action=row.action,
                     occurred_at=row.created_at, link=link, page=page, data=data)


def read(session: Session, *, after: int, limit: int, resources: Sequence[str] | None = None,
         base_url: str) -> tuple[list[FeedEvent], int, bool]:
    """Up to `limit` public events after `after`; returns (events, next seq, more waiting)."""
    watermark = head(session)  # read before the rows: nothing at or below it can still commit
    stmt = select(OutboxEvent).where(OutboxEvent.public.is_(True), OutboxEvent.seq > after,
                                     OutboxEvent.seq <= watermark)
    if resources:
        stmt = stmt.where(OutboxEvent.resource.in_(list(resources)))
    rows = list(session.scalars(stmt.order_by(OutboxEvent.seq).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    next_seq = rows[-1].seq if more else max(after, watermark)
    return [to_event(r, base_url) for r in rows], next_seq, more
