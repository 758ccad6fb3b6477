"""/v1/appeals: a supplier appeals a rejection, suspension or revocation (이의신청) with documents; an admin
seats a panel disjoint from the original one; a seated appeal reviewer decides."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Path, Query, UploadFile, status

from api.deps import PageDep, SessionDep, SettingsDep, scoped
from api.routers.documents import _read as document_read
from api.routers.documents import scanner, store
from api.schemas import PROBLEM_RESPONSES, PageOut, _problem
from certification import appeals
from certification.appeal_models import Appeal
from certification.appeal_schemas import (
    AppealCreate,
    AppealDecision,
    AppealPanelAssign,
    AppealRead,
    AppealSeatRead,
)
from core.pagination import paginate
from core.principal import Principal
from core.settings import Settings
from evidence import service as evidence
from evidence.schemas import DocumentRead

router = APIRouter(tags=["designation"], responses={**PROBLEM_RESPONSES, 409: PROBLEM_RESPONSES[400]})
IdPath = Annotated[str, Path(max_length=36)]
Applicant = Annotated[Principal, scoped("designation:apply")]
ReviewerP = Annotated[Principal, scoped("designation:review")]
AdminP = Annotated[Principal, scoped("admin")]
AnyDesignation = Annotated[Principal, scoped("registry:read")]


def _read(appeal: Appeal, settings: Settings) -> AppealRead:
    return AppealRead(id=appeal.id, company_id=appeal.company_id, subject_type=appeal.subject_type,  # type: ignore[arg-type]
                     subject_id=appeal.subject_id, decision_action=appeal.decision_action,
                     decided_at=appeal.decided_at,
                     appeal_deadline=appeal.decided_at + timedelta(days=settings.appeal_days),
                     reasons_ko=appeal.reasons_ko, state=appeal.state,  # type: ignore[arg-type]
                     outcome_reason=appeal.outcome_reason, outcome_at=appeal.outcome_at,
                     outcome_seq=appeal.outcome_seq, created_at=appeal.created_at)


def _for_applicant(appeal_id: IdPath, session: SessionDep, p: Applicant) -> Appeal:
    return appeals.load(session, appeal_id, p, lock=True)


def _for_reviewer(appeal_id: IdPath, session: SessionDep, p: ReviewerP) -> Appeal:
    return appeals.load(session, appeal_id, p, lock=True)


def _for_admin(appeal_id: IdPath, session: SessionDep, p: AdminP) -> Appeal:
    return appeals.load(session, appeal_id, p, lock=True)


@router.post("/v1/appeals", status_code=status.HTTP_201_CREATED, response_model=AppealRead,
             summary="이의신청 (반려·정지·취소 결정 후 기간 내 1회) / Appeal a rejection, suspension or revocation")
def file_appeal(data: AppealCreate, session: SessionDep, p: Applicant, settings: SettingsDep) -> AppealRead:
    appeal = appeals.file(session, p=p, application_id=data.application_id,
                          certificate_number=data.certificate_number, reasons=data.reasons_ko,
                          days=settings.appeal_days)
    return _read(appeal, settings)


@router.get("/v1/appeals", response_model=PageOut[AppealRead],
            summary="이의신청 목록 (내 이의신청·배정된 이의신청·전체) / Appeals you may see")
def list_appeals(session: SessionDep, p: AnyDesignation, page: PageDep, settings: SettingsDep,
                 state: Annotated[Literal["submitted", "upheld", "dismissed"] | None,
                                  Query(description="submitted (awaiting the outcome), upheld or dismissed")] = None,
                 ) -> PageOut[AppealRead]:
    stmt = appeals.visible_stmt(p)
    if state:
        stmt = stmt.where(Appeal.state == state)
    result = paginate(session, stmt, Appeal.id, cursor=page.cursor, limit=page.limit)
    return PageOut[AppealRead](items=[_read(a, settings) for a in result.items],
                               next=page.next_url(result.next_cursor))


@router.get("/v1/appeals/{appeal_id}", response_model=AppealRead, summary="이의신청 조회 / Get an appeal")
def get_appeal(appeal_id: IdPath, session: SessionDep, p: AnyDesignation, settings: SettingsDep) -> AppealRead:
    return _read(appeals.load(session, appeal_id, p), settings)


@router.post("/v1/appeals/{appeal_id}/documents", status_code=status.HTTP_201_CREATED, response_model=DocumentRead,
             responses={409: _problem("Documents cannot be attached in this state"),
                        413: _problem("The file is over the size limit (or the virus scanner's)"),
                        503: _problem("Temporarily unavailable: the database, or the virus scanner when configured "
                                      "(retry after Retry-After)")},
             summary="이의신청 증빙 파일 올리기 / Attach a document to an appeal")
def upload(appeal: Annotated[Appeal, Depends(_for_applicant)], session: SessionDep, p: Applicant,
           settings: SettingsDep,
           file: Annotated[UploadFile, File(description="PDF, PNG, JPEG, DOCX, XLSX, HWP, HWPX or CSV")],
           ) -> DocumentRead:
    content = file.file.read(settings.document_max_bytes + 1)
    doc = evidence.attach_to_appeal(session, store(settings), appeal=appeal, p=p, filename=file.filename,
                                    declared_type=file.content_type, content=content,
                                    max_bytes=settings.document_max_bytes, scanner=scanner(settings))
    return document_read(doc)


@router.get("/v1/appeals/{appeal_id}/documents", response_model=list[DocumentRead],
            summary="이의신청 증빙 파일 목록 / The appeal's documents")
def list_documents(appeal_id: IdPath, session: SessionDep, p: AnyDesignation) -> list[DocumentRead]:
    appeal = appeals.load(session, appeal_id, p)
    return [document_read(d) for d in evidence.for_appeal(session, appeal)]


@router.post("/v1/admin/appeals/{appeal_id}/panel", response_model=list[AppealSeatRead],
             summary="이의신청 심사위원 배정 (원 결정 참여자 제외, 관리자) / Seat an appeal panel (admin)")
def assign_panel(appeal: Annotated[Appeal, Depends(_for_admin)], data: AppealPanelAssign, session: SessionDep,
                 p: AdminP) -> list[AppealSeatRead]:
    seats = appeals.assign_panel(session, appeal=appeal, reviewer_subs=data.reviewers, p=p)
    return [AppealSeatRead.model_validate(s) for s in seats]


@router.post("/v1/appeals/{appeal_id}/decision", response_model=AppealRead,
             summary="이의신청 결정 (인용·기각, 이의신청 심사위원) / Uphold or dismiss an appeal")
def decide(appeal: Annotated[Appeal, Depends(_for_reviewer)], data: AppealDecision, session: SessionDep,
           p: ReviewerP, settings: SettingsDep) -> AppealRead:
    appeal = appeals.decide(session, appeal=appeal, p=p, upheld=data.outcome == "upheld", reason=data.reason)
    return _read(appeal, settings)
