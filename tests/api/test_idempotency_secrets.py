"""A secret shown once (an OAuth client's secret, a webhook's signing secret) is never readable in the
replay record an Idempotency-Key leaves for 48 hours: stored bodies are encrypted with a key derived
from the registry's signing key. A retry with the key still gets the whole first response."""

from __future__ import annotations

import base64
import uuid

from sqlalchemy import select

from core.idempotency import IdempotencyRecord
from tests.conftest import bearer


def _stored(engine) -> list[IdempotencyRecord]:
    with engine.connect() as conn:
        return list(conn.execute(select(IdempotencyRecord)).all())


def _leaks(secret: str, stored: bytes) -> bool:
    forms = {secret.encode(), base64.b64encode(secret.encode()), secret.encode().hex().encode()}
    return any(f in stored for f in forms)


def test_a_client_secret_is_not_in_the_replay_record_and_a_retry_still_gets_it(client, engine, mint):
    admin = {**bearer(mint("admin")), "Idempotency-Key": "client-" + uuid.uuid4().hex}
    body = {"name": "경남 스마트공장 포털", "role": "portal"}
    first = client.post("/v1/admin/clients", json=body, headers=admin)
    assert first.status_code == 201, first.text
    secret = first.json()["client_secret"]
    (record,) = _stored(engine)
    assert record.state == "done"
    assert not _leaks(secret, record.body)
    assert first.json()["client_id"].encode() not in record.body  # the whole body is sealed, not just the secret

    again = client.post("/v1/admin/clients", json=body, headers=admin)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    token = client.post("/v1/oauth/token", data={"grant_type": "client_credentials",
                                                 "client_id": first.json()["client_id"], "client_secret": secret})
    assert token.status_code == 200, token.text


def test_a_webhook_secret_is_not_in_the_replay_record(client, engine, mint):
    portal = {**bearer(mint("portal", sub="client:gn")), "Idempotency-Key": "hook-" + uuid.uuid4().hex}
    body = {"url": "https://8.8.8.8/hooks/axr", "event_types": ["*"]}
    first = client.post("/v1/webhooks", json=body, headers=portal)
    assert first.status_code == 201, first.text
    secret = first.json()["secret"]
    (record,) = _stored(engine)
    assert not _leaks(secret, record.body)
    again = client.post("/v1/webhooks", json=body, headers=portal)
    assert again.json()["secret"] == secret


def test_a_sealed_record_cannot_be_moved_to_another_caller(client, engine, mint, app):
    """The seal is bound to the caller and the key: copying a record's body into another caller's record
    does not replay someone else's secret."""
    from sqlalchemy import update

    admin_a = {**bearer(mint("admin", sub="admin:a")), "Idempotency-Key": "same"}
    admin_b = {**bearer(mint("admin", sub="admin:b")), "Idempotency-Key": "same"}
    body = {"name": "포털 A", "role": "portal"}
    a = client.post("/v1/admin/clients", json=body, headers=admin_a)
    b = client.post("/v1/admin/clients", json=body, headers=admin_b)
    assert a.json()["client_id"] != b.json()["client_id"]
    records = {r.principal: r for r in _stored(engine)}
    principal_a = next(p for p in records if p.endswith(":admin:a"))
    principal_b = next(p for p in records if p.endswith(":admin:b"))
    with engine.begin() as conn:
        conn.execute(update(IdempotencyRecord).where(IdempotencyRecord.principal == principal_b)
                     .values(body=records[principal_a].body))
    r = client.post("/v1/admin/clients", json=body, headers=admin_b)
    assert r.status_code == 409
    assert r.json()["type"] == "https://axr.go.kr/problems/idempotency-record-unreadable"
    assert a.json()["client_secret"] not in r.text
