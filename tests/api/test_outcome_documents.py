"""An AX project outcome's evidence: the SME attaches a PDF to its measured outcome (the checks of every
upload, the digest in the project's audit event, `axr audit verify` names a replaced one), reads it back
through /v1/documents/{id}/content; another SME is told neither the outcome nor the document exists; a file
that is not what it claims is refused 422 in Korean; a confirmed outcome takes no more documents (409)."""

from __future__ import annotations

from tests.api import programme_helpers as h
from tests.cli.runner import axr_in_process
from tests.conftest import bearer
from tests.evidence.helpers import exe, pdf


def _started_with_outcome(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    _, smes = h.cohort_with_smes(client, mint, admin, [h.number(31), h.number(32)])
    sme, other = smes[h.number(31)]["token"], smes[h.number(32)]["token"]
    _, _, (solution_id,), _ = h.supplier(client, mint, admin)
    pid = h.project(client, sme)["id"]
    post = h.started(client, admin, sme, pid, solution_id)
    outcome = post("outcomes", {"metric": "defect_rate", "before": 3.4, "after": 0.8})
    return admin, sme, other, pid, outcome["id"], post


def test_the_sme_attaches_evidence_to_its_outcome_and_no_one_else_sees_it(client, mint, settings):
    admin, sme, other, pid, oid, post = _started_with_outcome(client, mint)
    path = f"/v1/programme/projects/{pid}/outcomes/{oid}/documents"
    body = pdf("불량률 측정 기록")
    r = client.post(path, headers=sme, files={"file": ("불량률_측정기록.pdf", body, "application/pdf")})
    assert r.status_code == 201, r.text
    doc = r.json()
    assert (doc["purpose"], doc["outcome_id"], doc["application_id"]) == ("outcome", oid, None)
    assert doc["media_type"] == "application/pdf"
    assert doc["filename"] == "불량률_측정기록.pdf"

    listed = client.get(path, headers=sme)
    assert [d["id"] for d in listed.json()] == [doc["id"]]
    got = client.get(doc["download"], headers=sme)
    assert got.status_code == 200
    assert got.content == body
    assert client.get(doc["download"], headers=admin).status_code == 200  # staff see every project

    event = client.get("/v1/audit/events", headers=admin, params={"subject_type": "project", "subject_id": pid})
    assert event.status_code == 200, event.text
    attached = [e for e in event.json()["items"] if e["action"] == "attach_document"]
    assert [(e["seq"], e["payload"]["sha256"], e["payload"]["outcome_id"]) for e in attached] == \
        [(doc["audit_seq"], doc["sha256"], oid)]

    # another SME: the same 404 as a missing outcome or document
    for url in (path, doc["download"]):
        r = client.get(url, headers=other)
        assert r.status_code == 404, r.text
        assert r.headers["content-type"] == "application/problem+json"
    r = client.post(path, headers=other, files={"file": ("x.pdf", pdf(), "application/pdf")})
    assert r.status_code == 404
    assert client.get(f"/v1/programme/projects/{pid}/outcomes/no-such-outcome/documents",
                      headers=sme).status_code == 404

    # `axr audit verify` checks the outcome's document; replacing its bytes is named
    ok = axr_in_process(settings, "audit", "verify")
    assert ok.exit_code == 0, ok.output
    (settings.documents_path() / doc["sha256"][:2] / doc["sha256"]).write_bytes(pdf("바꿔치기"))
    bad = axr_in_process(settings, "audit", "verify")
    assert bad.exit_code == 1, bad.output
    assert f"과제 성과 {oid}의 문서 {doc['id']}('불량률_측정기록.pdf')" in bad.stderr


def test_a_wrong_type_is_refused_in_korean_and_a_confirmed_outcome_is_closed(client, mint):
    admin, sme, _, pid, oid, post = _started_with_outcome(client, mint)
    path = f"/v1/programme/projects/{pid}/outcomes/{oid}/documents"
    r = client.post(path, headers=sme, files={"file": ("측정기록.pdf", exe(), "application/pdf")})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert "측정기록.pdf" in r.json()["detail"]
    assert any("\uac00" <= ch <= "\ud7a3" for ch in r.json()["detail"])  # Korean by default
    assert client.get(path, headers=sme).json() == []  # nothing was stored

    neutral, neutral_tok = h.consultant(client, mint, admin, "consultant-outcome-docs")
    post("transitions", {"action": "complete"})
    post("consultants", {"consultant_id": neutral["id"], "kind": "post"}, admin)
    post("consultations", {"kind": "post", "evaluation_ko": "현장에서 확인함", "rating": 4}, neutral_tok)
    r = client.post(path, headers=sme, files={"file": ("추가.pdf", pdf(), "application/pdf")})
    assert r.status_code == 409, r.text
    assert r.json()["detail"] == "확인된 성과에는 증빙을 더 올릴 수 없습니다."
