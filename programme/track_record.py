"""The supplier track record earned in the programme: completed (or accepted) projects with confirmed
outcomes.

The matcher reads it through a callable registered with matching.index_sync (see api/search_runtime.py),
so matching does not depend on this package.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from programme.models import Outcome, Project

FULL_AT = 3  # like reference cases: three confirmed projects count fully


def confirmed_projects(session: Session, company_ids: Iterable[str]) -> dict[str, int]:
    ids = list(set(company_ids))
    if not ids:
        return {}
    stmt = (select(Project.supplier_company_id, func.count(func.distinct(Project.id)))
            .join(Outcome, Outcome.project_id == Project.id)
            .where(Project.supplier_company_id.in_(ids), Project.state.in_(("completed", "accepted")),
                   Outcome.confirmed_at.is_not(None))
            .group_by(Project.supplier_company_id))
    return {cid: n for cid, n in session.execute(stmt) if cid is not None}


def confirmed_by_company(session: Session, company_ids: Iterable[str]) -> dict[str, float]:
    """0..1 per company: its completed projects with confirmed outcomes, three or more count fully."""
    return {cid: min(1.0, n / FULL_AT) for cid, n in confirmed_projects(session, company_ids).items()}
