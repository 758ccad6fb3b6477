"""Dependencies shared by the routers: the request's transaction, the caller, scopes, ETags, paging."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlowPassword, OAuthFlows
from fastapi.security import OAuth2, SecurityScopes
from sqlalchemy.orm import Session

from api import idempotency
from api.auth.account_gate import AccountGate
from api.auth.tokens import TokenService
from core.db import writer
from core.errors import PROBLEM_BASE, Forbidden, PreconditionFailed, PreconditionRequired, Unauthorized
from core.principal import Principal
from core.settings import Settings

SCOPES = {
    "catalogue:read": "공개 카탈로그 조회 / read the public catalogue",
    "registry:read": "내 기관 데이터 조회 / read your organisation's records",
    "registry:write": "내 기관 데이터 등록·수정 / create and change your organisation's records",
    "designation:apply": "지정 신청 / apply for designation",
    "designation:review": "지정 심사 / review designation applications",
    "match": "매칭 / match needs to solutions",
    "reports:read": "정책 지표 조회 / read policy KPI reports",
    "feed:read": "변경 피드 조회 / follow the change feed",
    "admin": "관리 / administration",
}

oauth2 = OAuth2(
    flows=OAuthFlows(
        clientCredentials=OAuthFlowClientCredentials(tokenUrl="/v1/oauth/token", scopes=SCOPES),
        password=OAuthFlowPassword(tokenUrl="/v1/oauth/token", scopes=SCOPES),
    ),
    auto_error=False,
    scheme_name="oauth2",
)


# The dependencies below are `async def`: FastAPI runs a plain `def` dependency in a worker thread,
# and each hop there and back costs about 0.3 ms on two cores. Creating a session and checking a
# token do no I/O; committing does, and runs in a worker thread (only when a transaction began).

async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request: services flush, this commits once before the response is sent (with
    an Idempotency-Key, the idempotency middleware commits it together with the stored response)."""
    engine = request.app.state.engine
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        engine = writer(engine)
    session = Session(bind=engine, expire_on_commit=False)
    session.info["audit_signer"] = request.app.state.audit_signer
    handed_over = False
    try:
        yield session
        if session.in_transaction():
            handed_over = await idempotency.hand_over(request.scope, session)
            if not handed_over:
                await run_in_threadpool(session.commit)
    except BaseException:
        await run_in_threadpool(session.rollback)
        raise
    finally:
        if not handed_over:
            await _close(session)


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


async def get_read_session(request: Request) -> AsyncIterator[Session]:
    """A read-only transaction for POSTs that only compute (matching): it never takes SQLite's write
    lock, so the search index can catch up from the outbox on its own connection meanwhile."""
    session = Session(bind=request.app.state.engine, expire_on_commit=False)
    try:
        yield session
    finally:
        await _close(session)


async def _close(session: Session) -> None:
    """Closing rolls back a transaction still open (I/O, so in a worker thread); else it does none."""
    if session.in_transaction():
        await run_in_threadpool(session.close)
    else:
        session.close()


ReadSessionDep = Annotated[Session, Depends(get_read_session, scope="function")]


async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


class InsufficientScope(Forbidden):
    type = PROBLEM_BASE + "insufficient-scope"
    title_ko = "토큰의 권한 범위(scope)가 부족합니다"
    title_en = "The token lacks the required scope"


async def current_principal(request: Request, security_scopes: SecurityScopes,
                            token: Annotated[str | None, Depends(oauth2)]) -> Principal:
    """Verify the bearer token and check the scopes the route declares."""
    if not token or not token.lower().startswith("bearer "):
        raise Unauthorized("Authorization: Bearer 토큰이 필요합니다.", "A bearer token is required.",
                           headers={"WWW-Authenticate": 'Bearer realm="axr"'})
    tokens: TokenService = request.app.state.tokens
    raw = token.split(" ", 1)[1].strip()
    # Verifying is CPU work; with an external issuer the first token fetches its JWKS (network), so
    # then it runs in a worker thread rather than on the event loop.
    principal = await run_in_threadpool(tokens.verify, raw) if tokens.external_issuer else tokens.verify(raw)
    # The token may come from the cache of verified tokens; its account is checked on every request
    # (cached for seconds): a disabled or deleted account is refused on its next request.
    gate: AccountGate = request.app.state.account_gate
    if principal.account is not None:
        fresh, standing = gate.cached(principal.account)
        if not fresh:
            standing = await run_in_threadpool(gate.load, principal.account)
        gate.check(principal, standing)
    missing = [s for s in security_scopes.scopes if s not in principal.scopes]
    if missing:
        raise InsufficientScope(f"필요한 권한 범위(scope): {' '.join(missing)}", f"Required scope: {' '.join(missing)}",
                                required=missing)
    request.state.principal = principal
    return principal


def scoped(*scopes: str) -> Any:
    return Security(current_principal, scopes=list(scopes))


CatalogueReader = Annotated[Principal, scoped("catalogue:read")]
RegistryReader = Annotated[Principal, scoped("registry:read")]
RegistryWriter = Annotated[Principal, scoped("registry:write")]
Admin = Annotated[Principal, scoped("admin")]


class PageParams:
    def __init__(self, request: Request, cursor: str | None = None, limit: int = 20) -> None:
        self.cursor = cursor
        self.limit = limit
        self.request = request

    def next_url(self, next_cursor: str | None) -> str | None:
        if next_cursor is None:
            return None
        return str(self.request.url.include_query_params(cursor=next_cursor, limit=self.limit))


async def page_params(request: Request,
                      cursor: Annotated[str | None, Query(max_length=200, description="`next`에서 받은 커서")] = None,
                      limit: Annotated[int, Query(ge=1, le=100, description="Page size (max 100)")] = 20
                      ) -> PageParams:
    return PageParams(request, cursor, limit)


PageDep = Annotated[PageParams, Depends(page_params)]


def etag_of(obj: Any) -> str:
    return f'"{obj.version}"'


def check_if_match(request: Request, obj: Any) -> None:
    """Updates need If-Match with the current ETag: 428 without it, 412 when it is stale."""
    check_etag(request.headers.get("if-match"), obj)


def check_etag(header: str | None, obj: Any) -> None:
    """The If-Match check on a value sent (the header; a web form's hidden field with the ETag of the version
    it showed): 428 without one, 412 unless it names the object's current ETag or *."""
    if header is None:
        raise PreconditionRequired("수정하려면 최신 ETag를 If-Match 헤더로 보내세요.",
                                   "Send the current ETag in If-Match to update.")
    tags = [t.strip() for t in header.split(",")]
    if "*" not in tags and etag_of(obj) not in tags:
        raise PreconditionFailed("다시 조회한 뒤 수정하세요.", "Fetch the resource again and retry.",
                                 current_etag=etag_of(obj))


def set_etag(response: Response, obj: Any) -> None:
    response.headers["ETag"] = etag_of(obj)
