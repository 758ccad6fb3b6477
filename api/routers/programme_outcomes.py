"""An AX project outcome's evidence documents (included by programme.py): the SME attaches the files behind
a measured before/after figure (multipart, the checks of every upload); whoever sees the project lists them
and downloads each through /v1/documents/{id}/content."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Path, UploadFile, status

from api.deps import SessionDep, SettingsDep, scoped
from api.routers.documents import _read as document_read
from api.routers.documents import store
from api.schemas import _problem
from core.principal import Principal
from evidence import outcomes
from evidence.backends import scanner
from evidence.schemas import DocumentRead
from programme import service
from programme.models import Outcome, Project

router = APIRouter()
IdPath = Annotated[str, Path(max_length=36)]
Reader = Annotated[Principal, scoped("registry:read")]
Writer = Annotated[Principal, scoped("registry:write")]
P = "/v1/programme/projects/{project_id}/outcomes/{outcome_id}/documents"


def _open_outcome(project_id: IdPath, outcome_id: IdPath, session: SessionDep, p: Writer) -> tuple[Project, Outcome]:
    """The project (locked) and its outcome, loaded before the upload is read: 404 for other tenants."""
    project = service.load(session, project_id, p, lock=True)
    return project, outcomes.outcome_of(session, project, outcome_id, lock=True)


@router.post(P, status_code=status.HTTP_201_CREATED, response_model=DocumentRead,
             responses={409: _problem("The outcome is confirmed, or the project is not under way"),
                        413: _problem("The file is over the size limit (or the virus scanner's)"),
                        503: _problem("Temporarily unavailable: the database, or the virus scanner when configured "
                                      "(retry after Retry-After)")},
             summary="성과 증빙 파일 올리기 / Attach an evidence document to an outcome")
def upload(opened: Annotated[tuple[Project, Outcome], Depends(_open_outcome)], session: SessionDep, p: Writer,
           settings: SettingsDep,
           file: Annotated[UploadFile, File(description="PDF, PNG, JPEG, DOCX, XLSX, HWP, HWPX or CSV")],
           ) -> DocumentRead:
    project, outcome = opened
    doc = outcomes.attach(session, store(settings), project=project, outcome=outcome, p=p, filename=file.filename,
                          declared_type=file.content_type, content=file.file.read(settings.document_max_bytes + 1),
                          max_bytes=settings.document_max_bytes, scanner=scanner(settings))
    return document_read(doc)


@router.get(P, response_model=list[DocumentRead], summary="성과 증빙 파일 목록 / The outcome's documents")
def list_documents(project_id: IdPath, outcome_id: IdPath, session: SessionDep, p: Reader) -> list[DocumentRead]:
    outcome = outcomes.outcome_of(session, service.load(session, project_id, p), outcome_id)
    return [document_read(d) for d in outcomes.for_outcome(session, outcome)]
