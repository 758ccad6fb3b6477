"""Expert consulting and outcomes: registered consultants, pre-consulting (diagnosis) and
post-consulting (evaluation), outcomes entered by the SME and confirmed by the post-consultant.

Confirmed outcomes become the supplier's track record: confirming records an outbox event for the
supplier company, so the search index refreshes its documents.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from certification import audit_log
from core import clock, outbox
from core.errors import Conflict, Forbidden, NotFound
from core.korean import josa
from core.principal import Principal
from programme import access, lifecycle
from programme.errors import AlreadyExists, ConsultantConflict
from programme.models import Consultant, Consultation, Outcome, Project
from programme.rules import METRICS
from programme.schemas import ConsultantCreate, ConsultationCreate, OutcomeCreate
from programme.service import affiliated
from registry import service as registry
from registry.models import Company, Sme


def register(session: Session, *, data: ConsultantCreate) -> Consultant:
    if session.scalar(select(Consultant.id).where(Consultant.sub == data.sub)):
        raise AlreadyExists("이미 등록된 컨설턴트입니다.", "This consultant is already registered.")
    consultant = Consultant(sub=data.sub, name=data.name, organisation=data.organisation,
                            affiliations=[a.model_dump(exclude_none=True) for a in data.affiliations])
    try:  # the unique `sub` refuses a concurrent second registration
        with session.begin_nested():
            session.add(consultant)
    except IntegrityError as exc:
        raise AlreadyExists("이미 등록된 컨설턴트입니다.", "This consultant is already registered.") from exc
    return consultant


def assign(session: Session, *, project: Project, consultant_id: str, kind: str, p: Principal) -> Project:
    """Assign the pre- or post-consultant (admin); one affiliated with the chosen supplier is refused."""
    consultant = session.get(Consultant, consultant_id)
    if consultant is None or not consultant.active:
        registry.raise_not_found(consultant_id)
    if project.supplier_company_id:
        company = session.get_one(Company, project.supplier_company_id)
        if affiliated(consultant, company):
            raise ConsultantConflict(f"{josa(consultant.name, '은')} 선정 공급기업 "
                                     f"{josa(company.name_ko, '와')} 관련이 있습니다.",
                                     f"{consultant.name} is affiliated with the chosen supplier {company.name_ko}.")
    setattr(project, f"{kind}_consultant_id", consultant.id)
    session.flush()
    audit_log.append(session, actor=p, subject_type=lifecycle.PROJECT, subject_id=project.id,
                     action=f"assign_{kind}_consultant", from_state=project.state, to_state=project.state,
                     payload={"consultant_id": consultant.id})
    return project


def _me(session: Session, p: Principal) -> Consultant:
    consultant = session.scalars(select(Consultant).where(Consultant.sub == p.sub, Consultant.active)).one_or_none()
    if consultant is None:
        raise Forbidden("등록된 컨설턴트만 컨설팅을 기록할 수 있습니다.",
                        "Only registered consultants record consulting.")
    return consultant


def record(session: Session, *, project: Project, data: ConsultationCreate, p: Principal) -> Consultation:
    """The assigned consultant records a consultation; post-consulting confirms the outcomes."""
    consultant = _me(session, p)
    kind = data.kind.value
    if getattr(project, f"{kind}_consultant_id") != consultant.id:
        raise Forbidden("이 과제에 배정된 컨설턴트가 아닙니다.", f"You are not this project's {kind}-consultant.")
    if project.supplier_company_id:
        company = session.get_one(Company, project.supplier_company_id)
        if affiliated(consultant, company):
            raise ConsultantConflict()
    if kind == "pre" and project.state not in ("planned", "contracted"):
        raise Conflict("사전 컨설팅은 계약 전후에만 기록합니다.", "Pre-consulting is recorded before the work starts.",
                       state=project.state)
    if kind == "post" and project.state != "completed":
        raise Conflict("사후 컨설팅은 완료된 과제에만 기록합니다.", "Post-consulting needs a completed project.",
                       state=project.state)
    if session.scalar(select(Consultation.id).where(Consultation.project_id == project.id,
                                                    Consultation.kind == kind)):
        raise AlreadyExists("이미 기록된 컨설팅입니다.", f"The {kind}-consultation is already recorded.")
    row = Consultation(project_id=project.id, consultant_id=consultant.id, kind=kind,
                       assessed_level=data.assessed_level.value if data.assessed_level else None,
                       recommended_stages=list(data.recommended_stages), priority_needs=list(data.priority_needs),
                       evaluation_ko=data.evaluation_ko, rating=data.rating)
    session.add(row)
    session.flush()
    confirmed: list[str] = []
    if kind == "post":
        wanted = {m.value for m in data.confirm_metrics} if data.confirm_metrics is not None else None
        confirmed = confirm_outcomes(session, project=project, consultant=consultant, metrics=wanted)
    audit_log.append(session, actor=p, subject_type=lifecycle.PROJECT, subject_id=project.id,
                     action=f"{kind}_consulting", from_state=project.state, to_state=project.state,
                     payload={"consultation_id": row.id, "confirmed": confirmed})
    return row


def confirm_outcomes(session: Session, *, project: Project, consultant: Consultant,
                     metrics: set[str] | None) -> list[str]:
    """Confirm the entered outcomes (all, or the named metrics); the supplier's track record follows."""
    rows = list(session.scalars(select(Outcome).where(Outcome.project_id == project.id,
                                                      Outcome.confirmed_at.is_(None))))
    done = []
    for outcome in rows:
        if metrics is None or outcome.metric in metrics:
            outcome.confirmed_by, outcome.confirmed_at = consultant.id, clock.now()
            done.append(outcome.metric)
    if done and project.supplier_company_id:
        outbox.record(session, resource="company", resource_id=project.supplier_company_id,
                      action="track_record_changed", payload={"project_id": project.id, "metrics": done})
    session.flush()
    return sorted(done)


def consultations_of(session: Session, project: Project, p: Principal) -> list[Consultation]:
    stmt = access.where_visible(select(Consultation).where(Consultation.project_id == project.id), p, Consultation)
    return list(session.scalars(stmt.order_by(Consultation.recorded_at)))


def add_outcome(session: Session, *, project: Project, data: OutcomeCreate, p: Principal) -> Outcome:
    """The SME enters a before/after figure (in progress or completed); confirmed figures are frozen."""
    if not access.can_run_project(p, session.get_one(Sme, project.sme_id)):
        raise NotFound()
    if project.state not in ("in_progress", "completed"):
        raise Conflict("진행 중이거나 완료된 과제에만 성과를 입력합니다.",
                       "Outcomes are entered once work has started.",
                       state=project.state)
    metric = str(data.metric.value)
    outcome = session.scalars(select(Outcome).where(Outcome.project_id == project.id,
                                                    Outcome.metric == metric)).one_or_none()
    if outcome is not None and outcome.confirmed_at is not None:
        raise Conflict("확인된 성과는 바꿀 수 없습니다.", "A confirmed outcome cannot be changed.")
    if outcome is None:
        outcome = Outcome(project_id=project.id, metric=metric, entered_by=p.sub, unit=METRICS[metric]["unit"],
                          before=data.before, after=data.after)
        session.add(outcome)
    outcome.before, outcome.after, outcome.note, outcome.entered_at = data.before, data.after, data.note, clock.now()
    session.flush()
    return outcome
