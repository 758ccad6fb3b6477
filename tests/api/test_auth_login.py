"""The token endpoint: failed logins are limited per account and address, per address, and per account
from unfamiliar addresses (429 problem+json with Retry-After), and an unknown user costs a hash too."""

from __future__ import annotations

import secrets
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.api.live_server import live_server
from tests.api.test_ratelimit_redis import redis_url  # noqa: F401 - a fixture
from tests.conftest import bearer

PASSWORD = "correct horse battery"


def _app(settings: Any, engine: Any, tmp_path: Any, **update: Any) -> Any:
    from api.app import create_app

    limits = {"login_max_failures": 3, "login_max_failures_ip": 1000, "login_max_failures_account": 1000,
              "login_window_seconds": 3600}
    return create_app(settings.model_copy(update={"index_dir": tmp_path / "index", **limits, **update}),
                      engine=engine)


def _from(app: Any, address: str) -> TestClient:
    return TestClient(app, client=(address, 50000), raise_server_exceptions=False)


def _user(http: Any, app: Any, username: str = "park.jiwoo") -> None:
    admin, _ = app.state.tokens.mint(sub="test:admin", role="admin")
    r = http.post("/v1/admin/users", headers=bearer(admin),
                  json={"username": username, "password": PASSWORD, "role": "sme"})
    assert r.status_code == 201, r.text


def _login(http: Any, username: str = "park.jiwoo", password: str = PASSWORD) -> Any:
    return http.post("/v1/oauth/token", data={"grant_type": "password", "username": username, "password": password})


def _assert_429(r: Any, window: int = 3600) -> None:
    assert r.status_code == 429, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert 0 < int(r.headers["Retry-After"]) <= window
    assert r.json()["type"].endswith("/rate-limited")


def test_429_after_n_failures_for_that_account_from_that_address(settings, engine, tmp_path):
    app = _app(settings, engine, tmp_path)
    with _from(app, "198.51.100.7") as here, _from(app, "203.0.113.8") as elsewhere:
        _user(here, app)
        assert [_login(here, password="wrong password").status_code for _ in range(3)] == [400, 400, 400]
        _assert_429(_login(here, password="wrong password"))
        _assert_429(_login(here))  # locked: not even the right password is checked from here
        assert _login(elsewhere).status_code == 200  # the account is not locked everywhere
        _user(here, app, "other.user")
        assert _login(here, "other.user").status_code == 200  # nor is the address for other accounts
        # an unknown name is limited the same way, so the limit tells nothing about which names exist
        assert [_login(here, "nobody.here").status_code for _ in range(3)] == [400, 400, 400]
        _assert_429(_login(here, "nobody.here"))
        en = here.post("/v1/oauth/token", headers={"Accept-Language": "en"},
                       data={"grant_type": "password", "username": "nobody.here", "password": "x"})
        assert en.json()["title"] == "Too many failed logins"


def test_client_credentials_are_limited_too(settings, engine, tmp_path):
    app = _app(settings, engine, tmp_path)
    with _from(app, "198.51.100.7") as http:
        admin, _ = app.state.tokens.mint(sub="test:admin", role="admin")
        cid = http.post("/v1/admin/clients", headers=bearer(admin), json={"name": "포털"}).json()["client_id"]
        wrong = {"grant_type": "client_credentials", "client_id": cid, "client_secret": "guess"}
        assert [http.post("/v1/oauth/token", data=wrong).status_code for _ in range(3)] == [400, 400, 400]
        _assert_429(http.post("/v1/oauth/token", data=wrong))


def test_successful_logins_do_not_count(settings, engine, tmp_path):
    app = _app(settings, engine, tmp_path)
    with _from(app, "198.51.100.7") as http:
        _user(http, app)
        assert _login(http, password="wrong password").status_code == 400
        assert [_login(http).status_code for _ in range(6)] == [200] * 6
        assert [_login(http, password="wrong password").status_code for _ in range(2)] == [400, 400]
        _assert_429(_login(http, password="wrong password"))


def test_one_address_trying_many_accounts(settings, engine, tmp_path):
    app = _app(settings, engine, tmp_path, login_max_failures_ip=5)
    with _from(app, "198.51.100.7") as sprayer, _from(app, "203.0.113.8") as other:
        _user(sprayer, app)
        assert [_login(sprayer, f"user{i}", "Winter2026!").status_code for i in range(5)] == [400] * 5
        _assert_429(_login(sprayer, "user99", "Winter2026!"))
        _assert_429(_login(sprayer))  # the address is locked for every account
        assert _login(other).status_code == 200


def test_many_addresses_guessing_one_account_do_not_lock_it_out_where_it_signs_in(settings, engine, tmp_path):
    app = _app(settings, engine, tmp_path, login_max_failures=1000, login_max_failures_account=4)
    with ExitStack() as stack:
        office = stack.enter_context(_from(app, "192.0.2.10"))
        _user(office, app)
        assert _login(office).status_code == 200  # the office is now a known address of this account
        attackers = [stack.enter_context(_from(app, f"198.51.100.{i}")) for i in range(1, 6)]
        assert [_login(a, password="wrong password").status_code for a in attackers[:4]] == [400] * 4
        _assert_429(_login(attackers[4], password="wrong password"))  # a fifth address: locked for the account
        _assert_429(_login(stack.enter_context(_from(app, "203.0.113.50"))))  # a new place, right password
        assert _login(office).status_code == 200  # where the user signed in before: unaffected


def test_the_lock_lifts_when_the_window_ends_however_often_it_is_hit(settings, engine, tmp_path):
    app = _app(settings, engine, tmp_path, login_window_seconds=4)
    with _from(app, "198.51.100.7") as http:
        _user(http, app)
        time.sleep(4 - time.time() % 4 + 0.05)  # start at the beginning of a window (3 hashes fit in it)
        assert [_login(http, password="wrong password").status_code for _ in range(3)] == [400, 400, 400]
        refused = [_login(http, password="wrong password") for _ in range(10)]  # hammering while locked
        for r in refused:
            _assert_429(r, window=4)
        time.sleep(int(refused[-1].headers["Retry-After"]) + 0.05)  # what the answer said to wait
        assert _login(http).status_code == 200


def test_a_burst_of_parallel_guesses_cannot_slip_past_the_limit(settings, engine, tmp_path):
    """Each attempt is counted before its password is hashed, so 20 guesses sent at once get 3 answers."""
    app = _app(settings, engine, tmp_path)
    with live_server(app) as base, httpx.Client(base_url=base, timeout=60) as http:
        _user(http, app)
        with ThreadPoolExecutor(20) as pool:
            statuses = sorted(pool.map(lambda _: _login(http, password="wrong password").status_code, range(20)))
        assert statuses == [400] * 3 + [429] * 17, statuses


def test_an_unknown_user_costs_a_hash_like_a_known_one(settings, engine, tmp_path):
    """The unknown name hashes a dummy password; without that it answered in 2 ms against 34 ms. On a busy
    machine single timings jitter, so compare medians and only ask for half."""
    app = _app(settings, engine, tmp_path, login_max_failures=1000)
    with _from(app, "198.51.100.7") as http:
        _user(http, app)
        _login(http, "nobody.warmup", "x")  # the dummy hash is made on first use
        known, unknown = [], []
        for _ in range(9):
            for name, times in (("park.jiwoo", known), ("nobody." + secrets.token_hex(3), unknown)):
                start = time.perf_counter()
                assert _login(http, name, "wrong password").status_code == 400
                times.append(time.perf_counter() - start)
        assert statistics.median(unknown) >= 0.5 * statistics.median(known), (known, unknown)


def test_workers_share_the_failure_counts_in_redis(settings, engine, tmp_path, redis_url):  # noqa: F811
    prefix = "axr-test-" + secrets.token_hex(4)
    apps = [_app(settings, engine, tmp_path, redis_url=redis_url, redis_prefix=prefix) for _ in range(2)]
    with _from(apps[0], "198.51.100.7") as one, _from(apps[1], "198.51.100.7") as two:
        _user(one, apps[0])
        statuses = [(one if i % 2 else two).post("/v1/oauth/token", data={
            "grant_type": "password", "username": "park.jiwoo", "password": "wrong"}).status_code for i in range(3)]
        assert statuses == [400, 400, 400]
        _assert_429(_login(one))
        _assert_429(_login(two))
