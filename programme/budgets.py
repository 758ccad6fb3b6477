"""Budget approval by a programme officer (an admin acts as one) within the rules: an SME submits a
line; approving it checks the government cap per SME and year and the fiscal year's envelope over the
lines already approved, under locks, so concurrent approvals count one after another.

Locks, always in this order: the project row (the route loads it FOR UPDATE), the envelope row of the
year, then the SME row (`service.lock_sme`, the lock the cap has used since the cap race fix). On SQLite
the write lock taken at BEGIN IMMEDIATE serialises the same requests.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from certification import audit_log
from core import clock
from core.errors import Conflict, NotFound
from core.korean import josa, krw, quoted
from core.principal import Principal
from programme import access, lifecycle, service, stages
from programme.errors import BudgetRuleViolation
from programme.models import BudgetLine, FiscalEnvelope, Project
from programme.rules import Line, ProgrammeRules, check_new_line
from registry.models import Sme

APPROVED = "approved"


def set_envelope(session: Session, *, year: int, gov_krw: int, p: Principal) -> FiscalEnvelope:
    """Set the year's envelope; it may not drop below what is already approved."""
    envelope = session.get(FiscalEnvelope, year, with_for_update=True)
    approved = approved_gov(session, year)
    if gov_krw < approved:
        raise BudgetRuleViolation([(f"{year}년 예산 총액 {josa(krw(gov_krw), '이')} 이미 승인된 정부지원금 "
                                    f"{krw(approved)}보다 적습니다",
                                    f"the {year} envelope of {gov_krw:,} KRW is below the {approved:,} KRW "
                                    "already approved")])
    if envelope is None:
        envelope = FiscalEnvelope(year=year, gov_krw=gov_krw, set_by=p.sub)
        session.add(envelope)
    else:
        envelope.gov_krw, envelope.set_by = gov_krw, p.sub
    session.flush()
    audit_log.append(session, actor=p, subject_type="fiscal_envelope", subject_id=str(year), action="set",
                     payload={"year": year, "gov_krw": gov_krw})
    return envelope


def approved_gov(session: Session, year: int) -> int:
    """Government money approved for the year, over every project not cancelled."""
    stmt = (select(func.coalesce(func.sum(BudgetLine.amount_krw), 0)).join(Project, Project.id == BudgetLine.project_id)
            .where(BudgetLine.year == year, BudgetLine.source == "gov", BudgetLine.status == APPROVED,
                   Project.state != "cancelled"))
    return int(session.scalar(stmt) or 0)


@dataclass(frozen=True)
class PendingLine:
    """A submitted line with what is already approved against the SME's yearly cap and the year's envelope."""

    line: BudgetLine
    project: Project
    sme: Sme
    sme_gov_approved: int  # government money approved to the SME for the line's year, over its projects
    year_gov_approved: int  # government money approved for the year over every project
    envelope_gov_krw: int | None


def pending(session: Session, p: Principal) -> list[PendingLine]:
    """The submitted lines of open projects the caller may see, oldest first (the officer's queue)."""
    visible = access.where_visible(select(Project.id), p, Project)
    stmt = (select(BudgetLine, Project, Sme).join(Project, Project.id == BudgetLine.project_id)
            .join(Sme, Sme.id == Project.sme_id)
            .where(BudgetLine.status == "submitted", Project.state.not_in(service.CLOSED), Project.id.in_(visible))
            .order_by(BudgetLine.created_at, BudgetLine.id))
    years: dict[int, tuple[int, int | None]] = {}
    out = []
    for line, project, sme in session.execute(stmt):
        if line.year not in years:
            envelope = session.get(FiscalEnvelope, line.year)
            years[line.year] = (approved_gov(session, line.year), envelope.gov_krw if envelope else None)
        own = sum(x.amount_krw for x in service.approved_lines(session, project.id)
                  if (x.year, x.source) == (line.year, "gov"))
        out.append(PendingLine(line, project, sme, own + service.sme_gov_elsewhere(session, project, line.year),
                               *years[line.year]))
    return out


def _line(session: Session, project: Project, line_id: str) -> BudgetLine:
    line = session.scalars(select(BudgetLine).where(BudgetLine.id == line_id, BudgetLine.project_id == project.id)
                           .with_for_update()).one_or_none()
    if line is None:
        raise NotFound(f"예산 항목 {josa(quoted(line_id), '을')} 찾을 수 없습니다.",
                       f"Budget line {line_id} was not found.")
    if line.status != "submitted":
        done = {"approved": "승인", "returned": "반려"}.get(line.status, "처리")
        raise Conflict(f"이미 {done}된 예산 항목입니다.", f"The budget line is already {line.status}.",
                       line_status=line.status)
    return line


def approve(session: Session, *, project: Project, line_id: str, p: Principal, rules: ProgrammeRules) -> BudgetLine:
    """Approve a submitted line: the SME's yearly government cap and the year's envelope still hold."""
    if project.state in service.CLOSED:
        raise Conflict("종료된 과제입니다.", "The project is closed.")
    line = _line(session, project, line_id)
    # the plan may have changed since the line was submitted: it still names the year's planned stage
    reasons = stages.check_line(stages.load(rules.stage_rules_file), project.ai_stages, year=line.year,
                                stage=line.stage)
    if line.source == "gov":
        envelope = session.get(FiscalEnvelope, line.year, with_for_update=True)
        if envelope is None:
            reasons.append((f"{line.year}년 사업 예산 총액이 정해지지 않았습니다",
                            f"no envelope is set for {line.year}"))
        else:
            total = approved_gov(session, line.year) + line.amount_krw
            if total > envelope.gov_krw:
                reasons.append((f"{line.year}년 승인 정부지원금 {josa(krw(total), '이')} 사업 예산 총액 "
                                f"{josa(krw(envelope.gov_krw), '를')} 넘습니다",
                                f"approved government money for {line.year} would be {total:,} KRW, over the "
                                f"envelope of {envelope.gov_krw:,} KRW"))
    service.lock_sme(session, project.sme_id)
    reasons += check_new_line(rules, new=Line(line.year, line.source, line.amount_krw),
                              project_lines=service.approved_lines(session, project.id, exclude=line.id),
                              sme_gov_other=service.sme_gov_elsewhere(session, project, line.year),
                              match_required=False)
    if reasons:
        raise BudgetRuleViolation(reasons)
    line.status, line.decided_by, line.decided_at = APPROVED, p.sub, clock.now()
    session.flush()
    audit_log.append(session, actor=p, subject_type=lifecycle.PROJECT, subject_id=project.id, action="approve_budget",
                     from_state="submitted", to_state=APPROVED,
                     payload={"sme_id": project.sme_id, "line_id": line.id, "year": line.year, "source": line.source,
                              "amount_krw": line.amount_krw, "stage": line.stage})
    return line


def give_back(session: Session, *, project: Project, line_id: str, p: Principal, reason: str) -> BudgetLine:
    """Return a submitted line to the SME with the officer's reason; it never counts."""
    line = _line(session, project, line_id)
    line.status, line.decided_by, line.decided_at, line.decision_reason = "returned", p.sub, clock.now(), reason
    session.flush()
    audit_log.append(session, actor=p, subject_type=lifecycle.PROJECT, subject_id=project.id, action="return_budget",
                     from_state="submitted", to_state="returned", reason=reason,
                     payload={"sme_id": project.sme_id, "line_id": line.id})
    return line
