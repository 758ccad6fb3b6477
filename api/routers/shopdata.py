"""Shop-floor data: the profile vocabulary (/v1/data-profiles, admin versions), what a solution needs
(/v1/solutions/{id}/data-requirements), what an SME has (/v1/smes/{id}/data-inventory) and shared datasets
(/v1/datasets, the public catalogue at /v1/public/datasets)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response, status

from api.deps import Admin, CatalogueReader, PageDep, RegistryReader, RegistryWriter, SessionDep
from api.ratelimit import public_rate_limit
from api.schemas import CREATE_RESPONSES, PROBLEM_RESPONSES, PageOut
from core.principal import Principal
from registry import service as registry
from registry.models import Solution
from shopdata import datasets, service
from shopdata.models import Dataset, SmeDataHolding, SolutionDataRequirement
from shopdata.profiles import Vocabulary
from shopdata.schemas import (
    DatasetCreate,
    DatasetRead,
    HoldingOut,
    InventoryIn,
    InventoryOut,
    ProfileCode,
    ProfilesOut,
    ProfilesSaved,
    PublicDataset,
    RequirementOut,
    RequirementsIn,
    RequirementsOut,
    public_view,
)

router = APIRouter(tags=["data"], responses=PROBLEM_RESPONSES)
public = APIRouter(tags=["public"], responses=PROBLEM_RESPONSES, dependencies=[Depends(public_rate_limit)])
IdPath = Annotated[str, Path(max_length=36)]
IndustryQuery = Annotated[str | None, Query(max_length=4, pattern=r"^C[0-9]{2}$", examples=["C29"])]


# ---- profiles ---------------------------------------------------------------------------------------
@router.get("/v1/data-profiles", response_model=ProfilesOut,
            summary="표준 데이터 프로파일 (현재 버전) / The shop-floor data profiles in force")
def list_profiles(session: SessionDep, _: CatalogueReader) -> ProfilesOut:
    return ProfilesOut.model_validate(service.vocabulary(session).to_data())


@router.post("/v1/admin/data-profiles", status_code=status.HTTP_201_CREATED, response_model=ProfilesSaved,
             summary="데이터 프로파일 새 버전 저장 (관리자) / Save a new data profile version (admin)")
def save_profiles(document: Annotated[dict[str, Any], Body(examples=[{
        "version": "v2", "profiles": [{
            "code": "spindle_load", "label_ko": "주축 부하", "label_en": "spindle load", "sampled": True,
            "volume_unit": "s", "acquire_ko": "CNC 데이터 수집", "acquire_en": "CNC data collection",
            "fields": [{"name": "load", "type": "number", "unit": "%"}],
            "standards": [{"name": "OPC 40501-1", "clause": None, "element": "OPC UA for CNC systems"}]}]}])],
                  session: SessionDep, p: Admin) -> ProfilesSaved:
    vocab = service.save_vocabulary(session, document=document, p=p)
    return ProfilesSaved(version=vocab.version, profiles=len(vocab.profiles))


# ---- what a solution needs --------------------------------------------------------------------------
def _requirement(vocab: Vocabulary, r: SolutionDataRequirement) -> RequirementOut:
    name = service.label(vocab, r.profile_code)
    return RequirementOut(profile_code=r.profile_code, label_ko=name["ko"], label_en=name["en"], required=r.required,
                          min_sampling_rate_hz=r.min_sampling_rate_hz, min_volume=r.min_volume,
                          labelling_needed=r.labelling_needed, note_ko=r.note_ko)


def _requirements(session: SessionDep, solution_id: str, rows: list[SolutionDataRequirement]) -> RequirementsOut:
    vocab = service.vocabulary(session)
    return RequirementsOut(solution_id=solution_id, items=[_requirement(vocab, r) for r in rows])


REQUIREMENTS = "/v1/solutions/{solution_id}/data-requirements"


@router.get(REQUIREMENTS, response_model=RequirementsOut,
            summary="솔루션이 필요로 하는 데이터 / The data a solution needs")
def get_requirements(solution_id: IdPath, session: SessionDep, p: CatalogueReader) -> RequirementsOut:
    solution = registry.get_visible(session, Solution, solution_id, p)
    return _requirements(session, solution.id, service.requirements_of(session, solution.id))


@router.put(REQUIREMENTS, response_model=RequirementsOut,
            summary="필요 데이터 선언 (공급기업, 전체 목록) / Declare the data a solution needs (whole list)")
def put_requirements(p: RegistryWriter, solution_id: IdPath, data: RequirementsIn,
                     session: SessionDep) -> RequirementsOut:
    solution = registry.get_visible(session, Solution, solution_id, p)
    rows = service.set_requirements(session, solution=solution, items=data.items, p=p)
    return _requirements(session, solution.id, rows)


# ---- what an SME has --------------------------------------------------------------------------------
def _inventory(session: SessionDep, sme_id: str, rows: list[SmeDataHolding]) -> InventoryOut:
    vocab = service.vocabulary(session)
    items = []
    for h in rows:
        name = service.label(vocab, h.profile_code)
        items.append(HoldingOut(profile_code=h.profile_code, label_ko=name["ko"], label_en=name["en"], since=h.since,
                                volume=h.volume, collection=h.collection, sampling_rate_hz=h.sampling_rate_hz,
                                labelled=h.labelled, note_ko=h.note_ko, confirmed=h.confirmed_at is not None,
                                confirmed_by=h.confirmed_by, confirmed_at=h.confirmed_at))
    return InventoryOut(sme_id=sme_id, items=items, confirmed=bool(items) and all(i.confirmed for i in items))


INVENTORY = "/v1/smes/{sme_id}/data-inventory"


@router.get(INVENTORY, response_model=InventoryOut,
            summary="데이터 보유 현황 / The SME's data inventory")
def get_inventory(sme_id: IdPath, session: SessionDep, p: RegistryReader) -> InventoryOut:
    sme = service.load_sme(session, sme_id, p)
    return _inventory(session, sme.id, service.inventory_of(session, sme.id))


@router.put(INVENTORY, response_model=InventoryOut,
            summary="데이터 보유 현황 작성 (수요기업, 전체 목록) / State the SME's data inventory (whole list)")
def put_inventory(p: RegistryWriter, sme_id: IdPath, data: InventoryIn, session: SessionDep) -> InventoryOut:
    sme = service.load_sme(session, sme_id, p)
    return _inventory(session, sme.id, service.set_inventory(session, sme=sme, items=data.items, p=p))


@router.post(INVENTORY + "/confirmation", response_model=InventoryOut,
             summary="데이터 보유 현황 확인 (사전 컨설턴트·사업 담당관) / Confirm the data inventory")
def confirm_inventory(sme_id: IdPath, session: SessionDep, p: RegistryWriter) -> InventoryOut:
    sme, rows = service.confirm_inventory(session, sme_id=sme_id, p=p)
    return _inventory(session, sme.id, rows)


# ---- datasets ---------------------------------------------------------------------------------------
@router.post("/v1/datasets", status_code=status.HTTP_201_CREATED, response_model=DatasetRead,
             responses=CREATE_RESPONSES, summary="데이터셋 등록 (수요기업·공급망 그룹) / Register a dataset")
def create_dataset(data: DatasetCreate, session: SessionDep, p: RegistryWriter, request: Request,
                   response: Response) -> DatasetRead:
    ds = datasets.create(session, data=data, p=p)
    response.headers["Location"] = str(request.url_for("get_dataset", dataset_id=ds.id))
    return DatasetRead.model_validate(ds)


@router.get("/v1/datasets", response_model=PageOut[DatasetRead],
            summary="볼 수 있는 데이터셋 (내 것, 그룹, 공개) / Datasets you may see")
def list_datasets(session: SessionDep, p: RegistryReader, page: PageDep, profile_code: ProfileCode | None = None,
                  industry: IndustryQuery = None) -> PageOut[DatasetRead]:
    result = datasets.list_visible(session, p, cursor=page.cursor, limit=page.limit, profile_code=profile_code,
                                   industry=industry)
    return PageOut[DatasetRead](items=[DatasetRead.model_validate(d) for d in result.items],
                                next=page.next_url(result.next_cursor))


@router.get("/v1/datasets/{dataset_id}", response_model=DatasetRead, name="get_dataset",
            summary="데이터셋 조회 / Get a dataset")
def get_dataset(dataset_id: IdPath, session: SessionDep, p: RegistryReader) -> DatasetRead:
    return DatasetRead.model_validate(datasets.get(session, dataset_id, p))


def _public(session: SessionDep, rows: list[Dataset]) -> list[PublicDataset]:
    vocab, names = service.vocabulary(session), datasets.publishers(session, rows)
    return [public_view(d, service.label(vocab, d.profile_code), names[d.id]) for d in rows]


@public.get("/v1/public/datasets", response_model=PageOut[PublicDataset],
            summary="공개 데이터셋 목록 (DCAT-AP 필드, 인증 불필요) / Public datasets (DCAT-AP fields, no token)")
def public_datasets(session: SessionDep, page: PageDep, theme: ProfileCode | None = None,
                    industry: IndustryQuery = None) -> PageOut[PublicDataset]:
    result = datasets.list_visible(session, _ANYONE, cursor=page.cursor, limit=page.limit, profile_code=theme,
                                   industry=industry, public_only=True)
    return PageOut[PublicDataset](items=_public(session, result.items), next=page.next_url(result.next_cursor))


@public.get("/v1/public/datasets/{dataset_id}", response_model=PublicDataset,
            summary="공개 데이터셋 조회 (인증 불필요) / A public dataset (no token)")
def public_dataset(dataset_id: IdPath, session: SessionDep) -> PublicDataset:
    return _public(session, [datasets.get_public(session, dataset_id)])[0]


_ANYONE = Principal(sub="anonymous", role="anonymous")
