"""An AX project's outcome evidence (성과 증빙): the SME that runs the project attaches the documents behind
a measured before/after figure while the figure is open (entered, not yet confirmed by the post-consultant).
The file goes through the same checks as every upload (evidence/intake.py); the project's audit event carries
its digest, so `axr audit verify` checks it as it checks an application's.

Who may read an outcome's document is who may see its project (programme.access); anyone else is told it
does not exist (404)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import NotFound
from core.korean import josa, quoted
from core.principal import Principal
from evidence.errors import DocumentsClosed
from evidence.intake import accept, record
from evidence.models import EvidenceDocument
from evidence.scan import Clamd
from evidence.store import BlobStore
from programme import access, lifecycle
from programme import service as projects
from programme.models import Outcome, Project
from registry.models import Sme

ACTION = "attach_document"
OPEN_STATES = ("in_progress", "completed")  # the project states in which outcomes are entered


def outcome_of(session: Session, project: Project, outcome_id: str, *, lock: bool = False) -> Outcome:
    """The project's outcome (the caller already sees the project), else 404."""
    stmt = select(Outcome).where(Outcome.id == outcome_id, Outcome.project_id == project.id)
    outcome = session.scalars(stmt.with_for_update() if lock else stmt).one_or_none()
    if outcome is None:
        raise NotFound(f"성과 {josa(quoted(outcome_id), '를')} 찾을 수 없습니다.",
                       f"Outcome {outcome_id} was not found.")
    return outcome


def attach(session: Session, store: BlobStore, *, project: Project, outcome: Outcome, p: Principal,
           filename: str | None, declared_type: str | None, content: bytes, max_bytes: int,
           scanner: Clamd | None = None) -> EvidenceDocument:
    """Check and store the file, record it with the project's audit event carrying the digest. Only who
    enters the outcome attaches (the SME, or an admin); a confirmed outcome takes no more documents."""
    if not access.can_run_project(p, session.get_one(Sme, project.sme_id)):
        raise NotFound(f"과제 {josa(quoted(project.id), '을')} 찾을 수 없습니다.",
                       f"Project {project.id} was not found.")
    if outcome.confirmed_at is not None or project.state not in OPEN_STATES:
        raise DocumentsClosed(
            "확인된 성과에는 증빙을 더 올릴 수 없습니다." if outcome.confirmed_at is not None
            else "성과 증빙은 사업이 진행 중이거나 완료된 과제에만 올릴 수 있습니다.",
            "A confirmed outcome takes no more documents." if outcome.confirmed_at is not None
            else "Outcome evidence is attached once work has started.",
            state=project.state, purpose="outcome")
    got = accept(store, scanner, content=content, filename=filename, declared_type=declared_type,
                 max_bytes=max_bytes)
    doc = EvidenceDocument(application_id=None, outcome_id=outcome.id, purpose="outcome", criterion=None,
                           **got.columns(), uploaded_by=p.sub, audit_seq=-1)
    return record(session, doc, actor=p, action=ACTION, subject_type=lifecycle.PROJECT, subject_id=project.id,
                  state=project.state, payload={"outcome_id": outcome.id, "metric": outcome.metric,
                                                "purpose": "outcome", **got.audit()})


def for_outcome(session: Session, outcome: Outcome) -> list[EvidenceDocument]:
    return list(session.scalars(select(EvidenceDocument).where(EvidenceDocument.outcome_id == outcome.id)
                                .order_by(EvidenceDocument.uploaded_at, EvidenceDocument.id)))


def for_project(session: Session, project: Project) -> dict[str, list[EvidenceDocument]]:
    """Every outcome's documents of a project the caller sees, by outcome id (the project page lists them)."""
    stmt = (select(EvidenceDocument).join(Outcome, Outcome.id == EvidenceDocument.outcome_id)
            .where(Outcome.project_id == project.id).order_by(EvidenceDocument.uploaded_at, EvidenceDocument.id))
    out: dict[str, list[EvidenceDocument]] = {}
    for doc in session.scalars(stmt):
        out.setdefault(str(doc.outcome_id), []).append(doc)
    return out


def project_id_of(session: Session, doc: EvidenceDocument) -> str | None:
    """The project whose audit event attached an outcome's document."""
    outcome = session.get(Outcome, doc.outcome_id) if doc.outcome_id else None
    return outcome.project_id if outcome is not None else None


def visible(session: Session, doc: EvidenceDocument, p: Principal) -> bool:
    """An outcome's document is visible to who sees its project."""
    project_id = project_id_of(session, doc)
    if project_id is None:
        return False
    try:
        projects.load(session, project_id, p)
    except NotFound:
        return False
    return True
