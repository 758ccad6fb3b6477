"""The KPI report from the database: facts gathered with a few queries, computed by `kpis`, written
as JSON, CSV, or a PNG chart of the headline figures against their targets."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from certification import designations
from core import csvsafe
from programme import kpis
from programme.models import BudgetLine, Cohort, CohortMember, Expenditure, Outcome, Project
from programme.rules import ProgrammeRules
from registry.models import Sme


def gather(session: Session) -> kpis.Facts:
    smes = {s.id: s for s in session.scalars(select(Sme).where(
        Sme.id.in_(select(CohortMember.sme_id)) | Sme.id.in_(select(Project.sme_id))))}

    def where(sme_id: str, year: int) -> kpis.Where:
        sme = smes[sme_id]
        return kpis.Where(year, sme.region, sme.ksic)

    selected = [kpis.SelectedSme(sme_id, where(sme_id, year)) for sme_id, year in session.execute(
        select(CohortMember.sme_id, Cohort.year).join(Cohort, Cohort.id == CohortMember.cohort_id)
        .where(CohortMember.state.in_(("selected", "graduated"))))]
    projects = {p.id: p for p in session.scalars(select(Project))}
    facts_p = [kpis.ProjectFact(p.id, p.sme_id, p.state, where(p.sme_id, p.year)) for p in projects.values()]
    money: list[kpis.MoneyFact] = []
    for kind, model in (("committed", BudgetLine), ("spent", Expenditure)):
        stmt = select(model.project_id, model.year, model.source, model.amount_krw)
        if model is BudgetLine:  # committed = approved by an officer
            stmt = stmt.where(BudgetLine.status == "approved")
        for pid, year, source, amount in session.execute(stmt):
            project = projects[pid]
            if kind == "committed" and project.state == "cancelled":
                continue
            money.append(kpis.MoneyFact(kind, source, amount, where(project.sme_id, year)))
    outcomes = [kpis.OutcomeFact(o.project_id, o.metric, o.before, o.after,
                                 where(projects[o.project_id].sme_id, projects[o.project_id].year))
                for o in session.scalars(select(Outcome).where(Outcome.confirmed_at.is_not(None)))]
    return kpis.Facts(selected, facts_p, money, outcomes, len(designations.active_company_ids(session)))


def build(session: Session, rules: ProgrammeRules | None = None) -> dict[str, Any]:
    rules = rules or ProgrammeRules()
    targets = kpis.Targets(rules.adoption_target, rules.designated_target, rules.accident_target)
    return kpis.compute(gather(session), targets)


def to_csv(report: dict[str, Any]) -> str:
    buf = io.StringIO()
    writer = csvsafe.Writer(buf, lineterminator="\n")
    writer.writerow(["dimension", "key", "indicator", "value"])
    for row in kpis.rows(report):
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def chart(report: dict[str, Any], path: Path) -> Path:
    """Four panels, each a headline figure beside its target (English labels: no Hangul font is assumed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    overall, targets = report["overall"], report["targets"]
    defect = overall["outcomes"]["defect_rate"]["median_change"]
    panels = [
        ("AI adoption rate (%)", overall["adoption_rate"], targets["adoption_rate"], 100),
        ("Designated companies", overall["designated_companies"], targets["designated_companies"], 1),
        ("Industrial accidents change (%)", overall["accident_change"], targets["accident_change"], 100),
        ("Median defect-rate change (%)", defect, None, 100),
    ]
    fig, axes = plt.subplots(1, 4, figsize=(14, 4))
    for ax, (title, actual, target, scale) in zip(axes, panels, strict=True):
        labels, values, colours = ["actual"], [(actual or 0) * scale], ["#1f77b4"]
        if target is not None:
            labels.append("target")
            values.append(target * scale)
            colours.append("#bbbbbb")
        bars = ax.bar(labels, values, color=colours)
        ax.bar_label(bars, fmt="%.1f")
        ax.axhline(0, color="black", linewidth=0.6)
        ax.set_title(title, fontsize=10)
    fig.suptitle("AX programme KPIs against 2030 targets")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=100)
    plt.close(fig)
    return path
