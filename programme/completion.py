"""The officer's decision on a completed project: accept the completion once the post-consultant recorded
the evaluation (only an accepted project counts as AI adoption in the KPIs), or return it to work with a
reason. The project row is locked by the caller; the audit event is written in the same transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from certification import audit_log
from core import clock
from core.principal import Principal
from programme import lifecycle
from programme.errors import EvaluationMissing
from programme.models import Consultation, Project


def _evaluation(session: Session, project: Project) -> Consultation | None:
    return session.scalars(select(Consultation).where(Consultation.project_id == project.id,
                                                      Consultation.kind == "post")).one_or_none()


def accept(session: Session, *, project: Project, p: Principal) -> Project:
    """Accept a completed project; refused (409) while no post-consultant evaluation exists."""
    before = project.state
    lifecycle.transition(lifecycle.PROJECT, project.state, "accept_completion", p.role)
    evaluation = _evaluation(session, project)
    if evaluation is None:
        raise EvaluationMissing("사후 컨설턴트의 평가가 기록되지 않아 완료를 승인할 수 없습니다.",
                                "The completion cannot be accepted before the post-consultant records the "
                                "evaluation.")
    project.state, project.state_reason = "accepted", None
    project.accepted_on, project.accepted_by = clock.now().date(), p.sub
    session.flush()
    audit_log.append(session, actor=p, subject_type=lifecycle.PROJECT, subject_id=project.id,
                     action="accept_completion", from_state=before, to_state=project.state,
                     payload={"sme_id": project.sme_id, "evaluation_id": evaluation.id,
                              "rating": evaluation.rating})
    return project


def give_back(session: Session, *, project: Project, p: Principal, reason: str | None) -> Project:
    """Return a completed project to work (in progress) with the officer's reason; the SME completes it
    again and the officer decides again (the post-consultant's evaluation stays on record)."""
    before = project.state
    nxt = lifecycle.transition(lifecycle.PROJECT, project.state, "return_completion", p.role, reason=reason)
    project.state, project.state_reason, project.completed_on = nxt, reason, None
    session.flush()
    audit_log.append(session, actor=p, subject_type=lifecycle.PROJECT, subject_id=project.id,
                     action="return_completion", from_state=before, to_state=project.state, reason=reason,
                     payload={"sme_id": project.sme_id})
    return project
