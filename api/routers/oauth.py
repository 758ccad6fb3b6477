"""The embedded authorization server: the token endpoint, the JWKS, and admin registration of clients."""

from __future__ import annotations

import base64
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, status
from fastapi import Path as PathParam
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth.login_guard import LoginGuard
from api.auth.tokens import LOCAL_CLIENT, TokenService
from api.deps import Admin, SessionDep
from api.schemas import PROBLEM_RESPONSES
from core import signin
from core.accounts import (
    ROLE_SCOPES,
    OAuthClient,
    UserAccount,
    hash_secret,
    revoke_user_tokens,
    rotate_client_secret,
    set_client_active,
    set_user_active,
    verify_secret_or_dummy,
)
from core.errors import PROBLEM_BASE, AppError, Conflict
from core.keys import public_jwks
from registry.fields import Name, Strict

router = APIRouter(tags=["auth"], responses=PROBLEM_RESPONSES)


class OAuthError(AppError):
    status = 400
    type = PROBLEM_BASE + "oauth"
    title_ko = "토큰을 발급할 수 없습니다"
    title_en = "The token request was refused"


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    scope: str


def _client_from_basic(request: Request) -> tuple[str | None, str | None]:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return None, None
    try:
        cid, _, secret = base64.b64decode(header[6:]).decode().partition(":")
    except (ValueError, UnicodeError):
        return None, None
    return cid, secret


@router.post("/v1/oauth/token", response_model=TokenResponse,
             summary="액세스 토큰 발급 (client_credentials, password, authorization_code) / Issue an access token",
             description="`authorization_code` (RFC 6749 4.1.3 with PKCE S256, RFC 7636): the code from "
                         "/oauth/authorize, once, within 60 s, with the same client_id and redirect_uri and "
                         "the code_verifier whose S256 is the code_challenge.",
             responses={429: {"description": "Too many failed logins for this account or address (see "
                                             "Retry-After; api/auth/login_guard.py)"}})
def token(request: Request, session: SessionDep,
          grant_type: Annotated[str, Form(max_length=40, examples=["client_credentials"])],
          client_id: Annotated[str | None, Form(max_length=64)] = None,
          client_secret: Annotated[str | None, Form(max_length=200)] = None,
          username: Annotated[str | None, Form(max_length=100)] = None,
          password: Annotated[str | None, Form(max_length=200)] = None,
          scope: Annotated[str | None, Form(max_length=500)] = None,
          code: Annotated[str | None, Form(max_length=200)] = None,
          redirect_uri: Annotated[str | None, Form(max_length=500)] = None,
          code_verifier: Annotated[str | None, Form(max_length=128)] = None) -> TokenResponse:
    tokens: TokenService = request.app.state.tokens
    guard: LoginGuard = request.app.state.login_guard
    address = request.client.host if request.client else "unknown"
    wanted = scope.split() if scope else None
    # Every attempt costs one scrypt, known name or not, active or not (no timing oracle), and counts
    # against the login limits (api/auth/login_guard.py) until it proves right.
    if grant_type == "client_credentials":
        basic_id, basic_secret = _client_from_basic(request)
        cid, csecret = client_id or basic_id, client_secret or basic_secret
        attempt = guard.attempt("client:" + (cid or ""), address)
        client = session.get(OAuthClient, cid) if cid else None
        right = verify_secret_or_dummy(csecret, client.secret_hash if client else None)
        if client is None or not client.active or not right:
            raise OAuthError("클라이언트 인증에 실패했습니다.", "Client authentication failed.", error="invalid_client")
        attempt.succeeded()
        allowed = [s for s in (wanted or client.scopes) if s in client.scopes]
        jwt, ttl = tokens.mint(sub=f"client:{client.client_id}", role=client.role, org=client.org_id,
                               scopes=allowed, client_id=client.client_id)
    elif grant_type == "password":
        user = authenticate_user(request, session, username, password)
        jwt, ttl = tokens.mint(sub=user.id, role=user.role, org=user.org_id, scopes=wanted, client_id=LOCAL_CLIENT)
    elif grant_type == "authorization_code":
        jwt, ttl = exchange_code(request, session, code=code, client_id=client_id, redirect_uri=redirect_uri,
                                 code_verifier=code_verifier)
    else:
        raise OAuthError("지원하지 않는 grant_type 입니다.", "Unsupported grant_type.", error="unsupported_grant_type")
    granted = tokens.verify(jwt).scopes
    return TokenResponse(access_token=jwt, expires_in=ttl, scope=" ".join(sorted(granted)))


def authenticate_user(request: Request, session: Session, username: str | None, password: str | None
                      ) -> UserAccount:
    """The active local account with this name and password, counted by the login guard; else OAuthError
    (one scrypt either way, so the answer's timing does not tell which accounts exist)."""
    guard: LoginGuard = request.app.state.login_guard
    address = request.client.host if request.client else "unknown"
    attempt = guard.attempt("user:" + (username or ""), address)
    user = session.scalars(select(UserAccount).where(UserAccount.username == (username or ""))).one_or_none()
    right = verify_secret_or_dummy(password, user.password_hash if user else None)
    if user is None or not user.active or not right:
        raise OAuthError("아이디 또는 비밀번호가 올바르지 않습니다.", "Wrong username or password.",
                         error="invalid_grant")
    attempt.succeeded()
    return user


def exchange_code(request: Request, session: Session, *, code: str | None, client_id: str | None,
                  redirect_uri: str | None, code_verifier: str | None) -> tuple[str, int]:
    """Redeem an authorization code (single use, bound to client, redirect URI and PKCE verifier) for an
    access token of the account that signed in; the web application's callback calls this too."""
    if not (code and client_id and redirect_uri and code_verifier):
        raise OAuthError("인가 코드 교환에 필요한 값(코드, 클라이언트, 돌아갈 주소, 검증 값)이 빠졌습니다.",
                         "code, client_id, redirect_uri and code_verifier are required.", error="invalid_request")
    refused = OAuthError("인가 코드가 유효하지 않거나 이미 사용되었습니다.",
                         "The authorization code is invalid, expired or already used.", error="invalid_grant")
    try:
        grant = signin.redeem_code(session, code=code, client_id=client_id, redirect_uri=redirect_uri,
                                   code_verifier=code_verifier)
    except signin.CodeReplayed as exc:
        # RFC 6749 4.1.2: a code used twice may be in other hands; what it gave is revoked (in a transaction
        # of its own: the request's rolls back with the refusal)
        session.rollback()  # SQLite: the spending UPDATE holds the write lock even when it matched nothing
        with Session(request.app.state.engine) as own, own.begin():
            revoke_user_tokens(own, exc.user_id)
        request.app.state.account_gate.forget("user", exc.user_id)
        raise refused from exc
    except signin.CodeRefused as exc:
        raise refused from exc
    user = session.get(UserAccount, grant.user_id)
    if user is None or not user.active:
        raise refused
    tokens: TokenService = request.app.state.tokens
    return tokens.mint(sub=user.id, role=user.role, org=user.org_id,
                       scopes=grant.scope.split() if grant.scope else None, client_id=LOCAL_CLIENT)


@router.get("/.well-known/jwks.json", summary="등록부 공개키 / The registry's public keys")
def jwks(request: Request) -> dict[str, Any]:
    return public_jwks(request.app.state.tokens.key)


class ClientCreate(Strict):
    name: Name = Field(examples=["경남 스마트공장 포털"])
    role: str = Field("portal", pattern="^(portal|supplier|sme|reviewer|admin)$")
    org_id: str | None = Field(None, max_length=64)
    scopes: list[str] | None = Field(None, max_length=20)


class ClientCreated(BaseModel):
    client_id: str
    client_secret: str = Field(description="Shown once; only its hash is stored")
    name: str
    role: str
    scopes: list[str]


@router.post("/v1/admin/clients", status_code=status.HTTP_201_CREATED, response_model=ClientCreated,
             summary="OAuth2 클라이언트 등록 (관리자) / Register an OAuth2 client (admin)")
def create_client(data: ClientCreate, session: SessionDep, _: Admin) -> ClientCreated:
    allowed = ROLE_SCOPES[data.role]
    scopes = [s for s in (data.scopes or allowed) if s in allowed]
    client_id = "axr_" + secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    session.add(OAuthClient(client_id=client_id, secret_hash=hash_secret(secret), name=data.name,
                            role=data.role, org_id=data.org_id, scopes=scopes))
    session.flush()
    return ClientCreated(client_id=client_id, client_secret=secret, name=data.name, role=data.role, scopes=scopes)


class UserCreate(Strict):
    username: str = Field(min_length=3, max_length=100, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=10, max_length=200)
    role: str = Field(pattern="^(supplier|sme|reviewer|admin)$")
    org_id: str | None = Field(None, max_length=64)
    display_name: Name | None = None


class UserRead(BaseModel):
    id: str
    username: str
    role: str
    org_id: str | None
    active: bool = Field(description="false: the account cannot sign in and its tokens are refused")


@router.post("/v1/admin/users", status_code=status.HTTP_201_CREATED, response_model=UserRead,
             summary="사용자 계정 생성 (관리자) / Create a local user account (admin)")
def create_user(data: UserCreate, session: SessionDep, _: Admin) -> UserRead:
    if session.scalar(select(UserAccount.id).where(UserAccount.username == data.username)):
        raise Conflict("이미 있는 사용자 이름입니다.", "That username is taken.")
    org = data.org_id or ("org_" + secrets.token_hex(8) if data.role in ("supplier", "sme") else None)
    user = UserAccount(username=data.username, password_hash=hash_secret(data.password), role=data.role,
                       org_id=org, display_name=data.display_name)
    session.add(user)
    session.flush()
    return _user_read(user)


def _user_read(user: UserAccount) -> UserRead:
    return UserRead(id=user.id, username=user.username, role=user.role, org_id=user.org_id, active=user.active)


# ---- disabling and enabling accounts, rotating client secrets -----------------------------------------
# When the change commits, this process forgets the account's cached standing, so the account's next
# request is judged by it; other workers follow within AXR_ACCOUNT_CHECK_SECONDS.

UserId = Annotated[str, PathParam(max_length=36, description="사용자 계정 id / user account id")]
ClientId = Annotated[str, PathParam(max_length=64, description="클라이언트 id / client id")]


class ClientRead(BaseModel):
    client_id: str
    name: str
    role: str
    org_id: str | None
    scopes: list[str]
    active: bool = Field(description="false: the client cannot get tokens and its tokens are refused")


def _client_read(client: OAuthClient) -> ClientRead:
    return ClientRead(client_id=client.client_id, name=client.name, role=client.role, org_id=client.org_id,
                      scopes=list(client.scopes), active=client.active)


def _committed(request: Request, session: Session, kind: str, account_id: str) -> None:
    request.app.state.account_gate.forget_after_commit(session, kind, account_id)


@router.post("/v1/admin/users/{user_id}/disable", response_model=UserRead,
             summary="사용자 계정 사용 중지 (관리자) / Disable a user account (admin)",
             description="The account can no longer sign in; its tokens are refused from its next request, "
                         "and stay refused if it is enabled again. You cannot disable your own account (409).")
def disable_user(user_id: UserId, request: Request, session: SessionDep, admin: Admin) -> UserRead:
    user = set_user_active(session, user_id, False, actor_sub=admin.sub)
    _committed(request, session, "user", user.id)
    return _user_read(user)


@router.post("/v1/admin/users/{user_id}/enable", response_model=UserRead,
             summary="사용자 계정 사용 재개 (관리자) / Enable a user account again (admin)",
             description="The account can sign in again; tokens issued before it was disabled stay refused.")
def enable_user(user_id: UserId, request: Request, session: SessionDep, admin: Admin) -> UserRead:
    user = set_user_active(session, user_id, True, actor_sub=admin.sub)
    _committed(request, session, "user", user.id)
    return _user_read(user)


@router.post("/v1/admin/clients/{client_id}/disable", response_model=ClientRead,
             summary="OAuth2 클라이언트 사용 중지 (관리자) / Disable an OAuth2 client (admin)",
             description="The client can no longer get tokens; its tokens are refused from its next request.")
def disable_client(client_id: ClientId, request: Request, session: SessionDep, _: Admin) -> ClientRead:
    client = set_client_active(session, client_id, False)
    _committed(request, session, "client", client.client_id)
    return _client_read(client)


@router.post("/v1/admin/clients/{client_id}/enable", response_model=ClientRead,
             summary="OAuth2 클라이언트 사용 재개 (관리자) / Enable an OAuth2 client again (admin)",
             description="The client can get tokens again; tokens issued before it was disabled stay refused.")
def enable_client(client_id: ClientId, request: Request, session: SessionDep, _: Admin) -> ClientRead:
    client = set_client_active(session, client_id, True)
    _committed(request, session, "client", client.client_id)
    return _client_read(client)


@router.post("/v1/admin/clients/{client_id}/secret", response_model=ClientCreated,
             summary="클라이언트 비밀 교체 (관리자) / Rotate a client's secret (admin)",
             description="Answers a new secret, shown once. The old secret is refused from now on, and the "
                         "tokens it obtained are refused from their next request.")
def rotate_secret(client_id: ClientId, request: Request, session: SessionDep, _: Admin) -> ClientCreated:
    client, secret = rotate_client_secret(session, client_id)
    _committed(request, session, "client", client.client_id)
    return ClientCreated(client_id=client.client_id, client_secret=secret, name=client.name, role=client.role,
                         scopes=list(client.scopes))
