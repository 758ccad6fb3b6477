"""Tokens of an external OIDC issuer (AXR_OIDC_ISSUER), beside the registry's own."""

from __future__ import annotations


def test_tokens_of_an_external_oidc_issuer_are_verified_against_its_jwks(settings, engine):
    """AXR_OIDC_ISSUER: a ministry identity provider signs the tokens; its JWKS is fetched over HTTP
    (a real server on 127.0.0.1 here) and tokens of other issuers keep working."""
    import json
    import threading
    import time
    import uuid
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from fastapi.testclient import TestClient
    from joserfc import jwt
    from joserfc.jwk import OKPKey

    from api.app import create_app

    idp_key = OKPKey.generate_key("Ed25519", parameters={"kid": "idp-1"})
    jwks = json.dumps({"keys": [idp_key.as_dict(private=False)]}).encode()

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(jwks)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    issuer = "https://idp.example.go.kr"
    try:
        app = create_app(settings.model_copy(update={
            "oidc_issuer": issuer, "oidc_jwks_url": f"http://127.0.0.1:{server.server_address[1]}/jwks"}),
            engine=engine)
        now = int(time.time())

        def idp_token(aud: str) -> str:
            claims = {"iss": issuer, "aud": aud, "sub": "ministry-user-7", "iat": now, "nbf": now,
                      "exp": now + 600, "jti": str(uuid.uuid4()), "role": "reviewer",
                      "scope": "catalogue:read registry:read"}
            return jwt.encode({"alg": "Ed25519", "typ": "at+jwt", "kid": "idp-1"}, claims, idp_key,
                              algorithms=["Ed25519"])

        with TestClient(app) as client:
            ok = client.get("/v1/companies", headers={"Authorization": f"Bearer {idp_token(settings.token_audience)}"})
            assert ok.status_code == 200, ok.text
            wrong_aud = client.get("/v1/companies", headers={"Authorization": f"Bearer {idp_token('other-api')}"})
            assert wrong_aud.status_code == 401
            own, _ = app.state.tokens.mint(sub="local", role="sme", org="org_local")
            assert client.get("/v1/companies", headers={"Authorization": f"Bearer {own}"}).status_code == 200
    finally:
        server.shutdown()
        server.server_close()
