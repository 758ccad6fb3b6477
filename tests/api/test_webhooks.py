"""Webhooks through HTTP and the delivery worker: registration, the SSRF refusal, signed deliveries that
a real receiver on 127.0.0.1 checks, retries with backoff on an injected clock, and ordering."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from core import clock
from portal.delivery import RETRY_SCHEDULE, DeliveryWorker
from tests.api.portal_helpers import designated, follow
from tests.conftest import bearer
from tests.portal.receiver import Receiver


@pytest.fixture
def private_settings(settings, tmp_path):
    """The one place loopback URLs are allowed: the test receiver listens on 127.0.0.1."""
    return settings.model_copy(update={"webhook_allow_private": True, "index_dir": tmp_path / "index"})


@pytest.fixture
def lan_client(private_settings, engine):
    from api.app import create_app

    with TestClient(create_app(private_settings, engine=engine), raise_server_exceptions=False) as c:
        yield c


def _register(client, token, url, types):
    r = client.post("/v1/webhooks", json={"url": url, "event_types": types, "description": "포털 동기화"},
                    headers=token)
    assert r.status_code == 201, r.text
    return r.json()


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/hook", "http://localhost/hook", "http://10.0.0.8/hook",
                                 "http://169.254.169.254/latest/meta-data/", "http://[::1]/hook",
                                 "ftp://portal.example.kr/hook"])
def test_ssrf_urls_are_refused_with_422(client, mint, url):
    r = client.post("/v1/webhooks", json={"url": url, "event_types": ["*"]}, headers=bearer(mint("portal")))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/unsafe-webhook-url")


def test_register_list_read_delete_and_tenancy(client, mint):
    mine, theirs = bearer(mint("portal", sub="client:a")), bearer(mint("portal", sub="client:b"))
    created = _register(client, mine, "https://8.8.8.8/hooks/axr", ["certificate.*", "company.created"])
    assert created["secret"].startswith("whsec_")
    assert created["event_types"] == ["certificate.*", "company.created"]
    assert [w["id"] for w in client.get("/v1/webhooks", headers=mine).json()] == [created["id"]]
    assert "secret" not in client.get(f"/v1/webhooks/{created['id']}", headers=mine).json()
    assert client.get("/v1/webhooks", headers=theirs).json() == []
    assert client.get(f"/v1/webhooks/{created['id']}", headers=theirs).status_code == 404
    assert client.delete(f"/v1/webhooks/{created['id']}", headers=theirs).status_code == 404
    r = client.post("/v1/webhooks", json={"url": "https://8.8.8.8/h", "event_types": ["certificate"]}, headers=mine)
    assert r.status_code == 422
    assert client.post("/v1/webhooks", json={"url": "https://8.8.8.8/h", "event_types": ["*"]},
                       headers=bearer(mint("supplier"))).status_code == 403
    assert client.delete(f"/v1/webhooks/{created['id']}", headers=mine).status_code == 204
    assert client.get(f"/v1/webhooks/{created['id']}", headers=mine).status_code == 404


def test_fails_three_times_then_gets_the_same_event_in_order(lan_client, mint, engine, private_settings):
    client = lan_client
    portal = bearer(mint("portal", sub="client:gn"))
    with Receiver(fail_first=3) as receiver:
        hook = _register(client, portal, receiver.url, ["company.created", "certificate.*"])
        receiver.secret = hook["secret"]
        _, company, _, cert = designated(client, mint)
        admin = bearer(mint("admin", org="ministry"))
        assert client.post(f"/v1/certificates/{cert['number']}/suspend", json={"reason": "점검"},
                           headers=admin).status_code == 200

        worker = DeliveryWorker(engine, private_settings)
        first = worker.step()
        assert first.fanned_out == 3
        assert first.attempted == 1
        assert len(receiver.requests) == 1
        assert worker.step().attempted == 0  # not due before the backoff has passed
        for wait in RETRY_SCHEDULE[:3]:
            clock.advance(wait)
            worker.step()
        for _ in range(3):
            worker.step()
        worker.close()

    statuses = [r.status for r in receiver.requests]
    assert statuses == [500, 500, 500, 204, 204, 204]
    assert all(r.verified for r in receiver.requests)
    assert len({r.id for r in receiver.requests[:4]}) == 1  # the same webhook-id on every attempt
    assert len({r.timestamp for r in receiver.requests[:4]}) == 4  # each attempt signed at its own time
    bodies = [json.loads(r.body) for r in receiver.accepted]
    assert [b["type"] for b in bodies] == ["company.created", "certificate.issue", "certificate.suspend"]
    assert bodies[0]["data"]["resource_id"] == company["id"]
    assert bodies[2]["data"]["data"] == {"number": cert["number"], "company_id": company["id"], "status": "suspended",
                                         "scope": ["vision_inspection"]}  # the designated fields
    seqs = [b["data"]["seq"] for b in bodies]
    assert seqs == sorted(seqs)
    # The cursor each delivery names lets the receiver replay from the feed: after the last one, nothing new.
    assert [r.cursor for r in receiver.accepted] == [b["cursor"] for b in bodies]
    feed = bearer(mint("portal"))
    replay, _ = follow(client, feed, cursor=bodies[0]["cursor"])
    assert [e["seq"] for e in replay if e["type"] != "solution.created"] == seqs[1:]

    deliveries = client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=portal).json()["items"]
    assert [d["status"] for d in deliveries] == ["delivered"] * 3
    assert deliveries[-1]["attempts"] == 4
    assert deliveries[-1]["last_status_code"] == 204


def test_retries_span_more_than_a_day_then_the_next_event_goes(lan_client, mint, engine, private_settings):
    assert sum(RETRY_SCHEDULE, timedelta()) >= timedelta(hours=24)
    client = lan_client
    portal = bearer(mint("portal", sub="client:down"))
    with Receiver(fail_first=len(RETRY_SCHEDULE) + 1) as receiver:
        hook = _register(client, portal, receiver.url, ["company.*"])
        supplier = bearer(mint("supplier"))
        from tests import factories

        client.post("/v1/companies", json=factories.company(), headers=supplier)
        c2 = client.post("/v1/companies", json=factories.company(name_ko="둘째기업"),
                         headers=bearer(mint("supplier"))).json()
        worker = DeliveryWorker(engine, private_settings)
        start = clock.now()
        worker.step()
        for wait in RETRY_SCHEDULE:
            clock.advance(wait - timedelta(seconds=1))
            assert worker.step().attempted == 0
            clock.advance(timedelta(seconds=1))
            worker.step()
        assert clock.now() - start >= timedelta(hours=24)
        worker.step()
        worker.close()
    statuses = [r.status for r in receiver.requests]
    assert statuses == [500] * (len(RETRY_SCHEDULE) + 1) + [204]
    assert json.loads(receiver.requests[-1].body)["data"]["resource_id"] == c2["id"]
    deliveries = client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=portal).json()["items"]
    assert [d["status"] for d in deliveries] == ["delivered", "failed"]
    assert deliveries[1]["attempts"] == len(RETRY_SCHEDULE) + 1


def test_embedded_worker_delivers_from_the_api_process(private_settings, engine, mint):
    from api.app import create_app
    from tests import factories

    settings = private_settings.model_copy(update={"worker_embedded": True, "worker_poll_seconds": 0.05})
    app = create_app(settings, engine=engine)
    with Receiver() as receiver, TestClient(app) as client:
        token, _ = app.state.tokens.mint(sub="client:embedded", role="portal")
        hook = _register(client, bearer(token), receiver.url, ["company.created"])
        receiver.secret = hook["secret"]
        token, _ = app.state.tokens.mint(sub="s", role="supplier", org="org_embedded")
        client.post("/v1/companies", json=factories.company(), headers=bearer(token))
        deadline = time.monotonic() + 10
        while not receiver.accepted and time.monotonic() < deadline:
            time.sleep(0.05)
    assert receiver.accepted
    assert receiver.accepted[0].verified
    assert json.loads(receiver.accepted[0].body)["type"] == "company.created"
