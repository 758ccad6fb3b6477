"""The SME's measured outcomes on its project page: a before/after figure with its evidence file (one
multipart form, all or nothing: consulting.add_outcome, then evidence.outcomes.attach, the services the API
routers call), and the download of an outcome's document through the API's download."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.deps import SessionDep, SettingsDep
from api.routers.documents import document_response, store
from api.web.render import refusal_messages
from api.web.session import FormUserDep
from api.web.sme import SmeUser, sme_user
from api.web.sme_projects import _number, _project_page
from core.errors import AppError, NotFound
from core.korean import josa, quoted
from evidence import outcomes
from evidence import service as evidence
from evidence.backends import scanner
from programme import consulting, service
from programme.schemas import OutcomeCreate

router = APIRouter(prefix="/web/sme", include_in_schema=False)
IdPath = Annotated[str, Path(max_length=36)]


@router.post("/projects/{project_id}/outcomes", response_class=HTMLResponse)
def add_outcome(request: Request, session: SessionDep, user: FormUserDep, settings: SettingsDep,
                project_id: IdPath, metric: Annotated[str, Form(max_length=32)] = "",
                before: Annotated[str, Form(max_length=20)] = "",
                after: Annotated[str, Form(max_length=20)] = "",
                note: Annotated[str, Form(max_length=500)] = "",
                evidence_file: Annotated[UploadFile | None, File()] = None) -> Response:
    """A measured before/after figure (POST .../outcomes) and, when a file is chosen, its evidence (POST
    .../outcomes/{id}/documents); a refusal of either writes neither."""
    sme_user(user)
    p = user.principal
    project = service.load(session, project_id, p, lock=True)
    values = {"metric": metric, "before": before, "after": after, "note": note}
    try:
        data = OutcomeCreate.model_validate({"metric": metric, "before": _number(before),
                                             "after": _number(after), "note": note.strip() or None})
        outcome = consulting.add_outcome(session, project=project, data=data, p=p)
        if evidence_file is not None and evidence_file.filename:
            outcomes.attach(session, store(settings), project=project, outcome=outcome, p=p,
                            filename=evidence_file.filename, declared_type=evidence_file.content_type,
                            content=evidence_file.file.read(settings.document_max_bytes + 1),
                            max_bytes=settings.document_max_bytes, scanner=scanner(settings))
    except (ValidationError, AppError) as exc:
        errors = refusal_messages(exc)
        session.rollback()
        project = service.load(session, project_id, p)
        return _project_page(request, session, user, project, 422, outcome_errors=errors, outcome_values=values)
    return RedirectResponse(f"/web/sme/projects/{project.id}#outcomes", status_code=303)


@router.get("/documents/{doc_id}")
def document(session: SessionDep, user: SmeUser, settings: SettingsDep, doc_id: IdPath) -> Response:
    """An outcome's document of a project this SME runs, through the API's download (other documents, and
    other tenants' ones, are not found)."""
    if evidence.load(session, doc_id, user.principal).outcome_id is None:
        raise NotFound(f"문서 {josa(quoted(doc_id), '를')} 찾을 수 없습니다.", f"Document {doc_id} was not found.")
    return document_response(session, doc_id, user.principal, settings)
