"""Signing in to the web application through HTTP as a browser would: /web/signin, the issuer's sign-in
form at /oauth/authorize, the redirect to /web/callback (tests/api/test_web_*.py)."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import bearer

PASSWORD = "비밀번호-충분히-길게-2026"
HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')


def hidden_fields(html: str) -> dict[str, str]:
    return dict(HIDDEN.findall(html))


def account(http: Any, app: Any, username: str, role: str = "sme", org: str | None = None) -> dict[str, Any]:
    """A local account created by the admin API; with `role` sme and `org`, the SME of that organisation."""
    admin, _ = app.state.tokens.mint(sub="test:admin", role="admin")
    r = http.post("/v1/admin/users", headers=bearer(admin),
                  json={"username": username, "password": PASSWORD, "role": role, "org_id": org})
    assert r.status_code == 201, r.text
    return dict(r.json())


def sign_in(http: Any, username: str, password: str = PASSWORD) -> Any:
    """The whole flow; returns the answer of /web/callback (303 to /web with the session cookie)."""
    r = http.get("/web/signin", follow_redirects=False)
    assert r.status_code == 303, r.text
    form = http.get(r.headers["location"])
    assert form.status_code == 200, form.text
    r = http.post("/oauth/authorize", data={**hidden_fields(form.text), "username": username, "password": password},
                  follow_redirects=False)
    assert r.status_code == 303, r.text
    return http.get(r.headers["location"], follow_redirects=False)


def signed_in(app: Any, username: str, password: str = PASSWORD) -> Any:
    """A new localhost client signed in as `username` (use it as a context manager)."""
    from fastapi.testclient import TestClient

    c = TestClient(app, base_url="http://localhost", raise_server_exceptions=False)
    r = sign_in(c, username, password)
    assert r.status_code == 303, r.text
    return c
