"""Signing in to the web application: the embedded issuer's /oauth/authorize (a Korean sign-in form that
issues a single-use code bound to a PKCE S256 challenge) and the web client's side of the flow
(/web/signin starts it, /web/callback redeems the code as the token endpoint does, /web/signout)."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import SessionDep
from api.routers.oauth import authenticate_user, exchange_code
from api.web.external_signin import ExternalSignIn
from api.web.render import render
from api.web.session import FormUserDep, WebUserDep, clear_session_cookie, secure_cookies, set_session_cookie
from core import signin
from core.errors import AppError

router = APIRouter(include_in_schema=False)
FLOW_COOKIE = "axr_signin"  # state and PKCE verifier of a sign-in under way, for /web/callback
AUTHZ_CSRF = "axr_authz_csrf"  # the sign-in form's double-submit token (there is no session yet)
FLOW_SECONDS = 600
EXTERNAL_ONLY = "이 등록부의 웹 화면은 외부 인증 기관(AXR_OIDC_ISSUER)에서 로그인합니다."


def callback_uri(request: Request) -> str:
    return str(request.base_url).rstrip("/") + signin.CALLBACK_PATH


def _bad_request(request: Request, message: str) -> HTMLResponse:
    return render(request, "message.html", 400, title="로그인 요청이 올바르지 않습니다", message=message,
                  link=("/web/signin", "처음부터 다시 로그인"))


def _authorize_problem(request: Request, client_id: str, redirect_uri: str, response_type: str,
                       code_challenge: str, code_challenge_method: str) -> str | None:
    """Why the authorization request is refused (Korean), or None. Never redirect to an unchecked URI."""
    if client_id != signin.WEB_CLIENT:
        return "등록되지 않은 클라이언트입니다."
    target, here = urlsplit(redirect_uri), urlsplit(str(request.base_url))
    if (target.scheme, target.netloc, target.path) != (here.scheme, here.netloc, signin.CALLBACK_PATH) or target.query:
        return "이 클라이언트에 등록된 돌아갈 주소가 아닙니다."
    if response_type != "code":
        return "응답 형식은 인가 코드만 지원합니다."
    if code_challenge_method != "S256" or not 43 <= len(code_challenge) <= 128:
        return "PKCE 코드 챌린지(S256 방식)가 필요합니다."
    return None


@router.get("/web/signin")
def start(request: Request, ended: Annotated[str | None, Query(max_length=1)] = None) -> Response:
    """Start the authorization-code flow: a fresh state and PKCE verifier, kept in a short-lived cookie."""
    state, verifier = secrets.token_urlsafe(16), secrets.token_urlsafe(48)
    external: ExternalSignIn | None = request.app.state.external_signin
    if external is not None:  # a ministry identity provider takes the embedded issuer's place
        target = external.authorization_redirect(redirect_uri=callback_uri(request), state=state,
                                                 code_challenge=signin.s256(verifier))
    else:
        target = "/oauth/authorize?" + urlencode(_embedded_query(request, state, verifier, ended))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(FLOW_COOKIE, f"{state}.{verifier}", max_age=FLOW_SECONDS, path="/web", httponly=True,
                        samesite="lax", secure=secure_cookies(request))
    return response


def _embedded_query(request: Request, state: str, verifier: str, ended: str | None) -> dict[str, str]:
    query = {"response_type": "code", "client_id": signin.WEB_CLIENT, "redirect_uri": callback_uri(request),
             "code_challenge": signin.s256(verifier), "code_challenge_method": "S256", "state": state}
    if ended:
        query["ended"] = "1"
    return query


@router.get("/oauth/authorize", response_class=HTMLResponse)
def authorize_form(request: Request, client_id: Annotated[str, Query(max_length=64)] = "",
                   redirect_uri: Annotated[str, Query(max_length=500)] = "",
                   response_type: Annotated[str, Query(max_length=20)] = "",
                   code_challenge: Annotated[str, Query(max_length=128)] = "",
                   code_challenge_method: Annotated[str, Query(max_length=10)] = "",
                   state: Annotated[str, Query(max_length=200)] = "",
                   ended: Annotated[str | None, Query(max_length=1)] = None) -> HTMLResponse:
    problem = _authorize_problem(request, client_id, redirect_uri, response_type, code_challenge,
                                 code_challenge_method)
    if problem:
        return _bad_request(request, problem)
    if request.app.state.external_signin is not None:
        return _bad_request(request, EXTERNAL_ONLY)
    token = secrets.token_urlsafe(32)
    notice = "로그인 시간이 지났거나 로그인할 수 없는 계정입니다. 다시 로그인하세요." if ended else None
    response = _form(request, token, client_id=client_id, redirect_uri=redirect_uri, code_challenge=code_challenge,
                     state=state, notice=notice)
    response.set_cookie(AUTHZ_CSRF, token, max_age=FLOW_SECONDS, path="/oauth/authorize", httponly=True,
                        samesite="lax", secure=secure_cookies(request))
    return response


def _form(request: Request, csrf: str, status_code: int = 200, *, error: str | None = None,
          notice: str | None = None, username: str = "", **flow: str) -> HTMLResponse:
    return render(request, "signin.html", status_code, csrf=csrf, flow=flow, error=error, notice=notice,
                  username=username, demo_accounts=_demo_accounts(request))


def _demo_accounts(request: Request) -> list[dict[str, str]]:
    """A demo account of each role on a server started with its demo data (`axr serve --demo`), else none."""
    if not request.app.state.settings.demo_sign_in_hint:
        return []
    from cli.demo import sign_in_examples

    return sign_in_examples()


@router.post("/oauth/authorize", response_class=HTMLResponse)
def authorize(request: Request, session: SessionDep,
              username: Annotated[str, Form(max_length=100)] = "",
              password: Annotated[str, Form(max_length=200)] = "",
              csrf_token: Annotated[str, Form(max_length=100)] = "",
              client_id: Annotated[str, Form(max_length=64)] = "",
              redirect_uri: Annotated[str, Form(max_length=500)] = "",
              code_challenge: Annotated[str, Form(max_length=128)] = "",
              state: Annotated[str, Form(max_length=200)] = "") -> Response:
    """Check the account's name and password (the token endpoint's check and login limits), then send the
    browser back to the client with a code for it."""
    expected = request.cookies.get(AUTHZ_CSRF, "")
    if not signin.csrf_matches_token(expected, csrf_token):
        return render(request, "message.html", 403, title="보안 확인에 실패했습니다",
                      message="보안 확인 토큰(CSRF)이 없거나 맞지 않아 로그인하지 않았습니다. 다시 로그인하세요.",
                      link=("/web/signin", "다시 로그인"))
    problem = _authorize_problem(request, client_id, redirect_uri, "code", code_challenge, "S256")
    if problem:
        return _bad_request(request, problem)
    if request.app.state.external_signin is not None:
        return _bad_request(request, EXTERNAL_ONLY)
    flow = {"client_id": client_id, "redirect_uri": redirect_uri, "code_challenge": code_challenge, "state": state}
    try:
        user = authenticate_user(request, session, username, password)
    except AppError as exc:
        again = _form(request, expected, exc.status if exc.status == 429 else 400, username=username,
                      error=exc.detail_ko or exc.title_ko, **flow)
        again.headers.update(exc.extra.get("headers") or {})  # Retry-After past the login limits
        return again
    code = signin.issue_code(session, client_id=client_id, redirect_uri=redirect_uri, code_challenge=code_challenge,
                             user_id=user.id, scope=None)
    response = RedirectResponse(redirect_uri + "?" + urlencode({"code": code, "state": state}), status_code=303)
    response.delete_cookie(AUTHZ_CSRF, path="/oauth/authorize")
    return response


@router.get("/web/callback")
def callback(request: Request, session: SessionDep, code: Annotated[str, Query(max_length=200)] = "",
             state: Annotated[str, Query(max_length=200)] = "") -> Response:
    """Redeem the code with this browser's PKCE verifier, as a client at the token endpoint would, and
    open a web session for the account the token names."""
    kept_state, _, verifier = request.cookies.get(FLOW_COOKIE, "").partition(".")
    if not (kept_state and verifier and hmac.compare_digest(kept_state.encode(), state.encode())):
        return _bad_request(request, "로그인 요청의 상태 값이 맞지 않습니다. 처음부터 다시 로그인하세요.")
    external: ExternalSignIn | None = request.app.state.external_signin
    if external is not None:
        jwt = external.redeem(code=code, redirect_uri=callback_uri(request), code_verifier=verifier)
    else:
        jwt, _ = exchange_code(request, session, code=code, client_id=signin.WEB_CLIENT,
                               redirect_uri=callback_uri(request), code_verifier=verifier)
    principal = request.app.state.tokens.verify(jwt)
    seconds = request.app.state.settings.web_session_seconds
    session_id, _ = signin.start_session(session, sub=principal.sub, role=principal.role, org=principal.org,
                                         scopes=list(principal.scopes), client_id=principal.client_id,
                                         issued_at=principal.issued_at, seconds=seconds)
    response = RedirectResponse("/web", status_code=303)
    set_session_cookie(request, response, session_id, seconds)
    response.delete_cookie(FLOW_COOKIE, path="/web")
    return response


@router.post("/web/signout", response_class=HTMLResponse)
def signout(request: Request, session: SessionDep, user: FormUserDep) -> Response:
    signin.end_session(session, user.session_id)
    response = render(request, "message.html", title="로그아웃했습니다", message="안전하게 로그아웃했습니다.",
                      link=("/web/signin", "다시 로그인"))
    clear_session_cookie(request, response)
    return response


@router.get("/web", response_class=HTMLResponse)
def home(request: Request, user: WebUserDep) -> Response:
    """Each role's start page; the roles whose screens are still to come are told so."""
    if user.principal.role == "sme":
        return RedirectResponse("/web/sme", status_code=303)
    if user.principal.role == "reviewer":
        return RedirectResponse("/web/reviewer", status_code=303)
    if user.principal.role == "admin":
        return RedirectResponse("/web/admin", status_code=303)
    if user.principal.role == "supplier":
        return RedirectResponse("/web/supplier", status_code=303)
    return render(request, "message.html", user=user, title="준비 중인 화면입니다",
                  message="이 역할의 웹 화면은 아직 준비 중입니다. 지금은 API(/docs)를 이용하세요.",
                  link=("/docs", "API 문서"))
