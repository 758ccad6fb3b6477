"""/v1/search and matching: Korean-aware search over designated solutions, and ranked matches for needs."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Body, FastAPI, Path, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from api.deps import PageParams, ReadSessionDep, SessionDep, scoped
from api.schemas import PROBLEM_RESPONSES
from api.search_runtime import REQUEST_WAIT
from core.errors import PROBLEM_BASE, AppError
from core.principal import Principal
from matching import analysis, thesaurus_store
from matching.documents import NeedQuery, SearchFilters
from matching.matcher import shown_docs
from matching.schemas import AdHocNeed, MatchOut, MatchResponse, SearchResponse, SolutionHit
from matching.scoring import Match
from matching.service import SearchService
from registry import service as registry_service
from registry.models import Need, Sme
from registry.reference import Category, DeploymentMode, Level, Region, TipsStage
from shopdata import service as shopdata_service


@asynccontextmanager
async def warm_search(app: FastAPI) -> AsyncIterator[None]:
    """With AXR_SEARCH_WARM (on for `axr serve`): build the search service, catch the index up and run
    one Korean query in a background thread at start-up, so the first user does not wait the 2.5-4 s
    that loading Kiwi and the index takes. `app.state.search_warmed` is set when done."""
    app.state.search_warmed = threading.Event()
    app.state.search_warm_error = None
    if app.state.settings.search_warm:
        # Kiwi's load stalls the whole process (it holds the interpreter lock): done while the lifespan runs,
        # before uvicorn binds its socket, so no request waits behind it (a connection meanwhile is refused)
        await asyncio.to_thread(analysis.load_kiwi)
        start_warm_up(app)  # takes the service's lock first, so requests meanwhile are told 503
        await prime_routes(app)  # before the server accepts its first request
    yield


_warm_lock = threading.Lock()


def start_warm_up(app: FastAPI) -> None:
    """Start loading Kiwi and catching the index up in a background thread, unless that is running or
    done (a failed warm-up is started again). `search_warmed` is set when it ended; `search_ready` says
    whether it succeeded, `search_warm_error` why not."""
    with _warm_lock:
        if getattr(app.state, "search_warmed", None) is None:  # an app run without its lifespan
            app.state.search_warmed = threading.Event()
        warmed: threading.Event = app.state.search_warmed
        if getattr(app.state, "search_warming", False) or getattr(app.state, "search_ready", False):
            return
        app.state.search_warming = True
        warmed.clear()

    def warm() -> None:
        try:
            service = app.state.search()
            service.sync()  # the whole backlog (queries meanwhile answer from what the index has)
            with Session(app.state.engine) as session:
                service.search(session, "불량 검출")
            app.state.search_ready, app.state.search_warm_error = True, None
        except Exception as exc:  # noqa: BLE001 - a failed warm-up leaves the work to the first request
            log.exception("search warm-up failed")
            app.state.search_warm_error = type(exc).__name__
        finally:
            app.state.search_warming = False
            warmed.set()

    threading.Thread(target=warm, name="axr-search-warm", daemon=True).start()


async def prime_routes(app: FastAPI) -> None:
    """Have FastAPI build every route's request state now: it does so on the first request a route's router
    sees (about a second on 2 cores for this app), which would otherwise fall on the first callers after a
    start. A GET to a path no route matches walks every router; it goes to the router alone (no
    middleware, no rate limit) and answers a plain 404 to nobody."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": "/.axr-prime-routes", "raw_path": b"/.axr-prime-routes", "root_path": "", "query_string": b"",
             "headers": [], "client": ("127.0.0.1", 0), "server": ("127.0.0.1", 0)}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        return None

    await app.router(scope, receive, send)


router = APIRouter(tags=["search"], responses=PROBLEM_RESPONSES, lifespan=warm_search)
log = logging.getLogger(__name__)
Searcher = Annotated[Principal, scoped("catalogue:read")]
Matcher = Annotated[Principal, scoped("match")]


class BadSearchCursor(AppError):
    type = PROBLEM_BASE + "bad-cursor"
    title_ko = "페이지 커서가 올바르지 않습니다"
    title_en = "Invalid page cursor"


def json_response(model: BaseModel) -> Response:
    """The model already validated, serialised once (FastAPI would dump, validate and encode it again:
    about 1 ms for a page of 20 hits). The route's `response_model` still documents it."""
    return Response(content=model.model_dump_json(), media_type="application/json")


def search_service(request: Request) -> SearchService:
    """The process's search service; 503 "loading" rather than a long wait while the warm-up builds it."""
    return request.app.state.search(wait=REQUEST_WAIT)  # type: ignore[no-any-return]


@router.get("/v1/search", response_model=SearchResponse,
            summary="솔루션 검색 (형태소·동의어·오타 허용, 지정 기업만) / Search designated solutions")
def search(request: Request, session: SessionDep, p: Searcher,
           q: Annotated[str, Query(max_length=500, examples=["불량 검출"])] = "",
           category: Annotated[list[Category] | None, Query()] = None,
           industry: Annotated[list[str] | None, Query(max_length=10)] = None,
           level: Annotated[Level | None, Query(description="SME level: solutions deployable at it")] = None,
           region: Annotated[list[Region] | None, Query()] = None,
           deployment_mode: Annotated[list[DeploymentMode] | None, Query()] = None,
           tips_stage: Annotated[list[TipsStage] | None, Query()] = None,
           price_max_krw: Annotated[int | None, Query(ge=0, le=10**13)] = None,
           cursor: Annotated[str | None, Query(max_length=500)] = None,
           limit: Annotated[int, Query(ge=1, le=100)] = 20) -> Response:
    filters = SearchFilters(categories=category, industries=industry, max_level=level, regions=region,
                            deployment_modes=deployment_mode, tips_stages=tips_stage, max_price_krw=price_max_krw)
    try:
        result = search_service(request).search(session, q, filters=filters, limit=limit, cursor=cursor)
    except ValueError as exc:
        raise BadSearchCursor("커서를 해석할 수 없습니다.", "The cursor could not be decoded.") from exc
    page = PageParams(request, cursor, limit)
    items = [SolutionHit(id=i.doc.id, ref=i.doc.ref, company_id=i.doc.supplier_id, supplier_name=i.doc.supplier_name,
                         title_ko=i.doc.title_ko, title_en=i.doc.title_en, category=i.doc.category,
                         industries=i.doc.industries, min_level=i.doc.min_level, price_min_krw=i.doc.price_min_krw,
                         price_max_krw=i.doc.price_max_krw, region=i.doc.region,
                         deployment_mode=i.doc.deployment_mode, tips_stage=i.doc.tips_stage, score=i.score,
                         highlights=i.highlights) for i in result.items]
    return json_response(SearchResponse(items=items, total=result.total, facets=result.facets,
                                        next=page.next_url(result.next_cursor)))


def _out(matches: list[Match]) -> list[MatchOut]:
    docs = shown_docs(matches)
    return [MatchOut(solution_id=m.doc_id, ref=docs[m.doc_id].ref, title_ko=docs[m.doc_id].title_ko,
                     title_en=docs[m.doc_id].title_en, supplier_name=docs[m.doc_id].supplier_name,
                     company_id=docs[m.doc_id].supplier_id, score=m.score, breakdown=m.breakdown,
                     reasons_ko=m.reasons_ko, reasons_en=m.reasons_en)
            for m in matches if m.doc_id in docs]


@router.post("/v1/match", response_model=MatchResponse,
             summary="임시 수요 매칭 / Match an ad-hoc need to designated solutions")
def match_ad_hoc(data: AdHocNeed, request: Request, session: ReadSessionDep, p: Matcher) -> Response:
    need = NeedQuery(text=data.text, industry=data.industry, smart_factory_level=data.smart_factory_level,
                     budget_krw=data.budget_krw, region=data.region,
                     categories=[c.value for c in data.categories] if data.categories else None)
    return json_response(MatchResponse(matches=_out(search_service(request).match(session, need, limit=data.limit))))


@router.post("/v1/needs/{need_id}/matches", response_model=MatchResponse,
             summary="내 수요 매칭 / Match a stored need of your SME",
             description="With the SME's data inventory (PUT /v1/smes/{sme_id}/data-inventory) the breakdown's "
                         "`readiness` weighs the data each solution needs against the data the SME has, "
                         "with a reason per required profile; without one it is 0.")
def match_need(need_id: Annotated[str, Path(max_length=36)], request: Request, session: ReadSessionDep,
               p: Matcher, limit: Annotated[int, Query(ge=1, le=50)] = 10) -> Response:
    need = registry_service.get_visible(session, Need, need_id, p)
    return json_response(MatchResponse(need_id=need.id, matches=need_matches(request, session, need, limit)))


def need_matches(request: Request, session: Session, need: Need, limit: int) -> list[MatchOut]:
    """The ranked matches of a stored need (visible to the caller), with the SME's profile and data
    inventory: the API's POST /v1/needs/{id}/matches and the web application's need page."""
    sme = session.get_one(Sme, need.sme_id)
    query = NeedQuery(text=need.text, industry=sme.ksic, smart_factory_level=need.smart_factory_level or
                      sme.smart_factory_level, budget_krw=need.budget_krw, region=need.region or sme.region,
                      categories=list(need.categories) or None,
                      inventory=shopdata_service.holdings_for_matching(session, sme.id))
    needs_data = shopdata_service.requirement_loader(session) if query.inventory is not None else None
    return _out(search_service(request).match(session, query, limit=limit, requirements=needs_data))


@router.get("/v1/admin/thesaurus", summary="동의어 사전 (현재 버전) / The thesaurus in force")
def get_thesaurus(request: Request, p: Annotated[Principal, scoped("admin")]) -> dict[str, Any]:
    service = search_service(request)
    service.sync()
    return service.thesaurus.to_data()


@router.post("/v1/admin/thesaurus", status_code=201,
             summary="동의어 사전 새 버전 저장 (관리자) / Save a new thesaurus version (admin)")
def save_thesaurus(document: Annotated[dict[str, Any], Body(examples=[{
        "version": "2026-12", "groups": [{"id": "defect-detection", "categories": {"vision_inspection": 1.0},
                                          "terms": ["불량 검출", "결함 검사", "defect detection"]}]}])],
                   session: SessionDep, p: Annotated[Principal, scoped("admin")]) -> dict[str, Any]:
    thesaurus = thesaurus_store.save(session, document=document, created_by=p.sub)
    return {"version": thesaurus.version, "groups": len(thesaurus.groups)}
