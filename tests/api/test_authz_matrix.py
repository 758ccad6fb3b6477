"""Every route x every kind of caller -> the status the caller gets (OWASP API1/API2/API5).

The routes are enumerated from the app; EXPECT must list each of them, so whoever adds a route adds its
row here. Callers: the five roles (supplier and sme own the objects made in setup), a second supplier
and a second SME (other tenants), and five kinds of bad token. Only OPEN routes may answer without a
valid token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from joserfc import jwt
from joserfc.jwk import OKPKey

from tests import factories
from tests.conftest import bearer

ROLES = ("supplier", "sme", "reviewer", "admin", "portal")
OTHER_TENANTS = ("other_supplier", "other_sme")
BAD_TOKENS = ("no_token", "expired", "other_key", "alg_none", "wrong_typ", "hs256_with_public_key")
CALLERS = ROLES + OTHER_TENANTS + BAD_TOKENS

# Routes anyone may call; everything else must answer 401 to every bad token.
OPEN = {"/v1/health", "/v1/health/ready", "/.well-known/jwks.json", "/v1/oauth/token", "/docs",
        "/docs/oauth2-redirect", "/redoc", "/openapi.json"}
OPEN_PREFIXES = ("/v1/public/",)


@dataclass
class Row:
    """Expected status per caller; callers not named get `default` (401 for bad tokens on closed routes)."""

    expect: dict[str, int]
    body: Any = None  # dict (JSON), or a callable(world) -> dict
    form: bool = False
    fresh_org: bool = False  # creating routes: supplier/sme callers come from an organisation with nothing yet
    default: int | None = None


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES + OTHER_TENANTS, status)


def only(allowed: dict[str, int], others: int) -> dict[str, int]:
    return {**everyone(others), **allowed}


OWNER_WRITE = {"supplier": 200, "admin": 200, "other_supplier": 404, "sme": 404, "other_sme": 404,
               "reviewer": 403, "portal": 403}
SME_WRITE = {"sme": 200, "admin": 200, "supplier": 404, "other_supplier": 404, "other_sme": 404,
             "reviewer": 403, "portal": 403}
SME_READ = {"sme": 200, "reviewer": 200, "admin": 200, "supplier": 404, "other_supplier": 404,
            "other_sme": 404, "portal": 403}
REGISTRY_LIST = {**everyone(200), "portal": 403}


def _created(d: dict[str, int]) -> dict[str, int]:
    return {k: 201 if v == 200 else v for k, v in d.items()}


EXPECT: dict[tuple[str, str], Row] = {
    # open
    ("GET", "/v1/health"): Row(everyone(200), default=200),
    ("GET", "/v1/health/ready"): Row(everyone(200), default=200),  # search warmed before the walk
    ("GET", "/.well-known/jwks.json"): Row(everyone(200), default=200),
    ("POST", "/v1/oauth/token"): Row(everyone(200), default=200, form=True,
                                     body=lambda w: {"grant_type": "password", "username": w.username,
                                                     "password": w.password}),
    ("GET", "/openapi.json"): Row(everyone(200), default=200),
    ("GET", "/docs"): Row(everyone(200), default=200),
    ("GET", "/docs/oauth2-redirect"): Row(everyone(200), default=200),
    ("GET", "/redoc"): Row(everyone(200), default=200),
    # admin
    ("POST", "/v1/admin/clients"): Row(only({"admin": 201}, 403), body={"name": "경남 스마트공장 포털"}),
    ("POST", "/v1/admin/users"): Row(only({"admin": 201}, 403),
                                     body=lambda w: {"username": "u" + secrets.token_hex(5),
                                                     "password": "correct horse battery", "role": "reviewer"}),
    # companies: public catalogue to read, the owner (or an admin) to change
    ("POST", "/v1/companies"): Row({**everyone(403), "supplier": 201, "other_supplier": 201},
                                   body=lambda w: factories.company(), fresh_org=True),
    ("GET", "/v1/companies"): Row(everyone(200)),
    ("GET", "/v1/companies/{company_id}"): Row(everyone(200)),
    ("PATCH", "/v1/companies/{company_id}"): Row(OWNER_WRITE, body={"name_en": "DeepVision Labs"}),
    ("GET", "/v1/companies/{company_id}/tips"): Row(everyone(200)),
    ("POST", "/v1/companies/{company_id}/tips"): Row(_created(OWNER_WRITE),
                                                     body={"program": "tips", "operator": "블루포인트파트너스"}),
    ("POST", "/v1/companies/{company_id}/tips/{linkage_id}/stages"): Row(
        OWNER_WRITE, body={"stage": "selected", "on_date": "2026-03-02"}),
    # solutions: the path id is a draft, which only its owner and staff may see
    ("POST", "/v1/solutions"): Row(_created(OWNER_WRITE), body=lambda w: factories.solution(w.ids["company_id"])),
    ("GET", "/v1/solutions"): Row(everyone(200)),
    ("GET", "/v1/solutions/{solution_id}"): Row(
        {"supplier": 200, "reviewer": 200, "admin": 200, "other_supplier": 404, "sme": 404, "other_sme": 404,
         "portal": 404}),
    ("PATCH", "/v1/solutions/{solution_id}"): Row(OWNER_WRITE, body={"title_en": "Vision inspection"}),
    # SMEs and needs: private to the SME and ministry staff
    ("POST", "/v1/smes"): Row({**everyone(403), "sme": 201, "other_sme": 201},
                              body=lambda w: factories.sme(), fresh_org=True),
    ("GET", "/v1/smes"): Row(REGISTRY_LIST),
    ("GET", "/v1/smes/{sme_id}"): Row(SME_READ),
    ("PATCH", "/v1/smes/{sme_id}"): Row(SME_WRITE, body={"region": "경북"}),
    ("POST", "/v1/needs"): Row(_created(SME_WRITE), body=lambda w: factories.need(sme_id=w.ids["sme_id"])),
    ("GET", "/v1/needs"): Row(REGISTRY_LIST),
    ("GET", "/v1/needs/{need_id}"): Row(SME_READ),
    ("PATCH", "/v1/needs/{need_id}"): Row(SME_WRITE, body={"budget_krw": 150_000_000}),
    # programme: cohorts and consultants are the ministry's; projects the SME's (and its lead firm's, via
    # groups); the path project is the world SME's, still planned, so state-bound actions answer 409
    ("POST", "/v1/programme/cohorts"): Row(only({"admin": 201}, 403),
                                           body={"year": 2027, "capacity": 10, "name_ko": "2027년 기수"}),
    ("GET", "/v1/programme/cohorts"): Row(only({"reviewer": 200, "admin": 200}, 403)),
    ("GET", "/v1/programme/cohorts/{year}/members"): Row(only({"reviewer": 200, "admin": 200}, 403)),
    ("POST", "/v1/programme/cohorts/{year}/candidates"): Row(only({"admin": 422}, 403)),  # no file sent
    ("POST", "/v1/programme/cohorts/{year}/members"): Row(only({"admin": 409}, 403),  # already a candidate
                                                          body=lambda w: {"sme_id": w.ids["sme_id"]}),
    ("POST", "/v1/programme/cohorts/{year}/members/{sme_id}/{action}"): Row(only({"admin": 409}, 403), body={}),
    # selection by rule: the programme officer (admin) writes, staff read; the world has no rule or run yet
    ("POST", "/v1/programme/selection/rules"): Row(only({"admin": 201}, 403), body={"year": 2026, "capacity": 5}),
    ("GET", "/v1/programme/selection/{year}/rule"): Row(only({"reviewer": 404, "admin": 404}, 403)),
    ("GET", "/v1/programme/selection/{year}/runs/latest"): Row(only({"reviewer": 404, "admin": 404}, 403)),
    ("GET", "/v1/programme/selection/{year}/decisions"): Row(only({"reviewer": 404, "admin": 404}, 403)),
    ("POST", "/v1/programme/selection/{year}/runs"): Row(only({"admin": 201}, 403)),
    # the run selects the world's SME (its level is confirmed for the AI stage plan): the officer withdraws it
    ("POST", "/v1/programme/selection/{year}/withdrawals"): Row(only({"admin": 200}, 403), body=lambda w: {
        "sme_id": w.ids["sme_id"], "reason": "사업 포기"}),
    ("PUT", "/v1/programme/smes/{sme_id}/profile"): Row({**SME_WRITE, "admin": 200},
                                                        body={"sales_krw": 4_800_000_000, "employees": 42}),
    ("POST", "/v1/programme/smes/{sme_id}/profile/confirmed-level"): Row(
        only({"admin": 200}, 403), body={"level": "basic"}),
    # budget approval and the envelope: the programme officer's (admin); the world has no budget line
    ("POST", "/v1/programme/projects/{project_id}/budget-lines/{line_id}/approve"): Row(only({"admin": 404}, 403)),
    ("POST", "/v1/programme/projects/{project_id}/budget-lines/{line_id}/return"): Row(
        only({"admin": 404}, 403), body={"reason": "증빙 부족"}),
    ("PUT", "/v1/programme/envelopes/{year}"): Row(only({"admin": 200}, 403), body={"gov_krw": 1_000_000_000}),
    ("GET", "/v1/programme/envelopes"): Row(only({"reviewer": 200, "admin": 200}, 403)),
    ("POST", "/v1/programme/consultants"): Row(only({"admin": 201}, 403),
                                               body=lambda w: {"sub": "c-" + secrets.token_hex(4), "name": "이정훈"}),
    ("GET", "/v1/programme/consultants"): Row(only({"reviewer": 200, "admin": 200}, 403)),
    ("POST", "/v1/programme/groups"): Row({**everyone(403), "sme": 201, "other_sme": 201, "admin": 422},
                                          body={"name_ko": "협력사 AX 그룹", "lead_name_ko": "대한모빌리티"}),
    ("GET", "/v1/programme/groups"): Row(REGISTRY_LIST),
    ("GET", "/v1/programme/groups/{group_id}"): Row(SME_READ),
    # membership by consent: the lead (the world SME's organisation leads the group) invites its SME, an
    # admin then sets it accepted directly; routes run in sorted order, so DELETE finds no membership yet
    ("POST", "/v1/programme/groups/{group_id}/members"): Row({**SME_WRITE, "sme": 201, "admin": 201},
                                                             body=lambda w: {"sme_id": w.ids["sme_id"]}),
    ("GET", "/v1/programme/groups/{group_id}/members"): Row(SME_READ),
    ("POST", "/v1/programme/groups/{group_id}/members/{sme_id}/accept"): Row(SME_WRITE, body={"share": []}),
    ("POST", "/v1/programme/groups/{group_id}/members/{sme_id}/decline"): Row({**SME_WRITE, "sme": 409,
                                                                               "admin": 409}),
    ("DELETE", "/v1/programme/groups/{group_id}/members/{sme_id}"): Row({**SME_WRITE, "sme": 404, "admin": 404}),
    ("GET", "/v1/programme/groups/{group_id}/resources"): Row(SME_READ),
    ("POST", "/v1/programme/groups/{group_id}/resources"): Row(_created(SME_WRITE), body={
        "name_ko": "제조 LLM", "description_ko": "사내 LLM 공유", "category": "manufacturing_llm"}),
    ("GET", "/v1/programme/groups/{group_id}/needs"): Row(SME_READ),
    ("POST", "/v1/programme/groups/{group_id}/needs"): Row(_created(SME_WRITE), body={"text": "작업표준서 검색"}),
    ("POST", "/v1/programme/needs/{need_id}/matches"): Row(
        {**everyone(403), "sme": 200, "admin": 200, "other_sme": 404}),
    ("POST", "/v1/programme/projects"): Row(_created(SME_WRITE), body=lambda w: {
        "need_id": w.ids["need_id"], "title_ko": "AI 비전 검사 도입", "year": 2026}),
    ("GET", "/v1/programme/projects"): Row(REGISTRY_LIST),
    ("GET", "/v1/programme/projects/{project_id}"): Row(SME_READ),
    ("POST", "/v1/programme/projects/{project_id}/shortlist"): Row(
        {**everyone(403), "sme": 201, "admin": 201, "other_sme": 404}, body={"limit": 3}),
    ("POST", "/v1/programme/projects/{project_id}/supplier"): Row(  # the world's solution is a draft
        {**SME_WRITE, "sme": 404, "admin": 404}, body=lambda w: {"solution_id": w.ids["solution_id"]}),
    ("POST", "/v1/programme/projects/{project_id}/budget-lines"): Row(
        _created(SME_WRITE), body={"year": 2026, "source": "own", "amount_krw": 1_000_000, "stage": "data_collection"}),
    ("POST", "/v1/programme/projects/{project_id}/expenditures"): Row(
        {**SME_WRITE, "sme": 409, "admin": 409},
        body={"year": 2026, "source": "own", "amount_krw": 1, "spent_on": "2026-05-01", "description": "장비"}),
    ("POST", "/v1/programme/projects/{project_id}/transitions"): Row(
        {**SME_WRITE, "sme": 409, "admin": 409}, body={"action": "start"}),
    ("POST", "/v1/programme/projects/{project_id}/consultants"): Row(
        only({"admin": 200}, 403), body=lambda w: {"consultant_id": w.ids["consultant_id"], "kind": "pre"}),
    ("POST", "/v1/programme/projects/{project_id}/consultations"): Row(  # only registered consultants
        {**SME_WRITE, "sme": 403, "admin": 403}, body={"kind": "pre", "assessed_level": "basic"}),
    ("GET", "/v1/programme/projects/{project_id}/consultations"): Row(SME_READ),
    ("POST", "/v1/programme/projects/{project_id}/outcomes"): Row(
        {**SME_WRITE, "sme": 409, "admin": 409}, body={"metric": "defect_rate", "before": 3.4, "after": 0.8}),
    # an outcome's evidence (the world's project is planned, so it has none: no-such-outcome); the project and
    # outcome are loaded before the (missing) file is read, so other tenants get 404
    ("POST", "/v1/programme/projects/{project_id}/outcomes/{outcome_id}/documents"): Row(
        {**SME_WRITE, "sme": 404, "admin": 404}, form=True, body={}),
    ("GET", "/v1/programme/projects/{project_id}/outcomes/{outcome_id}/documents"): Row(
        {**SME_READ, "sme": 404, "reviewer": 404, "admin": 404}),
    ("GET", "/v1/reports/kpis"): Row(only({"reviewer": 200, "admin": 200}, 403)),
    ("GET", "/v1/reports/kpis/charts/{name}"): Row(only({"reviewer": 200, "admin": 200}, 403)),
    # AI stages (the world's SME has a confirmed level), the officer's completion decision (planned: 409)
    ("GET", "/v1/programme/stage-rules"): Row(REGISTRY_LIST),
    ("PUT", "/v1/programme/projects/{project_id}/stages"): Row(
        SME_WRITE, body={"stages": [{"year": 2026, "stage": "data_collection"}]}),
    ("POST", "/v1/programme/projects/{project_id}/completion/accept"): Row(only({"admin": 409}, 403)),
    ("POST", "/v1/programme/projects/{project_id}/completion/return"): Row(
        only({"admin": 409}, 403), body={"reason": "보완 필요"}),
    # the SME's own result (read before the run: 404 for those who may ask) and its appeal (after the run,
    # which selected the SME: nothing to appeal, 409)
    ("GET", "/v1/programme/smes/{sme_id}/selection/{year}"): Row({**SME_READ, "sme": 404, "reviewer": 404,
                                                                  "admin": 404}),
    ("POST", "/v1/programme/smes/{sme_id}/selection/{year}/appeal"): Row(
        {**SME_WRITE, "sme": 409, "admin": 409}, body={"reason_ko": "점수 재산정 요청"}),
    ("GET", "/v1/programme/selection/{year}/appeals"): Row(only({"reviewer": 200, "admin": 200}, 403)),
    ("POST", "/v1/programme/selection/{year}/appeals/{appeal_id}/decision"): Row(
        only({"admin": 404}, 403), body={"outcome": "dismissed", "reason": "사유 없음"}),
}


def app_routes(app: Any) -> set[tuple[str, str]]:
    found = set()
    for rc in iter_route_contexts(app.routes):
        methods = getattr(rc, "methods", None) or {"ANY"}  # mounts and websockets need a row too
        found |= {(m, rc.path) for m in methods if m != "HEAD"}
    return found


# ---- tokens that must be refused -------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _admin_claims(tokens: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"iss": tokens.issuer, "aud": tokens.audience, "sub": "forged-admin", "iat": now, "nbf": now,
            "exp": now + 600, "jti": str(uuid.uuid4()), "client_id": "axr-cli", "role": "admin",
            "scope": "catalogue:read registry:read registry:write designation:review reports:read admin match"}


def bad_tokens(app: Any, mint: Any) -> dict[str, str | None]:
    tokens = app.state.tokens
    claims = _admin_claims(tokens)
    real_kid = tokens.key.kid or tokens.key.thumbprint()
    stranger = OKPKey.generate_key("Ed25519")
    other_key = jwt.encode({"alg": "Ed25519", "typ": "at+jwt", "kid": real_kid}, claims, stranger,
                           algorithms=["Ed25519"])
    alg_none = ".".join([_b64(json.dumps({"alg": "none", "typ": "at+jwt"}).encode()),
                         _b64(json.dumps(claims).encode()), ""])
    wrong_typ = jwt.encode({"alg": "Ed25519", "typ": "JWT", "kid": real_kid}, claims, tokens.key,
                           algorithms=["Ed25519"])
    # algorithm confusion: HMAC keyed with the published public key
    public_x = tokens.key.as_dict(private=False)["x"].encode()
    signing_input = ".".join([_b64(json.dumps({"alg": "HS256", "typ": "at+jwt"}).encode()),
                              _b64(json.dumps(claims).encode())])
    hs = signing_input + "." + _b64(hmac.new(public_x, signing_input.encode(), hashlib.sha256).digest())
    return {"no_token": None, "expired": mint("admin", ttl=-120), "other_key": other_key,
            "alg_none": alg_none, "wrong_typ": wrong_typ, "hs256_with_public_key": hs}


# ---- the world the requests act on -----------------------------------------------------------------
@dataclass
class World:
    tokens: dict[str, str | None]
    ids: dict[str, str] = field(default_factory=dict)
    username: str = "matrix.user"
    password: str = "matrix-password-123"


@pytest.fixture
def world(client, app, mint) -> World:
    orgs = {"supplier": "org_supplier_a", "sme": "org_sme_b"}
    tokens: dict[str, str | None] = {r: mint(r, org=orgs.get(r)) for r in ROLES}
    tokens |= {"other_supplier": mint("supplier"), "other_sme": mint("sme")} | bad_tokens(app, mint)
    w = World(tokens)
    s, m, a = bearer(tokens["supplier"]), bearer(tokens["sme"]), bearer(tokens["admin"])

    def made(r: Any) -> dict[str, Any]:
        assert r.status_code == 201, r.text
        return r.json()

    w.ids["company_id"] = made(client.post("/v1/companies", json=factories.company(), headers=s))["id"]
    w.ids["linkage_id"] = made(client.post(f"/v1/companies/{w.ids['company_id']}/tips",
                                           json={"program": "tips", "operator": "운영사"}, headers=s))["id"]
    w.ids["solution_id"] = made(client.post("/v1/solutions", headers=s,
                                            json=factories.solution(w.ids["company_id"], status="draft")))["id"]
    w.ids["sme_id"] = made(client.post("/v1/smes", json=factories.sme(), headers=m))["id"]
    w.ids["need_id"] = made(client.post("/v1/needs", json=factories.need(), headers=m))["id"]
    made(client.post("/v1/admin/users", headers=a,
                     json={"username": w.username, "password": w.password, "role": "sme"}))
    # programme: the SME selected in a 2026 cohort, its planned project, a group it leads, a consultant
    made(client.post("/v1/programme/cohorts", json={"year": 2026, "capacity": 10, "name_ko": "2026년 기수"},
                     headers=a))
    made(client.post("/v1/programme/cohorts/2026/members", json={"sme_id": w.ids["sme_id"]}, headers=a))
    client.post(f"/v1/programme/cohorts/2026/members/{w.ids['sme_id']}/select", json={}, headers=a)
    w.ids |= {"year": "2026", "action": "select", "line_id": "no-such-line", "name": "adoption",
              "appeal_id": "no-such-appeal", "outcome_id": "no-such-outcome"}
    w.ids["project_id"] = made(client.post("/v1/programme/projects", headers=m, json={
        "need_id": w.ids["need_id"], "title_ko": "AI 도입", "year": 2026}))["id"]
    assert client.post(f"/v1/programme/smes/{w.ids['sme_id']}/profile/confirmed-level", json={"level": "basic"},
                       headers=a).status_code == 200
    assert client.put(f"/v1/programme/projects/{w.ids['project_id']}/stages", headers=m, json={
        "stages": [{"year": 2026, "stage": "data_collection"}]}).status_code == 200
    w.ids["group_id"] = made(client.post("/v1/programme/groups", json={"name_ko": "그룹", "lead_name_ko": "대한"},
                                         headers=m))["id"]
    w.ids["consultant_id"] = made(client.post("/v1/programme/consultants", headers=a,
                                              json={"sub": "matrix-consultant", "name": "이정훈"}))["id"]
    return w


def test_every_route_has_a_row_and_every_row_a_route(app):
    routes = app_routes(app)
    missing = sorted(routes - EXPECT.keys())
    stale = sorted(EXPECT.keys() - routes)
    assert not missing, f"add these routes to EXPECT in {__file__}: {missing}"
    assert not stale, f"these rows name no route: {stale}"


def test_only_the_allowed_routes_are_open():
    for (method, path), row in EXPECT.items():
        if row.default is not None:
            assert path in OPEN or path.startswith(OPEN_PREFIXES), f"{method} {path} must not be open"
        assert set(row.expect) == set(ROLES + OTHER_TENANTS), f"{method} {path}: give every role a status"


def test_every_route_for_every_caller(app, client, mint, world):
    from api.routers.search import start_warm_up

    start_warm_up(app)  # as `axr serve` does at start-up: readiness is 200 for everyone once search is loaded
    assert app.state.search_warmed.wait(120)
    assert app.state.search_ready
    failures = []
    for (method, template), row in sorted(EXPECT.items()):
        path = template.format(**world.ids)
        if method == "ANY":  # a mount: probe a file inside it
            method, path = "GET", path + "/favicon.png"
        for caller in CALLERS:
            token = world.tokens[caller]
            if row.fresh_org and caller in ("supplier", "sme", "other_supplier", "other_sme"):
                token = mint(caller.removeprefix("other_"))
            headers = bearer(token) if token else {}
            if method == "PATCH":
                headers["If-Match"] = "*"
            body = row.body(world) if callable(row.body) else row.body
            kwargs: dict[str, Any] = {}
            if body is not None:
                kwargs = {"data": body} if row.form else {"json": body}
            r = client.request(method, path, headers=headers, **kwargs)
            want = row.expect.get(caller, row.default if row.default is not None else 401)
            if r.status_code != want:
                failures.append(f"{method} {template} as {caller}: {r.status_code}, expected {want}: {r.text[:160]}")
                continue
            if path.startswith("/web") and r.status_code == 200 and r.url.path != SIGN_IN_FORM:
                failures.append(f"{method} {template} as {caller}: a bearer token opened a web page ({r.url})")
            if r.status_code >= 400 and path.startswith(HTML_PAGES):  # a page's error is a page
                if not r.headers.get("content-type", "").startswith("text/html"):
                    failures.append(f"{method} {template} as {caller}: not an HTML page: {r.headers}")
            elif r.status_code >= 400:
                if r.headers.get("content-type") != "application/problem+json" or r.json()["status"] != want:
                    failures.append(f"{method} {template} as {caller}: not problem+json: {r.headers} {r.text}")
            if r.status_code == 401 and "bearer" not in r.headers.get("www-authenticate", "").lower():
                failures.append(f"{method} {template} as {caller}: 401 without WWW-Authenticate: Bearer")
    assert not failures, "\n".join(failures)


def test_refused_callers_change_nothing(client, world):
    """A denied PATCH leaves the row as it was, whoever sends it."""
    s = bearer(world.tokens["supplier"])
    before = client.get(f"/v1/solutions/{world.ids['solution_id']}", headers=s).json()
    for caller in CALLERS:
        if caller in ("supplier", "admin"):
            continue
        token = world.tokens[caller]
        headers = {**(bearer(token) if token else {}), "If-Match": "*"}
        r = client.patch(f"/v1/solutions/{world.ids['solution_id']}", json={"status": "published"}, headers=headers)
        assert r.status_code in (401, 403, 404), (caller, r.status_code)
    assert client.get(f"/v1/solutions/{world.ids['solution_id']}", headers=s).json() == before


# ---- portals: change feed, webhooks, exports, public HTML pages ------------------------------------
OPEN |= {"/", "/static-offline-docs"}  # the public pages (HTML, no token) and the docs' own assets
OPEN_PREFIXES = (*OPEN_PREFIXES, "/pages/")
FEED_ONLY = only({"portal": 200}, 403)
EXPECT.update({
    ("GET", "/v1/feed/changes"): Row(FEED_ONLY),
    ("POST", "/v1/webhooks"): Row(only({"portal": 201}, 403),
                                  body={"url": "https://8.8.8.8/hooks/axr", "event_types": ["certificate.*"]}),
    ("GET", "/v1/webhooks"): Row(FEED_ONLY),
    # the endpoint belongs to another portal: not found for this one
    ("GET", "/v1/webhooks/{endpoint_id}"): Row(only({"portal": 404}, 403)),
    ("DELETE", "/v1/webhooks/{endpoint_id}"): Row(only({"portal": 404}, 403)),
    ("GET", "/v1/webhooks/{endpoint_id}/deliveries"): Row(only({"portal": 404}, 403)),
    ("GET", "/v1/public/exports/designated-companies"): Row(everyone(200), default=200),
    ("GET", "/v1/public/exports/catalogue"): Row(everyone(200), default=200),
    ("GET", "/"): Row(everyone(200), default=200),
    ("ANY", "/static-offline-docs"): Row(everyone(200), default=200),
    ("GET", "/pages/companies"): Row(everyone(200), default=200),
    # the world's company holds no certificate: not listed under the designated companies
    ("GET", "/pages/companies/{company_id}"): Row(everyone(404), default=404),
    ("GET", "/pages/verify"): Row(everyone(200), default=200),
    ("GET", "/pages/certificates/{number}/statement.jws"): Row(everyone(404), default=404),
})


@pytest.fixture(autouse=True)
def _portal_world(request: pytest.FixtureRequest) -> None:
    """Adds to the world a webhook endpoint of another portal and a well-formed unknown certificate number."""
    if "world" not in request.fixturenames:
        return
    w, app = request.getfixturevalue("world"), request.getfixturevalue("app")
    from sqlalchemy.orm import Session

    from core.db import writer
    from portal.models import WebhookEndpoint

    with Session(writer(app.state.engine)) as s, s.begin():
        endpoint = WebhookEndpoint(owner="another-portal", url="https://8.8.8.8/h", event_types=["*"],
                                   secret="whsec_c2VjcmV0")
        s.add(endpoint)
        s.flush()
        w.ids["endpoint_id"] = endpoint.id
    from certification import numbers

    w.ids["number"] = numbers.generate(2026)


# ---- designation, search and matching, criteria, thesaurus, audit proofs ---------------------------
# The world's application belongs to the world supplier and was rejected at screening (its only
# solution is a draft), so every state-bound action answers 409 for whoever may reach it.
STAFF_REVIEW = only({"reviewer": 404, "admin": 404}, 403)  # an unknown certificate number
MATCHERS = {**everyone(403), "sme": 200, "other_sme": 200, "admin": 200}
APPLICANT_409 = {**everyone(403), "supplier": 409, "other_supplier": 404}
EXPECT.update({
    ("POST", "/v1/applications"): Row({**everyone(403), "supplier": 201, "other_supplier": 404},
                                      body=lambda w: {"company_id": w.ids["company_id"]}),
    ("GET", "/v1/applications"): Row(REGISTRY_LIST),
    ("GET", "/v1/applications/{app_id}"): Row({**everyone(404), "supplier": 200, "admin": 200, "portal": 403}),
    ("GET", "/v1/applications/{app_id}/panel"): Row(only({"reviewer": 404, "admin": 200}, 403)),
    ("GET", "/v1/applications/{app_id}/reviews"): Row({**everyone(404), "supplier": 200, "admin": 200,
                                                       "portal": 403}),
    ("POST", "/v1/applications/{app_id}/submit"): Row(APPLICANT_409),
    ("POST", "/v1/applications/{app_id}/withdraw"): Row(APPLICANT_409, body={}),
    ("POST", "/v1/applications/{app_id}/resubmit"): Row(APPLICANT_409, body={"answer": "보완 자료를 첨부합니다."}),
    ("POST", "/v1/applications/{app_id}/panel"): Row(only({"admin": 409}, 403), body={"reviewers": ["r-1"]}),
    ("POST", "/v1/applications/{app_id}/declaration"): Row(only({"reviewer": 404, "admin": 403}, 403),
                                                           body={"has_conflict": False}),
    ("POST", "/v1/applications/{app_id}/reviews"): Row(only({"reviewer": 404, "admin": 409}, 403), body={
        "scores": {"technology": 4, "manufacturing_fit": 4, "track_record": 4, "delivery": 4, "growth_tips": 4}}),
    ("POST", "/v1/applications/{app_id}/supplement-request"): Row(
        only({"reviewer": 404, "admin": 409}, 403), body={"message": "근거 자료를 보완해 주세요."}),
    ("POST", "/v1/applications/{app_id}/business-status"): Row(
        only({"reviewer": 404, "admin": 409}, 403), body={"status": "active", "note": "홈택스 상태조회: 계속사업자"}),
    ("POST", "/v1/applications/{app_id}/decision"): Row(only({"reviewer": 404, "admin": 409}, 403),
                                                        body={"decision": "approve"}),
    ("GET", "/v1/certificates"): Row(everyone(200)),
    ("GET", "/v1/certificates/{number}"): Row(everyone(404)),
    ("POST", "/v1/certificates/{number}/suspend"): Row(STAFF_REVIEW, body={"reason": "점검"}),
    ("POST", "/v1/certificates/{number}/reinstate"): Row(STAFF_REVIEW, body={}),
    ("POST", "/v1/certificates/{number}/revoke"): Row(STAFF_REVIEW, body={"reason": "취소"}),
    ("GET", "/v1/criteria"): Row(REGISTRY_LIST),
    ("POST", "/v1/admin/criteria"): Row(only({"admin": 422}, 403), body={"version": "broken"}),
    ("POST", "/v1/admin/reviewers"): Row(only({"admin": 201}, 403),
                                         body={"sub": "matrix-reviewer", "name": "이서연", "org": "ministry"}),
    ("GET", "/v1/admin/thesaurus"): Row(only({"admin": 200}, 403)),
    ("POST", "/v1/admin/thesaurus"): Row(only({"admin": 422}, 403), body={"version": "x", "groups": []}),
    ("GET", "/v1/search"): Row(everyone(200)),
    ("POST", "/v1/match"): Row(MATCHERS, body={"text": "사출품 미성형 불량 검사"}),
    ("POST", "/v1/needs/{need_id}/matches"): Row({**MATCHERS, "other_sme": 404}),
    ("GET", "/v1/public/certificates/{number}"): Row(everyone(404), default=404),
    ("GET", "/v1/public/certificates/{number}/history"): Row(everyone(404), default=404),
    ("GET", "/v1/audit/events"): Row(only({"reviewer": 200, "admin": 200}, 403)),
    ("GET", "/v1/public/audit/tree-head"): Row(everyone(200), default=200),
    ("GET", "/v1/public/audit/inclusion"): Row(everyone(422), default=422),  # `seq` is required
    ("GET", "/v1/public/audit/consistency"): Row(everyone(422), default=422),  # `first` is required
    ("GET", "/v1/applications/{app_id}/facts"): Row({**everyone(404), "supplier": 200, "admin": 200,
                                                     "portal": 403}),
    # evidence documents: the world's document was attached to the draft before it was submitted
    ("POST", "/v1/applications/{app_id}/documents"): Row(APPLICANT_409 | {"supplier": 422}),  # no file sent
    ("GET", "/v1/applications/{app_id}/documents"): Row({**everyone(404), "supplier": 200, "admin": 200,
                                                         "portal": 403}),
    ("GET", "/v1/documents/{doc_id}/content"): Row({**everyone(404), "supplier": 200, "admin": 200,
                                                    "portal": 403}),
})


@pytest.fixture
def app(settings, engine, tmp_path):
    """This module sends hundreds of requests to public routes from one address: lift the rate limit."""
    from api.app import create_app

    return create_app(settings.model_copy(update={"index_dir": tmp_path / "index", "rate_limit_public": 100_000,
                                                  "rate_limit_client": 100_000}), engine=engine)


@pytest.fixture(autouse=True)
def _designation_world(request: pytest.FixtureRequest) -> None:
    """Adds the world supplier's application, with one evidence document, rejected at screening."""
    if "world" not in request.fixturenames:
        return
    w, client = request.getfixturevalue("world"), request.getfixturevalue("client")
    s = bearer(w.tokens["supplier"])
    r = client.post("/v1/applications", json={"company_id": w.ids["company_id"]}, headers=s)
    assert r.status_code == 201, r.text
    w.ids["app_id"] = r.json()["id"]
    r = client.post(f"/v1/applications/{w.ids['app_id']}/documents", headers=s, data={"criterion": "E3"},
                    files={"file": ("연구개발비_명세서.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf")})
    assert r.status_code == 201, r.text
    w.ids["doc_id"] = r.json()["id"]
    r = client.post(f"/v1/applications/{w.ids['app_id']}/submit", headers=s)
    assert r.json()["state"] == "rejected", r.text


# ---- accounts: disabling users and clients, rotating a client's secret ------------------------------
EXPECT.update({
    ("POST", "/v1/admin/users/{user_id}/disable"): Row(only({"admin": 200}, 403)),
    ("POST", "/v1/admin/users/{user_id}/enable"): Row(only({"admin": 200}, 403)),
    ("POST", "/v1/admin/clients/{client_id}/disable"): Row(only({"admin": 200}, 403)),
    ("POST", "/v1/admin/clients/{client_id}/enable"): Row(only({"admin": 200}, 403)),
    ("POST", "/v1/admin/clients/{client_id}/secret"): Row(only({"admin": 200}, 403)),
})


@pytest.fixture(autouse=True)
def _accounts_world(request: pytest.FixtureRequest) -> None:
    """Adds a user account and a client for the admin routes to act on (not the world's own user, which
    the token endpoint's row signs in with)."""
    if "world" not in request.fixturenames:
        return
    w, client = request.getfixturevalue("world"), request.getfixturevalue("client")
    a = bearer(w.tokens["admin"])
    r = client.post("/v1/admin/users", headers=a,
                    json={"username": "matrix.target", "password": "matrix-password-456", "role": "sme"})
    assert r.status_code == 201, r.text
    w.ids["user_id"] = r.json()["id"]
    r = client.post("/v1/admin/clients", headers=a, json={"name": "대상 포털", "role": "portal"})
    assert r.status_code == 201, r.text
    w.ids["client_id"] = r.json()["client_id"]


# ---- notices: the world supplier's screening result (rejected) is in its organisation's inbox -------
EXPECT.update({
    ("GET", "/v1/me/notices"): Row(REGISTRY_LIST),  # each sees its own organisation's (possibly none)
    ("POST", "/v1/me/notices/{notice_id}/read"): Row({**everyone(404), "supplier": 200, "portal": 403}),
    ("GET", "/v1/admin/notices"): Row(only({"admin": 200}, 403)),
})


@pytest.fixture(autouse=True)
def _notices_world(request: pytest.FixtureRequest) -> None:
    """Delivers the world supplier's screening notice to its inbox and keeps its id."""
    if "world" not in request.fixturenames:
        return
    request.getfixturevalue("_designation_world")
    from notices.dispatch import Dispatcher

    w, client = request.getfixturevalue("world"), request.getfixturevalue("client")
    Dispatcher(request.getfixturevalue("engine"), request.getfixturevalue("settings")).step()
    r = client.get("/v1/me/notices", headers=bearer(w.tokens["supplier"]))
    assert [n["kind"] for n in r.json()["items"]] == ["screening_result"], r.text
    w.ids["notice_id"] = r.json()["items"][0]["id"]


# ---- calls and appeals: no call in the world (so applications need none); the world's rejection is appealed
EXPECT.update({
    ("GET", "/v1/public/calls"): Row(everyone(200), default=200),
    ("GET", "/v1/public/calls/{call_id}"): Row(everyone(404), default=404),
    ("GET", "/pages/calls"): Row(everyone(200), default=200),
    ("POST", "/v1/admin/calls"): Row(only({"admin": 422}, 403), body={"title_ko": "공고"}),  # no window
    ("PATCH", "/v1/admin/calls/{call_id}"): Row(only({"admin": 404}, 403), body={"title_ko": "공고"}),
    ("POST", "/v1/admin/calls/{call_id}/close"): Row(only({"admin": 404}, 403), body={"reason": "조기 마감"}),
    ("POST", "/v1/appeals"): Row({**everyone(403), "supplier": 409, "other_supplier": 404},  # appealed once
                                 body=lambda w: {"application_id": w.ids["app_id"], "reasons_ko": "다시 봐 주세요."}),
    ("GET", "/v1/appeals"): Row(REGISTRY_LIST),
    ("GET", "/v1/appeals/{appeal_id}"): Row({**everyone(404), "supplier": 200, "admin": 200, "portal": 403}),
    ("GET", "/v1/appeals/{appeal_id}/documents"): Row({**everyone(404), "supplier": 200, "admin": 200,
                                                       "portal": 403}),
    ("POST", "/v1/appeals/{appeal_id}/documents"): Row({**everyone(403), "supplier": 422,  # no file sent
                                                        "other_supplier": 404}),
    ("POST", "/v1/admin/appeals/{appeal_id}/panel"): Row(only({"admin": 404}, 403), body={"reviewers": ["r-1"]}),
    # the supplier has no review scope; an admin may see it but only a seated reviewer decides
    ("POST", "/v1/appeals/{appeal_id}/decision"): Row(only({"reviewer": 404, "admin": 403}, 403),
                                                      body={"outcome": "dismissed", "reason": "기각"}),
})


# ---- monitoring after designation: the world holds no certificate, so no report, case or edit exists ----
REPORT_FIGURES = {"deployments": 3, "manufacturing_ai_revenue_krw": 900_000_000, "ai_staff": 5}
APPLICANT_404 = {**everyone(403), "supplier": 404, "other_supplier": 404}
EXPECT.update({
    ("POST", "/v1/certificates/{number}/performance-reports"): Row(APPLICANT_404, body=REPORT_FIGURES),
    ("GET", "/v1/performance-reports"): Row(REGISTRY_LIST),
    ("GET", "/v1/performance-reports/{report_id}"): Row({**everyone(404), "portal": 403}),
    ("POST", "/v1/performance-reports/{report_id}/documents"): Row(APPLICANT_404),
    ("POST", "/v1/performance-reports/{report_id}/submit"): Row(APPLICANT_404),
    # the world's document is an application's, not a report's
    ("GET", "/v1/performance-report-documents/{doc_id}/content"): Row({**everyone(404), "portal": 403}),
    ("GET", "/v1/suspension-cases"): Row(REGISTRY_LIST),
    ("GET", "/v1/suspension-cases/{case_id}"): Row({**everyone(404), "portal": 403}),
    ("POST", "/v1/suspension-cases/{case_id}/decision"): Row(STAFF_REVIEW, body={"decision": "close",
                                                                                 "reason": "보고 확인"}),
    ("GET", "/v1/listing-edits"): Row(only({"reviewer": 200, "admin": 200}, 403)),
    ("POST", "/v1/listing-edits/{edit_id}/acknowledge"): Row(STAFF_REVIEW, body={}),
})


@pytest.fixture(autouse=True)
def _appeals_world(request: pytest.FixtureRequest) -> None:
    """The world supplier appeals its screening rejection; an unknown call id for the call routes."""
    if "world" not in request.fixturenames:
        return
    request.getfixturevalue("_notices_world")
    w, client = request.getfixturevalue("world"), request.getfixturevalue("client")
    body = {"application_id": w.ids["app_id"], "reasons_ko": "요건 검토를 다시 요청합니다."}
    r = client.post("/v1/appeals", json=body, headers=bearer(w.tokens["supplier"]))
    assert r.status_code == 201, r.text
    w.ids |= {"appeal_id": r.json()["id"], "call_id": "no-such-call"}


@pytest.fixture(autouse=True)
def _monitoring_world(request: pytest.FixtureRequest) -> None:
    if "world" not in request.fixturenames:
        return
    w = request.getfixturevalue("world")
    w.ids |= {"report_id": "no-such-report", "case_id": "no-such-case", "edit_id": "no-such-edit"}


# ---- shop-floor data: profiles, what a solution needs, what an SME has, datasets --------------------
# The world's solution is a draft (visible to its owner and staff); the world SME holds a private dataset and
# no inventory yet (routes run in sorted order: the confirmation, a POST, comes before the PUT that states it).
DATASET = {"title_ko": "사출기 PLC 태그 (2025년)", "description_ko": "사출기 6대 가동 신호", "profile_code": "plc_tags",
           "licence": "CC BY 4.0", "media_format": "text/csv", "access": "private",
           "anonymisation_ko": "설비 식별 정보 없음", "file_uri": "s3://axr-datasets/matrix/plc.csv"}
EXPECT.update({
    ("GET", "/v1/data-profiles"): Row(everyone(200)),
    # a version that drops a profile in use is refused (409): the world's dataset uses plc_tags
    ("POST", "/v1/admin/data-profiles"): Row(only({"admin": 409}, 403), body={"version": "matrix", "profiles": [{
        "code": "spindle_load", "label_ko": "주축 부하", "label_en": "spindle load", "acquire_ko": "CNC 데이터 수집",
        "acquire_en": "CNC data collection", "fields": [{"name": "load", "type": "number", "unit": "%"}]}]}),
    ("GET", "/v1/solutions/{solution_id}/data-requirements"): Row(
        {"supplier": 200, "reviewer": 200, "admin": 200, "other_supplier": 404, "sme": 404, "other_sme": 404,
         "portal": 404}),
    ("PUT", "/v1/solutions/{solution_id}/data-requirements"): Row(
        OWNER_WRITE, body={"items": [{"profile_code": "motor_current", "min_sampling_rate_hz": 1000}]}),
    ("GET", "/v1/smes/{sme_id}/data-inventory"): Row(SME_READ),
    ("PUT", "/v1/smes/{sme_id}/data-inventory"): Row(SME_WRITE, body={"items": [
        {"profile_code": "motor_current", "collection": "plc", "sampling_rate_hz": 1000}]}),
    ("POST", "/v1/smes/{sme_id}/data-inventory/confirmation"): Row(only({"admin": 409}, 403)),
    ("POST", "/v1/datasets"): Row({**everyone(403), "sme": 201, "admin": 201, "other_sme": 404},
                                  body=lambda w: {**DATASET, "sme_id": w.ids["sme_id"]}),
    ("GET", "/v1/datasets"): Row(REGISTRY_LIST),
    ("GET", "/v1/datasets/{dataset_id}"): Row(SME_READ),
    ("GET", "/v1/public/datasets"): Row(everyone(200), default=200),
    ("GET", "/v1/public/datasets/{dataset_id}"): Row(everyone(404), default=404),  # private: not in the catalogue
})


@pytest.fixture(autouse=True)
def _shopdata_world(request: pytest.FixtureRequest) -> None:
    if "world" not in request.fixturenames:
        return
    w, client = request.getfixturevalue("world"), request.getfixturevalue("client")
    r = client.post("/v1/datasets", json={**DATASET, "sme_id": w.ids["sme_id"]}, headers=bearer(w.tokens["sme"]))
    assert r.status_code == 201, r.text
    w.ids["dataset_id"] = r.json()["id"]


# ---- the web application: cookie sessions, not bearer tokens ---------------------------------------
# A bearer token opens no web page: a caller without a session cookie is sent to sign in, whoever the token
# names (this client follows redirects, so it ends on the sign-in form with 200; the walk checks that it is that
# form). A form POST without a session is sent there too, and nothing is written. The pages' own rules (session,
# CSRF, other tenants' objects answering as missing ones) are in tests/api/test_web_signin.py,
# test_web_projects.py, test_web_reviewer.py, test_web_admin.py and test_web_admin_registry.py.
OPEN |= {"/oauth/authorize"}
OPEN_PREFIXES = (*OPEN_PREFIXES, "/web")
HTML_PAGES = ("/pages/", "/web", "/oauth/authorize")  # their errors are pages, not problem+json
TO_SIGN_IN = Row(everyone(200), default=200)
SIGN_IN_FORM = "/oauth/authorize"  # where every unauthenticated web request ends
POST_TO_SIGN_IN = Row(everyone(200), default=200, form=True, body={"csrf_token": "x"})
EXPECT.update({
    ("GET", "/oauth/authorize"): Row(everyone(400), default=400),  # no client, redirect or PKCE challenge
    ("POST", "/oauth/authorize"): Row(everyone(403), default=403, form=True, body={}),  # no CSRF cookie
    ("GET", "/web/callback"): Row(everyone(400), default=400),  # no state of this browser
    ("GET", "/web"): TO_SIGN_IN,
    ("GET", "/web/signin"): TO_SIGN_IN,
    ("POST", "/web/signout"): POST_TO_SIGN_IN,
    ("GET", "/web/sme"): TO_SIGN_IN,
    ("GET", "/web/sme/compare"): TO_SIGN_IN,
    ("GET", "/web/sme/needs/new"): TO_SIGN_IN,
    ("GET", "/web/sme/needs/{need_id}"): TO_SIGN_IN,
    ("GET", "/web/sme/projects/{project_id}"): TO_SIGN_IN,
    ("GET", "/web/sme/projects/{project_id}/plan"): TO_SIGN_IN,
    ("POST", "/web/sme/needs"): POST_TO_SIGN_IN,
    ("POST", "/web/sme/needs/{need_id}/shortlist"): POST_TO_SIGN_IN,
    ("POST", "/web/sme/projects/{project_id}/outcomes"): POST_TO_SIGN_IN,
    ("GET", "/web/sme/documents/{doc_id}"): TO_SIGN_IN,
    ("POST", "/web/sme/projects/{project_id}/plan"): POST_TO_SIGN_IN,
    ("POST", "/web/sme/projects/{project_id}/transitions"): POST_TO_SIGN_IN,
    ("GET", "/web/reviewer"): TO_SIGN_IN,
    ("GET", "/web/reviewer/applications/{app_id}"): TO_SIGN_IN,
    ("GET", "/web/reviewer/documents/{doc_id}"): TO_SIGN_IN,
    ("POST", "/web/reviewer/applications/{app_id}/declaration"): POST_TO_SIGN_IN,
    ("POST", "/web/reviewer/applications/{app_id}/reviews"): POST_TO_SIGN_IN,
    ("POST", "/web/reviewer/applications/{app_id}/supplement"): POST_TO_SIGN_IN,
    ("POST", "/web/reviewer/applications/{app_id}/decision"): POST_TO_SIGN_IN,
    ("POST", "/web/reviewer/applications/{app_id}/business-status"): POST_TO_SIGN_IN,
    ("GET", "/web/certificates"): TO_SIGN_IN,
    ("GET", "/web/certificates/{number}"): TO_SIGN_IN,
    ("POST", "/web/certificates/{number}/{action}"): POST_TO_SIGN_IN,
    ("GET", "/web/admin"): TO_SIGN_IN,
    ("GET", "/web/admin/budgets"): TO_SIGN_IN,
    ("GET", "/web/admin/kpis"): TO_SIGN_IN,
    ("GET", "/web/admin/kpis/charts/{name}.png"): TO_SIGN_IN,
    ("POST", "/web/admin/budgets/{project_id}/{line_id}/approve"): POST_TO_SIGN_IN,
    ("POST", "/web/admin/budgets/{project_id}/{line_id}/return"): POST_TO_SIGN_IN,
    ("GET", "/web/admin/selection"): TO_SIGN_IN,
    ("GET", "/web/admin/selection/{year}"): TO_SIGN_IN,
    ("POST", "/web/admin/selection/{year}/run"): POST_TO_SIGN_IN,
    ("GET", "/web/supplier"): TO_SIGN_IN,
    ("GET", "/web/supplier/apply"): TO_SIGN_IN,
    ("GET", "/web/supplier/applications/{app_id}"): TO_SIGN_IN,
    ("GET", "/web/supplier/documents/{doc_id}"): TO_SIGN_IN,
    ("POST", "/web/supplier/notices/{notice_id}/read"): POST_TO_SIGN_IN,
    ("POST", "/web/supplier/applications"): POST_TO_SIGN_IN,
    ("POST", "/web/supplier/applications/{app_id}/documents"): POST_TO_SIGN_IN,
    ("POST", "/web/supplier/applications/{app_id}/submit"): POST_TO_SIGN_IN,
    ("POST", "/web/supplier/applications/{app_id}/resubmit"): POST_TO_SIGN_IN,
    ("GET", "/web/supplier/company"): TO_SIGN_IN,
    ("GET", "/web/supplier/solutions/new"): TO_SIGN_IN,
    ("GET", "/web/supplier/solutions/{solution_id}"): TO_SIGN_IN,
    ("POST", "/web/supplier/company"): POST_TO_SIGN_IN,
    ("POST", "/web/supplier/solutions"): POST_TO_SIGN_IN,
    ("POST", "/web/supplier/solutions/{solution_id}"): POST_TO_SIGN_IN,
    ("GET", "/web/supplier/reports"): TO_SIGN_IN,
    ("GET", "/web/supplier/reports/{report_id}"): TO_SIGN_IN,
    ("POST", "/web/supplier/reports"): POST_TO_SIGN_IN,
    ("POST", "/web/supplier/reports/{report_id}/documents"): POST_TO_SIGN_IN,
    ("POST", "/web/supplier/reports/{report_id}/submit"): POST_TO_SIGN_IN,
    ("GET", "/web/admin/completions"): TO_SIGN_IN,
    ("POST", "/web/admin/completions/{project_id}/accept"): POST_TO_SIGN_IN,
    ("POST", "/web/admin/completions/{project_id}/return"): POST_TO_SIGN_IN,
    ("GET", "/web/admin/calls"): TO_SIGN_IN,
    ("POST", "/web/admin/calls"): POST_TO_SIGN_IN,
    ("POST", "/web/admin/calls/{call_id}/close"): POST_TO_SIGN_IN,
    ("GET", "/web/admin/panels"): TO_SIGN_IN,
    ("GET", "/web/admin/panels/{app_id}"): TO_SIGN_IN,
    ("POST", "/web/admin/panels/{app_id}"): POST_TO_SIGN_IN,
    ("GET", "/web/admin/users"): TO_SIGN_IN,
    ("POST", "/web/admin/users/{user_id}/disable"): POST_TO_SIGN_IN,
    ("POST", "/web/admin/users/{user_id}/enable"): POST_TO_SIGN_IN,
    ("GET", "/web/admin/clients"): TO_SIGN_IN,
    ("POST", "/web/admin/clients/{client_id}/secret"): POST_TO_SIGN_IN,
})
