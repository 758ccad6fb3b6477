"""Access tokens: RFC 9068 JWTs (typ at+jwt, asymmetric algorithms only) minted and verified here.

Tokens of the embedded issuer are signed with the registry key. When AXR_OIDC_ISSUER is set, tokens
of that issuer are verified against its JWKS as well, so a ministry identity provider can be plugged in.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OKPKey
from joserfc.jws import extract_compact

from core.accounts import ROLE_SCOPES, ROLES
from core.errors import Unauthorized
from core.keys import ALG, kid
from core.principal import Principal

ASYMMETRIC = ["EdDSA", "Ed25519", "ES256", "ES384", "RS256", "PS256"]


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
        try:
            header = extract_compact(token.encode()).protected
        except (JoseError, ValueError, UnicodeError) as exc:
            raise InvalidToken("토큰 형식이 올바르지 않습니다.", "The token is malformed.") from exc
        if header.get("typ", "").lower() not in ("at+jwt", "application/at+jwt"):
            raise InvalidToken("액세스 토큰(at+jwt)이 아닙니다.", "Not an access token (typ at+jwt).")
        if header.get("alg") not in ASYMMETRIC:
            raise InvalidToken("허용되지 않는 서명 알고리즘입니다.", "Signature algorithm not allowed.")
        keys, issuer = self._keys_for(token)
        try:
            decoded = jwt.decode(token, keys, algorithms=ASYMMETRIC)
            jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": issuer}, aud={"essential": True, "value": self.audience},
                exp={"essential": True}, sub={"essential": True},
            ).validate(decoded.claims)
        except (JoseError, ValueError) as exc:
            raise InvalidToken("토큰 서명이나 유효기간을 확인할 수 없습니다.",
                               "The token signature or validity could not be verified.") from exc
        claims = decoded.claims
        role = claims.get("role")
        if role not in ROLES:
            raise InvalidToken("토큰에 역할이 없습니다.", "The token carries no known role.")
        scopes = frozenset(str(claims.get("scope", "")).split()) & frozenset(ROLE_SCOPES[role])
        principal = Principal(sub=str(claims["sub"]), role=role, org=claims.get("org"), scopes=scopes,
                              client_id=claims.get("client_id"))
        return principal, float(claims.get("nbf", float("-inf"))), float(claims["exp"])

    def _keys_for(self, token: str) -> tuple[KeySet, str]:
        if self.external_issuer:
            try:
                unverified = json.loads(extract_compact(token.encode()).payload)
            except (JoseError, ValueError):
                unverified = {}
            if isinstance(unverified, dict) and unverified.get("iss") == self.external_issuer:
                return self._external(), self.external_issuer
        return KeySet([self.key]), self.issuer

    def _external(self) -> KeySet:
        if self._external_keys is None:
            url = self.external_jwks_url or self.external_issuer.rstrip("/") + "/.well-known/jwks.json"  # type: ignore[union-attr]
            self._external_keys = KeySet.import_key_set(httpx.get(url, timeout=10).json())
        return self._external_keys
