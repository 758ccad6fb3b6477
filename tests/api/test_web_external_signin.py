"""The web application signing in at an external OIDC issuer (AXR_OIDC_ISSUER + AXR_OIDC_WEB_CLIENT_ID): a
ministry identity provider takes the embedded issuer's place. The provider here is a small one on 127.0.0.1
(discovery, authorization endpoint, token endpoint checking PKCE S256, JWKS), a stand-in for the ministry's
that speaks the same protocol; the registry under test is the real app."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import OKPKey

from api.app import create_app
from tests import factories
from tests.conftest import bearer

ISSUER_PATH = "/realms/mss"
CLIENT_ID = "ax-registry-web"
REDIRECT = "http://localhost/web/callback"


@dataclass
class Provider:
    """What the stand-in identity provider knows: its key, the user who signs in, the codes it issued."""

    audience: str
    key: OKPKey = field(default_factory=lambda: OKPKey.generate_key("Ed25519", parameters={"kid": "mss-1"}))
    user: dict = field(default_factory=lambda: {"sub": "mss-officer-7", "role": "sme", "org": "org_ext_sme"})
    codes: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (challenge, redirect_uri)
    base: str = ""

    def access_token(self) -> str:
        now = int(time.time())
        claims = {"iss": self.base + ISSUER_PATH, "aud": self.audience, "iat": now, "nbf": now, "exp": now + 600,
                  "jti": str(uuid.uuid4()), "client_id": CLIENT_ID, "scope": "", **self.user}
        return jwt.encode({"alg": "Ed25519", "typ": "at+jwt", "kid": "mss-1"}, claims, self.key,
                          algorithms=["Ed25519"])


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: dict | None = None, location: str | None = None) -> None:
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            data = json.dumps(body or {}).encode()
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            url = urlsplit(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == ISSUER_PATH + "/.well-known/openid-configuration":
                root = provider.base + ISSUER_PATH
                return self._send(200, {"issuer": root, "authorization_endpoint": root + "/auth",
                                        "token_endpoint": root + "/token", "jwks_uri": root + "/jwks"})
            if url.path == ISSUER_PATH + "/jwks":
                return self._send(200, {"keys": [provider.key.as_dict(private=False)]})
            if url.path == ISSUER_PATH + "/auth":  # the user signs in here; the provider sends a code back
                if q.get("client_id") != CLIENT_ID or q.get("code_challenge_method") != "S256":
                    return self._send(400, {"error": "invalid_request"})
                code = secrets.token_urlsafe(16)
                provider.codes[code] = (q["code_challenge"], q["redirect_uri"])
                back = q["redirect_uri"] + "?" + urlencode({"code": code, "state": q["state"]})
                return self._send(302, location=back)
            return self._send(404)

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            issued = provider.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "").encode()
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
            if (issued is None or issued != (challenge, form.get("redirect_uri"))
                    or form.get("client_id") != CLIENT_ID or form.get("grant_type") != "authorization_code"):
                return self._send(400, {"error": "invalid_grant"})
            return self._send(200, {"access_token": provider.access_token(), "token_type": "Bearer",
                                    "expires_in": 600})

        def log_message(self, *args) -> None:
            pass

    return Handler


@pytest.fixture
def provider(settings) -> Iterator[Provider]:
    provider = Provider(audience=settings.token_audience)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def http(settings, engine, provider) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={
        "oidc_issuer": provider.base + ISSUER_PATH, "oidc_jwks_url": provider.base + ISSUER_PATH + "/jwks",
        "oidc_web_client_id": CLIENT_ID}), engine=engine)
    with TestClient(app, base_url="http://localhost", raise_server_exceptions=False) as client:
        yield client


def _at_provider(http: TestClient) -> str:
    """Start the sign-in and let the provider answer its authorization request: the callback URL it sends."""
    start = http.get("/web/signin", follow_redirects=False)
    assert start.status_code == 303
    target = urlsplit(start.headers["location"])
    query = parse_qs(target.query)
    assert target.path == ISSUER_PATH + "/auth"
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [REDIRECT]
    assert query["code_challenge_method"] == ["S256"]
    assert query["scope"] == ["openid"]
    back = httpx.get(start.headers["location"], follow_redirects=False)
    assert back.status_code == 302, back.text
    assert back.headers["location"].startswith(REDIRECT + "?")
    return back.headers["location"]


def test_the_web_signs_in_at_the_external_issuer_and_the_session_follows_its_token(http, provider, mint):
    org = provider.user["org"]
    made = http.post("/v1/smes", json=factories.sme(), headers=bearer(mint("sme", org=org)))
    assert made.status_code == 201, made.text

    done = http.get(_at_provider(http).removeprefix("http://localhost"), follow_redirects=False)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/web"
    cookie = done.headers["set-cookie"]
    assert "axr_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie

    page = http.get("/web", follow_redirects=True)
    assert page.status_code == 200, page.text
    assert str(page.url).endswith("/web/sme")
    assert "수요기업 계정으로 로그인됨" in page.text
    assert made.json()["name_ko"] in page.text  # the dashboard of the SME the provider's token names

    embedded = http.get("/oauth/authorize?" + urlencode({
        "response_type": "code", "client_id": "axr-web", "redirect_uri": REDIRECT, "state": "s",
        "code_challenge": "x" * 43, "code_challenge_method": "S256"}))
    assert embedded.status_code == 400
    assert "외부 인증 기관" in embedded.text  # the embedded sign-in form is not offered beside the provider


def test_a_code_the_provider_refuses_opens_no_session(http, provider):
    back = urlsplit(_at_provider(http))
    state = parse_qs(back.query)["state"][0]
    refused = http.get("/web/callback?" + urlencode({"code": "not-a-code-it-issued", "state": state}),
                       follow_redirects=False)
    assert refused.status_code == 400, refused.text
    assert "인증 기관이 인가 코드를 받아들이지 않았습니다. 처음부터 다시 로그인하세요." in refused.text
    assert "axr_session=" not in refused.headers.get("set-cookie", "")
    assert http.get("/web", follow_redirects=False).headers["location"].startswith("/web/signin")


def test_an_unreachable_provider_is_a_korean_page_not_a_traceback(settings, engine):
    with socket_closed_port() as port:
        app = create_app(settings.model_copy(update={
            "oidc_issuer": f"http://127.0.0.1:{port}/realms/mss", "oidc_web_client_id": CLIENT_ID}), engine=engine)
        with TestClient(app, base_url="http://localhost", raise_server_exceptions=False) as http:
            r = http.get("/web/signin", follow_redirects=False)
    assert r.status_code == 502, r.text
    assert "인증 기관의 설정 문서(openid-configuration)를 가져올 수 없습니다" in r.text
    assert r.headers["content-type"].startswith("text/html")


class socket_closed_port:  # noqa: N801 - used as a context manager
    """A loopback port nothing listens on (bound, then closed)."""

    def __enter__(self) -> int:
        import socket

        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        return port

    def __exit__(self, *exc: object) -> None:
        return None
