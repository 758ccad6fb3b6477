"""The web application's sign-in and session, through HTTP: the authorization-code flow with PKCE at the
embedded issuer (S256 only, a code once, bound to its verifier and redirect URI), the session cookie's
flags, CSRF on forms, expiry, sign-out, a disabled account's session, and tenant isolation by URL."""

from __future__ import annotations

import secrets
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from fastapi.testclient import TestClient

from core import clock
from core.signin import WEB_CLIENT, s256
from tests import factories
from tests.api.web_helpers import PASSWORD, account, hidden_fields, sign_in
from tests.conftest import bearer

CALLBACK = "http://localhost/web/callback"


@pytest.fixture
def http(app):
    with TestClient(app, base_url="http://localhost", raise_server_exceptions=False) as c:
        yield c


def _sme(http, app, mint, username: str) -> dict:
    org = "org_" + secrets.token_hex(6)
    user = account(http, app, username, org=org)
    r = http.post("/v1/smes", json=factories.sme(), headers=bearer(mint("sme", org=org)))
    assert r.status_code == 201, r.text
    return {"user": user, "org": org, "sme": r.json()}


def _code(http, verifier: str, redirect_uri: str = CALLBACK, username: str = "kim.sme") -> str:
    query = {"response_type": "code", "client_id": WEB_CLIENT, "redirect_uri": redirect_uri,
             "code_challenge": s256(verifier), "code_challenge_method": "S256", "state": "s1"}
    form = http.get("/oauth/authorize?" + urlencode(query))
    assert form.status_code == 200, form.text
    assert 'lang="ko"' in form.text
    assert '<label for="password">비밀번호</label>' in form.text
    r = http.post("/oauth/authorize", data={**hidden_fields(form.text), "username": username, "password": PASSWORD},
                  follow_redirects=False)
    assert r.status_code == 303, r.text
    target = urlsplit(r.headers["location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == redirect_uri
    got = parse_qs(target.query)
    assert got["state"] == ["s1"]
    return got["code"][0]


def _exchange(http, code: str, verifier: str, redirect_uri: str = CALLBACK, client_id: str = WEB_CLIENT):
    return http.post("/v1/oauth/token", data={"grant_type": "authorization_code", "code": code,
                                              "redirect_uri": redirect_uri, "client_id": client_id,
                                              "code_verifier": verifier})


def test_code_exchange_needs_the_right_verifier_and_works_once(http, app, mint):
    mine = _sme(http, app, mint, "kim.sme")
    verifier = secrets.token_urlsafe(48)
    code = _code(http, verifier)

    wrong = _exchange(http, code, secrets.token_urlsafe(48))
    assert wrong.status_code == 400, wrong.text
    assert wrong.json()["error"] == "invalid_grant"
    assert _exchange(http, code, verifier, redirect_uri="http://localhost/web/other").status_code == 400
    assert _exchange(http, code, verifier, client_id="axr-other").status_code == 400

    ok = _exchange(http, code, verifier)
    assert ok.status_code == 200, ok.text
    token = ok.json()["access_token"]
    needs = http.get("/v1/smes", headers=bearer(token))
    assert [s["id"] for s in needs.json()["items"]] == [mine["sme"]["id"]]  # the token is the account's

    time.sleep(1.05 - time.time() % 1)  # revocations are by whole second, as the tokens' iat
    again = _exchange(http, code, verifier)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    # RFC 6749 4.1.2: a code used twice may have been copied: the token it gave stops working
    refused = http.get("/v1/smes", headers=bearer(token))
    assert refused.status_code == 401, refused.text
    assert "폐기" in refused.json()["detail"]


def test_code_expires_within_a_minute(http, app, mint):
    _sme(http, app, mint, "kim.sme")
    verifier = secrets.token_urlsafe(48)
    code = _code(http, verifier)
    clock.advance(timedelta(seconds=61))
    assert _exchange(http, code, verifier).status_code == 400


def test_authorize_refuses_a_foreign_redirect_uri_or_no_pkce(http):
    base = {"response_type": "code", "client_id": WEB_CLIENT, "redirect_uri": CALLBACK,
            "code_challenge": s256("x" * 43), "code_challenge_method": "S256", "state": "s"}
    for bad in ({"redirect_uri": "https://evil.example/web/callback"}, {"code_challenge_method": "plain"},
                {"code_challenge": ""}, {"client_id": "someone"}):
        r = http.get("/oauth/authorize?" + urlencode({**base, **bad}), follow_redirects=False)
        assert r.status_code == 400, bad
        assert "로그인 요청이 올바르지 않습니다" in r.text
        assert "location" not in r.headers


def test_wrong_password_shows_the_form_again_in_korean(http, app, mint):
    _sme(http, app, mint, "kim.sme")
    r = http.get("/web/signin")
    fields = {**hidden_fields(r.text), "username": "kim.sme", "password": "틀린 비밀번호"}
    r = http.post("/oauth/authorize", data=fields, follow_redirects=False)
    assert r.status_code == 400
    assert "아이디 또는 비밀번호가 올바르지 않습니다." in r.text


def test_session_cookie_is_httponly_and_samesite_lax_and_secure_off_localhost(http, app, mint):
    _sme(http, app, mint, "kim.sme")
    r = sign_in(http, "kim.sme")
    assert r.status_code == 303
    assert r.headers["location"] == "/web"
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith("axr_session="))
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert "path=/" in flags
    assert "secure" not in flags  # http://localhost: a browser would drop a Secure cookie here
    assert http.get("/web/sme").status_code == 200

    with TestClient(app, base_url="https://registry.example", raise_server_exceptions=False) as remote:
        _ = remote.get("/web/signin", follow_redirects=False)
        flow = next(c for c in _.headers.get_list("set-cookie") if c.startswith("axr_signin="))
        assert "secure" in {p.strip().lower() for p in flow.split(";")}
        r = sign_in(remote, "kim.sme")
        cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith("axr_session="))
        assert "secure" in {p.strip().lower() for p in cookie.split(";")}


def test_a_form_without_its_csrf_token_is_refused_in_korean(http, app, mint):
    _sme(http, app, mint, "kim.sme")
    sign_in(http, "kim.sme")
    need = {"text": "사출 성형품 미성형 불량을 카메라로 자동 검사하고 싶습니다"}
    for sent in ({}, {"csrf_token": "위조된-토큰"}):
        r = http.post("/web/sme/needs", data={**need, **sent}, headers={"accept": "text/html"}, follow_redirects=False)
        assert r.status_code == 403
        assert r.headers["content-type"].startswith("text/html")
        assert "보안 확인 토큰(CSRF)이 없거나 맞지 않아 요청을 처리하지 않았습니다." in r.text
    assert "아직 등록한 수요가 없습니다." in http.get("/web/sme").text  # nothing was written
    form = http.get("/web/sme/needs/new")
    r = http.post("/web/sme/needs", data={**need, "csrf_token": hidden_fields(form.text)["csrf_token"]},
                  follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/web/sme/needs/")
    # sign-out is a form too
    assert http.post("/web/signout", data={}).status_code == 403
    assert http.get("/web/sme", follow_redirects=False).status_code == 200


def test_the_sign_in_form_needs_its_csrf_cookie(http, app, mint):
    _sme(http, app, mint, "kim.sme")
    form = http.get("/web/signin")
    http.cookies.delete("axr_authz_csrf", path="/oauth/authorize")
    r = http.post("/oauth/authorize", data={**hidden_fields(form.text), "username": "kim.sme", "password": PASSWORD},
                  follow_redirects=False)
    assert r.status_code == 403
    assert "보안 확인 토큰(CSRF)" in r.text


def test_a_callback_without_this_browsers_state_is_refused(http, app, mint):
    _sme(http, app, mint, "kim.sme")
    code = _code(http, secrets.token_urlsafe(48))
    r = http.get(f"/web/callback?code={code}&state=s1", follow_redirects=False)
    assert r.status_code == 400
    assert "axr_session" not in r.headers.get("set-cookie", "")


def test_sign_out_and_expiry_end_the_session(http, app, mint):
    _sme(http, app, mint, "kim.sme")
    sign_in(http, "kim.sme")
    page = http.get("/web/sme")
    r = http.post("/web/signout", data={"csrf_token": hidden_fields(page.text)["csrf_token"]})
    assert r.status_code == 200
    assert "로그아웃했습니다" in r.text
    old = http.get("/web/sme", follow_redirects=False)
    assert old.status_code == 303
    assert old.headers["location"].startswith("/web/signin")

    sign_in(http, "kim.sme")
    assert http.get("/web/sme", follow_redirects=False).status_code == 200
    seconds = app.state.settings.web_session_seconds
    clock.advance(timedelta(seconds=seconds + 1))
    r = http.get("/web/sme", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/web/signin?ended=1"


def test_a_disabled_accounts_session_ends_on_its_next_request(http, app, mint):
    mine = _sme(http, app, mint, "kim.sme")
    sign_in(http, "kim.sme")
    assert http.get("/web/sme", follow_redirects=False).status_code == 200
    admin = bearer(mint("admin", sub="test:admin"))
    assert http.post(f"/v1/admin/users/{mine['user']['id']}/disable", headers=admin).status_code == 200
    r = http.get("/web/sme", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/web/signin?ended=1"
    assert 'axr_session=""' in r.headers["set-cookie"] or "Max-Age=0" in r.headers["set-cookie"]
    # enabling it again does not bring the old session back (the cookie is gone from the server too)
    assert http.post(f"/v1/admin/users/{mine['user']['id']}/enable", headers=admin).status_code == 200
    http.cookies.clear()
    sign_in(http, "kim.sme")
    assert http.get("/web/sme", follow_redirects=False).status_code == 200


def test_another_tenants_need_answers_the_same_404_as_a_missing_one(http, app, mint):
    other = _sme(http, app, mint, "lee.other")
    theirs = http.post("/v1/needs", json=factories.need(), headers=bearer(mint("sme", org=other["org"])))
    assert theirs.status_code == 201, theirs.text
    _sme(http, app, mint, "kim.sme")
    sign_in(http, "kim.sme")
    their_id = theirs.json()["id"]
    missing_id = "00000000-0000-4000-8000-00000000000" + their_id[-1]  # same last letter, same particle
    a = http.get(f"/web/sme/needs/{their_id}", headers={"accept": "text/html"})
    b = http.get(f"/web/sme/needs/{missing_id}", headers={"accept": "text/html"})
    assert a.status_code == b.status_code == 404
    assert a.headers["content-type"].startswith("text/html")
    assert a.text.replace(their_id, "ID") == b.text.replace(missing_id, "ID")
    assert "찾을 수 없습니다" in a.text
    assert their_id not in http.get("/web/sme").text


def test_pages_without_a_session_send_the_browser_to_sign_in(http):
    for path in ("/web", "/web/sme", "/web/sme/needs/new"):
        r = http.get(path, follow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["location"] == "/web/signin"


def test_the_sign_in_form_counts_failures_as_the_token_endpoint_does(settings, engine, tmp_path, mint):
    from api.app import create_app

    limited = create_app(settings.model_copy(update={"index_dir": tmp_path / "index", "login_max_failures": 3,
                                                     # fixed windows: a 15-minute one can end between the failures
                                                     # (it did in a run at 15:45); this one ends every 11.6 days
                                                     "login_window_seconds": 1_000_000}),
                         engine=engine)
    with TestClient(limited, base_url="http://localhost", raise_server_exceptions=False) as http:
        _sme(http, limited, mint, "kim.sme")
        form = http.get("/web/signin")
        fields = {**hidden_fields(form.text), "username": "kim.sme", "password": "틀린 비밀번호"}
        assert [http.post("/oauth/authorize", data=fields).status_code for _ in range(3)] == [400, 400, 400]
        r = http.post("/oauth/authorize", data={**fields, "password": PASSWORD}, follow_redirects=False)
        assert r.status_code == 429  # locked: not even the right password is checked
        assert int(r.headers["Retry-After"]) > 0
        assert "로그인 실패가 너무 많습니다." in r.text


def test_other_roles_are_signed_in_but_kept_off_the_sme_pages(http, app):
    account(http, app, "park.supplier", role="supplier", org="org_park")  # their pages: test_web_supplier.py
    r = sign_in(http, "park.supplier")
    assert r.status_code == 303
    home = http.get("/web", follow_redirects=False)
    assert home.headers["location"] == "/web/supplier"
    sme = http.get("/web/sme", headers={"accept": "text/html"})
    assert sme.status_code == 403
    assert "수요기업 계정으로 로그인해야 볼 수 있는 화면입니다." in sme.text


def test_a_code_redeemed_twice_at_once_gives_one_token(http, app, mint):
    """Two exchanges of one code racing: the conditional UPDATE spends it once (SQLite and PostgreSQL)."""
    import threading

    _sme(http, app, mint, "kim.sme")
    verifier = secrets.token_urlsafe(48)
    code = _code(http, verifier)
    barrier, answers = threading.Barrier(4), []

    def redeem() -> None:
        with TestClient(app, base_url="http://localhost", raise_server_exceptions=False) as c:
            barrier.wait()
            answers.append(_exchange(c, code, verifier).status_code)

    threads = [threading.Thread(target=redeem) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(answers) == [200, 400, 400, 400]


def test_the_sign_in_form_names_the_demo_accounts_only_on_a_demo_server(settings, engine):
    """`axr serve --demo` (AXR_DEMO_SIGN_IN_HINT): the newcomer's first page says which demo account to use for
    each role; a server without it never lists an account."""
    from api.app import create_app

    query = {"response_type": "code", "client_id": WEB_CLIENT, "redirect_uri": CALLBACK, "state": "s",
             "code_challenge": s256(secrets.token_urlsafe(48)), "code_challenge_method": "S256"}
    for hint in (True, False):
        app = create_app(settings.model_copy(update={"demo_sign_in_hint": hint}), engine=engine)
        with TestClient(app, base_url="http://localhost") as c:
            form = c.get("/web/signin", follow_redirects=True)
            assert form.status_code == 200
            assert c.get("/oauth/authorize?" + urlencode(query)).status_code == 200
        shown = [name in form.text for name in ("sme01", "demo-password-m01", "supplier01", "reviewer01",
                                                "demo-password-admin")]
        assert shown == [hint] * 5
        assert ('id="demo-accounts"' in form.text) is hint
