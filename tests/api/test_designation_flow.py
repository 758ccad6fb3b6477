"""The designation process end to end through HTTP, with Korean data, as each role would live it."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

from joserfc import jws
from joserfc.jwk import KeySet

from certification.merkle import verify_inclusion
from core import clock
from tests import factories
from tests.conftest import bearer

SCORES = {"technology": 4, "manufacturing_fit": 4, "track_record": 4, "delivery": 4, "growth_tips": 3}


def _supplier_with_solution(client, mint, **company):
    token = bearer(mint("supplier"))
    c = client.post("/v1/companies", json=factories.company(**company), headers=token).json()
    r = client.post("/v1/solutions", json=factories.solution(c["id"]), headers=token)
    assert r.status_code == 201, r.text
    return token, c


def _reviewers(client, mint, admin, n=3):
    tokens = []
    for i in range(n):
        sub = f"reviewer-{i}"
        r = client.post("/v1/admin/reviewers", json={"sub": sub, "name": f"심사위원{i}", "org": "ministry"},
                        headers=admin)
        assert r.status_code == 201, r.text
        tokens.append((sub, bearer(mint("reviewer", org="ministry", sub=sub))))
    return tokens


def _approved(client, mint, admin, supplier, company, reviewers):
    app = client.post("/v1/applications", json={"company_id": company["id"]}, headers=supplier).json()
    assert client.post(f"/v1/applications/{app['id']}/submit", headers=supplier).json()["state"] == "under_review"
    subs = [s for s, _ in reviewers]
    r = client.post(f"/v1/applications/{app['id']}/panel", json={"reviewers": subs}, headers=admin)
    assert r.status_code == 200
    for _, tok in reviewers[:2]:
        client.post(f"/v1/applications/{app['id']}/declaration", json={"has_conflict": False}, headers=tok)
        client.post(f"/v1/applications/{app['id']}/reviews", json={"scores": SCORES}, headers=tok)
    r = client.post(f"/v1/applications/{app['id']}/decision", json={"decision": "approve", "reason": "기준 충족"},
                    headers=reviewers[0][1])
    assert r.status_code == 200, r.text
    cert = client.get(f"/v1/certificates?company_id={company['id']}", headers=admin).json()["items"][0]
    return app, cert


def _verify_offline(client, body):
    keys = KeySet.import_key_set(client.get("/.well-known/jwks.json").json())
    statement = jws.deserialize_compact(body["statement"], keys, algorithms=["Ed25519"])
    claims = json.loads(statement.payload)
    proof = body["decision_proof"]
    assert verify_inclusion(base64.b64decode(proof["leaf_hash"]), proof["leaf_index"], proof["tree_size"],
                            [base64.b64decode(h) for h in proof["audit_path"]], base64.b64decode(proof["root_hash"]))
    assert proof["root_hash"] == body["tree_head"]["root_hash"]
    return claims


def test_supplier_applies_and_is_designated_through_every_step(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    supplier, company = _supplier_with_solution(client, mint)

    app = client.post("/v1/applications", json={"company_id": company["id"],
                                                 "statement_ko": "비전 검사 솔루션으로 지정을 신청합니다."},
                      headers=supplier)
    assert app.status_code == 201, app.text
    app = app.json()
    assert app["state"] == "draft"
    assert "submit" in app["allowed_actions"]

    app = client.post(f"/v1/applications/{app['id']}/submit", headers=supplier).json()
    assert app["state"] == "under_review"
    results = {r["code"]: r for r in app["screening"]["results"]}
    assert results["E2"]["outcome"] == "pass"
    assert "AI 전문 인력 12명" in results["E2"]["reason_ko"]
    assert app["criteria_version"] == "v1"

    reviewers = _reviewers(client, mint, admin)
    r = client.post(f"/v1/applications/{app['id']}/panel", json={"reviewers": [s for s, _ in reviewers]},
                    headers=admin)
    assert r.status_code == 200
    assert len(r.json()) == 3

    (_, conflicted), (_, second), (_, third) = reviewers
    r = client.post(f"/v1/applications/{app['id']}/declaration",
                    json={"has_conflict": True, "note": "신청 기업 자문 이력"}, headers=conflicted)
    assert r.json()["removed"] is True
    r = client.post(f"/v1/applications/{app['id']}/reviews", json={"scores": SCORES}, headers=conflicted)
    assert r.status_code == 403
    assert r.headers["content-type"] == "application/problem+json"

    for tok in (second, third):
        assert client.post(f"/v1/applications/{app['id']}/declaration", json={"has_conflict": False},
                           headers=tok).status_code == 200
    # Before scoring, a reviewer sees no one else's scores.
    r = client.post(f"/v1/applications/{app['id']}/reviews", json={"scores": SCORES}, headers=second)
    assert r.status_code == 201
    assert client.get(f"/v1/applications/{app['id']}/reviews", headers=third).json() == []

    r = client.post(f"/v1/applications/{app['id']}/supplement-request",
                    json={"message": "불량률 측정 근거 자료를 보완해 주세요."}, headers=third)
    assert r.json()["state"] == "supplement_requested"
    r = client.post(f"/v1/applications/{app['id']}/resubmit",
                    json={"answer": "측정 보고서를 첨부합니다. 불량률 3.2% → 0.9%."}, headers=supplier)
    assert r.json()["state"] == "under_review"

    # One review is below the quorum of two.
    r = client.post(f"/v1/applications/{app['id']}/decision", json={"decision": "approve"}, headers=second)
    assert r.status_code == 409
    r = client.post(f"/v1/applications/{app['id']}/reviews", json={"scores": SCORES}, headers=third)
    assert r.status_code == 201
    assert len(client.get(f"/v1/applications/{app['id']}/reviews", headers=third).json()) == 2

    r = client.post(f"/v1/applications/{app['id']}/decision", json={"decision": "approve", "reason": "평균 3.9점"},
                    headers=second)
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "approved"
    assert r.json()["certificate_id"]

    cert = client.get(f"/v1/certificates?company_id={company['id']}", headers=supplier).json()["items"][0]
    public = client.get(f"/v1/public/certificates/{cert['number']}")
    assert public.status_code == 200, public.text
    body = public.json()
    assert body["status"] == "active"
    assert body["company_name_ko"] == "딥비전랩 주식회사"
    claims = _verify_offline(client, body)
    assert claims["number"] == cert["number"]
    assert claims["status"] == "active"

    r = client.post(f"/v1/certificates/{cert['number']}/suspend", json={}, headers=admin)
    assert r.status_code == 422  # a suspension needs a reason
    r = client.post(f"/v1/certificates/{cert['number']}/suspend", json={"reason": "현장 점검 중"}, headers=admin)
    assert r.json()["status"] == "suspended"
    assert client.get(f"/v1/public/certificates/{cert['number']}").json()["status"] == "suspended"
    r = client.post(f"/v1/certificates/{cert['number']}/reinstate", json={}, headers=admin)
    assert r.json()["status"] == "active"
    r = client.post(f"/v1/certificates/{cert['number']}/revoke", json={"reason": "허위 실적 확인"}, headers=admin)
    body = client.get(f"/v1/public/certificates/{cert['number']}").json()
    assert body["status"] == "revoked"
    assert _verify_offline(client, body)["status"] == "revoked"


def test_certificate_expires_with_the_clock_and_renewal_keeps_the_number(client, mint):
    admin = bearer(mint("admin", org="ministry"))
    reviewers = _reviewers(client, mint, admin)
    supplier, company = _supplier_with_solution(client, mint)
    _, cert = _approved(client, mint, admin, supplier, company, reviewers)
    other_supplier, other = _supplier_with_solution(client, mint, name_ko="스마트팩토리랩")
    _, other_cert = _approved(client, mint, admin, other_supplier, other, reviewers)

    # Renewal opens 90 days before expiry.
    r = client.post("/v1/applications", json={"company_id": company["id"], "kind": "renewal"}, headers=supplier)
    assert r.status_code == 409
    clock.advance(timedelta(days=3 * 365 - 60))
    app = client.post("/v1/applications", json={"company_id": company["id"], "kind": "renewal"}, headers=supplier)
    assert app.status_code == 201, app.text
    app = app.json()
    client.post(f"/v1/applications/{app['id']}/submit", headers=supplier)
    client.post(f"/v1/applications/{app['id']}/panel", json={"reviewers": [s for s, _ in reviewers]}, headers=admin)
    for _, tok in reviewers[:2]:
        client.post(f"/v1/applications/{app['id']}/declaration", json={"has_conflict": False}, headers=tok)
        client.post(f"/v1/applications/{app['id']}/reviews", json={"scores": SCORES}, headers=tok)
    r = client.post(f"/v1/applications/{app['id']}/decision", json={"decision": "approve"}, headers=reviewers[1][1])
    assert r.status_code == 200, r.text

    clock.advance(timedelta(days=90))  # past the first period
    renewed = client.get(f"/v1/public/certificates/{cert['number']}").json()
    assert renewed["status"] == "active"
    assert renewed["number"] == cert["number"]
    assert renewed["valid_until"] > cert["valid_until"]
    assert client.get(f"/v1/public/certificates/{other_cert['number']}").json()["status"] == "expired"
