"""The inbox (an organisation's delivered notices, read and marked read by its members) and the admin log."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import clock
from core.errors import NotFound
from core.korean import josa, quoted
from core.pagination import Page, paginate
from core.principal import Principal
from notices.models import Notice


def _not_found(notice_id: str) -> NotFound:
    return NotFound(f"알림 {josa(quoted(notice_id), '을')} 찾을 수 없습니다.", f"Notice {notice_id} was not found.")


def inbox(session: Session, p: Principal, *, unread: bool, cursor: str | None, limit: int) -> Page[Notice]:
    """The caller's organisation's delivered notices, oldest first (ids follow creation order)."""
    stmt = select(Notice).where(Notice.recipient_org == (p.org or ""), Notice.delivered_at.is_not(None))
    if p.org is None:
        stmt = stmt.where(Notice.id.is_(None))
    if unread:
        stmt = stmt.where(Notice.read_at.is_(None))
    return paginate(session, stmt, Notice.id, cursor=cursor, limit=limit)


def mark_read(session: Session, p: Principal, notice_id: str) -> Notice:
    """Mark one of the caller's organisation's notices read (again: unchanged); another's is 404."""
    notice = session.scalars(select(Notice).where(Notice.id == notice_id).with_for_update()).one_or_none()
    if notice is None or p.org is None or notice.recipient_org != p.org or notice.delivered_at is None:
        raise _not_found(notice_id)
    if notice.read_at is None:
        notice.read_at = clock.now()
        session.flush()
    return notice


def log(session: Session, *, email_status: str | None, recipient_org: str | None, cursor: str | None,
        limit: int) -> Page[Notice]:
    """Every notice with its delivery state (admins)."""
    stmt = select(Notice)
    if email_status:
        stmt = stmt.where(Notice.email_status == email_status)
    if recipient_org:
        stmt = stmt.where(Notice.recipient_org == recipient_org)
    return paginate(session, stmt, Notice.id, cursor=cursor, limit=limit)
