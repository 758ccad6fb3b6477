"""/v1/programme cohorts, consultants, supply-chain groups and group-aware matches (included by
programme.py). Cohorts and consultants are the ministry's (admin writes, staff reads)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, Query, Request, Response, UploadFile, status
from sqlalchemy import select

from api.deps import SessionDep, scoped
from core.errors import Forbidden
from core.principal import Principal
from programme import cohorts, consulting, groups
from programme.group_schemas import (
    GroupCreate,
    GroupMemberAdd,
    GroupNeedCreate,
    GroupNeedRead,
    GroupRead,
    MembershipAccept,
    MembershipRead,
    MembershipState,
    ProgrammeMatch,
    ProgrammeMatches,
    SharedResourceCreate,
    SharedResourceRead,
)
from programme.models import Cohort, Consultant, SupplyChainGroup
from programme.schemas import (
    CandidateAdd,
    CohortCreate,
    CohortRead,
    ConsultantCreate,
    ConsultantRead,
    ImportReport,
    MemberAction,
    MemberChange,
    MemberRead,
)
from registry import service as registry
from registry.models import Need, Sme

router = APIRouter()
IdPath = Annotated[str, Path(max_length=36)]
YearPath = Annotated[int, Path(ge=2020, le=2100)]
Reader = Annotated[Principal, scoped("registry:read")]
Writer = Annotated[Principal, scoped("registry:write")]
MatchP = Annotated[Principal, scoped("match")]
AdminP = Annotated[Principal, scoped("admin")]
C = "/v1/programme/cohorts"
CSV_COLUMNS = "사업자등록번호, 기업명, 업종, 지역, 스마트공장수준"
G = "/v1/programme/groups"


def _staff(p: Principal) -> None:
    if not p.is_staff:
        raise Forbidden("사업 관리 정보는 심사위원과 관리자만 볼 수 있습니다.",
                        "Programme administration is for staff.")


def _cohort_read(session: SessionDep, cohort: Cohort) -> CohortRead:
    n = cohorts.counts(session, cohort)
    return CohortRead.model_validate({"id": cohort.id, "year": cohort.year, "capacity": cohort.capacity,
                                      "name_ko": cohort.name_ko, "candidates": n.get("candidate", 0),
                                      "selected": n.get("selected", 0) + n.get("graduated", 0)})


# ---- cohorts ---------------------------------------------------------------------------------------
@router.post(C, status_code=status.HTTP_201_CREATED, response_model=CohortRead,
             summary="선정 기수 생성 (관리자) / Create a yearly cohort (admin)")
def create_cohort(data: CohortCreate, session: SessionDep, p: AdminP) -> CohortRead:
    return _cohort_read(session, cohorts.create_cohort(session, data=data))


@router.get(C, response_model=list[CohortRead], summary="선정 기수 목록 / Cohorts (staff)")
def list_cohorts(session: SessionDep, p: Reader) -> list[CohortRead]:
    _staff(p)
    return [_cohort_read(session, c) for c in cohorts.listed(session)]


@router.get(C + "/{year}/members", response_model=list[MemberRead], summary="기수 구성원 / Members of a cohort (staff)")
def list_members(year: YearPath, session: SessionDep, p: Reader,
                 state: Annotated[str | None, Query(pattern="^(candidate|selected|graduated|dropped)$")] = None,
                 ) -> list[MemberRead]:
    _staff(p)
    return [MemberRead.model_validate(m) for m in cohorts.members(session, cohorts.get_cohort(session, year), state)]


@router.post(C + "/{year}/candidates", response_model=ImportReport,
             summary="후보 일괄 등록 (CSV, UTF-8·CP949) / Import candidates from a CSV file (admin)")
def import_candidates(year: YearPath, session: SessionDep, p: AdminP,
                      file: Annotated[UploadFile, File(description=CSV_COLUMNS)],
                      ) -> ImportReport:
    cohort = cohorts.get_cohort(session, year)
    return cohorts.import_candidates(session, cohort=cohort, raw=file.file.read(), p=p)


@router.post(C + "/{year}/members", status_code=status.HTTP_201_CREATED, response_model=MemberRead,
             summary="후보 등록 (관리자) / Add one registered SME as a candidate (admin)")
def add_candidate(year: YearPath, data: CandidateAdd, session: SessionDep, p: AdminP) -> MemberRead:
    cohort = cohorts.get_cohort(session, year)
    sme = registry.get_visible(session, Sme, data.sme_id, p)
    return MemberRead.model_validate(cohorts.add_candidate_once(session, cohort=cohort, sme=sme))


@router.post(C + "/{year}/members/{sme_id}/{action}", response_model=MemberRead,
             summary="선정·졸업·중도 탈락 (관리자) / Select, graduate or drop an SME (admin)")
def change_member(year: YearPath, sme_id: IdPath, action: MemberAction, data: MemberChange, session: SessionDep,
                  p: AdminP) -> MemberRead:
    cohort = cohorts.get_cohort(session, year)
    return MemberRead.model_validate(cohorts.change_member(session, cohort=cohort, sme_id=sme_id, action=action.value,
                                                           p=p, reason=data.reason, on=data.on_date))


# ---- consultants -----------------------------------------------------------------------------------
@router.post("/v1/programme/consultants", status_code=status.HTTP_201_CREATED, response_model=ConsultantRead,
             summary="전문 컨설턴트 등록 (관리자) / Register a consultant and their affiliations (admin)")
def register_consultant(data: ConsultantCreate, session: SessionDep, p: AdminP) -> ConsultantRead:
    return ConsultantRead.model_validate(consulting.register(session, data=data))


@router.get("/v1/programme/consultants", response_model=list[ConsultantRead],
            summary="컨설턴트 목록 / Consultants (staff)")
def list_consultants(session: SessionDep, p: Reader) -> list[ConsultantRead]:
    _staff(p)
    return [ConsultantRead.model_validate(c) for c in session.scalars(select(Consultant).order_by(Consultant.name))]


# ---- supply-chain groups ---------------------------------------------------------------------------
def _group_read(session: SessionDep, group: SupplyChainGroup, p: Principal) -> GroupRead:
    out = GroupRead.model_validate(group)
    out.members = groups.member_ids(session, group.id, p)
    state = groups.own_state(session, group.id, p)
    out.membership = MembershipState(state) if state else None
    return out


def _membership(session: SessionDep, group: SupplyChainGroup, sme_id: str, p: Principal) -> MembershipRead:
    return next(MembershipRead.model_validate(m) for m in groups.memberships(session, group, p)
                if m["sme_id"] == sme_id)


@router.post(G, status_code=status.HTTP_201_CREATED, response_model=GroupRead,
             summary="공급망 AX 그룹 구성 (대기업) / Form a supply-chain group as its lead firm")
def create_group(data: GroupCreate, session: SessionDep, p: Writer) -> GroupRead:
    if p.role not in ("sme", "admin"):
        raise Forbidden("대기업(선도기업) 계정이나 관리자만 그룹을 만듭니다.",
                        "Only a lead firm or an admin forms a group.")
    return _group_read(session, groups.create(session, data=data, p=p), p)


@router.get(G, response_model=list[GroupRead],
            summary="공급망 그룹 목록 / Groups you lead, belong to or are invited to")
def list_groups(session: SessionDep, p: Reader) -> list[GroupRead]:
    return [_group_read(session, g, p) for g in groups.list_groups(session, p)]


@router.get(G + "/{group_id}", response_model=GroupRead, summary="공급망 그룹 조회 / A group")
def get_group(group_id: IdPath, session: SessionDep, p: Reader) -> GroupRead:
    return _group_read(session, groups.load(session, group_id, p), p)


@router.post(G + "/{group_id}/members", status_code=status.HTTP_201_CREATED, response_model=MembershipRead,
             summary="협력사 초대 (대표기업) 또는 회원 지정 (관리자) / Invite a partner SME, or (admin) admit it")
def add_member(group_id: IdPath, data: GroupMemberAdd, session: SessionDep, p: Writer) -> MembershipRead:
    group = groups.load(session, group_id, p)
    share = [k.value for k in data.share] if data.share is not None else None
    member = groups.invite(session, group=group, sme_id=data.sme_id, p=p, share=share)
    return _membership(session, group, member.sme_id, p)


@router.get(G + "/{group_id}/members", response_model=list[MembershipRead],
            summary="회원·초대 현황과 공유 요약 / Memberships you may see, with what each member shares")
def list_group_members(group_id: IdPath, session: SessionDep, p: Reader) -> list[MembershipRead]:
    group = groups.load(session, group_id, p)
    return [MembershipRead.model_validate(m) for m in groups.memberships(session, group, p)]


@router.post(G + "/{group_id}/members/{sme_id}/accept", response_model=MembershipRead,
             summary="초대 수락과 공유 범위 (초대받은 기업) / Accept the invitation and choose what you share")
def accept_invitation(group_id: IdPath, sme_id: IdPath, data: MembershipAccept, session: SessionDep,
                      p: Writer) -> MembershipRead:
    group = groups.load(session, group_id, p)
    groups.accept(session, group=group, sme_id=sme_id, share=[k.value for k in data.share], p=p)
    return _membership(session, group, sme_id, p)


@router.post(G + "/{group_id}/members/{sme_id}/decline", response_model=MembershipRead,
             summary="초대 거절 (초대받은 기업) / Decline the invitation")
def decline_invitation(group_id: IdPath, sme_id: IdPath, session: SessionDep, p: Writer) -> MembershipRead:
    group = groups.load(session, group_id, p)
    groups.decline(session, group=group, sme_id=sme_id, p=p)
    return _membership(session, group, sme_id, p)


@router.delete(G + "/{group_id}/members/{sme_id}", status_code=status.HTTP_204_NO_CONTENT,
               summary="탈퇴·초대 철회·회원 제외 / Leave, withdraw an invitation, or remove a member")
def remove_member(group_id: IdPath, sme_id: IdPath, session: SessionDep, p: Writer) -> Response:
    groups.remove(session, group=groups.load(session, group_id, p), sme_id=sme_id, p=p)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(G + "/{group_id}/resources", response_model=list[SharedResourceRead],
            summary="공유 AI 자원 (대표기업·수락한 회원) / Shared AI resources of a group")
def list_resources(group_id: IdPath, session: SessionDep, p: Reader) -> list[SharedResourceRead]:
    group = groups.load(session, group_id, p, content=True)
    return [SharedResourceRead.model_validate(r) for r in groups.resources_of(session, group, p)]


@router.post(G + "/{group_id}/resources", status_code=status.HTTP_201_CREATED, response_model=SharedResourceRead,
             summary="공유 AI 자원 등록 (예: 제조 LLM) / Declare a shared AI resource")
def add_resource(group_id: IdPath, data: SharedResourceCreate, session: SessionDep, p: Writer) -> SharedResourceRead:
    group = groups.load(session, group_id, p)
    return SharedResourceRead.model_validate(groups.add_resource(session, group=group, data=data, p=p))


@router.get(G + "/{group_id}/needs", response_model=list[GroupNeedRead],
            summary="그룹 공동 수요 (대표기업·수락한 회원) / Group-level needs")
def list_group_needs(group_id: IdPath, session: SessionDep, p: Reader) -> list[GroupNeedRead]:
    group = groups.load(session, group_id, p, content=True)
    return [GroupNeedRead.model_validate(n) for n in groups.needs_of(session, group, p)]


@router.post(G + "/{group_id}/needs", status_code=status.HTTP_201_CREATED, response_model=GroupNeedRead,
             summary="그룹 공동 수요 등록 / State a group-level need")
def add_group_need(group_id: IdPath, data: GroupNeedCreate, session: SessionDep, p: Writer) -> GroupNeedRead:
    group = groups.load(session, group_id, p)
    return GroupNeedRead.model_validate(groups.add_need(session, group=group, data=data, p=p))


@router.post("/v1/programme/needs/{need_id}/matches", response_model=ProgrammeMatches,
             summary="그룹 공유 자원 우선 매칭 / Matches with the shared resources of groups you accepted first")
def programme_matches(need_id: IdPath, request: Request, session: SessionDep, p: MatchP,
                      limit: Annotated[int, Query(ge=1, le=50)] = 10) -> ProgrammeMatches:
    from api.routers.programme import catch_up, ranked

    catch_up(request)
    need = registry.get_visible(session, Need, need_id, p)
    shared = groups.shared_for(session, need.sme_id, list(need.categories))
    items = [ProgrammeMatch(kind="shared_resource", id=r.id, title_ko=r.name_ko, group_id=r.group_id,
                            reasons_ko=["소속 공급망 그룹의 공유 AI 자원"]) for r in shared]
    _, matches = ranked(request, session, need, limit)
    items += [ProgrammeMatch(kind="solution", id=m["solution_id"], title_ko=m["title_ko"], company_id=m["company_id"],
                             supplier_name=m["supplier_name"], score=m["score"], breakdown=m["breakdown"],
                             reasons_ko=m["reasons_ko"]) for m in matches]
    return ProgrammeMatches(need_id=need.id, items=items)
