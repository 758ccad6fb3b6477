"""Date-driven notices for a given day (`axr notices due [--today]`): the renewal window opening 90 days
before expiry, the reminder 30 days before, and the annual performance report due on each anniversary of
the designation (notified from 30 days before). Event keys carry the dates, so each is enqueued once,
and a renewed certificate (a later expiry) gets its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from certification.certificates import add_years
from certification.models import Certificate
from certification.monitoring_models import PerformanceReport
from core.korean import kst
from notices import templates
from notices.outbox import enqueue
from registry.models import Company

RENEWAL_OPENS = 90
RENEWAL_REMINDER = 30
REPORT_NOTICE = 30


@dataclass(frozen=True)
class Due:
    event_key: str
    text: templates.Text
    org: str
    link: str


def due_for(cert: Certificate, company: Company, today: date, filed: frozenset[date] = frozenset()) -> list[Due]:
    """What this certificate's supplier should be told by `today` (pure; the caller dedups by key); no
    report-due notice for a year whose report is already submitted (`filed`: their due dates)."""
    until = kst(cert.valid_until).date()
    if cert.status != "active" or today >= until:
        return []
    out: list[Due] = []
    link = f"/v1/public/certificates/{cert.number}"
    left = (until - today).days
    if left <= RENEWAL_REMINDER:
        out.append(Due(f"renewal_30:{cert.number}:{until.isoformat()}",
                       templates.renewal(company.name_ko, cert.number, cert.valid_until, 30), company.owner_org, link))
    elif left <= RENEWAL_OPENS:
        out.append(Due(f"renewal_90:{cert.number}:{until.isoformat()}",
                       templates.renewal(company.name_ko, cert.number, cert.valid_until, 90), company.owner_org, link))
    year = 1
    while True:
        due = kst(add_years(cert.valid_from, year)).date()
        if due > until or due - timedelta(days=REPORT_NOTICE) > today:
            break
        if today <= due and due not in filed:
            out.append(Due(f"report_due:{cert.number}:{due.isoformat()}",
                           templates.report_due(company.name_ko, cert.number, due, year), company.owner_org, link))
        year += 1
    return out


def enqueue_due(session: Session, *, today: date) -> list[str]:
    """Enqueue every date notice due by `today` that was not enqueued before; returns their event keys."""
    rows = session.execute(select(Certificate, Company).join(Company, Company.id == Certificate.company_id)
                           .where(Certificate.status == "active").order_by(Certificate.valid_until)).all()
    filed: dict[str, set[date]] = {}
    for cert_id, due in session.execute(select(PerformanceReport.certificate_id, PerformanceReport.due_on)
                                        .where(PerformanceReport.state == "submitted")):
        filed.setdefault(cert_id, set()).add(due)
    made = []
    for cert, company in rows:
        for item in due_for(cert, company, today, frozenset(filed.get(cert.id, ()))):
            if enqueue(session, event_key=item.event_key, recipient_org=item.org, text=item.text,
                       link=item.link) is not None:
                made.append(item.event_key)
    session.flush()
    return made
