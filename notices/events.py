"""The designation events that notify the supplier, called by certification in the event's transaction.
The event key is the audit event's sequence number, so each recorded transition notifies once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from core import clock
from notices import templates
from notices.outbox import enqueue
from registry.models import Company

if TYPE_CHECKING:
    from certification.appeal_models import Appeal
    from certification.models import Application, Certificate


def _company(session: Session, company_id: str) -> Company:
    return session.get_one(Company, company_id)


def supplement_requested(session: Session, *, app: Application, seq: int, message: str) -> None:
    company = _company(session, app.company_id)
    enqueue(session, event_key=f"audit:{seq}", recipient_org=app.applicant_org,
            text=templates.supplement_requested(company.name_ko, message), link=f"/v1/applications/{app.id}")


def screened(session: Session, *, app: Application, seq: int, passed: bool, failed: list[str]) -> None:
    company = _company(session, app.company_id)
    enqueue(session, event_key=f"audit:{seq}", recipient_org=app.applicant_org,
            text=templates.screening(company.name_ko, passed, failed), link=f"/v1/applications/{app.id}")


def decided(session: Session, *, app: Application, seq: int, cert: Certificate | None) -> None:
    company = _company(session, app.company_id)
    text = templates.decision(company.name_ko, cert is not None, app.decision_reason,
                              cert.number if cert else None, cert.valid_from if cert else None,
                              cert.valid_until if cert else None)
    enqueue(session, event_key=f"audit:{seq}", recipient_org=app.applicant_org, text=text,
            link=f"/v1/applications/{app.id}")


def certificate_status(session: Session, *, cert: Certificate, seq: int, action: str) -> None:
    if action not in ("suspend", "revoke", "reinstate"):
        return
    company = _company(session, cert.company_id)
    text = templates.certificate_status(company.name_ko, cert.number, action, cert.status_reason,
                                        cert.status_changed_at or clock.now())
    enqueue(session, event_key=f"audit:{seq}", recipient_org=company.owner_org, text=text,
            link=f"/v1/public/certificates/{cert.number}")


def appeal_outcome(session: Session, *, appeal: Appeal, seq: int) -> None:
    company = _company(session, appeal.company_id)
    text = templates.appeal_outcome(company.name_ko, appeal.state == "upheld", appeal.subject_type,
                                    appeal.decided_at, appeal.outcome_reason)
    enqueue(session, event_key=f"audit:{seq}", recipient_org=appeal.applicant_org, text=text,
            link=f"/v1/appeals/{appeal.id}")
