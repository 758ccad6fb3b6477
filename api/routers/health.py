"""/v1/health: liveness and a database round trip; /v1/health/ready: whether search can answer. No auth."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel
from sqlalchemy import text

from api.problems import problem
from api.schemas import _problem
from core.errors import PROBLEM_BASE

router = APIRouter(tags=["health"])
RETRY_SECONDS = 5


class Health(BaseModel):
    status: str
    database: str
    version: str


class Ready(BaseModel):
    status: str  # "ready"
    database: str
    indexed: int  # solutions in the search index


@router.get("/v1/health", response_model=Health, summary="상태 확인 / Liveness")
def health(request: Request) -> Health:
    with request.app.state.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return Health(status="ok", database=request.app.state.engine.dialect.name, version=request.app.version)


@router.get("/v1/health/ready", response_model=Ready, summary="준비 상태 (검색 포함) / Readiness, search included",
            responses={503: _problem("Not ready yet: the morphological analyser and the search index are loading "
                                     "or catching up (retry after Retry-After), or the database is unavailable")})
def ready(request: Request) -> Response | Ready:
    """200 once Kiwi is loaded and the search index has caught up with the database; until then 503
    with Retry-After (a load balancer sends no traffic). The first call starts the loading when the
    server did not at start-up (AXR_SEARCH_WARM off)."""
    from api.routers.search import start_warm_up

    state = request.app.state
    with state.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    if not getattr(state, "search_ready", False):
        start_warm_up(request.app)
        failed = getattr(state, "search_warm_error", None)
        detail = ((f"검색 준비에 실패하여 다시 시도하고 있습니다 ({failed}).", f"Loading search failed ({failed}); "
                   "retrying.") if failed else
                  ("형태소 분석기와 검색 색인을 불러오고 데이터베이스의 변경 내용을 반영하는 중입니다.",
                   "Loading the morphological analyser and the search index, and applying the database's changes."))
        return problem(request, status=503, type_=PROBLEM_BASE + "not-ready",
                       title=("아직 준비되지 않았습니다", "Not ready yet"), detail=detail,
                       headers={"Retry-After": str(RETRY_SECONDS)})
    return Ready(status="ready", database=state.engine.dialect.name, indexed=state.search().index.count())
