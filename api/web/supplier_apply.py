"""The supplier applies for designation step by step: choose an open call (and its field when the call takes
applications by field) and the fields of its solutions, upload the evidence documents per criterion, submit;
later, read the reviewer's supplement request and answer it with a document. Every step is the API's:
api/routers/designation.create_from (POST /v1/applications), api/routers/documents.attach_upload
(POST /v1/applications/{id}/documents), certification.service.submit and resubmit (POST …/submit, …/resubmit),
documents.document_response (GET /v1/documents/{id}/content). A refusal is shown on the page in Korean with
the input kept and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.deps import SessionDep, SettingsDep
from api.routers.calls import read as call_read
from api.routers.designation import create_from
from api.routers.documents import attach_upload, document_response
from api.web.render import render
from api.web.session import FormUserDep, WebUser
from api.web.supplier import KIND_KO, SupplierUser, certificate_view, own_company, supplier_user
from certification import calls, lifecycle
from certification import service as applications
from certification.errors import STATE_KO
from certification.models import Application
from certification.schemas import ApplicationCreate, SupplementAnswer
from core import i18n
from core.errors import AppError
from core.principal import Principal
from evidence import service as evidence
from registry import service
from registry.models import Solution

router = APIRouter(prefix="/web/supplier", include_in_schema=False)
IdPath = Annotated[str, Path(max_length=36)]
OUTCOME_KO = {"pass": "충족", "fail": "미충족", "needs_judgement": "심사위원 판단 필요", "not_checked": "확인 전"}


def refused(session: Session, exc: AppError | ValidationError) -> tuple[int, str]:
    """Roll the request back (nothing written); the refusal's status (a schema's: 422) and Korean message."""
    session.rollback()
    return (exc.status if isinstance(exc, AppError) else 422), message_ko(exc)


def message_ko(exc: AppError | ValidationError) -> str:
    """A refusal in Korean: the service's title and detail, or each of the schema's errors."""
    if isinstance(exc, ValidationError):
        return " ".join(i18n.message_ko(dict(e)) for e in exc.errors())
    return exc.title_ko + (f": {exc.detail_ko}" if exc.detail_ko else "")


# ---- step 1: the call, its field and the fields applied for ----------------------------------------
def _apply_page(request: Request, session: Session, user: WebUser, status_code: int = 200,
                error: str | None = None, values: dict[str, Any] | None = None) -> HTMLResponse:
    p = user.principal
    company = own_company(session, p)
    solutions = service.list_visible(session, Solution, p, cursor=None, limit=100, company_id=company.id,
                                     status="published").items if company else []
    fields: dict[str, list[str]] = {}
    for s in solutions:
        fields.setdefault(s.category, []).append(s.title_ko)
    return render(request, "supplier/apply.html", status_code, user=user, company=company, error=error,
                  values=values or {}, calls=[call_read(session, c) for c in calls.listed(session, "open")],
                  fields=fields, certificate=certificate_view(session, company) if company else None)


@router.get("/apply", response_class=HTMLResponse)
def apply_form(request: Request, session: SessionDep, user: SupplierUser) -> HTMLResponse:
    return _apply_page(request, session, user)


@router.post("/applications", response_class=HTMLResponse)
def create(request: Request, session: SessionDep, user: FormUserDep,
           kind: Annotated[str, Form(max_length=16)] = "initial",
           call_id: Annotated[str, Form(max_length=36)] = "",
           field: Annotated[str, Form(max_length=40)] = "",
           scope: Annotated[list[str] | None, Form(max_length=12)] = None,
           statement_ko: Annotated[str, Form(max_length=5000)] = "") -> Response:
    """The API's draft (ApplicationCreate, create_from): the call must be open, the field one of its quotas;
    a renewal names no call and is taken from 90 days before the certificate expires."""
    supplier_user(user)
    company = own_company(session, user.principal)
    values = {"kind": kind, "call_id": call_id, "field": field, "scope": scope or [], "statement_ko": statement_ko}
    try:
        if company is None:
            raise AppError("신청할 공급기업이 없습니다. 먼저 기업을 등록하세요.", "Register your company first.")
        data = ApplicationCreate.model_validate({
            "company_id": company.id, "kind": kind, "call_id": call_id or None, "field": field or None,
            "scope": scope or None, "statement_ko": statement_ko.strip() or None})
        app = create_from(session, data, user.principal)
    except (AppError, ValidationError) as exc:
        status, message = refused(session, exc)
        return _apply_page(request, session, user, status, error=message, values=values)
    return RedirectResponse(f"/web/supplier/applications/{app.id}", status_code=303)


# ---- the application: evidence per criterion, submission, supplement -------------------------------
def _page(request: Request, session: Session, user: WebUser, app: Application, status_code: int = 200,
          error: str | None = None, values: dict[str, Any] | None = None) -> HTMLResponse:
    docs = evidence.for_application(session, app)
    criteria = [{"code": c.code, "label": c.label_ko,
                 "documents": [d for d in docs if d.purpose == "criterion" and d.criterion == c.code]}
                for c in evidence.criteria_of(session, app)]
    screening = [{**r, "outcome_ko": OUTCOME_KO.get(r["outcome"], r["outcome"])}
                 for r in (app.screening or {}).get("results", [])]
    call = call_read(session, calls.get(session, app.call_id)) if app.call_id else None
    allowed = lifecycle.allowed_actions(lifecycle.MachineKind.application, app.state, "supplier")
    return render(request, "supplier/application.html", status_code, user=user, app=app, error=error,
                  values=values or {}, state=STATE_KO.get(app.state, app.state), kind=KIND_KO.get(app.kind, app.kind),
                  criteria=criteria, screening=screening, call=call, allowed=allowed,
                  supplements=[d for d in docs if d.purpose == "supplement"])


def _own(session: Session, app_id: str, p: Principal, *, lock: bool = False) -> Application:
    """The application if it is the caller's (the service's visibility: another's reads as missing)."""
    return applications.load(session, app_id, p, lock=lock)


@router.get("/applications/{app_id}", response_class=HTMLResponse)
def application(request: Request, session: SessionDep, user: SupplierUser, app_id: IdPath) -> HTMLResponse:
    return _page(request, session, user, _own(session, app_id, user.principal))


def _act(request: Request, session: Session, user: WebUser, app_id: str, action: Callable[[Application], None],
         values: dict[str, Any] | None = None) -> Response:
    """Run the service calls on the row-locked application; a refusal rolls back and comes back on the page."""
    supplier_user(user)
    app = _own(session, app_id, user.principal, lock=True)
    try:
        action(app)
    except (AppError, ValidationError) as exc:
        status, message = refused(session, exc)
        return _page(request, session, user, _own(session, app_id, user.principal), status, message, values)
    return RedirectResponse(f"/web/supplier/applications/{app_id}", status_code=303)


def _chosen(file: UploadFile | None) -> UploadFile | None:
    """A file input left empty still sends a part with no name."""
    return file if file is not None and file.filename else None


@router.post("/applications/{app_id}/documents", response_class=HTMLResponse)
def upload(request: Request, session: SessionDep, user: FormUserDep, settings: SettingsDep, app_id: IdPath,
           criterion: Annotated[str, Form(max_length=16)] = "",
           file: Annotated[UploadFile | None, File()] = None) -> Response:
    """A criterion's evidence on a draft, through the API's upload (type, size and scan checks)."""
    def run(app: Application) -> None:
        chosen = _chosen(file)
        if chosen is None:
            raise AppError("올릴 파일을 골라 주세요.", "Choose a file to upload.")
        attach_upload(session, settings, app=app, p=user.principal, file=chosen, purpose="criterion",
                      criterion=criterion or None)
    return _act(request, session, user, app_id, run)


@router.post("/applications/{app_id}/submit", response_class=HTMLResponse)
def submit(request: Request, session: SessionDep, user: FormUserDep, app_id: IdPath) -> Response:
    """The API's submission: the call must be open and have a place; screening runs at once."""
    def run(app: Application) -> None:
        applications.submit(session, app=app, p=user.principal)
    return _act(request, session, user, app_id, run)


@router.post("/applications/{app_id}/resubmit", response_class=HTMLResponse)
def resubmit(request: Request, session: SessionDep, user: FormUserDep, settings: SettingsDep, app_id: IdPath,
             answer: Annotated[str, Form(max_length=20000)] = "",
             file: Annotated[UploadFile | None, File()] = None) -> Response:
    """The answer to a supplement request with its document: the API's upload (purpose supplement), then its
    resubmission; both or neither."""
    def run(app: Application) -> None:
        data = SupplementAnswer.model_validate({"answer": answer.strip()})
        chosen = _chosen(file)
        if chosen is not None:
            attach_upload(session, settings, app=app, p=user.principal, file=chosen, purpose="supplement",
                          criterion=None)
        applications.resubmit(session, app=app, p=user.principal, answer=data.answer)
    return _act(request, session, user, app_id, run, {"answer": answer})


@router.get("/documents/{doc_id}")
def document(session: SessionDep, user: SupplierUser, settings: SettingsDep, doc_id: IdPath) -> Response:
    """One of the company's documents, through the API's download (another's reads as missing)."""
    return document_response(session, doc_id, user.principal, settings)
