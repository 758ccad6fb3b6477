"""Local user accounts and OAuth2 clients of the embedded authorization server; secrets are stored hashed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import BigInteger, String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import clock
from core.db import Base
from core.errors import Conflict, NotFound
from core.ids import new_id

ROLES = ("supplier", "sme", "reviewer", "admin", "portal", "consultant")

# What each role may do; a route declares the scope it needs.
ROLE_SCOPES: dict[str, tuple[str, ...]] = {
    "supplier": ("catalogue:read", "registry:read", "registry:write", "designation:apply"),
    "sme": ("catalogue:read", "registry:read", "registry:write", "match"),
    "reviewer": ("catalogue:read", "registry:read", "designation:review", "reports:read"),
    "admin": ("catalogue:read", "registry:read", "registry:write", "designation:review", "reports:read",
              "admin", "match"),
    "portal": ("catalogue:read", "feed:read"),
    # programme experts: read the projects they are assigned to, write their consultations
    "consultant": ("catalogue:read", "registry:read", "registry:write"),
}


class UserAccount(Base):
    __tablename__ = "user_account"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    org_id: Mapped[str | None] = mapped_column(String(64))
    display_name: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    # tokens issued (iat) before this epoch second are refused: set on disable and secret rotation
    tokens_not_before: Mapped[int | None] = mapped_column(BigInteger)


class OAuthClient(Base):
    __tablename__ = "oauth_client"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default="portal")
    org_id: Mapped[str | None] = mapped_column(String(64))
    scopes: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    # tokens issued (iat) before this epoch second are refused: set on disable and secret rotation
    tokens_not_before: Mapped[int | None] = mapped_column(BigInteger)


def hash_secret(secret: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=2**14, r=8, p=1)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


@cache
def _dummy_hash() -> str:
    return hash_secret(secrets.token_urlsafe(32))


def verify_secret_or_dummy(secret: str | None, stored: str | None) -> bool:
    """Check `secret` against `stored`, or against a dummy hash when there is no account (or no secret),
    so that an unknown name costs the same scrypt as a known one and timing does not tell them apart."""
    matches = verify_secret(secret or "", stored if stored is not None else _dummy_hash())
    return matches and stored is not None and bool(secret)


def verify_secret(secret: str, stored: str) -> bool:
    try:
        _, salt_b64, digest_b64 = stored.split("$")
        digest = hashlib.scrypt(secret.encode(), salt=base64.b64decode(salt_b64), n=2**14, r=8, p=1)
    except ValueError:
        return False
    return hmac.compare_digest(digest, base64.b64decode(digest_b64))


# ---- administration: disable, enable, rotate (the admin routes in api/routers/oauth.py) ----------------
def _revoke_tokens_so_far(account: UserAccount | OAuthClient) -> None:
    account.tokens_not_before = int(time.time())  # the tokens' iat is in whole seconds too


def revoke_user_tokens(session: Session, user_id: str) -> None:
    """Every token and web session the user holds now stops working on its next request (a replayed
    authorization code: whoever replayed it may hold what it gave)."""
    # one UPDATE, no read before it: on SQLite a transaction that read first cannot take the write lock while
    # another one holds it (racing replays of one code), it is refused at once instead of waiting
    session.execute(update(UserAccount).where(UserAccount.id == user_id)
                    .values(tokens_not_before=int(time.time())).execution_options(synchronize_session=False))


def listed_users(session: Session) -> list[UserAccount]:
    """The local user accounts, by role then username (the officer's users page)."""
    return list(session.scalars(select(UserAccount).order_by(UserAccount.role, UserAccount.username)))


def listed_clients(session: Session) -> list[OAuthClient]:
    """The registered OAuth clients, by name (the officer's clients page)."""
    return list(session.scalars(select(OAuthClient).order_by(OAuthClient.name, OAuthClient.client_id)))


def set_user_active(session: Session, user_id: str, active: bool, *, actor_sub: str) -> UserAccount:
    """Disable (its tokens stop working on their next request) or enable (tokens issued before the
    disable stay revoked) a local user account."""
    user = session.get(UserAccount, user_id)
    if user is None:
        raise NotFound("사용자 계정이 없습니다.", "No such user account.")
    if not active and user.id == actor_sub:
        raise Conflict("자기 계정은 사용 중지할 수 없습니다.", "You cannot disable your own account.")
    if user.active and not active:
        _revoke_tokens_so_far(user)
    user.active = active
    session.flush()
    return user


def set_client_active(session: Session, client_id: str, active: bool) -> OAuthClient:
    client = _client(session, client_id)
    if client.active and not active:
        _revoke_tokens_so_far(client)
    client.active = active
    session.flush()
    return client


def rotate_client_secret(session: Session, client_id: str) -> tuple[OAuthClient, str]:
    """A new secret (returned once); the old one is refused from now on, and so are the tokens it got."""
    client = _client(session, client_id)
    secret = secrets.token_urlsafe(32)
    client.secret_hash = hash_secret(secret)
    _revoke_tokens_so_far(client)
    session.flush()
    return client, secret


def _client(session: Session, client_id: str) -> OAuthClient:
    client = session.get(OAuthClient, client_id)
    if client is None:
        raise NotFound("OAuth 클라이언트가 없습니다.", "No such OAuth client.")
    return client
