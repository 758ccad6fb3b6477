"""What the registry knows about an applicant, gathered as plain facts for the eligibility rules."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from certification.models import Certificate
from certification.rules import CompanyFacts, ReferenceCase, SolutionFacts
from registry import bizno
from registry.models import Company, Solution, TipsLinkage
from registry.reference import TipsStage

_STAGE_ORDER = [s.value for s in TipsStage]


def company_facts(session: Session, company: Company) -> CompanyFacts:
    solutions = session.scalars(select(Solution).where(Solution.company_id == company.id)).all()
    revoked = session.scalars(select(Certificate.revoked_at).where(
        Certificate.company_id == company.id, Certificate.revoked_at.is_not(None))).all()
    stages = session.scalars(select(TipsLinkage.stage).where(TipsLinkage.company_id == company.id)).all()
    return CompanyFacts(
        business_number_valid=bizno.normalize(company.business_number) is not None,
        business_status="active",
        ai_staff=company.ai_staff,
        revenue_krw=company.revenue_krw,
        rnd_krw=company.rnd_krw,
        solutions=tuple(
            SolutionFacts(s.id, s.status == "published", tuple(
                ReferenceCase(case.get("industry"), {o["metric"]: o["after"] - o["before"]
                                                     for o in case.get("outcomes", [])})
                for case in s.reference_cases))
            for s in solutions),
        revocations=tuple(r.date() for r in revoked if r is not None),
        tips_stage=max(stages, key=_STAGE_ORDER.index) if stages else None,
    )
