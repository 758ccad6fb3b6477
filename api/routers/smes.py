"""/v1/smes and /v1/needs: manufacturing SMEs and the needs they describe."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from api.deps import PageDep, RegistryReader, RegistryWriter, SessionDep, check_if_match, set_etag
from api.schemas import CREATE_RESPONSES, PROBLEM_RESPONSES, UPDATE_RESPONSES, PageOut
from registry import access, service
from registry.models import Need, Sme
from registry.schemas import NeedCreate, NeedRead, NeedUpdate, SmeCreate, SmeRead, SmeUpdate

smes = APIRouter(prefix="/v1/smes", tags=["smes"], responses=PROBLEM_RESPONSES)
needs = APIRouter(prefix="/v1/needs", tags=["needs"], responses=PROBLEM_RESPONSES)
IdPath = Annotated[str, Path(max_length=36)]


def load_sme(sme_id: IdPath, session: SessionDep, p: RegistryReader) -> Sme:
    return service.get_visible(session, Sme, sme_id, p)


def load_need(need_id: IdPath, session: SessionDep, p: RegistryReader) -> Need:
    return service.get_visible(session, Need, need_id, p)


SmeDep = Annotated[Sme, Depends(load_sme)]
NeedDep = Annotated[Need, Depends(load_need)]


@smes.post("", responses=CREATE_RESPONSES, status_code=status.HTTP_201_CREATED, response_model=SmeRead,
           summary="수요기업 등록 / Register your SME")
def create_sme(data: SmeCreate, session: SessionDep, p: RegistryWriter, request: Request,
               response: Response) -> SmeRead:
    sme = service.create_sme(session, data=data, p=p)
    set_etag(response, sme)
    response.headers["Location"] = str(request.url_for("get_sme", sme_id=sme.id))
    return SmeRead.model_validate(sme)


@smes.get("", response_model=PageOut[SmeRead], summary="수요기업 목록 (내 기업 또는 전체) / List SMEs you may see")
def list_smes(session: SessionDep, p: RegistryReader, page: PageDep) -> PageOut[SmeRead]:
    result = service.list_visible(session, Sme, p, cursor=page.cursor, limit=page.limit)
    return PageOut[SmeRead](items=[SmeRead.model_validate(s) for s in result.items],
                            next=page.next_url(result.next_cursor))


@smes.get("/{sme_id}", response_model=SmeRead, name="get_sme", summary="수요기업 조회 / Get an SME")
def get_sme(sme: SmeDep, response: Response) -> SmeRead:
    set_etag(response, sme)
    return SmeRead.model_validate(sme)


@smes.patch("/{sme_id}", responses=UPDATE_RESPONSES, response_model=SmeRead,
            summary="수요기업 수정 (If-Match 필요) / Update your SME")
def update_sme(sme: SmeDep, data: SmeUpdate, session: SessionDep, p: RegistryWriter, request: Request,
               response: Response) -> SmeRead:
    if not access.can_edit_sme(p, sme):
        service.raise_not_found(sme.id)
    check_if_match(request, sme)
    sme = service.update_sme(session, sme=sme, data=data, p=p)
    set_etag(response, sme)
    return SmeRead.model_validate(sme)


@needs.post("", responses=CREATE_RESPONSES, status_code=status.HTTP_201_CREATED, response_model=NeedRead,
            summary="수요 등록 / Describe a need of your SME")
def create_need(data: NeedCreate, session: SessionDep, p: RegistryWriter, request: Request,
                response: Response) -> NeedRead:
    need = service.create_need(session, data=data, p=p)
    set_etag(response, need)
    response.headers["Location"] = str(request.url_for("get_need", need_id=need.id))
    return NeedRead.model_validate(need)


@needs.get("", response_model=PageOut[NeedRead], summary="수요 목록 / List needs you may see")
def list_needs(session: SessionDep, p: RegistryReader, page: PageDep,
               sme_id: Annotated[str | None, Query(max_length=36)] = None) -> PageOut[NeedRead]:
    result = service.list_visible(session, Need, p, cursor=page.cursor, limit=page.limit, sme_id=sme_id)
    return PageOut[NeedRead](items=[NeedRead.model_validate(n) for n in result.items],
                             next=page.next_url(result.next_cursor))


@needs.get("/{need_id}", response_model=NeedRead, name="get_need", summary="수요 조회 / Get a need")
def get_need(need: NeedDep, response: Response) -> NeedRead:
    set_etag(response, need)
    return NeedRead.model_validate(need)


@needs.patch("/{need_id}", responses=UPDATE_RESPONSES, response_model=NeedRead,
             summary="수요 수정 (If-Match 필요) / Update a need")
def update_need(need: NeedDep, data: NeedUpdate, session: SessionDep, p: RegistryWriter, request: Request,
                response: Response) -> NeedRead:
    if not access.can_edit_sme(p, session.get_one(Sme, need.sme_id)):
        service.raise_not_found(need.id)
    check_if_match(request, need)
    need = service.update_need(session, need=need, data=data, p=p)
    set_etag(response, need)
    return NeedRead.model_validate(need)
