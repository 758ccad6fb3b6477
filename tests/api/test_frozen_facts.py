"""The facts an application is screened on are frozen at submission: a supplier who lowers its AI staff or
unpublishes its solution during review changes neither the screening nor the snapshot reviewers read,
and sees its edits listed as changes; editing the snapshot in the database is caught by `axr audit verify`."""

from __future__ import annotations

from sqlalchemy import select, update

from certification.models import Application
from core.db import writer
from tests.api.designation_builders import Desk
from tests.cli.runner import axr_in_process


def _patch(client, path, headers, body):
    etag = client.get(path, headers=headers).headers["ETag"]
    r = client.patch(path, json=body, headers={**headers, "If-Match": etag})
    assert r.status_code == 200, r.text


def test_edits_during_review_do_not_change_the_screened_facts(client, mint, engine, settings):
    desk = Desk.open(client, mint, engine)
    s, app_id = desk.draft()
    draft = client.get(f"/v1/applications/{app_id}/facts", headers=s.token).json()
    assert draft == {"frozen_at": None, "digest": None, "facts": None, "changes": []}

    app = desk.post(f"/v1/applications/{app_id}/submit", s.token)
    assert app["state"] == "under_review"
    screening = app["screening"]
    desk.post(f"/v1/applications/{app_id}/panel", desk.admin, {"reviewers": [desk.reviewers[0][0]]})

    company = s.company["id"]
    solution_id = client.get(f"/v1/solutions?company_id={company}", headers=s.token).json()["items"][0]["id"]
    _patch(client, f"/v1/companies/{company}", s.token, {"ai_staff": 2, "name_ko": "딥비전랩 (변경)"})
    _patch(client, f"/v1/solutions/{solution_id}", s.token, {"status": "draft"})

    facts = client.get(f"/v1/applications/{app_id}/facts", headers=desk.reviewer).json()
    assert facts["facts"]["company"]["ai_staff"] == 12  # what was screened
    assert facts["facts"]["company"]["name_ko"] == "딥비전랩 주식회사"
    assert {(c["path"], c["frozen"], c["current"]) for c in facts["changes"]} == {
        ("company.ai_staff", 12, 2), ("company.name_ko", "딥비전랩 주식회사", "딥비전랩 (변경)"),
        (f"solutions[{solution_id}].status", "published", "draft")}
    # the screening result stands, and the digest of the snapshot is the one the screening event recorded
    assert client.get(f"/v1/applications/{app_id}", headers=desk.reviewer).json()["screening"] == screening
    events = client.get("/v1/audit/events", params={"subject_type": "application", "subject_id": app_id},
                        headers=desk.admin).json()["items"]
    passed = next(e for e in events if e["action"] == "screen_pass")
    assert passed["payload"]["facts_digest"] == facts["digest"]
    # another supplier does not see them
    other = desk.supplier()
    assert client.get(f"/v1/applications/{app_id}/facts", headers=other.token).status_code == 404

    assert axr_in_process(settings, "audit", "verify").exit_code == 0
    with writer(engine).begin() as conn:  # raise the frozen AI staff behind the registry's back
        frozen = conn.scalar(select(Application.facts).where(Application.id == app_id))
        frozen["company"]["ai_staff"] = 30
        conn.execute(update(Application).where(Application.id == app_id).values(facts=frozen))
    bad = axr_in_process(settings, "audit", "verify")
    assert bad.exit_code == 1
    assert f"application {app_id} disagrees with its audit log: facts_digest" in bad.stderr
