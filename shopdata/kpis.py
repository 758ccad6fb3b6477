"""Data readiness in the KPI report: the share of selected SMEs whose data inventory a consultant (or an
officer) confirmed, and of completed projects (completion accepted by the officer) whose chosen solution's
required data profiles the SME's inventory met. A project whose solution declares no required data is not
counted either way."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.readiness import Holding, Requirement, fit
from programme.models import Cohort, CohortMember, Project
from shopdata.models import SmeDataHolding, SolutionDataRequirement


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def figures(selected: set[str], holdings: dict[str, list[tuple[Holding, bool]]],
            completed: list[tuple[str, str]], needs: dict[str, list[Requirement]]) -> dict[str, Any]:
    """Pure: `holdings` per SME as (holding, confirmed); `completed` as (sme id, solution id)."""
    confirmed = {s for s in selected if holdings.get(s) and all(ok for _, ok in holdings[s])}
    judged = [(sme, sol) for sme, sol in completed if any(r.required for r in needs.get(sol, ()))]
    met = [1 for sme, sol in judged
           if fit(needs[sol], [h for h, _ in holdings.get(sme, [])], partial=0.0, missing=-1.0)[0] == 1.0]
    return {"selected_smes": len(selected), "with_confirmed_inventory": len(confirmed),
            "confirmed_inventory_share": _share(len(confirmed), len(selected)),
            "completed_projects": len(completed), "with_data_requirements": len(judged),
            "requirements_met": len(met), "requirements_met_share": _share(len(met), len(judged))}


def gather(session: Session) -> dict[str, Any]:
    """The data readiness figures from the database as it is now."""
    selected = set(session.scalars(select(CohortMember.sme_id).join(Cohort, Cohort.id == CohortMember.cohort_id)
                                   .where(CohortMember.state.in_(("selected", "graduated")))))
    holdings: dict[str, list[tuple[Holding, bool]]] = defaultdict(list)
    for h in session.scalars(select(SmeDataHolding)):
        holdings[h.sme_id].append((Holding(h.profile_code, h.sampling_rate_hz, h.volume, h.labelled),
                                   h.confirmed_at is not None))
    completed = [(sme, sol) for sme, sol in session.execute(  # completion accepted by the officer
        select(Project.sme_id, Project.solution_id).where(Project.state == "accepted")) if sol is not None]
    needs: dict[str, list[Requirement]] = defaultdict(list)
    solution_ids = {sol for _, sol in completed}
    if solution_ids:
        for r in session.scalars(select(SolutionDataRequirement)
                                 .where(SolutionDataRequirement.solution_id.in_(solution_ids))):
            needs[r.solution_id].append(Requirement(r.profile_code, r.profile_code, r.profile_code, "", "",
                                                    r.required, r.min_sampling_rate_hz, r.min_volume,
                                                    r.labelling_needed))
    return figures(selected, dict(holdings), completed, dict(needs))
