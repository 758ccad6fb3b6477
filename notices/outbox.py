"""Enqueue a notice in the caller's transaction, once per (event, recipient): a second enqueue of the same
event (a retried job, the due-date command run twice) is absorbed by the unique constraint."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import clock
from notices.models import Notice
from notices.templates import Text
from registry.models import Company


def enqueue(session: Session, *, event_key: str, recipient_org: str, text: Text,
            link: str | None = None) -> Notice | None:
    """The new notice, or None when this event already has one for this organisation."""
    exists = select(Notice.id).where(Notice.event_key == event_key, Notice.recipient_org == recipient_org)
    if session.scalar(exists) is not None:
        return None
    email = session.scalar(select(Company.contact_email).where(Company.owner_org == recipient_org))
    notice = Notice(event_key=event_key, recipient_org=recipient_org, kind=text.kind,
                    subject_ko=text.subject_ko, subject_en=text.subject_en, body_ko=text.body_ko,
                    body_en=text.body_en, link=link, email_to=email, next_attempt_at=clock.now())
    try:
        with session.begin_nested():
            session.add(notice)
    except IntegrityError:  # a concurrent job enqueued it first
        return None
    return notice
