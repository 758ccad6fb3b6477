"""Monitoring after designation: annual performance reports with evidence (supplier), suspension cases for
missed reports and acknowledging edits to designated listings (reviewers and admins)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Path, Query, UploadFile, status
from fastapi.responses import Response
from sqlalchemy import false, select
from sqlalchemy.orm import Session

from api.deps import PageDep, SessionDep, SettingsDep, scoped
from api.routers.documents import scanner, store
from api.schemas import PROBLEM_RESPONSES, PageOut, _problem
from certification import listing, reports
from certification.models import Certificate
from certification.monitoring_models import ListingEdit, PerformanceReport, ReportDocument, SuspensionCase
from certification.monitoring_schemas import (
    Acknowledge,
    CaseDecision,
    CaseRead,
    ListingEditRead,
    ReportCreate,
    ReportDocumentRead,
    ReportRead,
)
from core.pagination import paginate
from core.principal import Principal
from core.settings import Settings
from registry.models import Company

router = APIRouter(tags=["designation"], responses={**PROBLEM_RESPONSES, 409: PROBLEM_RESPONSES[400]})
IdPath = Annotated[str, Path(max_length=36)]
NumberPath = Annotated[str, Path(max_length=40)]
Applicant = Annotated[Principal, scoped("designation:apply")]
Reader = Annotated[Principal, scoped("registry:read")]
ReviewerP = Annotated[Principal, scoped("designation:review")]


def _number(session: SessionDep, certificate_id: str) -> str:
    return session.scalars(select(Certificate.number).where(Certificate.id == certificate_id)).one()


def _doc(d: ReportDocument) -> ReportDocumentRead:
    out = ReportDocumentRead.model_validate(d)
    out.download = f"/v1/performance-report-documents/{d.id}/content"
    return out


def _report(session: SessionDep, r: PerformanceReport) -> ReportRead:
    out = ReportRead.model_validate(r)
    out.certificate_number = _number(session, r.certificate_id)
    out.documents = [_doc(d) for d in reports.documents(session, r)]
    return out


def _locked_report(report_id: IdPath, session: SessionDep, p: Applicant) -> PerformanceReport:
    return reports.load(session, report_id, p, lock=True)


ApplicantReport = Annotated[PerformanceReport, Depends(_locked_report)]


@router.post("/v1/certificates/{number}/performance-reports", status_code=status.HTTP_201_CREATED,
             response_model=ReportRead,
             summary="연간 실적 보고 작성 / Draft the annual performance report")
def draft_report(number: NumberPath, data: ReportCreate, session: SessionDep, p: Applicant) -> ReportRead:
    return _report(session, draft_from(session, number, data, p))


def draft_from(session: Session, number: str, data: ReportCreate, p: Principal) -> PerformanceReport:
    """The draft a ReportCreate opens (the API's and the supplier's report form, api/web/supplier_reports.py)."""
    return reports.draft(session, number=number, p=p, year=data.year, deployments=data.deployments,
                         revenue_krw=data.manufacturing_ai_revenue_krw, ai_staff=data.ai_staff,
                         summary=data.summary_ko)


@router.get("/v1/performance-reports", response_model=PageOut[ReportRead],
            summary="실적 보고 목록 (내 보고·전체) / Performance reports you may see")
def list_reports(session: SessionDep, p: Reader, page: PageDep,
                 certificate: Annotated[str | None, Query(max_length=40, description="A certificate number")] = None,
                 ) -> PageOut[ReportRead]:
    cert_id = None
    if certificate:
        cert_id = session.scalars(select(Certificate.id).where(Certificate.number == certificate)).one_or_none() or "-"
    result = paginate(session, reports.visible_stmt(p, cert_id), PerformanceReport.id, cursor=page.cursor,
                      limit=page.limit)
    return PageOut[ReportRead](items=[_report(session, r) for r in result.items],
                               next=page.next_url(result.next_cursor))


@router.get("/v1/performance-reports/{report_id}", response_model=ReportRead, summary="실적 보고 조회 / Get a report")
def get_report(report_id: IdPath, session: SessionDep, p: Reader) -> ReportRead:
    return _report(session, reports.load(session, report_id, p))


@router.post("/v1/performance-reports/{report_id}/documents", status_code=status.HTTP_201_CREATED,
             response_model=ReportDocumentRead,
             responses={413: _problem("The file is over the size limit (or the virus scanner's)"),
                        503: _problem("Temporarily unavailable: the database, or the virus scanner when configured "
                                      "(retry after Retry-After)")},
             summary="실적 보고 증빙 파일 올리기 / Attach an evidence file to a draft report")
def upload_report_document(report: ApplicantReport, session: SessionDep, p: Applicant, settings: SettingsDep,
                           file: Annotated[UploadFile, File(description="PDF, PNG, JPEG, HWP, HWPX, XLSX or CSV")]
                           ) -> ReportDocumentRead:
    return _doc(attach_report_upload(session, settings, report=report, p=p, file=file))


def attach_report_upload(session: Session, settings: Settings, *, report: PerformanceReport, p: Principal,
                         file: UploadFile) -> ReportDocument:
    """An uploaded file attached to a draft report, read up to one byte over the limit (the API's upload and
    the supplier's report page)."""
    content = file.file.read(settings.document_max_bytes + 1)
    return reports.attach(session, store(settings), report=report, p=p, filename=file.filename,
                          declared_type=file.content_type, content=content, max_bytes=settings.document_max_bytes,
                          scanner=scanner(settings))


@router.get("/v1/performance-report-documents/{doc_id}/content", response_class=Response,
            responses={200: {"description": "The document's bytes", "content": {"application/octet-stream": {}}},
                       503: _problem("The stored file no longer matches its digest")},
            summary="실적 보고 증빙 내려받기 / Download a report's evidence file")
def download_report_document(doc_id: IdPath, session: SessionDep, p: Reader, settings: SettingsDep) -> Response:
    doc = reports.load_document(session, doc_id, p)
    data = reports.content(store(settings), doc)
    ascii_name = doc.filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return Response(data, media_type=doc.media_type, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(doc.filename)}",
        "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store",
        "Content-Security-Policy": "sandbox"})


@router.post("/v1/performance-reports/{report_id}/submit", response_model=ReportRead,
             summary="실적 보고 제출 (증빙 1개 이상) / Submit the report (at least one evidence file)")
def submit_report(report: ApplicantReport, session: SessionDep, p: Applicant) -> ReportRead:
    return _report(session, reports.submit(session, report=report, p=p))


# ---- suspension cases ------------------------------------------------------------------------------------
def _case(session: SessionDep, c: SuspensionCase) -> CaseRead:
    out = CaseRead.model_validate(c)
    out.certificate_number = _number(session, c.certificate_id)
    return out


@router.get("/v1/suspension-cases", response_model=PageOut[CaseRead],
            summary="실적 보고 미제출 정지 심사 목록 / Suspension cases for missed reports")
def list_cases(session: SessionDep, p: Reader, page: PageDep,
               state: Annotated[str | None, Query(max_length=16, description="open, suspended or closed")] = None,
               ) -> PageOut[CaseRead]:
    stmt = select(SuspensionCase)
    if p.role not in ("reviewer", "admin"):
        owned = select(Company.id).where(Company.owner_org == (p.org or ""))
        stmt = stmt.where(SuspensionCase.company_id.in_(owned)) if p.role == "supplier" else stmt.where(false())
    if state:
        stmt = stmt.where(SuspensionCase.state == state)
    result = paginate(session, stmt, SuspensionCase.id, cursor=page.cursor, limit=page.limit)
    return PageOut[CaseRead](items=[_case(session, c) for c in result.items], next=page.next_url(result.next_cursor))


@router.get("/v1/suspension-cases/{case_id}", response_model=CaseRead, summary="정지 심사 조회 / Get a case")
def get_case(case_id: IdPath, session: SessionDep, p: Reader) -> CaseRead:
    return _case(session, reports.load_case(session, case_id, p))


@router.post("/v1/suspension-cases/{case_id}/decision", response_model=CaseRead,
             summary="정지 심사 결정: 정지 또는 종결 (심사위원) / Decide a case: suspend or close (reviewer)")
def decide_case(case_id: IdPath, data: CaseDecision, session: SessionDep, p: ReviewerP) -> CaseRead:
    case = reports.load_case(session, case_id, p, lock=True)
    return _case(session, reports.decide_case(session, case=case, p=p, suspend=data.decision == "suspend",
                                              reason=data.reason))


# ---- listing edits ---------------------------------------------------------------------------------------
@router.get("/v1/listing-edits", response_model=PageOut[ListingEditRead],
            summary="지정 기업 정보 변경 목록 (심사위원 확인용) / Edits to designated listings, for review")
def list_edits(session: SessionDep, p: ReviewerP, page: PageDep,
               acknowledged: Annotated[bool | None, Query(description="false: only those not yet acknowledged")] = None,
               company_id: Annotated[str | None, Query(max_length=36)] = None) -> PageOut[ListingEditRead]:
    stmt = select(ListingEdit)
    if acknowledged is not None:
        stmt = stmt.where(ListingEdit.acknowledged_at.is_not(None) if acknowledged
                          else ListingEdit.acknowledged_at.is_(None))
    if company_id:
        stmt = stmt.where(ListingEdit.company_id == company_id)
    result = paginate(session, stmt, ListingEdit.id, cursor=page.cursor, limit=page.limit)
    return PageOut[ListingEditRead](items=[ListingEditRead.model_validate(e) for e in result.items],
                                    next=page.next_url(result.next_cursor))


@router.post("/v1/listing-edits/{edit_id}/acknowledge", response_model=ListingEditRead,
             summary="변경 확인 (심사위원) / Acknowledge an edit (reviewer)")
def acknowledge_edit(edit_id: IdPath, data: Acknowledge, session: SessionDep, p: ReviewerP) -> ListingEditRead:
    edit = listing.load(session, edit_id, lock=True)
    return ListingEditRead.model_validate(listing.acknowledge(session, edit=edit, p=p, note=data.note))
