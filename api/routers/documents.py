"""/v1/applications/{id}/documents and /v1/documents/{id}/content: evidence files, uploaded by the applicant
(multipart), read by whoever may read the application."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Path, UploadFile, status
from fastapi.responses import Response
from sqlalchemy.orm import Session

from api.deps import SessionDep, SettingsDep, scoped
from api.schemas import PROBLEM_RESPONSES, _problem
from certification import service as applications
from certification.models import Application
from core.principal import Principal
from core.settings import Settings
from evidence import service
from evidence.backends import blob_store, scanner
from evidence.models import EvidenceDocument
from evidence.schemas import DocumentRead, Purpose
from evidence.store import BlobStore

router = APIRouter(tags=["designation"], responses=PROBLEM_RESPONSES)
IdPath = Annotated[str, Path(max_length=36)]
Applicant = Annotated[Principal, scoped("designation:apply")]
Reader = Annotated[Principal, scoped("registry:read")]


def store(settings: Settings) -> BlobStore:
    return blob_store(settings)


def _read(doc: EvidenceDocument) -> DocumentRead:
    return DocumentRead(
        id=doc.id, application_id=doc.application_id, appeal_id=doc.appeal_id, outcome_id=doc.outcome_id,
        purpose=Purpose(doc.purpose),
        criterion=doc.criterion,
        filename=doc.filename, media_type=doc.media_type, size=doc.size, sha256=doc.sha256, audit_seq=doc.audit_seq,
        uploaded_at=doc.uploaded_at, scan=doc.scan_status, scanned_at=doc.scanned_at, scanner=doc.scanner,
        download=f"/v1/documents/{doc.id}/content")


def _locked_for_applicant(app_id: IdPath, session: SessionDep, p: Applicant) -> Application:
    return applications.load(session, app_id, p, lock=True)


@router.post("/v1/applications/{app_id}/documents", status_code=status.HTTP_201_CREATED,
             response_model=DocumentRead,
             responses={409: _problem("Documents cannot be attached in this state"),
                        413: _problem("The file is over the size limit (or the virus scanner's)"),
                        503: _problem("Temporarily unavailable: the database, or the virus scanner when configured "
                                      "(retry after Retry-After)")},
             summary="증빙 파일 올리기 (기준별·보완) / Attach an evidence document")
def upload(app: Annotated[Application, Depends(_locked_for_applicant)], session: SessionDep, p: Applicant,
           settings: SettingsDep,
           file: Annotated[UploadFile, File(description="PDF, PNG, JPEG, DOCX, XLSX, HWP, HWPX or CSV")],
           purpose: Annotated[Purpose, Form(description="criterion (a draft's evidence) or supplement")] =
           Purpose.criterion,
           criterion: Annotated[str | None, Form(max_length=16, description="E1.. for purpose criterion")] = None,
           ) -> DocumentRead:
    return _read(attach_upload(session, settings, app=app, p=p, file=file, purpose=purpose.value,
                               criterion=criterion))


def attach_upload(session: Session, settings: Settings, *, app: Application, p: Principal, file: UploadFile,
                  purpose: str, criterion: str | None) -> EvidenceDocument:
    """An uploaded file attached to the application, read up to one byte over the limit (so the service
    can refuse it): the API's upload and the supplier's pages (api/web/supplier_apply.py)."""
    content = file.file.read(settings.document_max_bytes + 1)
    return service.attach(session, store(settings), app=app, p=p, purpose=purpose, criterion=criterion,
                          filename=file.filename, declared_type=file.content_type, content=content,
                          max_bytes=settings.document_max_bytes, scanner=scanner(settings))


@router.get("/v1/applications/{app_id}/documents", response_model=list[DocumentRead],
            summary="신청의 증빙 파일 목록 / The application's documents")
def list_documents(app_id: IdPath, session: SessionDep, p: Reader) -> list[DocumentRead]:
    app = applications.load(session, app_id, p)
    return [_read(d) for d in service.for_application(session, app)]


@router.get("/v1/documents/{doc_id}/content", response_class=Response,
            responses={200: {"description": "The document's bytes, as uploaded",
                             "content": {"application/octet-stream": {}}},
                       503: _problem("The stored file no longer matches its digest")},
            summary="증빙 파일 내려받기 / Download a document")
def download(doc_id: IdPath, session: SessionDep, p: Reader, settings: SettingsDep) -> Response:
    return document_response(session, doc_id, p, settings)


def document_response(session: Session, doc_id: str, p: Principal, settings: Settings) -> Response:
    """The document's bytes as an attachment, if the caller may see its application (the API's download
    and the web application's, api/web/reviewer.py)."""
    doc = service.load(session, doc_id, p)
    data = service.content(store(settings), doc)
    ascii_name = doc.filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return Response(data, media_type=doc.media_type, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(doc.filename)}",
        "X-Content-Type-Options": "nosniff", "ETag": f'"{doc.sha256}"', "Cache-Control": "private, no-store",
        "Content-Security-Policy": "sandbox"})
