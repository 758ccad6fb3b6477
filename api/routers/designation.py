"""/v1/applications and /v1/certificates: the designation workflow for suppliers, reviewers and admins."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, status
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.deps import PageDep, SessionDep, SettingsDep, scoped
from api.schemas import PROBLEM_RESPONSES, PageOut
from certification import business_status, criteria_store, designations, lifecycle, service
from certification.models import Application, Certificate, ReviewerProfile
from certification.rules import CriteriaSet
from certification.schemas import (
    ApplicationCreate,
    ApplicationRead,
    BusinessStatusConfirmation,
    CertificateRead,
    Decision,
    Declaration,
    FrozenFacts,
    PanelAssign,
    Reason,
    ReviewCreate,
    ReviewerCreate,
    ReviewRead,
    SeatRead,
    SupplementAnswer,
    SupplementRequest,
)
from core import clock
from core.pagination import paginate
from core.principal import Principal

router = APIRouter(tags=["designation"], responses={**PROBLEM_RESPONSES, 409: PROBLEM_RESPONSES[400]})
IdPath = Annotated[str, Path(max_length=36)]
Applicant = Annotated[Principal, scoped("designation:apply")]
ReviewerP = Annotated[Principal, scoped("designation:review")]
AnyDesignation = Annotated[Principal, scoped("registry:read")]
CatalogueP = Annotated[Principal, scoped("catalogue:read")]


def _read(app: Application, p: Principal) -> ApplicationRead:
    out = ApplicationRead.model_validate(app)
    role = p.role if p.role in ("supplier", "reviewer", "admin") else "other"
    out.allowed_actions = lifecycle.allowed_actions(lifecycle.MachineKind.application, app.state, role)
    return out


AdminP = Annotated[Principal, scoped("admin")]


# Each route loads and row-locks the application only after its own scope is checked, so a token
# that may never take the action gets 403 without locking a row or learning whether the id exists.
def _locked_for_applicant(app_id: IdPath, session: SessionDep, p: Applicant) -> Application:
    return service.load(session, app_id, p, lock=True)


def _locked_for_reviewer(app_id: IdPath, session: SessionDep, p: ReviewerP) -> Application:
    return service.load(session, app_id, p, lock=True)


def _locked_for_admin(app_id: IdPath, session: SessionDep, p: AdminP) -> Application:
    return service.load(session, app_id, p, lock=True)


ApplicantApp = Annotated[Application, Depends(_locked_for_applicant)]
ReviewerApp = Annotated[Application, Depends(_locked_for_reviewer)]
AdminApp = Annotated[Application, Depends(_locked_for_admin)]


@router.post("/v1/applications", status_code=status.HTTP_201_CREATED, response_model=ApplicationRead,
             summary="지정 신청서 작성 / Open a designation application")
def create_application(data: ApplicationCreate, session: SessionDep, p: Applicant) -> ApplicationRead:
    return _read(create_from(session, data, p), p)


def create_from(session: Session, data: ApplicationCreate, p: Principal) -> Application:
    """The draft an ApplicationCreate opens (the API's and the supplier's page, api/web/supplier_apply.py)."""
    return service.create(session, company_id=data.company_id, kind=data.kind, statement=data.statement_ko, p=p,
                          call_id=data.call_id, field=data.field.value if data.field else None,
                          requested_scope=[c.value for c in data.scope] if data.scope else None)


@router.get("/v1/applications", response_model=PageOut[ApplicationRead],
            summary="지정 신청 목록 (내 신청·배정된 신청·전체) / Applications you may see")
def list_applications(session: SessionDep, p: AnyDesignation, page: PageDep,
                      state: Annotated[str | None, Query(max_length=24)] = None) -> PageOut[ApplicationRead]:
    stmt = service.visible_stmt(p)
    if state:
        stmt = stmt.where(Application.state == state)
    result = paginate(session, stmt, Application.id, cursor=page.cursor, limit=page.limit)
    return PageOut[ApplicationRead](items=[_read(a, p) for a in result.items], next=page.next_url(result.next_cursor))


@router.get("/v1/applications/{app_id}", response_model=ApplicationRead, summary="지정 신청 조회 / Get an application")
def get_application(app_id: IdPath, session: SessionDep, p: AnyDesignation) -> ApplicationRead:
    return _read(service.load(session, app_id, p), p)


@router.get("/v1/applications/{app_id}/facts", response_model=FrozenFacts,
            summary="제출 시점에 고정된 사실과 그 뒤의 변경 / Facts frozen at submission, and changes since")
def get_facts(app_id: IdPath, session: SessionDep, p: AnyDesignation) -> FrozenFacts:
    return FrozenFacts.model_validate(service.facts(session, service.load(session, app_id, p)))


@router.post("/v1/applications/{app_id}/submit", response_model=ApplicationRead,
             summary="제출 (즉시 자격 심사) / Submit: eligibility screening runs at once")
def submit(app: ApplicantApp, session: SessionDep, p: Applicant) -> ApplicationRead:
    return _read(service.submit(session, app=app, p=p), p)


@router.post("/v1/applications/{app_id}/withdraw", response_model=ApplicationRead, summary="철회 / Withdraw")
def withdraw(app: ApplicantApp, data: Reason, session: SessionDep, p: Applicant) -> ApplicationRead:
    return _read(service.withdraw(session, app=app, p=p, reason=data.reason), p)


@router.post("/v1/applications/{app_id}/resubmit", response_model=ApplicationRead,
             summary="보완 제출 / Answer a supplement request")
def resubmit(app: ApplicantApp, data: SupplementAnswer, session: SessionDep, p: Applicant) -> ApplicationRead:
    return _read(service.resubmit(session, app=app, p=p, answer=data.answer), p)


@router.post("/v1/applications/{app_id}/panel", response_model=list[SeatRead],
             summary="심사위원 배정 (관리자) / Assign reviewers (admin)")
def assign_panel(app: AdminApp, data: PanelAssign, session: SessionDep, p: AdminP) -> list[SeatRead]:
    seats = service.assign_panel(session, app=app, reviewer_subs=data.reviewers, p=p)
    return [SeatRead.model_validate(s) for s in seats]


@router.get("/v1/applications/{app_id}/panel", response_model=list[SeatRead], summary="심사위원 / The panel")
def get_panel(app_id: IdPath, session: SessionDep, p: ReviewerP) -> list[SeatRead]:
    app = service.load(session, app_id, p)
    return [SeatRead.model_validate(s) for s in service.seats(session, app)]


@router.post("/v1/applications/{app_id}/declaration", response_model=SeatRead,
             summary="이해충돌 신고 / Declare conflict of interest")
def declare(app: ReviewerApp, data: Declaration, session: SessionDep, p: ReviewerP) -> SeatRead:
    return SeatRead.model_validate(service.declare(session, app=app, p=p, has_conflict=data.has_conflict,
                                                   note=data.note))


@router.post("/v1/applications/{app_id}/reviews", status_code=status.HTTP_201_CREATED, response_model=ReviewRead,
             summary="심사 점수 제출 / Submit scores")
def submit_review(app: ReviewerApp, data: ReviewCreate, session: SessionDep, p: ReviewerP) -> ReviewRead:
    return ReviewRead.model_validate(service.submit_review(session, app=app, p=p, scores=data.scores,
                                                           comments=data.comments))


@router.get("/v1/applications/{app_id}/reviews", response_model=list[ReviewRead],
            summary="심사 점수 (본인 제출 후 타인 점수 공개) / Reviews you may see")
def list_reviews(app_id: IdPath, session: SessionDep, p: AnyDesignation) -> list[ReviewRead]:
    app = service.load(session, app_id, p)
    return [ReviewRead.model_validate(r) for r in service.reviews_for(session, app=app, p=p)]


@router.post("/v1/applications/{app_id}/supplement-request", response_model=ApplicationRead,
             summary="보완 요청 / Request a supplement")
def request_supplement(app: ReviewerApp, data: SupplementRequest, session: SessionDep, p: ReviewerP) -> ApplicationRead:
    return _read(service.request_supplement(session, app=app, p=p, message=data.message), p)


@router.post("/v1/applications/{app_id}/business-status", response_model=ApplicationRead,
             summary="사업자 상태 확인 기록 (E1) / Record the confirmed business status",
             description="A seated reviewer (or an admin) records the status they confirmed in the NTS "
                         "register (홈택스 사업자등록 상태조회); the frozen facts are screened again with it, so "
                         "criterion E1 no longer reads 'not checked'. No register is queried automatically.")
def confirm_business_status(app: ReviewerApp, data: BusinessStatusConfirmation, session: SessionDep,
                            p: ReviewerP) -> ApplicationRead:
    return _read(business_status.confirm(session, app=app, p=p, status=data.status, note=data.note), p)


@router.post("/v1/applications/{app_id}/decision", response_model=ApplicationRead,
             summary="승인·반려 (정족수·기준점·4-eyes) / Approve or reject")
def decide(app: ReviewerApp, data: Decision, session: SessionDep, p: ReviewerP,
           settings: SettingsDep) -> ApplicationRead:
    app, _ = service.decide(session, app=app, p=p, approve=data.decision == "approve", reason=data.reason,
                            certificate_years=settings.certificate_years,
                            fields=[c.value for c in data.scope] if data.scope is not None else None)
    return _read(app, p)


# ---- certificates ----------------------------------------------------------------------------------
def _cert(cert: Certificate) -> CertificateRead:
    out = CertificateRead.model_validate(cert)
    out.status = designations.status_now(cert)
    return out


@router.get("/v1/certificates", response_model=PageOut[CertificateRead],
            summary="지정서 목록 / Designations (certificates)")
def list_certificates(session: SessionDep, p: CatalogueP, page: PageDep,
                      company_id: Annotated[str | None, Query(max_length=36)] = None) -> PageOut[CertificateRead]:
    stmt = select(Certificate)
    if company_id:
        stmt = stmt.where(Certificate.company_id == company_id)
    result = paginate(session, stmt, Certificate.id, cursor=page.cursor, limit=page.limit)
    return PageOut[CertificateRead](items=[_cert(c) for c in result.items], next=page.next_url(result.next_cursor))


@router.get("/v1/certificates/{number}", response_model=CertificateRead, summary="지정서 조회 / Get a certificate")
def get_certificate(number: Annotated[str, Path(max_length=40)], session: SessionDep, p: CatalogueP) -> CertificateRead:
    return _cert(designations.get_by_number(session, number))


def _status_change(action: str):  # noqa: ANN202 - a small route factory, one per action
    def handler(number: Annotated[str, Path(max_length=40)], data: Reason, session: SessionDep,
                p: ReviewerP) -> CertificateRead:
        cert = designations.get_by_number(session, number, lock=True)
        return _cert(designations.change_status(session, cert=cert, action=action, p=p, reason=data.reason))
    return handler


for _action, _summary in (("suspend", "지정 효력 정지 (사유 필수) / Suspend (reason required)"),
                          ("reinstate", "정지 해제 / Reinstate"),
                          ("revoke", "지정 취소 (사유 필수) / Revoke (reason required)")):
    router.add_api_route(f"/v1/certificates/{{number}}/{_action}", _status_change(_action), methods=["POST"],
                         response_model=CertificateRead, summary=_summary, name=f"certificate_{_action}")


# ---- administration --------------------------------------------------------------------------------
class CriteriaInfo(BaseModel):
    version: str
    effective_from: date
    digest: str
    title_ko: str
    title_en: str
    criteria: list[str]


def _criteria_info(c: CriteriaSet) -> CriteriaInfo:
    return CriteriaInfo(version=c.version, effective_from=c.effective_from, digest=c.digest, title_ko=c.title_ko,
                        title_en=c.title_en, criteria=[x.code for x in c.criteria])


@router.post("/v1/admin/criteria", status_code=status.HTTP_201_CREATED, response_model=CriteriaInfo,
             summary="자격 기준 새 버전 등록 (관리자) / Load a new eligibility criteria version (admin)")
def load_criteria(document: Annotated[dict[str, Any],
                                      Body(examples=[{"version": "v2", "effective_from": "2027-01-01"}])],
                  session: SessionDep, p: Annotated[Principal, scoped("admin")]) -> CriteriaInfo:
    return _criteria_info(criteria_store.load_version(session, document=document, loaded_by=p.sub))


@router.get("/v1/criteria", response_model=list[CriteriaInfo], summary="자격 기준 버전 / Criteria versions")
def list_criteria(session: SessionDep, p: AnyDesignation) -> list[CriteriaInfo]:
    criteria_store.in_force(session, clock.now().date())  # makes sure the built-in version is there
    return [_criteria_info(c) for c in criteria_store.all_versions(session)]


class ReviewerRead(BaseModel):
    sub: str
    name: str
    org: str
    related_orgs: list[str]


@router.post("/v1/admin/reviewers", status_code=status.HTTP_201_CREATED, response_model=ReviewerRead,
             summary="심사위원 등록 (관리자) / Register a reviewer (admin)")
def register_reviewer(data: ReviewerCreate, session: SessionDep, p: AdminP) -> ReviewerRead:
    profile = session.get(ReviewerProfile, data.sub) or ReviewerProfile(sub=data.sub)
    profile.name, profile.org, profile.related_orgs, profile.active = data.name, data.org, data.related_orgs, True
    session.add(profile)
    session.flush()
    return ReviewerRead(sub=profile.sub, name=profile.name, org=profile.org, related_orgs=profile.related_orgs)
