"""Signing in to the web application at an external OIDC issuer (a ministry identity provider) instead of
the embedded one: set AXR_OIDC_ISSUER and AXR_OIDC_WEB_CLIENT_ID and /web/signin sends the browser to the
issuer's authorization endpoint (authorization code, PKCE S256, state); /web/callback redeems the code at
its token endpoint and opens a web session for the access token, verified as the API verifies that issuer's
tokens (its JWKS, RFC 9068 at+jwt, this registry's audience, a `role` claim). The endpoints come from the
issuer's discovery document unless AXR_OIDC_AUTHORIZATION_URL / AXR_OIDC_TOKEN_URL name them."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

from core.errors import PROBLEM_BASE, AppError
from core.settings import Settings

TIMEOUT = 10.0


class IdentityProviderUnavailable(AppError):
    status = 502
    type = PROBLEM_BASE + "identity-provider"
    title_ko = "인증 기관에 연결할 수 없습니다"
    title_en = "The identity provider could not be reached"


class IdentityProviderRefused(AppError):
    status = 400
    type = PROBLEM_BASE + "identity-provider-refused"
    title_ko = "인증 기관이 로그인을 거절했습니다"
    title_en = "The identity provider refused the sign-in"


@dataclass
class ExternalSignIn:
    issuer: str
    client_id: str
    client_secret: str | None
    scope: str
    authorization_url: str | None = None
    token_url: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_settings(cls, settings: Settings) -> ExternalSignIn | None:
        """The external sign-in when the issuer and the web client's id are both set, else None."""
        if not (settings.oidc_issuer and settings.oidc_web_client_id):
            return None
        return cls(issuer=settings.oidc_issuer, client_id=settings.oidc_web_client_id,
                   client_secret=settings.oidc_web_client_secret, scope=settings.oidc_web_scope,
                   authorization_url=settings.oidc_authorization_url, token_url=settings.oidc_token_url)

    def _endpoints(self) -> tuple[str, str]:
        """(authorization, token) endpoints, from the discovery document on first use unless configured."""
        with self._lock:
            if not (self.authorization_url and self.token_url):
                url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
                try:
                    doc = httpx.get(url, timeout=TIMEOUT).raise_for_status().json()
                    self.authorization_url = self.authorization_url or str(doc["authorization_endpoint"])
                    self.token_url = self.token_url or str(doc["token_endpoint"])
                except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
                    raise IdentityProviderUnavailable(
                        "인증 기관의 설정 문서(openid-configuration)를 가져올 수 없습니다. 잠시 뒤 다시 로그인하세요.",
                        "The identity provider's discovery document could not be fetched.") from exc
            return self.authorization_url, self.token_url

    def authorization_redirect(self, *, redirect_uri: str, state: str, code_challenge: str) -> str:
        authorize, _ = self._endpoints()
        query = {"response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri,
                 "scope": self.scope, "state": state, "code_challenge": code_challenge,
                 "code_challenge_method": "S256"}
        return authorize + ("&" if "?" in authorize else "?") + urlencode(query)

    def redeem(self, *, code: str, redirect_uri: str, code_verifier: str) -> str:
        """The access token the issuer's token endpoint gives for the code (RFC 6749 4.1.3, RFC 7636)."""
        _, token_url = self._endpoints()
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                "code_verifier": code_verifier, "client_id": self.client_id}
        auth = (self.client_id, self.client_secret) if self.client_secret else None
        try:
            response = httpx.post(token_url, data=form, auth=auth, timeout=TIMEOUT,
                                  headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            raise IdentityProviderUnavailable(
                "인증 기관의 토큰 발급 주소에 연결할 수 없습니다. 잠시 뒤 다시 로그인하세요.",
                "The identity provider's token endpoint could not be reached.") from exc
        body: Any = None
        try:
            body = response.json()
        except ValueError:
            pass
        token = body.get("access_token") if isinstance(body, dict) else None
        if response.status_code != 200 or not isinstance(token, str) or not token:
            reason = body.get("error") if isinstance(body, dict) else None
            raise IdentityProviderRefused(
                "인증 기관이 인가 코드를 받아들이지 않았습니다. 처음부터 다시 로그인하세요.",
                f"The identity provider did not accept the authorization code ({reason or response.status_code}).")
        return token
