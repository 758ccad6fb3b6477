"""Every programme route x every kind of caller -> the status it gets, and for the lists what it sees
(issue 12: groups, members, resources, projects, budgets, consultations, outcomes).

The world: SME `sme` (M) is selected in the 2026 cohort, an accepted member of group G led by `lead` (an
sme-role organisation), and runs project P in G, planned, with the designated solution of `supplier` chosen
and `consultant` assigned for pre-consulting. `invitee` (I) is a selected SME invited to G that has not
accepted (a non-consenting member). `other_sme`, `other_supplier` and `other_consultant` are tenants with
nothing to do with any of it. Before each request the memberships are put back (M accepted, I invited,
X not invited), so each expectation stands on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts

from tests import factories
from tests.api import programme_helpers as h
from tests.conftest import bearer

# successes last, so that a refusal never runs against state a success left behind
CALLERS = ("anonymous", "portal", "reviewer", "other_supplier", "supplier", "other_sme", "invitee",
           "other_consultant", "consultant", "lead", "sme", "admin")
G = "/v1/programme/groups/{group_id}"
P = "/v1/programme/projects/{project_id}"


def expect(default: int, **statuses: int) -> dict[str, int]:
    """`default` for every authenticated caller not named; anonymous is always 401, portals 403."""
    return {**dict.fromkeys(CALLERS, default), "anonymous": 401, "portal": 403, **statuses}


STAFF = {"reviewer": 200, "admin": 200}
ADMIN_ONLY = expect(403, admin=200)
STAFF_READ = expect(403, **STAFF)
# visible to the project's SME, its chosen supplier, its assigned consultant and staff; not to the lead
PROJECT_READ = expect(404, sme=200, supplier=200, consultant=200, **STAFF)
PROJECT_WRITE = expect(404, reviewer=403, sme=200, admin=200)
GROUP_READ = expect(404, lead=200, sme=200, invitee=200, **STAFF)
GROUP_CONTENT = expect(404, lead=200, sme=200, **STAFF)  # not the invitee
LEAD_WRITE = expect(404, reviewer=403, lead=201, admin=201)
ANSWER = expect(404, reviewer=403, invitee=200, admin=200)  # only the invited SME (or an admin)
MATCH = expect(403, sme=200, admin=200, lead=404, invitee=404, other_sme=404)


def _created(d: dict[str, int]) -> dict[str, int]:
    return {k: 201 if v == 200 else v for k, v in d.items()}


@dataclass
class Row:
    expect: dict[str, int]
    body: Any = None  # a dict, or callable(world, caller) -> dict
    sees: Callable[[World, str, Any], None] | None = None  # content check of a 2xx answer


@dataclass
class World:
    tokens: dict[str, dict[str, str]]
    ids: dict[str, str] = field(default_factory=dict)
    needs: dict[str, str] = field(default_factory=dict)

    def path(self, template: str) -> str:
        return template.format(**self.ids)


def _listed(allowed: set[str], key: str, items: Callable[[Any], list[dict[str, Any]]]) -> Callable[..., None]:
    def check(w: World, caller: str, body: Any) -> None:
        found = w.ids[key] in {x["id"] for x in items(body)}
        assert found == (caller in allowed), f"{key} listed for {caller}: {found}"
    return check


def _group_members_field(w: World, caller: str, body: Any) -> None:
    want = {"lead": [w.ids["member"]], "sme": [w.ids["member"]], "invitee": []}.get(caller, [w.ids["member"]])
    assert body["members"] == want, caller


def _memberships(w: World, caller: str, body: Any) -> None:
    seen = {m["sme_id"] for m in body}
    m, i = w.ids["member"], w.ids["invitee_sme"]
    want = {"sme": {m}, "invitee": {i}}.get(caller, {m, i})
    assert seen == want, caller
    for row in body:
        assert set(row.get("summary") or {}) <= {"projects", "outcomes"}  # aggregates only, no rows


def _shared_first(w: World, caller: str, body: Any) -> None:
    assert body["items"][0]["kind"] == "shared_resource", caller


def _project_body(w: World, caller: str) -> dict[str, Any]:
    """Each SME tries to open a project in G for a need of its own; staff for the member's need."""
    need = w.needs.get(caller, w.needs["sme"])
    return {"need_id": need, "title_ko": "그룹 과제", "year": 2026, "group_id": w.ids["group_id"]}


RESOURCE = {"name_ko": "제조 LLM", "description_ko": "사내 LLM 공유", "category": "manufacturing_llm"}
EXPECT: dict[tuple[str, str], Row] = {
    # cohorts and consultants: the ministry's
    ("POST", "/v1/programme/cohorts"): Row(_created(ADMIN_ONLY), body={"year": 2031, "capacity": 1, "name_ko": "기수"}),
    ("GET", "/v1/programme/cohorts"): Row(STAFF_READ),
    ("GET", "/v1/programme/cohorts/{year}/members"): Row(STAFF_READ),
    ("POST", "/v1/programme/cohorts/{year}/candidates"): Row(expect(403, admin=422)),  # no file sent
    ("POST", "/v1/programme/cohorts/{year}/members"): Row(expect(403, admin=409),  # already a candidate
                                                          body=lambda w, c: {"sme_id": w.ids["member"]}),
    ("POST", "/v1/programme/cohorts/{year}/members/{sme_id}/{action}"): Row(expect(403, admin=409), body={}),
    ("POST", "/v1/programme/consultants"): Row(_created(ADMIN_ONLY),
                                               body=lambda w, c: {"sub": f"c-{c}", "name": "이정훈"}),
    ("GET", "/v1/programme/consultants"): Row(STAFF_READ),
    # selection by rule: the programme officer (admin) writes, staff read; no rule or run before the rows
    ("POST", "/v1/programme/selection/rules"): Row(_created(ADMIN_ONLY), body={"year": 2026, "capacity": 5}),
    ("GET", "/v1/programme/selection/{year}/rule"): Row(expect(403, reviewer=404, admin=404)),
    ("GET", "/v1/programme/selection/{year}/runs/latest"): Row(expect(403, reviewer=404, admin=404)),
    ("GET", "/v1/programme/selection/{year}/decisions"): Row(expect(403, reviewer=404, admin=404)),
    ("POST", "/v1/programme/selection/{year}/runs"): Row(_created(ADMIN_ONLY)),
    # the run selects the world's SME (its level is confirmed), so the officer can withdraw it
    ("POST", "/v1/programme/selection/{year}/withdrawals"): Row(expect(403, admin=200), body=lambda w, c: {
        "sme_id": w.ids["member"], "reason": "사업 포기"}),
    # groups: a lead firm (or an admin for a named firm) forms one
    ("POST", "/v1/programme/groups"): Row(
        expect(403, other_sme=201, invitee=201, lead=201, sme=201, admin=422),  # an admin must name the lead
        body={"name_ko": "협력사 AX 그룹", "lead_name_ko": "대한모빌리티"}),
    ("GET", "/v1/programme/groups"): Row(expect(200), sees=_listed({"lead", "sme", "invitee", "reviewer", "admin"},
                                                                   "group_id", lambda b: b)),
    ("GET", G): Row(GROUP_READ, sees=_group_members_field),
    # membership: the lead invites X, an admin admits it; the invited SME alone answers
    ("POST", G + "/members"): Row(LEAD_WRITE, body=lambda w, c: {"sme_id": w.ids["outsider"]}),
    ("GET", G + "/members"): Row(GROUP_READ, sees=_memberships),
    ("POST", G + "/members/{invitee_sme}/accept"): Row(ANSWER, body={"share": ["projects"]}),
    ("POST", G + "/members/{invitee_sme}/decline"): Row(ANSWER),
    ("DELETE", G + "/members/{invitee_sme}"): Row(expect(404, reviewer=403, invitee=204, lead=204, admin=204)),
    ("GET", G + "/resources"): Row(GROUP_CONTENT),
    ("POST", G + "/resources"): Row(LEAD_WRITE, body=RESOURCE),
    ("GET", G + "/needs"): Row(GROUP_CONTENT),
    ("POST", G + "/needs"): Row(LEAD_WRITE, body={"text": "작업표준서 검색"}),
    ("POST", "/v1/programme/needs/{need_id}/matches"): Row(MATCH, sees=_shared_first),
    # projects: the SME's; a non-member (invitee, other SME, lead) cannot open one in G
    ("POST", "/v1/programme/projects"): Row(expect(404, reviewer=403, sme=201, admin=201), body=_project_body),
    ("GET", "/v1/programme/projects"): Row(expect(200), sees=_listed(
        {"sme", "supplier", "consultant", "reviewer", "admin"}, "project_id", lambda b: b["items"])),
    ("GET", P): Row(PROJECT_READ),
    ("POST", P + "/shortlist"): Row(_created(MATCH), body={"limit": 3}),
    ("POST", P + "/supplier"): Row(PROJECT_WRITE, body=lambda w, c: {"solution_id": w.ids["solution_id"]}),
    ("POST", P + "/budget-lines"): Row(_created(PROJECT_WRITE),
                                       body={"year": 2026, "source": "own", "amount_krw": 1_000_000,
                                             "stage": "data_collection"}),
    # selection facts: the SME states its scale; any consultant or an officer confirms its level
    ("PUT", "/v1/programme/smes/{sme_id}/profile"): Row(expect(404, reviewer=403, sme=200, admin=200),
                                                        body={"sales_krw": 4_800_000_000, "employees": 42}),
    ("POST", "/v1/programme/smes/{sme_id}/profile/confirmed-level"): Row(
        expect(403, consultant=200, other_consultant=200, admin=200), body={"level": "basic", "diagnosis_score": 70}),
    # budget approval and the envelope: the programme officer's (admin); the world's line is the SME's own 1M
    ("POST", P + "/budget-lines/{line_id}/approve"): Row(ADMIN_ONLY),
    ("POST", P + "/budget-lines/{line_id}/return"): Row(expect(403, admin=409),  # approved just before
                                                        body={"reason": "증빙 부족"}),
    ("PUT", "/v1/programme/envelopes/{year}"): Row(ADMIN_ONLY, body={"gov_krw": 1_000_000_000}),
    ("GET", "/v1/programme/envelopes"): Row(STAFF_READ),
    ("POST", P + "/expenditures"): Row(  # planned: no spending yet
        {**PROJECT_WRITE, "sme": 409, "admin": 409},
        body={"year": 2026, "source": "own", "amount_krw": 1, "spent_on": "2026-05-01", "description": "장비"}),
    ("POST", P + "/transitions"): Row({**PROJECT_WRITE, "sme": 409, "admin": 409}, body={"action": "start"}),
    ("POST", P + "/consultants"): Row(ADMIN_ONLY, body=lambda w, c: {"consultant_id": w.ids["consultant_id"],
                                                                     "kind": "pre"}),
    # only the assigned consultant records; the supplier sees the project but is no consultant
    ("POST", P + "/consultations"): Row(expect(404, reviewer=403, supplier=403, sme=403, admin=403, consultant=201),
                                        body={"kind": "pre", "assessed_level": "basic"}),
    ("GET", P + "/consultations"): Row(PROJECT_READ),
    ("POST", P + "/outcomes"): Row({**PROJECT_WRITE, "sme": 409, "admin": 409},  # planned: nothing measured yet
                                   body={"metric": "defect_rate", "before": 3.4, "after": 0.8}),
    # an outcome's evidence: the world's planned project has no outcome, so every caller gets the same 404 as
    # for a project it cannot see (the project and the outcome are looked up before any file is read)
    ("POST", P + "/outcomes/{outcome_id}/documents"): Row(expect(404, reviewer=403)),
    ("GET", P + "/outcomes/{outcome_id}/documents"): Row(expect(404)),
    ("GET", "/v1/reports/kpis"): Row(STAFF_READ),
    ("GET", "/v1/reports/kpis/charts/{name}"): Row(STAFF_READ),
    # AI stages: the rules for anyone signed in; the plan is the SME's (the world's SME has a confirmed level)
    ("GET", "/v1/programme/stage-rules"): Row(expect(200)),
    ("PUT", P + "/stages"): Row(PROJECT_WRITE, body={"stages": [{"year": 2026, "stage": "data_collection"}]}),
    # the officer accepts or returns a completion; the world's project is planned
    ("POST", P + "/completion/accept"): Row(expect(403, admin=409)),
    ("POST", P + "/completion/return"): Row(expect(403, admin=409), body={"reason": "보완 필요"}),
    # an SME's own selection result (read before the 2026 run: 404) and its appeal (after the run, which
    # selected the SME: nothing to appeal, 409); the officer decides appeals
    ("GET", "/v1/programme/smes/{sme_id}/selection/{year}"): Row(expect(404)),
    ("POST", "/v1/programme/smes/{sme_id}/selection/{year}/appeal"): Row(
        expect(404, reviewer=403, sme=409, admin=409), body={"reason_ko": "점수 재산정 요청"}),
    ("GET", "/v1/programme/selection/{year}/appeals"): Row(STAFF_READ),
    ("POST", "/v1/programme/selection/{year}/appeals/{appeal_id}/decision"): Row(
        expect(403, admin=404), body={"outcome": "dismissed", "reason": "사유 없음"}),
}


def programme_routes(app: Any) -> set[tuple[str, str]]:
    found = set()
    for rc in iter_route_contexts(app.routes):
        if rc.path.startswith(("/v1/programme", "/v1/reports")):
            found |= {(m, rc.path) for m in getattr(rc, "methods", set()) if m != "HEAD"}
    return found


def _template(path: str) -> str:
    return path.replace("{invitee_sme}", "{sme_id}")


@pytest.fixture
def world(client, mint) -> World:
    admin = bearer(mint("admin", org="ministry"))
    m, i, o, x = (h.number(90 + k) for k in range(4))
    _, smes = h.cohort_with_smes(client, mint, admin, [m, i, o, x], encoding="utf-8")
    s_token, _, (solution_id,), _ = h.supplier(client, mint, admin)
    consultant, c_token = h.consultant(client, mint, admin, "matrix-consultant")
    _, other_c = h.consultant(client, mint, admin, "matrix-other-consultant")
    lead = bearer(mint("sme", org="lead-matrix"))
    tokens = {"admin": admin, "reviewer": bearer(mint("reviewer", org="ministry")), "portal": bearer(mint("portal")),
              "supplier": s_token, "other_supplier": bearer(mint("supplier")), "sme": smes[m]["token"],
              "other_sme": smes[o]["token"], "invitee": smes[i]["token"], "lead": lead, "consultant": c_token,
              "other_consultant": other_c}
    w = World(tokens)
    gid = client.post("/v1/programme/groups", json={"name_ko": "대한 협력사", "lead_name_ko": "대한"},
                      headers=lead).json()["id"]
    w.ids |= {"name": "adoption"}  # the chart of /v1/reports/kpis/charts/{name}
    w.ids |= {"group_id": gid, "member": smes[m]["id"], "invitee_sme": smes[i]["id"], "outsider": smes[x]["id"],
              "sme_id": smes[m]["id"], "year": "2026", "action": "select", "solution_id": solution_id,
              "consultant_id": consultant["id"], "appeal_id": "no-such-appeal", "outcome_id": "no-such-outcome"}
    assert client.post(f"/v1/programme/groups/{gid}/resources", json=RESOURCE, headers=lead).status_code == 201
    for sid in (smes[m]["id"], smes[i]["id"]):
        assert client.post(f"/v1/programme/groups/{gid}/members", json={"sme_id": sid}, headers=lead).status_code == 201
    r = client.post(f"/v1/programme/groups/{gid}/members/{smes[m]['id']}/accept",
                    json={"share": ["projects", "outcomes"]}, headers=smes[m]["token"])
    assert r.status_code == 200, r.text
    project = h.project(client, smes[m]["token"], group_id=gid)
    w.ids |= {"project_id": project["id"], "need_id": project["need_id"]}
    line = client.post(f"/v1/programme/projects/{project['id']}/budget-lines", headers=w.tokens["sme"],
                       json={"year": 2026, "source": "own", "amount_krw": 1_000_000, "stage": "data_collection"})
    assert line.status_code == 201, line.text
    w.ids["line_id"] = line.json()["id"]
    for caller in ("sme", "invitee", "other_sme"):
        r = client.post("/v1/needs", json=factories.need(text=h.NEED), headers=tokens[caller])
        assert r.status_code == 201, r.text
        w.needs[caller] = r.json()["id"]
    w.needs["sme"] = project["need_id"]
    for path, body in (("supplier", {"solution_id": solution_id}),
                       ("consultants", {"consultant_id": consultant["id"], "kind": "pre"})):
        r = client.post(f"/v1/programme/projects/{project['id']}/{path}", json=body,
                        headers=admin if path == "consultants" else smes[m]["token"])
        assert r.status_code == 200, r.text
    return w


def _restore(client, w: World) -> None:
    """M accepted, I invited, X not invited: the memberships every expectation assumes."""
    lead, base = w.tokens["lead"], w.path("/v1/programme/groups/{group_id}/members")
    states = {r["sme_id"]: r["state"] for r in client.get(base, headers=lead).json()}
    if states.get(w.ids["invitee_sme"]) != "invited":
        if w.ids["invitee_sme"] in states:
            assert client.delete(f"{base}/{w.ids['invitee_sme']}", headers=lead).status_code == 204
        assert client.post(base, json={"sme_id": w.ids["invitee_sme"]}, headers=lead).status_code == 201
    if w.ids["outsider"] in states:
        assert client.delete(f"{base}/{w.ids['outsider']}", headers=lead).status_code == 204
    assert states.get(w.ids["member"]) == "accepted"


def test_every_programme_route_has_a_row(app):
    rows, routes = {(m, _template(p)) for m, p in EXPECT}, programme_routes(app)
    assert routes == rows, {"missing": routes - rows, "stale": rows - routes}
    for key, row in EXPECT.items():
        assert set(row.expect) == set(CALLERS), key


def test_every_programme_route_for_every_caller(client, world):
    failures = []
    for (method, template), row in sorted(EXPECT.items()):
        path = world.path(template)
        for caller in CALLERS:
            _restore(client, world)
            headers = dict(world.tokens.get(caller, {}))
            body = row.body(world, caller) if callable(row.body) else row.body
            r = client.request(method, path, headers=headers, **({"json": body} if body is not None else {}))
            want = row.expect[caller]
            if r.status_code != want:
                failures.append(f"{method} {template} as {caller}: {r.status_code}, expected {want}: {r.text[:200]}")
            elif r.status_code >= 400 and r.headers.get("content-type") != "application/problem+json":
                failures.append(f"{method} {template} as {caller}: not problem+json")
            elif r.status_code < 300 and row.sees is not None:
                try:
                    row.sees(world, caller, r.json())
                except AssertionError as exc:
                    failures.append(f"{method} {template} as {caller}: {exc}")
    assert not failures, "\n".join(failures)
