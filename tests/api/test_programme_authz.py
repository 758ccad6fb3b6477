"""Who sees programme data: an SME its own projects, a lead firm its group (never its members' projects),
staff the reports, portals nothing (403)."""

from __future__ import annotations

from tests.api import programme_helpers as h
from tests.conftest import bearer


def test_sme_lead_firm_staff_and_portal(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    a, b, c = h.number(31), h.number(32), h.number(33)
    _, smes = h.cohort_with_smes(client, mint, admin, [a, b, c], encoding="utf-8")
    projects = {n: h.project(client, smes[n]["token"])["id"] for n in (a, b, c)}

    # an SME sees only its own project; another SME's is not found
    mine = client.get("/v1/programme/projects", headers=smes[a]["token"]).json()["items"]
    assert [x["id"] for x in mine] == [projects[a]]
    assert client.get(f"/v1/programme/projects/{projects[b]}", headers=smes[a]["token"]).status_code == 404
    r = client.post(f"/v1/programme/projects/{projects[b]}/transitions", json={"action": "cancel", "reason": "x"},
                    headers=smes[a]["token"])
    assert r.status_code == 404

    # a lead firm (sme-role organisation) invites a and b; a accepts, b has not answered. The lead sees no
    # member's projects (only the aggregates a member shares, tests/api/test_programme_groups.py)
    lead = bearer(mint("sme", org="lead-daehan"))
    group = client.post("/v1/programme/groups", headers=lead,
                        json={"name_ko": "대한모빌리티 협력사 AX", "lead_name_ko": "대한모빌리티"}).json()
    for n in (a, b):
        r = client.post(f"/v1/programme/groups/{group['id']}/members", json={"sme_id": smes[n]["id"]}, headers=lead)
        assert r.status_code == 201, r.text
        assert r.json()["state"] == "invited"
    r = client.post(f"/v1/programme/groups/{group['id']}/members/{smes[a]['id']}/accept", json={"share": []},
                    headers=smes[a]["token"])
    assert r.status_code == 200, r.text
    assert client.get("/v1/programme/projects", headers=lead).json()["items"] == []
    for n in (a, b, c):
        assert client.get(f"/v1/programme/projects/{projects[n]}", headers=lead).status_code == 404
    # ... and may not run them
    r = client.post(f"/v1/programme/projects/{projects[a]}/budget-lines", headers=lead,
                    json={"year": 2026, "source": "gov", "amount_krw": 1, "stage": "data_collection"})
    assert r.status_code == 404
    # the accepted member sees its group and its shared resources first among matches; the invitee sees the
    # group (to decide) but not its resources, and gets none in its matches; others do not see the group
    r = client.post(f"/v1/programme/groups/{group['id']}/resources", headers=lead, json={
        "name_ko": "제조 LLM 모빌리티GPT", "description_ko": "작업표준서를 학습한 LLM 공유",
        "category": "manufacturing_llm"})
    assert r.status_code == 201, r.text
    assert client.get(f"/v1/programme/groups/{group['id']}", headers=smes[a]["token"]).status_code == 200
    assert client.get(f"/v1/programme/groups/{group['id']}", headers=smes[b]["token"]).json()["membership"] == "invited"
    assert client.get(f"/v1/programme/groups/{group['id']}/resources", headers=smes[b]["token"]).status_code == 404
    assert client.get(f"/v1/programme/groups/{group['id']}", headers=smes[c]["token"]).status_code == 404

    def matches(n: str) -> list[dict]:
        need_id = client.get(f"/v1/programme/projects/{projects[n]}", headers=smes[n]["token"]).json()["need_id"]
        return client.post(f"/v1/programme/needs/{need_id}/matches", headers=smes[n]["token"]).json()["items"]

    items = matches(a)
    assert items[0]["kind"] == "shared_resource"
    assert items[0]["title_ko"] == "제조 LLM 모빌리티GPT"
    assert all(i["kind"] == "solution" for i in matches(b))

    # reports: reviewers and admins; not SMEs, suppliers or portals
    for role, status in (("reviewer", 200), ("admin", 200), ("sme", 403), ("supplier", 403), ("portal", 403)):
        token = bearer(mint(role, org="ministry" if role in ("reviewer", "admin") else None))
        assert client.get("/v1/reports/kpis", headers=token).status_code == status, role
    csv_text = client.get("/v1/reports/kpis?format=csv", headers=admin)
    assert csv_text.headers["content-type"].startswith("text/csv")
    assert "adoption_rate" in csv_text.text

    # portals see none of the programme
    portal = bearer(mint("portal"))
    for path in ("/v1/programme/projects", f"/v1/programme/projects/{projects[a]}", "/v1/programme/groups",
                 "/v1/programme/cohorts", "/v1/programme/consultants"):
        assert client.get(path, headers=portal).status_code == 403, path
    # cohort administration is staff-only
    assert client.get("/v1/programme/cohorts", headers=smes[a]["token"]).status_code == 403
    assert client.get("/v1/programme/cohorts", headers=bearer(mint("reviewer", org="ministry"))).status_code == 200


def test_consultant_sees_only_assigned_projects(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    a, b = h.number(41), h.number(42)
    _, smes = h.cohort_with_smes(client, mint, admin, [a, b], encoding="utf-8")
    pa, pb = (h.project(client, smes[n]["token"])["id"] for n in (a, b))
    consultant, token = h.consultant(client, mint, admin, "consultant-kim")
    client.post(f"/v1/programme/projects/{pa}/consultants", json={"consultant_id": consultant["id"], "kind": "pre"},
                headers=admin)
    assert [x["id"] for x in client.get("/v1/programme/projects", headers=token).json()["items"]] == [pa]
    r = client.post(f"/v1/programme/projects/{pb}/consultations", json={"kind": "pre", "assessed_level": "basic"},
                    headers=token)
    assert r.status_code == 404
    r = client.post(f"/v1/programme/projects/{pa}/consultations", json={"kind": "post", "evaluation_ko": "평가"},
                    headers=token)
    assert r.status_code == 403  # assigned for pre-consulting only
