"""The web session: an opaque id in an HttpOnly, SameSite=Lax cookie (Secure outside localhost), the
row behind it in `web_session` (core/signin.py), the account check of every request (the API's, so a
disabled account's session ends on its next request) and the session-bound CSRF token of every form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from api.auth.account_gate import AccountGate, AccountRefused
from api.auth.tokens import LOCAL_CLIENT
from api.deps import SessionDep
from core import signin
from core.errors import PROBLEM_BASE, Forbidden
from core.principal import AccountRef, Principal

COOKIE = "axr_session"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


class CsrfRefused(Forbidden):
    type = PROBLEM_BASE + "csrf"
    title_ko = "보안 확인에 실패했습니다"
    title_en = "The security check failed"


class SignInRequired(Exception):
    """No live session: the page sends the browser to sign in (with a reason when the session ended)."""

    def __init__(self, reason: str | None = None) -> None:
        super().__init__(reason or "")
        self.reason = reason


@dataclass(frozen=True)
class WebUser:
    principal: Principal
    csrf: str
    session_id: str


def secure_cookies(request: Request) -> bool:
    """Secure on every host but this machine's (a browser drops Secure cookies on plain http)."""
    return request.url.scheme == "https" or (request.url.hostname or "") not in LOCAL_HOSTS


def set_session_cookie(request: Request, response: Response, session_id: str, seconds: int) -> None:
    response.set_cookie(COOKIE, session_id, max_age=seconds, path="/", httponly=True, samesite="lax",
                        secure=secure_cookies(request))


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=secure_cookies(request))


def _end(request: Request, session_id: str) -> None:
    """End the session in a transaction of its own: the request's rolls back when the page refuses."""
    with Session(request.app.state.engine) as own, own.begin():
        signin.end_session(own, session_id)


def _account(row: signin.WebSession) -> AccountRef:
    """A session of the embedded sign-in speaks for a local account that must still exist and be active; one
    of an external issuer (AXR_OIDC_ISSUER) is that issuer's to end, and names a local account only if one
    exists (as its tokens do in the API)."""
    return AccountRef("user", row.sub, required=row.client_id == LOCAL_CLIENT)


def web_user(request: Request, session: SessionDep) -> WebUser:
    """The signed-in user of this request, judged as the API judges a token; SignInRequired otherwise."""
    session_id = request.cookies.get(COOKIE)
    if not session_id:
        raise SignInRequired()
    row = signin.find_session(session, session_id)
    if row is None:
        raise SignInRequired("로그인 시간이 지났습니다. 다시 로그인하세요.")
    principal = Principal(sub=row.sub, role=row.role, org=row.org, scopes=frozenset(row.scopes),
                          client_id=row.client_id, account=_account(row),
                          issued_at=row.issued_at)
    gate: AccountGate = request.app.state.account_gate
    try:
        gate.admit(principal)
    except AccountRefused as exc:
        _end(request, session_id)
        raise SignInRequired(exc.detail_ko or "이 계정으로는 더 이상 로그인할 수 없습니다.") from exc
    request.state.principal = principal
    return WebUser(principal=principal, csrf=row.csrf_token, session_id=session_id)


WebUserDep = Annotated[WebUser, Depends(web_user)]


async def form_user(request: Request, user: WebUserDep) -> WebUser:
    """web_user() for a form POST: its `csrf_token` field must be this session's token, else 403."""
    form = await request.form()
    sent = form.get("csrf_token")
    if not isinstance(sent, str) or not signin.csrf_matches_token(user.csrf, sent):
        raise CsrfRefused("보안 확인 토큰(CSRF)이 없거나 맞지 않아 요청을 처리하지 않았습니다. "
                          "페이지를 새로 고친 뒤 다시 제출하세요.",
                          "The form's security token (CSRF) was missing or wrong, so nothing was done. "
                          "Reload the page and submit again.")
    return user


FormUserDep = Annotated[WebUser, Depends(form_user)]


def role_gate(role: str, scope: str, refusal_ko: str, refusal_en: str) -> Callable[[WebUser], WebUser]:
    """A dependency (and a check for form handlers) admitting the accounts of one role holding the API scope
    its pages act with; any other account is told in Korean that the page is not theirs (403)."""
    def gate(user: WebUserDep) -> WebUser:
        p = user.principal
        if p.role != role or scope not in p.scopes:
            raise Forbidden(refusal_ko, refusal_en)
        return user
    return gate


def install(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        target = "/web/signin" + ("?ended=1" if exc.reason else "")
        response = RedirectResponse(target, status_code=303)
        if exc.reason:
            clear_session_cookie(request, response)
        return response
