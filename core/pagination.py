"""Keyset pagination with opaque cursors: pages never skip or repeat rows while others write."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session

from core.errors import PROBLEM_BASE, AppError

T = TypeVar("T")


class BadCursor(AppError):
    status = 400
    type = PROBLEM_BASE + "bad-cursor"
    title_ko = "페이지 커서가 올바르지 않습니다"
    title_en = "Invalid page cursor"


def encode_cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": value}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Any:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))["after"]
    except (ValueError, KeyError, TypeError, UnicodeError) as exc:
        raise BadCursor("커서를 해석할 수 없습니다.", "The cursor could not be decoded.") from exc
    # a forged cursor must not reach the database as a dict, a NUL or a lone surrogate
    if not isinstance(value, str) or not value.isprintable():
        raise BadCursor("커서를 해석할 수 없습니다.", "The cursor could not be decoded.")
    return value


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def paginate(session: Session, stmt: Select[Any], key: InstrumentedAttribute[Any], *,
             cursor: str | None, limit: int) -> Page[Any]:
    """Order by a unique key and fetch one row more than asked to know whether a next page exists."""
    if cursor:
        stmt = stmt.where(key > decode_cursor(cursor))
    rows = list(session.scalars(stmt.order_by(key).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(getattr(rows[-1], key.key)) if more and rows else None)
