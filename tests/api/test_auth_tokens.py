"""Malformed and forged access tokens: every one is a 401 problem+json on an API route, never a 500.

Nothing in a token is trusted before its signature is verified: the unsigned table below is refused for
its form, the signed table (real registry key, claims of the wrong type) for its content.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any

import pytest
from joserfc.jwk import OKPKey

ROUTE = "/v1/companies"  # any route that needs a token (catalogue:read)


def _b64(data: bytes | str) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _seg(obj: Any) -> str:
    return _b64(json.dumps(obj))


def _claims(tokens: Any, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {"iss": tokens.issuer, "aud": tokens.audience, "sub": "test:forged", "iat": now,
                              "nbf": now, "exp": now + 600, "jti": str(uuid.uuid4()), "client_id": "axr-cli",
                              "role": "sme", "org": "org_forged", "scope": "catalogue:read registry:read"}
    for name, value in changes.items():
        if value is DROP:
            claims.pop(name, None)
        else:
            claims[name] = value
    return claims


DROP = object()
WRONG_TYPES = [1, 1.5, True, None, [], ["x"], {}, {"a": 1}, "", 10**30]


def _signed(key: OKPKey, header: dict[str, Any], claims: dict[str, Any] | str) -> str:
    """A compact JWS signed by `key` (Ed25519) over any header and payload, even ones joserfc would refuse."""
    payload = claims if isinstance(claims, str) else json.dumps(claims)
    signing_input = _seg(header) + "." + _b64(payload)
    return signing_input + "." + _b64(key.private_key.sign(signing_input.encode()))


def unsigned_tokens(tokens: Any) -> dict[str, str]:
    """Tokens that fail on their form or their signature."""
    good_header = {"alg": "Ed25519", "typ": "at+jwt", "kid": tokens.key.kid or tokens.key.thumbprint()}
    body = _seg(_claims(tokens))
    out = {
        "the finding's token (typ 1)": "eyJhbGciOiJFZDI1NTE5IiwidHlwIjoxfQ.e30.AAAA",
        "empty": "",
        "one part": "abc",
        "two parts": "abc.def",
        "four parts": "a.b.c.d",
        "six dots": "......",
        "bad base64 header": "!!!." + body + ".AAAA",
        "bad base64 signature": _seg(good_header) + "." + body + ".!!!",
        "header not json": _b64("{not json") + "." + body + ".AAAA",
        "header not utf-8": _b64(b"\xff\xfe{") + "." + body + ".AAAA",
        "header a list": _seg([]) + "." + body + ".AAAA",
        "header a string": _seg("at+jwt") + "." + body + ".AAAA",
        "header null": _seg(None) + "." + body + ".AAAA",
        "header deeply nested": _b64("[" * 5000 + "]" * 5000) + "." + body + ".AAAA",
        "payload not json": _seg(good_header) + "." + _b64("{nope") + ".AAAA",
        "payload a list": _seg(good_header) + "." + _seg([1, 2]) + ".AAAA",
        "non-ascii token": "토큰.토큰.토큰",
        "alg none": _seg({"alg": "none", "typ": "at+jwt"}) + "." + body + ".",
        "unknown kid, another key": _signed(OKPKey.generate_key("Ed25519"),
                                            {**good_header, "kid": "no-such-key"}, _claims(tokens)),
        "right kid, another key": _signed(OKPKey.generate_key("Ed25519"), good_header, _claims(tokens)),
    }
    # algorithm confusion: HS256 keyed with the published public key
    public_x = tokens.key.as_dict(private=False)["x"].encode()
    signing_input = _seg({"alg": "HS256", "typ": "at+jwt"}) + "." + body
    out["hs256 with the public key"] = signing_input + "." + _b64(
        hmac.new(public_x, signing_input.encode(), hashlib.sha256).digest())
    for name in ("typ", "alg", "kid", "crit", "b64"):
        for value in WRONG_TYPES:
            header = {**good_header, name: value}
            out[f"header {name}={value!r:.20}"] = _seg(header) + "." + body + ".AAAA"
    return out


def signed_tokens(tokens: Any) -> dict[str, str]:
    """Tokens genuinely signed with the registry key whose header or claims are wrong."""
    key = tokens.key
    kid = key.kid or key.thumbprint()
    header = {"alg": "Ed25519", "typ": "at+jwt", "kid": kid}
    out = {
        "typ JWT": _signed(key, {**header, "typ": "JWT"}, _claims(tokens)),
        "no typ": _signed(key, {"alg": "Ed25519", "kid": kid}, _claims(tokens)),
        "payload not an object": _signed(key, header, "[1, 2, 3]"),
        "payload not json": _signed(key, header, "{nope"),
        "expired": _signed(key, header, _claims(tokens, exp=int(time.time()) - 60)),
        "not yet valid": _signed(key, header, _claims(tokens, nbf=int(time.time()) + 600)),
        "wrong issuer": _signed(key, header, _claims(tokens, iss="https://evil.example")),
        "wrong audience": _signed(key, header, _claims(tokens, aud="other-api")),
        "unknown role": _signed(key, header, _claims(tokens, role="root")),
        "unknown kid": _signed(key, {**header, "kid": "no-such-key"}, _claims(tokens)),
    }
    for name in ("iss", "aud", "sub", "exp", "nbf", "iat", "jti", "role"):
        out[f"no {name}" if name in ("iss", "aud", "sub", "exp", "role") else f"_ok without {name}"] = _signed(
            key, header, _claims(tokens, **{name: DROP}))
    for name in ("iss", "aud", "sub", "exp", "nbf", "iat", "jti", "role", "scope", "org", "client_id"):
        for value in WRONG_TYPES:
            if any(name == n and value == v and type(value) is type(v) for n, v in ACCEPTABLE):
                continue
            out[f"{name}={value!r:.20}"] = _signed(key, header, _claims(tokens, **{name: value}))
    for value in WRONG_TYPES:
        if not isinstance(value, str):
            out[f"typ={value!r:.20}"] = _signed(key, {**header, "typ": value}, _claims(tokens))
    return {name: token for name, token in out.items() if not name.startswith("_ok")}


# Values from WRONG_TYPES that are valid for that claim (test_well_formed_variants_still_verify):
# `org` and `client_id` may be null (absent), `iat`/`nbf` any past NumericDate, `exp` any future one,
# `jti` any string, `scope` an empty string (no scopes: 403, not 401).
ACCEPTABLE = [("org", None), ("client_id", None), ("iat", 1), ("iat", 1.5), ("nbf", 1), ("nbf", 1.5),
              ("exp", 10**30), ("jti", ""), ("scope", "")]


def _auth(token: str) -> dict[str, bytes]:
    return {"Authorization": f"Bearer {token}".encode()}  # bytes: a header may carry non-ASCII octets


def _assert_401(response: Any, name: str) -> None:
    assert response.status_code == 401, f"{name}: {response.status_code} {response.text[:200]}"
    assert response.headers["content-type"] == "application/problem+json", name
    assert response.json()["status"] == 401, name
    assert "bearer" in response.headers.get("www-authenticate", "").lower(), name


def test_malformed_tokens_are_401_problem_json(client, app):
    for name, token in unsigned_tokens(app.state.tokens).items():
        _assert_401(client.get(ROUTE, headers=_auth(token)), name)


def test_signed_tokens_with_wrong_headers_or_claims_are_401(client, app):
    for name, token in signed_tokens(app.state.tokens).items():
        _assert_401(client.get(ROUTE, headers=_auth(token)), name)


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Bearer  x", "Basic YTpi", "bearer\tabc", "Token abc"])
def test_malformed_authorization_headers_are_401(client, header):
    _assert_401(client.get(ROUTE, headers={"Authorization": header}), header)


def test_malformed_tokens_on_public_routes_count_against_the_address(client, app):
    """A public route answers as for an anonymous caller; the bad token neither fails nor escapes the IP limit."""
    anonymous = client.get("/v1/public/audit/tree-head")  # 404 on an empty log: the same for everyone
    for name, token in list(unsigned_tokens(app.state.tokens).items())[:10]:
        r = client.get("/v1/public/audit/tree-head", headers=_auth(token))
        assert (r.status_code, r.json()) == (anonymous.status_code, anonymous.json()), name
        assert r.headers["RateLimit-Policy"].startswith('"public"'), name


def test_well_formed_variants_still_verify(client, app):
    """The table refuses what is wrong, not what is merely unusual: an audience list naming us, no jti,
    no iat, no org, and the full media type for typ are all fine."""
    tokens = app.state.tokens
    key, kid = tokens.key, tokens.key.kid or tokens.key.thumbprint()
    header = {"alg": "Ed25519", "typ": "at+jwt", "kid": kid}
    fine = {
        "aud list": _signed(key, header, _claims(tokens, aud=["other", tokens.audience])),
        "no jti": _signed(key, header, _claims(tokens, jti=DROP)),
        "no iat": _signed(key, header, _claims(tokens, iat=DROP)),
        "no org": _signed(key, header, _claims(tokens, org=DROP)),
        "typ application/at+jwt": _signed(key, {**header, "typ": "application/at+jwt"}, _claims(tokens)),
        "typ AT+JWT": _signed(key, {**header, "typ": "AT+JWT"}, _claims(tokens)),
        "no kid": _signed(key, {"alg": "Ed25519", "typ": "at+jwt"}, _claims(tokens)),
        "org null": _signed(key, header, _claims(tokens, org=None)),
        "iat and nbf long past": _signed(key, header, _claims(tokens, iat=1, nbf=1.5)),
        "exp far ahead": _signed(key, header, _claims(tokens, exp=10**30)),
    }
    for name, token in fine.items():
        r = client.get(ROUTE, headers=_auth(token))
        assert r.status_code == 200, (name, r.status_code, r.text[:200])
    no_scope = client.get(ROUTE, headers=_auth(_signed(key, header, _claims(tokens, scope=""))))
    assert no_scope.status_code == 403, no_scope.text  # a valid token without the scope
