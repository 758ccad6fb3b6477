"""Disabled, deleted and rotated accounts: their tokens stop working on the next request, through HTTP.

Verified tokens are cached for their validity (api/auth/tokens.py); these tests use each token once
before the change, so a check placed inside that cache would let the second request through.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import delete

from tests.api.portal_helpers import portal_client, portal_token
from tests.conftest import bearer

ROUTE = "/v1/companies"


def _user(client: Any, admin: dict[str, str], username: str = "kim.minjun", role: str = "sme") -> dict[str, Any]:
    r = client.post("/v1/admin/users", headers=admin,
                    json={"username": username, "password": "correct horse battery", "role": role})
    assert r.status_code == 201, r.text
    return r.json()


def _login(client: Any, username: str = "kim.minjun", password: str = "correct horse battery") -> Any:
    return client.post("/v1/oauth/token", data={"grant_type": "password", "username": username,
                                                "password": password})


def _next_second() -> None:
    """Tokens carry their issue time (iat) in whole seconds, and a disable or rotation revokes the tokens
    issued in the seconds before its own: a token issued in that very second survives a re-enable (the
    disable itself refuses it all the same). Let a second pass, so 'issued before' is unambiguous."""
    time.sleep(1.05 - time.time() % 1)


def test_a_disabled_user_is_refused_on_its_next_request_and_cannot_sign_in(client, mint):
    admin = bearer(mint("admin"))
    user = _user(client, admin)
    token = _login(client).json()["access_token"]
    assert client.get(ROUTE, headers=bearer(token)).status_code == 200  # now in the verified-token cache
    _next_second()
    r = client.post(f"/v1/admin/users/{user['id']}/disable", headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["active"] is False
    refused = client.get(ROUTE, headers=bearer(token))
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert "bearer" in refused.headers["www-authenticate"].lower()
    assert client.get(ROUTE, headers={**bearer(token), "Accept-Language": "en"}).json()["detail"] == \
        "The account is disabled."
    login = _login(client)
    assert (login.status_code, login.json()["error"]) == (400, "invalid_grant")  # as for a wrong password

    r = client.post(f"/v1/admin/users/{user['id']}/enable", headers=admin)
    assert (r.status_code, r.json()["active"]) == (200, True)
    assert client.get(ROUTE, headers=bearer(token)).status_code == 401  # issued before the disable: still revoked
    fresh = _login(client)
    assert fresh.status_code == 200, fresh.text
    assert client.get(ROUTE, headers=bearer(fresh.json()["access_token"])).status_code == 200


def test_a_deleted_user_is_refused(client, mint, engine):
    from sqlalchemy.orm import Session

    from core.accounts import UserAccount
    from core.db import writer

    user = _user(client, bearer(mint("admin")))
    token = _login(client).json()["access_token"]
    assert client.get(ROUTE, headers=bearer(token)).status_code == 200
    with Session(writer(engine)) as s, s.begin():
        s.execute(delete(UserAccount).where(UserAccount.id == user["id"]))
    # another process deleted it: this one's cached standing lasts at most AXR_ACCOUNT_CHECK_SECONDS (5)
    deadline = time.monotonic() + 6
    while client.get(ROUTE, headers=bearer(token)).status_code == 200:
        assert time.monotonic() < deadline, "the deleted account's token still works after 6 s"
        time.sleep(0.2)
    r = client.get(ROUTE, headers={**bearer(token), "Accept-Language": "en"})
    assert (r.status_code, r.json()["detail"]) == (401, "The token's account no longer exists.")


def test_a_disabled_client_is_refused_and_cannot_get_tokens(client, mint):
    admin = bearer(mint("admin"))
    cid, secret = portal_client(client, mint)
    token = portal_token(client, cid, secret)
    assert client.get("/v1/feed/changes", headers=bearer(token)).status_code == 200
    _next_second()
    r = client.post(f"/v1/admin/clients/{cid}/disable", headers=admin)
    assert (r.status_code, r.json()["active"]) == (200, False)
    assert client.get("/v1/feed/changes", headers=bearer(token)).status_code == 401
    again = client.post("/v1/oauth/token", data={"grant_type": "client_credentials", "client_id": cid,
                                                 "client_secret": secret})
    assert (again.status_code, again.json()["error"]) == (400, "invalid_client")
    # on a public route its token no longer buys the client quota: it is counted as an address
    public = client.get("/v1/public/audit/tree-head", headers=bearer(token))
    assert public.headers["RateLimit-Policy"].startswith('"public"'), public.headers

    assert client.post(f"/v1/admin/clients/{cid}/enable", headers=admin).json()["active"] is True
    assert client.get("/v1/feed/changes", headers=bearer(token)).status_code == 401  # revoked at the disable
    assert client.get("/v1/feed/changes", headers=bearer(portal_token(client, cid, secret))).status_code == 200


def test_rotating_a_secret_refuses_the_old_secret_and_its_tokens(client, mint):
    admin = bearer(mint("admin"))
    cid, old = portal_client(client, mint)
    old_token = portal_token(client, cid, old)
    assert client.get("/v1/feed/changes", headers=bearer(old_token)).status_code == 200
    _next_second()

    r = client.post(f"/v1/admin/clients/{cid}/secret", headers=admin)
    assert r.status_code == 200, r.text
    new = r.json()["client_secret"]
    assert new != old
    assert r.json()["client_id"] == cid
    refused = client.post("/v1/oauth/token", data={"grant_type": "client_credentials", "client_id": cid,
                                                   "client_secret": old})
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_client")
    assert client.get("/v1/feed/changes", headers=bearer(old_token)).status_code == 401
    new_token = portal_token(client, cid, new)  # at once, in the same second as the rotation
    assert client.get("/v1/feed/changes", headers=bearer(new_token)).status_code == 200


def test_another_worker_follows_within_the_check_interval(settings, engine, tmp_path, mint):
    """Two app instances on one database are two workers: the one that did not disable the account
    refuses it once its cached standing is older than AXR_ACCOUNT_CHECK_SECONDS."""
    from fastapi.testclient import TestClient

    from api.app import create_app

    configured = settings.model_copy(update={"index_dir": tmp_path / "index", "account_check_seconds": 1.0})
    one, two = create_app(configured, engine=engine), create_app(configured, engine=engine)
    with TestClient(one) as a, TestClient(two) as b:
        admin, _ = one.state.tokens.mint(sub="test:admin", role="admin")
        user = _user(a, bearer(admin))
        token = _login(a).json()["access_token"]
        assert b.get(ROUTE, headers=bearer(token)).status_code == 200  # worker two caches "active"
        assert a.post(f"/v1/admin/users/{user['id']}/disable", headers=bearer(admin)).status_code == 200
        assert a.get(ROUTE, headers=bearer(token)).status_code == 401  # the worker that changed it: at once
        time.sleep(1.1)
        assert b.get(ROUTE, headers=bearer(token)).status_code == 401


def test_admin_account_routes(client, mint):
    admin = bearer(mint("admin"))
    for path in ("/v1/admin/users/0199-no-such-user/disable", "/v1/admin/users/0199-no-such-user/enable",
                 "/v1/admin/clients/axr_none/disable", "/v1/admin/clients/axr_none/enable",
                 "/v1/admin/clients/axr_none/secret"):
        r = client.post(path, headers=admin)
        assert (r.status_code, r.headers["content-type"]) == (404, "application/problem+json"), (path, r.text)
    r = client.post("/v1/admin/users/" + "x" * 37 + "/disable", headers=admin)
    assert r.status_code == 422
    # an admin signed in with a local account cannot disable it (the last admin could lock everyone out)
    me = _user(client, admin, username="admin.lee", role="admin")
    mine = bearer(_login(client, "admin.lee").json()["access_token"])
    r = client.post(f"/v1/admin/users/{me['id']}/disable", headers={**mine, "Accept-Language": "en"})
    assert (r.status_code, r.json()["detail"]) == (409, "You cannot disable your own account.")
    for role in ("supplier", "sme", "reviewer", "portal"):
        assert client.post(f"/v1/admin/users/{me['id']}/disable", headers=bearer(mint(role))).status_code == 403


def test_cli_tokens_name_no_account_unless_their_subject_is_one(client, mint):
    """`axr token create` tokens (operator tokens, client_id axr-cli) are accepted as signed when their
    subject is no account; when `--sub` names a user account, that account's standing applies."""
    admin = bearer(mint("admin"))
    assert client.get(ROUTE, headers=bearer(mint("sme", sub="cli:1a2b3c4d"))).status_code == 200
    user = _user(client, admin)
    as_user = bearer(mint("sme", sub=user["id"]))
    assert client.get(ROUTE, headers=as_user).status_code == 200
    client.post(f"/v1/admin/users/{user['id']}/disable", headers=admin)
    assert client.get(ROUTE, headers=as_user).status_code == 401
    # a token the token endpoint would mint (client_id axr-local) for an account that never existed
    assert client.get(ROUTE, headers=bearer(mint("sme", sub="0199-ghost", client_id="axr-local"))).status_code == 401
    assert client.get(ROUTE, headers=bearer(mint("portal", sub="client:ghost", client_id="ghost"))).status_code == 401


def test_a_disabled_admin_gets_no_replay_of_a_stored_secret(client, mint):
    """An Idempotency-Key replay is answered before the route runs: it must check the account too, or a
    disabled admin whose token has not expired could fetch a client's secret again."""
    root = bearer(mint("admin"))
    admin_id = _user(client, root, username="park.admin", role="admin")["id"]
    token = _login(client, username="park.admin").json()["access_token"]
    headers = {**bearer(token), "Idempotency-Key": "client-for-replay"}
    body = {"name": "경북 포털", "role": "portal"}
    first = client.post("/v1/admin/clients", json=body, headers=headers)
    assert first.status_code == 201, first.text
    _next_second()
    assert client.post(f"/v1/admin/users/{admin_id}/disable", headers=root).status_code == 200
    again = client.post("/v1/admin/clients", json=body, headers=headers)
    assert again.status_code == 401, again.text
    assert "client_secret" not in again.text
