"""Reading the audit log: the staff list by subject (reviewers and admins only, paginated) and the public
history of a certificate, each event with an inclusion proof that checks against the signed tree head."""

from __future__ import annotations

import base64
from typing import Any

from certification import merkle
from tests.api.designation_builders import Desk
from tests.conftest import bearer


def _b64(s: str) -> bytes:
    return base64.b64decode(s)


def _lifecycle(desk: Desk) -> str:
    """A certificate issued, suspended, reinstated and revoked through the API."""
    _, number = desk.certificate("suspended")
    desk.post(f"/v1/certificates/{number}/reinstate", desk.admin, {})
    desk.post(f"/v1/certificates/{number}/revoke", desk.reviewer, {"reason": "실적 자료 허위 기재 확인"})
    return number


def test_staff_list_events_by_subject_page_by_page(client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    number = _lifecycle(desk)
    seen: list[dict[str, Any]] = []
    url: str | None = f"/v1/audit/events?subject_type=certificate&subject_id={number}&limit=2"
    while url:
        r = client.get(url, headers=desk.admin)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["items"]) <= 2
        seen += page["items"]
        url = page["next"]
    assert [e["action"] for e in seen] == ["issue", "suspend", "reinstate", "revoke"]
    assert [e["to_state"] for e in seen] == ["active", "suspended", "active", "revoked"]
    assert seen[-1]["reason"] == "실적 자료 허위 기재 확인"
    assert {e["subject_id"] for e in seen} == {number}
    assert [e["seq"] for e in seen] == sorted(e["seq"] for e in seen)

    # reviewers see it too; nobody else does
    assert client.get(f"/v1/audit/events?subject_id={number}", headers=desk.reviewer).json()["items"] == seen
    assert client.get("/v1/audit/events").status_code == 401
    for role in ("supplier", "sme", "portal"):
        r = client.get("/v1/audit/events", headers=bearer(mint(role)))
        assert r.status_code == 403, (role, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    assert client.get("/v1/audit/events?cursor=bm9wZQ", headers=desk.admin).status_code == 400


def test_a_reviewer_sees_only_the_applications_of_their_panels(client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    _, app_id = desk.application_in("under_review")  # reviewers 0-2 seated, reviewer 3 not
    admin_view = client.get(f"/v1/audit/events?subject_id={app_id}", headers=desk.admin).json()["items"]
    assert "assign_reviewer" in [e["action"] for e in admin_view]
    seated = client.get(f"/v1/audit/events?subject_id={app_id}", headers=desk.reviewers[1][1]).json()
    assert seated["items"] == admin_view
    outsider = client.get(f"/v1/audit/events?subject_id={app_id}", headers=desk.reviewers[3][1])
    assert outsider.status_code == 200
    assert outsider.json()["items"] == []


def test_public_history_with_proofs_against_the_signed_head(client, mint, engine) -> None:
    desk = Desk.open(client, mint, engine)
    number = _lifecycle(desk)
    r = client.get(f"/v1/public/certificates/{number}/history", headers={"Accept-Language": "en"})
    assert r.status_code == 200, r.text
    history = r.json()
    assert history["number"] == number
    assert history["status"] == "revoked"
    events = history["events"]
    assert [(e["action"], e["to_state"]) for e in events] == [
        ("issue", "active"), ("suspend", "suspended"), ("reinstate", "active"), ("revoke", "revoked")]
    assert events[1]["reason"] == "현장 점검 결과 확인 중"
    assert all(e["valid_from"] and e["valid_until"] and e["at"] for e in events)
    # no reviewer's identity: neither the actor nor any sub of the desk's reviewers
    assert "actor" not in events[0]
    assert not any(sub in r.text for sub, _ in desk.reviewers)

    head = history["tree_head"]
    assert head == client.get("/v1/public/audit/tree-head").json()
    for e in events:
        proof = e["inclusion_proof"]
        assert proof["tree_size"] == head["tree_size"]
        assert proof["leaf_index"] == e["seq"]
        assert merkle.verify_inclusion(_b64(e["leaf_hash"]), e["seq"], head["tree_size"],
                                       [_b64(h) for h in proof["audit_path"]], _b64(head["root_hash"]))

    unknown = client.get("/v1/public/certificates/AXR-2026-0000-0000-Z/history")
    assert unknown.status_code in (404, 422)
    assert unknown.headers["content-type"] == "application/problem+json"
