"""/v1/companies: supplier companies and their TIPS linkages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response, status
from sqlalchemy.orm import Session

from api.deps import (
    CatalogueReader,
    PageDep,
    RegistryWriter,
    SessionDep,
    check_etag,
    set_etag,
)
from api.schemas import CREATE_RESPONSES, PROBLEM_RESPONSES, UPDATE_RESPONSES, PageOut
from certification import listing
from core import clock
from core.principal import Principal
from registry import access, service
from registry.models import Company, TipsLinkage
from registry.reference import Region
from registry.schemas import (
    CompanyCreate,
    CompanyPublic,
    CompanyRead,
    CompanyUpdate,
    TipsLinkageCreate,
    TipsLinkagePublic,
    TipsLinkageRead,
    TipsStageChange,
)

router = APIRouter(prefix="/v1/companies", tags=["companies"], responses=PROBLEM_RESPONSES)
IdPath = Annotated[str, Path(max_length=36)]


def load_company(company_id: IdPath, session: SessionDep, p: CatalogueReader) -> Company:
    return service.get_visible(session, Company, company_id, p)


CompanyDep = Annotated[Company, Depends(load_company)]


def _view(p: Principal, company: Company) -> CompanyRead | CompanyPublic:
    if access.can_see_private_company(p, company):
        return CompanyRead.model_validate(company)
    return CompanyPublic.model_validate(company)


@router.post("", responses=CREATE_RESPONSES, status_code=status.HTTP_201_CREATED, response_model=CompanyRead,
             summary="공급기업 등록 / Register your supplier company")
def create_company(data: CompanyCreate, session: SessionDep, p: RegistryWriter, response: Response,
                   request: Request) -> CompanyRead:
    company = service.create_company(session, data=data, p=p)
    set_etag(response, company)
    response.headers["Location"] = str(request.url_for("get_company", company_id=company.id))
    return CompanyRead.model_validate(company)


@router.get("", response_model=PageOut[CompanyPublic], summary="공급기업 목록 / List supplier companies")
def list_companies(session: SessionDep, p: CatalogueReader, page: PageDep,
                   region: Region | None = None) -> PageOut[CompanyPublic]:
    result = service.list_visible(session, Company, p, cursor=page.cursor, limit=page.limit, region=region)
    return PageOut[CompanyPublic](items=[CompanyPublic.model_validate(c) for c in result.items],
                                  next=page.next_url(result.next_cursor))


@router.get("/{company_id}", response_model=CompanyRead | CompanyPublic, name="get_company",
            summary="공급기업 조회 / Get a supplier company")
def get_company(company: CompanyDep, p: CatalogueReader, response: Response) -> CompanyRead | CompanyPublic:
    set_etag(response, company)
    return _view(p, company)


@router.patch("/{company_id}", responses=UPDATE_RESPONSES, response_model=CompanyRead,
              summary="공급기업 수정 (If-Match 필요) / Update your company (If-Match required)")
def update_company(company: CompanyDep, data: CompanyUpdate, session: SessionDep, p: RegistryWriter,
                   request: Request, response: Response) -> CompanyRead:
    company = edit_listed(session, company, data, p, request.headers.get("if-match"))
    set_etag(response, company)
    return CompanyRead.model_validate(company)


def edit_listed(session: Session, company: Company, data: CompanyUpdate, p: Principal,
                etag: str | None) -> Company:
    """An edit of the caller's company checked against the ETag it read (If-Match, or the supplier's profile
    form, api/web/supplier_profile.py); a designated company's edit waits for a reviewer."""
    if not access.can_edit_company(p, company):
        service.raise_not_found(company.id)
    check_etag(etag, company)
    was = listing.before(company, data.model_dump(exclude_unset=True))
    company = service.update_company(session, company=company, data=data, p=p)
    listing.flag(session, obj=company, was=was, p=p)
    return company


@router.get("/{company_id}/tips", response_model=list[TipsLinkageRead | TipsLinkagePublic],
            summary="TIPS 연계 목록 (투자 금액은 본인·심사위원·관리자만) / TIPS linkages (amounts: the company, "
                    "reviewers and admins only)")
def list_tips(company: CompanyDep, session: SessionDep,
              p: CatalogueReader) -> list[TipsLinkageRead | TipsLinkagePublic]:
    view: type[TipsLinkagePublic] = TipsLinkageRead if access.can_see_private_company(p, company) else TipsLinkagePublic
    return [view.model_validate(t) for t in service.list_tips(session, company=company)]


@router.post("/{company_id}/tips", responses=CREATE_RESPONSES, status_code=status.HTTP_201_CREATED,
             response_model=TipsLinkageRead,
             summary="TIPS 연계 등록 / Add a TIPS linkage")
def add_tips(company: CompanyDep, data: TipsLinkageCreate, session: SessionDep,
             p: RegistryWriter) -> TipsLinkageRead:
    linkage = service.add_tips_linkage(session, company=company, data=data, p=p, today=clock.now().date())
    listing.flag_tips(session, company=company, linkage_id=linkage.id, before=None, after=linkage.stage, p=p)
    return TipsLinkageRead.model_validate(linkage)


@router.post("/{company_id}/tips/{linkage_id}/stages", responses=CREATE_RESPONSES, response_model=TipsLinkageRead,
             summary="TIPS 단계 변경 / Record a TIPS stage change")
def change_tips_stage(company: CompanyDep, linkage_id: IdPath, data: TipsStageChange, session: SessionDep,
                      p: RegistryWriter) -> TipsLinkageRead:
    linkage = session.get(TipsLinkage, linkage_id)
    if linkage is None or linkage.company_id != company.id:
        service.raise_not_found(linkage_id)
    before = linkage.stage
    linkage = service.change_tips_stage(session, linkage=linkage, data=data, p=p)
    listing.flag_tips(session, company=company, linkage_id=linkage.id, before=before, after=linkage.stage, p=p)
    return TipsLinkageRead.model_validate(linkage)
