"""The officer accepts a completed project only after the post-consultant's evaluation, or returns it to
work with a reason; the SME cannot accept its own; the audit log records each decision; adoption counts
only accepted projects (over HTTP, Korean data)."""

from __future__ import annotations

from sqlalchemy import select

from certification.audit import decode_entry
from certification.models import AuditLogEntry
from tests.api import programme_helpers as h
from tests.conftest import bearer


def _post(client, path: str, headers: dict[str, str], body: dict | None = None):
    return client.post(f"/v1/programme/projects/{path}", json=body or {}, headers=headers)


def test_accept_after_the_evaluation_return_with_a_reason(client, mint, session):
    admin = bearer(mint("admin", org="ministry"))
    n = h.number(61)
    _, smes = h.cohort_with_smes(client, mint, admin, [n], encoding="utf-8")
    sme = smes[n]["token"]
    _, _, (solution_id,), _ = h.supplier(client, mint, admin)
    expert = h.consultant(client, mint, admin, "completion-expert")
    pid = h.project(client, sme)["id"]
    # completed without an evaluation: the officer cannot accept yet (409, Korean and English)
    _post(client, f"{pid}/supplier", sme, {"solution_id": solution_id})
    h.envelope(client, admin)
    for source in ("gov", "own"):
        line = _post(client, f"{pid}/budget-lines", sme, {"year": 2026, "source": source,
                                                          "amount_krw": 100_000_000, "stage": "data_collection"})
        assert h.approve(client, admin, pid, line.json()["id"]).status_code == 200
    for action in ("contract", "start", "complete"):
        assert _post(client, f"{pid}/transitions", sme, {"action": action}).status_code == 200
    r = _post(client, f"{pid}/completion/accept", admin)
    assert r.status_code == 409, r.text
    assert r.json()["type"].endswith("/evaluation-missing")
    assert "사후 컨설턴트의 평가가 기록되지 않아" in r.json()["detail"]
    en = _post(client, f"{pid}/completion/accept", {**admin, "Accept-Language": "en"})
    assert "before the post-consultant records the evaluation" in en.json()["detail"]
    # the SME cannot accept (or return) its own completion
    assert _post(client, f"{pid}/completion/accept", sme).status_code == 403
    assert _post(client, f"{pid}/completion/return", sme, {"reason": "스스로 반려"}).status_code == 403

    assert _post(client, f"{pid}/consultants", admin, {"consultant_id": expert[0]["id"],
                                                       "kind": "post"}).status_code == 200
    assert _post(client, f"{pid}/consultations", expert[1], {"kind": "post", "evaluation_ko": "검사 정확도 미흡",
                                                             "rating": 2}).status_code == 201
    # returned: a reason is required; back in progress with the reason on the project
    assert _post(client, f"{pid}/completion/return", admin, {}).status_code == 422
    assert _post(client, f"{pid}/completion/return", admin, {"reason": "   "}).status_code == 422
    back = _post(client, f"{pid}/completion/return", admin, {"reason": "검사 정확도 보완 후 다시 완료하세요"})
    assert back.status_code == 200, back.text
    assert (back.json()["state"], back.json()["state_reason"], back.json()["completed_on"]) == (
        "in_progress", "검사 정확도 보완 후 다시 완료하세요", None)
    assert client.get("/v1/reports/kpis", headers=admin).json()["overall"]["adopted_smes"] == 0
    # completed again: the officer accepts (the evaluation stays on record)
    assert _post(client, f"{pid}/transitions", sme, {"action": "complete"}).status_code == 200
    r = _post(client, f"{pid}/completion/accept", admin)
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["accepted_by"] is not None, r.json()["accepted_on"] is not None) == (
        "accepted", True, True)
    assert _post(client, f"{pid}/completion/accept", admin).status_code == 409  # once
    assert _post(client, f"{pid}/completion/return", admin, {"reason": "늦은 반려"}).status_code == 409
    kpis = client.get("/v1/reports/kpis", headers=admin).json()["overall"]
    assert (kpis["adopted_smes"], kpis["projects"]["accepted"], kpis["projects"]["completed"]) == (1, 1, 0)
    events = [decode_entry(e.entry) for e in session.scalars(
        select(AuditLogEntry).where(AuditLogEntry.subject_id == pid).order_by(AuditLogEntry.seq))]
    decisions = [(e["action"], e.get("reason")) for e in events
                 if e["action"] in ("accept_completion", "return_completion")]
    assert decisions == [("return_completion", "검사 정확도 보완 후 다시 완료하세요"), ("accept_completion", None)]
