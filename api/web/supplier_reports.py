"""The designated supplier's annual performance report (실적 보고): the reports of its company, drafting the year's
report (deployments, manufacturing-AI revenue, AI staff, a summary), attaching evidence files and submitting
it. Every step is the API's: api/routers/monitoring.draft_from (POST /v1/certificates/{number}/performance-reports),
attach_report_upload (POST /v1/performance-reports/{id}/documents), certification.reports.submit and
reports.visible_stmt, load, documents (GET /v1/performance-reports). A refusal (the year's window not open yet,
no evidence file) is shown on the page in Korean with the input kept and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.deps import SessionDep, SettingsDep
from api.routers.monitoring import attach_report_upload, draft_from
from api.web.render import render
from api.web.session import FormUserDep, WebUser
from api.web.supplier import SupplierUser, certificate_view, own_company, supplier_user
from api.web.supplier_apply import refused
from certification import reports
from certification.monitoring_models import PerformanceReport
from certification.monitoring_schemas import ReportCreate
from core import clock
from core.errors import AppError
from core.korean import kst
from core.pagination import paginate

router = APIRouter(prefix="/web/supplier", include_in_schema=False)
IdPath = Annotated[str, Path(max_length=36)]
REPORT_STATE_KO = {"draft": "작성 중", "submitted": "제출 완료"}


def _whole(raw: str) -> int | str | None:
    """A form's whole number (commas allowed); anything else goes to the schema as it is, to be refused."""
    plain = raw.replace(",", "").strip()
    return int(plain) if plain.isascii() and plain.isdigit() else plain or None


def _list_page(request: Request, session: Session, user: WebUser, status_code: int = 200,
               error: str | None = None, values: dict[str, Any] | None = None) -> HTMLResponse:
    p = user.principal
    company = own_company(session, p)
    certificate = certificate_view(session, company) if company else None
    rows = paginate(session, reports.visible_stmt(p), PerformanceReport.id, cursor=None, limit=100).items
    live = certificate["cert"] if certificate and certificate["live"] else None
    today = kst(clock.now()).date()
    years = [(n, reports.due_on(live, n)) for n in reports.report_years(live)] if live else []
    drafted = {r.year for r in rows}
    return render(request, "supplier/reports.html", status_code, user=user, certificate=certificate, error=error,
                  values=values or {}, rows=sorted(rows, key=lambda r: r.year), states=REPORT_STATE_KO, years=years,
                  open_years=[n for n in reports.open_for_filing(session, live, today) if n not in drafted]
                  if live else [], opens_before=timedelta(days=reports.OPENS_BEFORE))


@router.get("/reports", response_class=HTMLResponse)
def report_list(request: Request, session: SessionDep, user: SupplierUser) -> HTMLResponse:
    return _list_page(request, session, user)


@router.post("/reports", response_class=HTMLResponse)
def draft(request: Request, session: SessionDep, user: FormUserDep,
          year: Annotated[str, Form(max_length=3)] = "",
          deployments: Annotated[str, Form(max_length=20)] = "",
          manufacturing_ai_revenue_krw: Annotated[str, Form(max_length=24)] = "",
          ai_staff: Annotated[str, Form(max_length=20)] = "",
          summary_ko: Annotated[str, Form(max_length=5000)] = "") -> Response:
    """The API's draft of the year's report for the company's live certificate (ReportCreate, draft_from)."""
    supplier_user(user)
    values = {"year": year, "deployments": deployments, "manufacturing_ai_revenue_krw": manufacturing_ai_revenue_krw,
              "ai_staff": ai_staff, "summary_ko": summary_ko}
    company = own_company(session, user.principal)
    certificate = certificate_view(session, company) if company else None
    try:
        if certificate is None:
            raise AppError("실적을 보고할 지정서가 없습니다.", "There is no certificate to report on.")
        data = ReportCreate.model_validate({
            "year": _whole(year), "deployments": _whole(deployments),
            "manufacturing_ai_revenue_krw": _whole(manufacturing_ai_revenue_krw), "ai_staff": _whole(ai_staff),
            "summary_ko": summary_ko.strip() or None})
        report = draft_from(session, certificate["cert"].number, data, user.principal)
    except (AppError, ValidationError) as exc:
        status, message = refused(session, exc)
        return _list_page(request, session, user, status, message, values)
    return RedirectResponse(f"/web/supplier/reports/{report.id}", status_code=303)


def _page(request: Request, session: Session, user: WebUser, report: PerformanceReport, status_code: int = 200,
          error: str | None = None) -> HTMLResponse:
    return render(request, "supplier/report.html", status_code, user=user, report=report, error=error,
                  state=REPORT_STATE_KO.get(report.state, report.state), documents=reports.documents(session, report))


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, session: SessionDep, user: SupplierUser, report_id: IdPath) -> HTMLResponse:
    return _page(request, session, user, reports.load(session, report_id, user.principal))


def _act(request: Request, session: Session, user: WebUser, report_id: str,
         action: Callable[[PerformanceReport], None]) -> Response:
    """Run the service call on the row-locked report; a refusal rolls back and comes back on the page."""
    supplier_user(user)
    report = reports.load(session, report_id, user.principal, lock=True)
    try:
        action(report)
    except AppError as exc:
        status, message = refused(session, exc)
        return _page(request, session, user, reports.load(session, report_id, user.principal), status, message)
    return RedirectResponse(f"/web/supplier/reports/{report_id}", status_code=303)


@router.post("/reports/{report_id}/documents", response_class=HTMLResponse)
def upload(request: Request, session: SessionDep, user: FormUserDep, settings: SettingsDep, report_id: IdPath,
           file: Annotated[UploadFile | None, File()] = None) -> Response:
    """An evidence file on the draft report, through the API's upload (type, size and scan checks)."""
    def run(report: PerformanceReport) -> None:
        if file is None or not file.filename:
            raise AppError("올릴 파일을 골라 주세요.", "Choose a file to upload.")
        attach_report_upload(session, settings, report=report, p=user.principal, file=file)
    return _act(request, session, user, report_id, run)


@router.post("/reports/{report_id}/submit", response_class=HTMLResponse)
def submit(request: Request, session: SessionDep, user: FormUserDep, report_id: IdPath) -> Response:
    """The API's submission: at least one evidence file; on time when by the due date."""
    def run(report: PerformanceReport) -> None:
        reports.submit(session, report=report, p=user.principal)
    return _act(request, session, user, report_id, run)
