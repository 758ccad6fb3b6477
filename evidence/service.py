"""Evidence use cases: attach a document to an application (per criterion while it is a draft, or as the
answer to an open supplement request), list them, read one back, and check every stored document
against its digest and the audit event that attached it (`axr audit verify`).

Who may read a document is who may read its application (certification.service.may_see), its appeal, or
the project of its outcome (evidence/outcomes.py attaches those); anyone else is told it does not exist (404),
so document ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from certification import appeals, calls, criteria_store
from certification import service as applications
from certification.appeal_models import Appeal
from certification.audit import decode_entry
from certification.audit_state import IntegrityCheckFailed
from certification.models import Application, AuditLogEntry
from certification.rules import Criterion
from core import clock
from core.errors import Invalid, NotFound
from core.korean import josa, quoted
from core.principal import Principal
from evidence import outcomes
from evidence.errors import DocumentsClosed
from evidence.intake import accept, record
from evidence.models import EvidenceDocument
from evidence.scan import Clamd
from evidence.store import BlobStore, digest

ACTION = "attach_document"
# the state an application must be in for each purpose
OPEN_FOR = {"criterion": "draft", "supplement": "supplement_requested"}


def criteria_of(session: Session, app: Application) -> list[Criterion]:
    """The criteria the application's evidence is filed under: its screening's version, a draft's call's,
    else the version in force (the upload's check and the supplier's evidence form)."""
    named = app.criteria_version or calls.criteria_version(session, app)  # a draft: its call's version
    if named:
        version = next(c for c in criteria_store.all_versions(session) if c.version == named)
    else:
        version = criteria_store.in_force(session, clock.now().date())
    return list(version.criteria)


def _criteria_codes(session: Session, app: Application) -> list[str]:
    return [c.code for c in criteria_of(session, app)]


def attach(session: Session, store: BlobStore, *, app: Application, p: Principal, purpose: str,
           criterion: str | None, filename: str | None, declared_type: str | None, content: bytes,
           max_bytes: int, scanner: Clamd | None = None) -> EvidenceDocument:
    """Check the file (size, type from its content, a virus scan when configured), store it by digest,
    record it with an audit event that carries the digest and the scan. Only the applicant attaches; a
    draft takes evidence per criterion, an open supplement request takes the answer's documents."""
    if p.role != "supplier" or not p.owns(app.applicant_org):
        raise NotFound(f"신청 {josa(quoted(app.id), '을')} 찾을 수 없습니다.", f"Application {app.id} was not found.")
    if purpose not in OPEN_FOR:
        raise Invalid("신청에는 평가 기준별 증빙이나 보완 자료만 올릴 수 있습니다. 이의신청 자료는 "
                      "이의신청에 올려 주세요.", "An application's documents are for a criterion or a supplement; "
                      "attach an appeal's documents to the appeal.",
                      errors=[{"pointer": "#/purpose", "detail": "criterion or supplement"}])
    if app.state != OPEN_FOR[purpose]:
        raise DocumentsClosed(
            "평가 기준별 증빙은 제출 전(작성 중)에만 올릴 수 있습니다." if purpose == "criterion"
            else "보완 자료는 보완 요청을 받은 동안에만 올릴 수 있습니다.",
            "Criterion evidence is attached to a draft only." if purpose == "criterion"
            else "Supplement documents are attached while a supplement request is open.",
            state=app.state, purpose=purpose)
    if purpose == "criterion":
        codes = _criteria_codes(session, app)
        if criterion not in codes:
            raise Invalid(f"평가 기준 코드를 지정해 주세요 (가능한 코드: {', '.join(codes)}).",
                          f"Name the criterion the document supports (one of {', '.join(codes)}).",
                          errors=[{"pointer": "#/criterion", "detail": f"one of {', '.join(codes)}"}])
    elif criterion is not None:
        raise Invalid("보완 자료에는 평가 기준 코드를 붙이지 않습니다.", "Supplement documents name no criterion.")
    got = accept(store, scanner, content=content, filename=filename, declared_type=declared_type,
                 max_bytes=max_bytes)
    doc = EvidenceDocument(application_id=app.id, purpose=purpose, criterion=criterion, **got.columns(),
                           uploaded_by=p.sub, audit_seq=-1)
    return record(session, doc, actor=p, action=ACTION, subject_type="application", subject_id=app.id,
                  state=app.state, payload={"company_id": app.company_id, "kind": app.kind, "purpose": purpose,
                                            "criterion": criterion, **got.audit()})


def attach_to_appeal(session: Session, store: BlobStore, *, appeal: Appeal, p: Principal, filename: str | None,
                     declared_type: str | None, content: bytes, max_bytes: int,
                     scanner: Clamd | None = None) -> EvidenceDocument:
    """An appeal's supporting document: the appellant attaches it while the appeal awaits its outcome; the
    appeal's audit event carries the digest, as an application's does."""
    if p.role != "supplier" or not p.owns(appeal.applicant_org):
        raise NotFound(f"이의신청 {josa(quoted(appeal.id), '을')} 찾을 수 없습니다.",
                       f"Appeal {appeal.id} was not found.")
    if appeal.state != "submitted":
        raise DocumentsClosed("결정이 난 이의신청에는 자료를 올릴 수 없습니다.",
                              "Documents are attached to an appeal before its outcome only.",
                              state=appeal.state, purpose="appeal")
    got = accept(store, scanner, content=content, filename=filename, declared_type=declared_type,
                 max_bytes=max_bytes)
    doc = EvidenceDocument(application_id=None, appeal_id=appeal.id, purpose="appeal", criterion=None,
                           **got.columns(), uploaded_by=p.sub, audit_seq=-1)
    return record(session, doc, actor=p, action=ACTION, subject_type="appeal", subject_id=appeal.id,
                  state=appeal.state, payload={"company_id": appeal.company_id, "purpose": "appeal", **got.audit()})


def for_appeal(session: Session, appeal: Appeal) -> list[EvidenceDocument]:
    return list(session.scalars(select(EvidenceDocument).where(EvidenceDocument.appeal_id == appeal.id)
                                .order_by(EvidenceDocument.uploaded_at, EvidenceDocument.id)))


def for_application(session: Session, app: Application) -> list[EvidenceDocument]:
    """The documents of an application the caller may already see (load it with certification.service)."""
    return list(session.scalars(select(EvidenceDocument).where(EvidenceDocument.application_id == app.id)
                                .order_by(EvidenceDocument.uploaded_at, EvidenceDocument.id)))


def load(session: Session, doc_id: str, p: Principal) -> EvidenceDocument:
    """The document if the caller may see its application (appeal, project), else 404 (never 403: ids are
    not probed)."""
    doc = session.get(EvidenceDocument, doc_id)
    if doc is not None and doc.outcome_id is not None:
        visible = outcomes.visible(session, doc, p)
    elif doc is not None and doc.appeal_id is not None:
        appeal = session.get(Appeal, doc.appeal_id)
        visible = appeal is not None and appeals.may_see(session, appeal, p)
    else:
        app = session.get(Application, doc.application_id) if doc and doc.application_id else None
        visible = app is not None and applications.may_see(session, app, p)
    if doc is None or not visible:
        raise NotFound(f"문서 {josa(quoted(doc_id), '를')} 찾을 수 없습니다.", f"Document {doc_id} was not found.")
    return doc


def content(store: BlobStore, doc: EvidenceDocument) -> bytes:
    """The stored bytes, refused (503) when they no longer hash to the digest on record."""
    data = store.get(doc.sha256)
    if data is None or digest(data) != doc.sha256:
        raise IntegrityCheckFailed(f"문서 {doc.filename}", "저장된 파일이 기록된 해시와 달라",
                                   "the stored file differs from its recorded digest")
    return data


# ---- verification ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DocumentProblem:
    document_id: str
    filename: str
    application_id: str | None
    detail_en: str
    detail_ko: str
    appeal_id: str | None = None  # an appeal's document (application_id is None then)
    outcome_id: str | None = None  # a project outcome's document (application_id is None then)


def verify(session: Session, store: BlobStore) -> tuple[int, list[DocumentProblem]]:
    """Every document: its row's digest is the one its audit event recorded, and the stored bytes hash
    to it. Returns (documents checked, problems)."""
    docs = list(session.scalars(select(EvidenceDocument).order_by(EvidenceDocument.uploaded_at,
                                                                  EvidenceDocument.id)))
    events = {r.seq: r for r in session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == ACTION))}
    problems = []

    def bad(doc: EvidenceDocument, en: str, ko: str) -> None:
        problems.append(DocumentProblem(doc.id, doc.filename, doc.application_id, en, ko, doc.appeal_id,
                                        doc.outcome_id))

    for doc in docs:
        recorded = _recorded(events.get(doc.audit_seq), doc, outcomes.project_id_of(session, doc))
        if recorded is None:
            bad(doc, f"no audit event {doc.audit_seq} attaches document {doc.id}",
                f"문서 {doc.id}를 첨부한 감사 이벤트({doc.audit_seq})가 없습니다")
            continue
        if recorded != doc.sha256:
            bad(doc, f"the row's digest {doc.sha256[:12]}… differs from the one event {doc.audit_seq} recorded "
                     f"({recorded[:12]}…)",
                f"문서 행의 해시가 감사 이벤트 {doc.audit_seq}에 기록된 해시와 다릅니다")
            continue
        data = store.get(doc.sha256)
        if data is None:
            bad(doc, f"the stored file is missing ({store.where(doc.sha256)})",
                f"저장된 파일이 없습니다 ({store.where(doc.sha256)})")
        elif digest(data) != doc.sha256:
            bad(doc, f"the stored file's bytes were replaced: SHA-256 {digest(data)[:12]}…, recorded "
                     f"{doc.sha256[:12]}… ({store.where(doc.sha256)})",
                f"저장된 파일의 내용이 바뀌었습니다: 기록된 해시와 다릅니다 ({store.where(doc.sha256)})")
    return len(docs), problems


def _recorded(row: AuditLogEntry | None, doc: EvidenceDocument, project_id: str | None) -> str | None:
    """The digest the attaching event recorded for this document, if the event is that event (an outcome's
    document is attached by an event of its project)."""
    if row is None or row.subject_id != (doc.appeal_id or doc.application_id or project_id):
        return None
    try:
        payload = decode_entry(row.entry).get("payload") or {}
    except ValueError:
        return None
    return str(payload.get("sha256")) if payload.get("document_id") == doc.id else None
