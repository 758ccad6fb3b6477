"""The officer's accounts pages: the local user accounts, each disabled or enabled again, and the OAuth
clients, each with its secret rotated (the new secret shown once). They call core.accounts as the API's
admin routes do (api/routers/oauth.py) and make the account gate forget the account once the change
commits, so a disabled user's web session and tokens end on their next request. A refusal (disabling your
own account) is shown on the page in Korean with nothing written."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from api.deps import SessionDep
from api.web.admin import AdminUser, admin_user
from api.web.render import refusal_messages, render
from api.web.session import FormUserDep, WebUser
from core import accounts
from core.errors import AppError

router = APIRouter(prefix="/web/admin", include_in_schema=False)
UserId = Annotated[str, Path(max_length=36)]
ClientId = Annotated[str, Path(max_length=64)]
DONE_KO = {"disabled": "계정 사용을 중지했습니다. 그 계정의 로그인과 토큰은 다음 요청부터 거절됩니다.",
           "enabled": "계정 사용을 재개했습니다. 중지 전에 받은 토큰은 계속 거절됩니다."}


def _users(request: Request, session: Session, user: WebUser, status_code: int = 200, *,
           failed: str | None = None, errors: list[str] | None = None, done: str | None = None) -> HTMLResponse:
    return render(request, "admin/users.html", status_code, user=user, users=accounts.listed_users(session),
                  failed=failed, errors=errors or [], done=done)


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, session: SessionDep, user: AdminUser, done: str | None = None) -> HTMLResponse:
    return _users(request, session, user, done=DONE_KO.get(done or ""))


def _set_active(request: Request, session: Session, user: WebUser, user_id: str, active: bool) -> Response:
    """POST /v1/admin/users/{id}/disable|enable: accounts.set_user_active, the gate told after commit."""
    admin_user(user)
    try:
        account = accounts.set_user_active(session, user_id, active, actor_sub=user.principal.sub)
    except AppError as exc:
        session.rollback()
        if exc.status == 404:
            raise
        return _users(request, session, user, exc.status, failed=user_id, errors=refusal_messages(exc))
    request.app.state.account_gate.forget_after_commit(session, "user", account.id)
    return RedirectResponse(f"/web/admin/users?done={'enabled' if active else 'disabled'}", status_code=303)


@router.post("/users/{user_id}/disable", response_class=HTMLResponse)
def disable(request: Request, session: SessionDep, user: FormUserDep, user_id: UserId) -> Response:
    return _set_active(request, session, user, user_id, False)


@router.post("/users/{user_id}/enable", response_class=HTMLResponse)
def enable(request: Request, session: SessionDep, user: FormUserDep, user_id: UserId) -> Response:
    return _set_active(request, session, user, user_id, True)


def _clients(request: Request, session: Session, user: WebUser, *, rotated: tuple[str, str] | None = None
             ) -> HTMLResponse:
    return render(request, "admin/clients.html", user=user, clients=accounts.listed_clients(session),
                  rotated=rotated)


@router.get("/clients", response_class=HTMLResponse)
def clients(request: Request, session: SessionDep, user: AdminUser) -> HTMLResponse:
    return _clients(request, session, user)


@router.post("/clients/{client_id}/secret", response_class=HTMLResponse)
def rotate(request: Request, session: SessionDep, user: FormUserDep, client_id: ClientId) -> Response:
    """POST /v1/admin/clients/{id}/secret: accounts.rotate_client_secret; the new secret on this answer only
    (not a redirect: it is never stored in clear, so no later page can show it)."""
    admin_user(user)
    client, secret = accounts.rotate_client_secret(session, client_id)  # missing: the 404 page
    request.app.state.account_gate.forget_after_commit(session, "client", client.client_id)
    return _clients(request, session, user, rotated=(client.client_id, secret))
