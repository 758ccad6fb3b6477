"""/v1/solutions: the catalogue of AI solutions that suppliers publish."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from sqlalchemy.orm import Session

from api.deps import CatalogueReader, PageDep, RegistryWriter, SessionDep, check_etag, set_etag
from api.schemas import CREATE_RESPONSES, PROBLEM_RESPONSES, UPDATE_RESPONSES, PageOut
from certification import listing
from core.principal import Principal
from registry import access, service
from registry.models import Company, Solution
from registry.reference import Category, SolutionStatus
from registry.schemas import SolutionCreate, SolutionRead, SolutionUpdate

router = APIRouter(prefix="/v1/solutions", tags=["solutions"], responses=PROBLEM_RESPONSES)


def load_solution(solution_id: Annotated[str, Path(max_length=36)], session: SessionDep,
                  p: CatalogueReader) -> Solution:
    return service.get_visible(session, Solution, solution_id, p)


SolutionDep = Annotated[Solution, Depends(load_solution)]


@router.post("", responses=CREATE_RESPONSES, status_code=status.HTTP_201_CREATED, response_model=SolutionRead,
             summary="솔루션 등록 / Add a solution to your company")
def create_solution(data: SolutionCreate, session: SessionDep, p: RegistryWriter, request: Request,
                    response: Response) -> SolutionRead:
    solution = add_listed(session, data, p)
    set_etag(response, solution)
    response.headers["Location"] = str(request.url_for("get_solution", solution_id=solution.id))
    return SolutionRead.model_validate(solution)


@router.get("", response_model=PageOut[SolutionRead],
            summary="솔루션 목록 (게시된 것과 내 것) / List solutions (published, and your own)")
def list_solutions(session: SessionDep, p: CatalogueReader, page: PageDep,
                   category: Category | None = None,
                   company_id: Annotated[str | None, Query(max_length=36)] = None,
                   status: SolutionStatus | None = None) -> PageOut[SolutionRead]:
    result = service.list_visible(session, Solution, p, cursor=page.cursor, limit=page.limit,
                                  category=category, company_id=company_id, status=status)
    return PageOut[SolutionRead](items=[SolutionRead.model_validate(s) for s in result.items],
                                 next=page.next_url(result.next_cursor))


@router.get("/{solution_id}", response_model=SolutionRead, name="get_solution",
            summary="솔루션 조회 / Get a solution")
def get_solution(solution: SolutionDep, response: Response) -> SolutionRead:
    set_etag(response, solution)
    return SolutionRead.model_validate(solution)


@router.patch("/{solution_id}", responses=UPDATE_RESPONSES, response_model=SolutionRead,
              summary="솔루션 수정·게시·철회 (If-Match 필요) / Update, publish or withdraw (If-Match required)")
def update_solution(p: RegistryWriter, solution: SolutionDep, data: SolutionUpdate, session: SessionDep,
                    request: Request, response: Response) -> SolutionRead:
    # the scope is checked before the load, so a read-only token gets 403 whether or not it may see the draft
    solution = edit_listed(session, solution, data, p, request.headers.get("if-match"))
    set_etag(response, solution)
    return SolutionRead.model_validate(solution)


def add_listed(session: Session, data: SolutionCreate, p: Principal) -> Solution:
    """A new solution; a designated company's new published one waits for a reviewer (the API's and the
    supplier's editor, api/web/supplier_profile.py)."""
    solution = service.create_solution(session, data=data, p=p)
    listing.flag(session, obj=solution, was=dict.fromkeys(("title_ko", "category", "status")), p=p, created=True,
                 was_published=False)
    return solution


def require_editable(session: Session, solution: Solution, p: Principal) -> Solution:
    """The solution if the caller may edit it; another company's (even a published one) reads as missing."""
    if not access.can_edit_company(p, session.get_one(Company, solution.company_id)):
        service.raise_not_found(solution.id)
    return solution


def edit_listed(session: Session, solution: Solution, data: SolutionUpdate, p: Principal,
                etag: str | None) -> Solution:
    """An edit checked against the ETag the caller read (If-Match, or the editor's hidden field); a
    designated company's listed change waits for a reviewer."""
    require_editable(session, solution, p)
    check_etag(etag, solution)
    was, was_published = listing.before(solution, data.model_dump(exclude_unset=True)), solution.status == "published"
    solution = service.update_solution(session, solution=solution, data=data, p=p)
    listing.flag(session, obj=solution, was=was, p=p, was_published=was_published)
    return solution
