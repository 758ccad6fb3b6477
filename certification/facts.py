"""What the registry knows about an applicant, gathered as plain facts for the eligibility rules (through
the same snapshot an application freezes at submission, so both read the records one way)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from certification import snapshot
from certification.rules import CompanyFacts
from registry.models import Company


def company_facts(session: Session, company: Company) -> CompanyFacts:
    return snapshot.to_facts(snapshot.capture(session, company))
