"""Access tokens: RFC 9068 JWTs (typ at+jwt, asymmetric algorithms only) minted and verified here.

Tokens of the embedded issuer are signed with the registry key. When AXR_OIDC_ISSUER is set, tokens
of that issuer are verified against its JWKS as well, so a ministry identity provider can be plugged in.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from joserfc import jwt
from joserfc.errors import InvalidClaimError, JoseError
from joserfc.jwk import KeySet, OKPKey

from core.accounts import ROLE_SCOPES, ROLES
from core.errors import Unauthorized
from core.keys import ALG, kid
from core.principal import AccountRef, Principal

ASYMMETRIC = ["EdDSA", "Ed25519", "ES256", "ES384", "RS256", "PS256"]
LOCAL_CLIENT = "axr-local"  # client_id of the tokens the token endpoint mints for local user accounts

# What an untrusted token can make a parser raise: each means the token is invalid (401), never a 500.
_MALFORMED = (JoseError, ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError,
              RecursionError, UnicodeError)

_NO_EXTERNAL_KEYS = ("외부 발급자의 공개키를 가져올 수 없어 토큰을 확인할 수 없습니다.",
                     "The external issuer's keys could not be fetched, so the token cannot be verified.")


class InvalidToken(Unauthorized):
    title_ko = "액세스 토큰이 유효하지 않습니다"
    title_en = "Invalid access token"


@dataclass
class TokenService:
    key: OKPKey
    issuer: str
    audience: str
    ttl: int
    external_issuer: str | None = None
    external_jwks_url: str | None = None
    _external_keys: KeySet | None = None
    _external_retry_at: float = 0.0
    # Tokens already verified, with the window they are valid in: a portal sends the same token for
    # an hour, and checking an Ed25519 signature costs more than the rest of a cached search.
    _verified: OrderedDict[str, tuple[Principal, float, float]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    cache_size: int = 4096

    def mint(self, *, sub: str, role: str, org: str | None = None, scopes: list[str] | None = None,
             client_id: str | None = None, ttl: int | None = None) -> tuple[str, int]:
        """Sign an access token; scopes default to the role's and are always cut down to them."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        allowed = ROLE_SCOPES[role]
        granted = [s for s in (scopes or allowed) if s in allowed]
        now = int(time.time())
        lifetime = ttl or self.ttl
        claims: dict[str, Any] = {
            "iss": self.issuer, "aud": self.audience, "sub": sub, "iat": now, "nbf": now,
            "exp": now + lifetime, "jti": str(uuid.uuid4()), "client_id": client_id or "axr-cli",
            "role": role, "scope": " ".join(granted),
        }
        if org:
            claims["org"] = org
        header = {"alg": ALG, "typ": "at+jwt", "kid": kid(self.key)}
        return jwt.encode(header, claims, self.key, algorithms=[ALG]), lifetime

    def verify(self, token: str) -> Principal:
        now = time.time()
        with self._lock:
            hit = self._verified.get(token)
            if hit is not None and hit[1] <= now < hit[2]:
                self._verified.move_to_end(token)
                return hit[0]
        principal, not_before, expires = self._verify(token)
        with self._lock:
            self._verified[token] = (principal, not_before, expires)
            if len(self._verified) > self.cache_size:
                self._verified.popitem(last=False)
        return principal

    def _verify(self, token: str) -> tuple[Principal, float, float]:
        """Check the signature first; only then read the header and the claims, each for its type."""
        decoded, issuer, key_id = self._signature(token)
        header, claims = decoded.header, decoded.claims
        typ = header.get("typ")
        if not isinstance(typ, str) or typ.lower() not in ("at+jwt", "application/at+jwt"):
            raise InvalidToken("액세스 토큰(at+jwt)이 아닙니다.", "Not an access token (typ at+jwt).")
        if key_id is not None and header.get("kid", key_id) != key_id:
            raise InvalidToken("토큰의 키 식별자(kid)가 서명한 키와 다릅니다.",
                               "The token's key id (kid) does not name the key that signed it.")
        try:
            jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": issuer}, aud={"essential": True, "value": self.audience},
                exp={"essential": True}, sub={"essential": True},
            ).validate(claims)
            return self._principal(claims, issuer)
        except _MALFORMED as exc:
            raise InvalidToken("토큰의 유효기간이나 클레임을 확인할 수 없습니다.",
                               "The token's validity or claims could not be verified.") from exc

    def _signature(self, token: str) -> tuple[jwt.Token, str, str | None]:
        """Verify with the registry key, then (if configured) the external issuer's keys; the key that
        verifies decides the issuer the token must name. Nothing in the token is read before this."""
        candidates: list[tuple[Callable[[], OKPKey | KeySet], str, str | None]] = [
            (lambda: self.key, self.issuer, kid(self.key))]
        if self.external_issuer:
            candidates.append((self._external, self.external_issuer, None))  # its KeySet picks by kid
        failure: BaseException | None = None
        for keys, issuer, key_id in candidates:
            try:
                return jwt.decode(token, keys(), algorithms=ASYMMETRIC), issuer, key_id
            except _MALFORMED as exc:
                failure = exc
        raise InvalidToken("토큰 형식이나 서명이 올바르지 않습니다.",
                           "The token is malformed or its signature is not valid.") from failure

    def _principal(self, claims: dict[str, Any], issuer: str) -> tuple[Principal, float, float]:
        role = claims.get("role")
        if not isinstance(role, str) or role not in ROLES:
            raise InvalidClaimError("role")
        scope = claims.get("scope", "")
        if not isinstance(scope, str):
            raise InvalidClaimError("scope")
        sub: str = claims["sub"]  # a non-empty string: checked by the registry above
        org, client_id = _optional_text(claims, "org"), _optional_text(claims, "client_id")
        issued_at = int(claims.get("iat", 0))
        account = _account(sub, client_id) if issuer == self.issuer else None
        scopes = frozenset(scope.split()) & frozenset(ROLE_SCOPES[role])
        principal = Principal(sub=sub, role=role, org=org, scopes=scopes, client_id=client_id, account=account,
                              issued_at=issued_at)
        return principal, float(claims.get("nbf", float("-inf"))), float(claims["exp"])

    def _external(self) -> KeySet:
        """The external issuer's JWKS, fetched on first use. While it cannot be fetched, tokens that the
        registry key does not verify are refused (401), and the fetch is retried at most every 30 s."""
        if self._external_keys is None:
            now = time.monotonic()
            if now < self._external_retry_at:
                raise InvalidToken(*_NO_EXTERNAL_KEYS)
            url = self.external_jwks_url or self.external_issuer.rstrip("/") + "/.well-known/jwks.json"  # type: ignore[union-attr]
            try:
                self._external_keys = KeySet.import_key_set(httpx.get(url, timeout=10).json())
            except (httpx.HTTPError, *_MALFORMED) as exc:
                self._external_retry_at = now + 30
                raise InvalidToken(*_NO_EXTERNAL_KEYS) from exc
        return self._external_keys


def _optional_text(claims: dict[str, Any], name: str) -> str | None:
    """An optional string claim: absent or null is None; anything but a non-empty string is refused."""
    value = claims.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise InvalidClaimError(name)
    return value


def _account(sub: str, client_id: str | None) -> AccountRef:
    """The local account a token of the embedded issuer speaks for. The token endpoint mints `sub` =
    the user's id with client_id axr-local, and `sub` = client:<id> with client_id <id> for a client:
    those accounts must still exist. Other tokens (axr token create) name an account only if one exists."""
    if sub.startswith("client:"):
        return AccountRef("client", sub.removeprefix("client:"), required=client_id == sub.removeprefix("client:"))
    return AccountRef("user", sub, required=client_id == LOCAL_CLIENT)
