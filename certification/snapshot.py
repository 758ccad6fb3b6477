"""The facts an application is screened on, frozen at submission: the company's figures, its solutions
with their reference cases, its TIPS stage and earlier revocations, as one JSON document kept on the
application. Screening reads the snapshot, reviewers read the snapshot, and what changed in the live
records since is listed beside it (edits during review are shown, they do not re-screen).

The snapshot's digest (SHA-256 of its RFC 8785 form) is in the screening audit event, so `axr audit
verify` notices a snapshot edited after the fact.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import rfc8785
from sqlalchemy import select
from sqlalchemy.orm import Session

from certification.models import Certificate
from certification.rules import CompanyFacts, ReferenceCase, SolutionFacts
from registry import bizno
from registry.models import Company, Solution, TipsLinkage
from registry.reference import TipsStage

VERSION = 1
_STAGE_ORDER = [s.value for s in TipsStage]
COMPANY_FIELDS = ("business_number", "name_ko", "employees", "revenue_krw", "rnd_krw", "ai_staff")


def capture(session: Session, company: Company) -> dict[str, Any]:
    """What the registry holds about the company now, as JSON."""
    solutions = session.scalars(select(Solution).where(Solution.company_id == company.id)
                                .order_by(Solution.id)).all()
    revoked = session.scalars(select(Certificate.revoked_at).where(
        Certificate.company_id == company.id, Certificate.revoked_at.is_not(None))).all()
    stages = session.scalars(select(TipsLinkage.stage).where(TipsLinkage.company_id == company.id)).all()
    return {
        "v": VERSION,
        "company": {k: getattr(company, k) for k in COMPANY_FIELDS},
        "solutions": [{"id": s.id, "title_ko": s.title_ko, "status": s.status, "category": s.category,
                       "reference_cases": [dict(c) for c in s.reference_cases]} for s in solutions],
        "tips_stage": max(stages, key=_STAGE_ORDER.index) if stages else None,
        "revocations": sorted(r.date().isoformat() for r in revoked if r is not None),
    }


def digest(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(rfc8785.dumps(snapshot)).hexdigest()


def to_facts(snapshot: dict[str, Any], *, business_status: str | None = None) -> CompanyFacts:
    """The eligibility rules' view of a snapshot, with the business status an outside register or a
    reviewer confirmed (None: not checked; certification/business_status.py)."""
    company = snapshot["company"]
    return CompanyFacts(
        business_number_valid=bizno.normalize(company["business_number"]) is not None,
        business_status=business_status,
        ai_staff=company["ai_staff"],
        revenue_krw=company["revenue_krw"],
        rnd_krw=company["rnd_krw"],
        solutions=tuple(
            SolutionFacts(s["id"], s["status"] == "published", tuple(
                ReferenceCase(case.get("industry"), {o["metric"]: o["after"] - o["before"]
                                                     for o in case.get("outcomes", [])})
                for case in s["reference_cases"]))
            for s in snapshot["solutions"]),
        revocations=tuple(date.fromisoformat(d) for d in snapshot["revocations"]),
        tips_stage=snapshot["tips_stage"],
    )


def _flat(snapshot: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {f"company.{k}": v for k, v in snapshot["company"].items()}
    for s in snapshot["solutions"]:
        for k, v in s.items():
            if k != "id":
                out[f"solutions[{s['id']}].{k}"] = v
    out["tips_stage"] = snapshot["tips_stage"]
    out["revocations"] = snapshot["revocations"]
    return out


def changes(frozen: dict[str, Any], current: dict[str, Any]) -> list[dict[str, Any]]:
    """What differs between the frozen facts and the live ones, path by path (a solution added after
    submission appears with `frozen: null`, one deleted with `current: null`)."""
    a, b = _flat(frozen), _flat(current)
    return [{"path": k, "frozen": a.get(k), "current": b.get(k)}
            for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k)]
