"""Supply-chain groups by consent (issue 12, finding 1): a lead firm invites, the SME accepts (choosing what
it shares) or declines, an admin may admit directly. Until it accepts, an invited SME is no member: its
projects cannot join the group and the lead's resources do not reach its matches. The lead sees of a
member only the aggregates it shares, never its projects, budget, spending or consultations; members
do not see each other. A shared resource points at a published solution only (a draft answers as an
unknown id)."""

from __future__ import annotations

import json
from typing import Any

from tests import factories
from tests.api import programme_helpers as h
from tests.conftest import bearer

G = "/v1/programme/groups"


def _group(client, lead) -> str:
    r = client.post(G, json={"name_ko": "대한모빌리티 협력사 AX", "lead_name_ko": "대한모빌리티"}, headers=lead)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _invite(client, lead, gid: str, sme_id: str, **extra: Any) -> Any:
    return client.post(f"{G}/{gid}/members", json={"sme_id": sme_id, **extra}, headers=lead)


def _matches(client, token, need_id: str) -> list[dict[str, Any]]:
    r = client.post(f"/v1/programme/needs/{need_id}/matches", headers=token)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_an_invited_sme_is_no_member_until_it_accepts(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    a, b = h.number(71), h.number(72)
    _, smes = h.cohort_with_smes(client, mint, admin, [a, b], encoding="utf-8")
    sa, sb = smes[a], smes[b]
    lead = bearer(mint("sme", org="lead-daehan"))
    gid = _group(client, lead)
    r = client.post(f"{G}/{gid}/resources", headers=lead, json={
        "name_ko": "제조 LLM 모빌리티GPT", "description_ko": "작업표준서를 학습한 LLM 공유",
        "category": "manufacturing_llm"})
    assert r.status_code == 201, r.text

    # the lead cannot choose for the SME what it shares, nor add it as a member
    r = _invite(client, lead, gid, sa["id"], share=["projects"])
    assert r.status_code == 422, r.text
    r = _invite(client, lead, gid, sa["id"])
    assert r.status_code == 201, r.text
    assert r.json()["state"] == "invited"
    assert r.json()["name_ko"] is None  # nothing of an SME that has not consented
    assert r.json()["summary"] is None
    assert _invite(client, lead, gid, sa["id"]).status_code == 409

    # invited, not accepted: sees the group to decide, nothing else; its project cannot join the group
    assert client.get(f"{G}/{gid}", headers=sa["token"]).json()["membership"] == "invited"
    assert client.get(f"{G}/{gid}/resources", headers=sa["token"]).status_code == 404
    assert client.get(f"{G}/{gid}/needs", headers=sa["token"]).status_code == 404
    assert client.get(f"{G}/{gid}", headers=lead).json()["members"] == []
    need = client.post("/v1/needs", json=factories.need(text=h.NEED), headers=sa["token"]).json()
    body = {"need_id": need["id"], "title_ko": "그룹 과제", "year": 2026}
    refused = client.post("/v1/programme/projects", json={**body, "group_id": gid}, headers=sa["token"])
    unknown = client.post("/v1/programme/projects", json={**body, "group_id": "0" * 36}, headers=sa["token"])
    assert refused.status_code == unknown.status_code == 404
    assert all(m["kind"] == "solution" for m in _matches(client, sa["token"], need["id"]))

    # nobody else answers for it: not the lead, not another SME
    for token in (lead, sb["token"]):
        r = client.post(f"{G}/{gid}/members/{sa['id']}/accept", json={"share": ["projects"]}, headers=token)
        assert r.status_code == 404, r.text

    # accepted: a member, its project joins the group, the lead's resource comes first in its matches
    r = client.post(f"{G}/{gid}/members/{sa['id']}/accept", json={"share": ["projects"]}, headers=sa["token"])
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["share"]) == ("accepted", ["projects"])
    assert client.post("/v1/programme/projects", json={**body, "group_id": gid},
                       headers=sa["token"]).status_code == 201
    assert _matches(client, sa["token"], need["id"])[0]["title_ko"] == "제조 LLM 모빌리티GPT"
    assert client.get(f"{G}/{gid}/resources", headers=sa["token"]).status_code == 200

    # b declines: it no longer sees the group; the lead sees the decline and may invite again
    assert _invite(client, lead, gid, sb["id"]).status_code == 201
    r = client.post(f"{G}/{gid}/members/{sb['id']}/decline", headers=sb["token"])
    assert r.status_code == 200, r.text
    assert client.get(f"{G}/{gid}", headers=sb["token"]).status_code == 404
    assert client.post(f"{G}/{gid}/members/{sb['id']}/accept", json={}, headers=sb["token"]).status_code == 404
    states = {m["sme_id"]: m["state"] for m in client.get(f"{G}/{gid}/members", headers=lead).json()}
    assert states == {sa["id"]: "accepted", sb["id"]: "declined"}
    assert _invite(client, lead, gid, sb["id"]).json()["state"] == "invited"

    # a leaves: its matches lose the resource and new projects cannot join the group
    assert client.delete(f"{G}/{gid}/members/{sa['id']}", headers=sa["token"]).status_code == 204
    assert all(m["kind"] == "solution" for m in _matches(client, sa["token"], need["id"]))
    assert client.post("/v1/programme/projects", json={**body, "group_id": gid},
                       headers=sa["token"]).status_code == 404

    # an admin may set a membership directly (e.g. from a signed agreement)
    r = _invite(client, admin, gid, sa["id"], share=["outcomes"])
    assert r.status_code == 201, r.text
    assert (r.json()["state"], r.json()["share"]) == ("accepted", ["outcomes"])


def test_the_lead_sees_only_what_each_member_shares(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    a, b = h.number(81), h.number(82)
    _, smes = h.cohort_with_smes(client, mint, admin, [a, b], encoding="utf-8")
    sa, sb = smes[a], smes[b]
    lead = bearer(mint("sme", org="lead-hanul"))
    gid = _group(client, lead)
    for s, share in ((sa, ["projects", "outcomes"]), (sb, [])):
        assert _invite(client, lead, gid, s["id"]).status_code == 201
        r = client.post(f"{G}/{gid}/members/{s['id']}/accept", json={"share": share}, headers=s["token"])
        assert r.status_code == 200, r.text
    _, _, (solution_id,), _ = h.supplier(client, mint, admin)
    consultant = h.consultant(client, mint, admin, "consultant-group")
    pa = h.project(client, sa["token"], group_id=gid)["id"]
    h.completed(client, admin, sa["token"], pa, solution_id, consultant)
    h.project(client, sa["token"], group_id=gid)  # a second, still planned
    pb = h.project(client, sb["token"], group_id=gid)["id"]
    h.completed(client, admin, sb["token"], pb, solution_id, consultant)

    # aggregates of what a shares; nothing of b, which shares nothing
    seen = {m["sme_id"]: m for m in client.get(f"{G}/{gid}/members", headers=lead).json()}
    assert seen[sa["id"]]["name_ko"] == "한빛정밀0 주식회사"
    assert seen[sa["id"]]["summary"] == {"projects": {"accepted": 1, "planned": 1},  # the officer accepted
                                         "outcomes": {"defect_rate": {"confirmed": 1, "mean_change": -0.7647}}}
    assert seen[sb["id"]]["summary"] == {"projects": None, "outcomes": None}
    assert client.get(f"{G}/{gid}", headers=lead).json()["members"] == sorted([sa["id"], sb["id"]])
    # ... and never a row: not the projects, their budget, spending or consultations
    everything = json.dumps(client.get(f"{G}/{gid}/members", headers=lead).json())
    for word in ("amount_krw", "budget", "expenditure", "consultation", "evaluation", pa, pb):
        assert word not in everything
    assert client.get("/v1/programme/projects", headers=lead).json()["items"] == []
    for pid in (pa, pb):
        for path in ("", "/consultations"):
            assert client.get(f"/v1/programme/projects/{pid}{path}", headers=lead).status_code == 404

    # members see the group and the lead, not each other
    group_of_a = client.get(f"{G}/{gid}", headers=sa["token"]).json()
    assert group_of_a["members"] == [sa["id"]]
    assert group_of_a["lead_name_ko"] == "대한모빌리티"
    assert [m["sme_id"] for m in client.get(f"{G}/{gid}/members", headers=sa["token"]).json()] == [sa["id"]]
    assert sb["id"] not in json.dumps([client.get(f"{G}", headers=sa["token"]).json(), group_of_a])
    assert client.get(f"/v1/programme/projects/{pb}", headers=sa["token"]).status_code == 404
    # one member cannot remove or answer for another
    assert client.delete(f"{G}/{gid}/members/{sb['id']}", headers=sa["token"]).status_code == 404
    assert client.post(f"{G}/{gid}/members/{sb['id']}/decline", headers=sa["token"]).status_code == 404


def test_a_shared_resource_points_at_a_published_solution_only(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    lead = bearer(mint("sme", org="lead-probe"))
    gid = _group(client, lead)
    supplier = bearer(mint("supplier"))
    company = client.post("/v1/companies", json=factories.company(), headers=supplier).json()["id"]
    draft = client.post("/v1/solutions", json=factories.solution(company, status="draft"), headers=supplier)
    published = client.post("/v1/solutions", json=factories.solution(company, status="published"), headers=supplier)
    assert draft.status_code == published.status_code == 201

    def share(solution_id: str, token: dict[str, str] = lead) -> Any:
        return client.post(f"{G}/{gid}/resources", headers={**token, "Accept-Language": "en"}, json={
            "name_ko": "공유 비전 검사", "description_ko": "협력사 공동 사용", "category": "vision_inspection",
            "solution_id": solution_id})

    def shape(r: Any, solution_id: str) -> tuple[int, str]:
        return r.status_code, r.text.replace(solution_id, "ID")

    random_id = "0199aaaa-0000-7000-8000-000000000000"
    assert shape(share(draft.json()["id"]), draft.json()["id"]) == shape(share(random_id), random_id)
    assert share(draft.json()["id"]).status_code == 404
    assert share(draft.json()["id"], admin).status_code == 404  # not even staff may share a draft
    assert share(published.json()["id"]).status_code == 201
    empty = share("")  # an empty id is an unknown id, checked before the insert (the contract run had it refused
    assert empty.status_code == 404, empty.text  # by the database's foreign key instead)
    assert empty.json()["type"].endswith("/not-found")
