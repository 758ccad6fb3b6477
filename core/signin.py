"""Sign-in for the web application: authorization codes of the embedded issuer (RFC 6749 4.1 with PKCE,
RFC 7636, S256 only) and the server-side web sessions they lead to. Codes and session ids are stored
only as SHA-256 digests, so the table alone lets nobody in."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, String, Text, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import clock
from core.db import Base

CODE_SECONDS = 60  # RFC 6749 4.1.2 recommends at most 10 minutes; the browser redirects at once
WEB_CLIENT = "axr-web"  # the public client (no secret, PKCE) that the web application is
CALLBACK_PATH = "/web/callback"
# a redeemed code is kept this long past its expiry, so that a replay in that time is still recognised as one
# (CodeReplayed, whose tokens are revoked) rather than refused as unknown
CODE_KEPT = timedelta(days=1)


class AuthorizationCode(Base):
    __tablename__ = "oauth_authorization_code"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64))
    redirect_uri: Mapped[str] = mapped_column(String(500))
    code_challenge: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(36))
    scope: Mapped[str | None] = mapped_column(String(500))
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class WebSession(Base):
    __tablename__ = "web_session"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    sub: Mapped[str] = mapped_column(String(200), index=True)
    role: Mapped[str] = mapped_column(String(16))
    org: Mapped[str | None] = mapped_column(String(64))
    scopes: Mapped[list[Any]] = mapped_column(default=list)
    client_id: Mapped[str | None] = mapped_column(String(64))
    issued_at: Mapped[int] = mapped_column(BigInteger)  # the token's iat: revocations before it apply
    csrf_token: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    expires_at: Mapped[datetime] = mapped_column()


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def s256(verifier: str) -> str:
    """The PKCE S256 challenge of a verifier (RFC 7636 4.2)."""
    raw = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class CodeRefused(Exception):
    """The code is unknown, expired, used, or bound to another client, redirect URI or verifier."""


class CodeReplayed(CodeRefused):
    """The code was redeemed before: someone holds a copy (RFC 6749 4.1.2: the tokens issued from it should
    be revoked)."""

    def __init__(self, user_id: str) -> None:
        super().__init__("used before")
        self.user_id = user_id


def issue_code(session: Session, *, client_id: str, redirect_uri: str, code_challenge: str, user_id: str,
               scope: str | None) -> str:
    """A single-use authorization code for the signed-in user, bound to the client, URI and challenge."""
    code = secrets.token_urlsafe(32)
    session.add(AuthorizationCode(code_hash=digest(code), client_id=client_id, redirect_uri=redirect_uri,
                                  code_challenge=code_challenge, user_id=user_id, scope=scope,
                                  expires_at=clock.now() + timedelta(seconds=CODE_SECONDS)))
    session.flush()
    return code


def redeem_code(session: Session, *, code: str, client_id: str, redirect_uri: str,
                code_verifier: str) -> AuthorizationCode:
    """Spend the code once (a second redemption, even a concurrent one, is refused) and check its bindings."""
    now = clock.now()
    spent = session.execute(update(AuthorizationCode).where(
        AuthorizationCode.code_hash == digest(code), AuthorizationCode.used_at.is_(None),
        AuthorizationCode.expires_at > now).values(used_at=now).execution_options(synchronize_session=False))
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        used = session.scalar(select(AuthorizationCode.user_id).where(
            AuthorizationCode.code_hash == digest(code), AuthorizationCode.used_at.is_not(None)))
        if used is not None:
            raise CodeReplayed(used)
        raise CodeRefused("unknown, expired or used")
    grant = session.scalars(select(AuthorizationCode).where(AuthorizationCode.code_hash == digest(code))).one()
    if not (hmac.compare_digest(grant.client_id, client_id) and hmac.compare_digest(grant.redirect_uri, redirect_uri)
            and hmac.compare_digest(grant.code_challenge, s256(code_verifier))):
        raise CodeRefused("bound to another client, redirect URI or verifier")
    return grant


def start_session(session: Session, *, sub: str, role: str, org: str | None, scopes: list[str],
                  client_id: str | None, issued_at: int, seconds: int) -> tuple[str, WebSession]:
    """A new web session: (the cookie value, shown once, and the row that holds only its digest)."""
    session_id = secrets.token_urlsafe(32)
    row = WebSession(id_hash=digest(session_id), sub=sub, role=role, org=org, scopes=sorted(scopes),
                     client_id=client_id, issued_at=issued_at, csrf_token=secrets.token_urlsafe(32),
                     expires_at=clock.now() + timedelta(seconds=seconds))
    session.add(row)
    session.flush()
    return session_id, row


def find_session(session: Session, session_id: str) -> WebSession | None:
    """The live session of a cookie value, or None (unknown or expired)."""
    row = session.get(WebSession, digest(session_id))
    if row is None or row.expires_at <= clock.now():
        return None
    return row


def end_session(session: Session, session_id: str) -> None:
    session.execute(delete(WebSession).where(WebSession.id_hash == digest(session_id)))


def csrf_matches_token(expected: str, sent: str | None) -> bool:
    """The form's CSRF token is the session's (compared in constant time)."""
    return bool(expected) and bool(sent) and hmac.compare_digest(expected.encode(), (sent or "").encode())


def purge_expired(session: Session) -> tuple[int, int]:
    """Delete the web sessions past their expiry and the codes past theirs (and CODE_KEPT); `axr worker` runs
    it. Returns (sessions, codes) deleted."""
    now = clock.now()
    sessions = session.execute(delete(WebSession).where(WebSession.expires_at <= now)
                               .execution_options(synchronize_session=False))
    codes = session.execute(delete(AuthorizationCode).where(AuthorizationCode.expires_at <= now - CODE_KEPT)
                            .execution_options(synchronize_session=False))
    return int(sessions.rowcount), int(codes.rowcount)  # type: ignore[attr-defined]
