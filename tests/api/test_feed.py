"""The change feed through HTTP: what a portal with the client-credentials grant reads, page by page."""

from __future__ import annotations

from tests import factories
from tests.api.portal_helpers import designated, follow, portal_client, portal_token
from tests.conftest import bearer


def test_a_portal_follows_companies_solutions_and_certificates_in_order(client, mint):
    cid, secret = portal_client(client, mint)
    feed = bearer(portal_token(client, cid, secret))
    assert follow(client, feed)[0] == []

    supplier, company, (solution_id,), cert = designated(client, mint, name_ko="한빛비전 주식회사")
    events, cursor = follow(client, feed, limit=2)
    types = [e["type"] for e in events]
    assert types[:2] == ["company.created", "solution.created"]
    assert "certificate.issue" in types
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == len(seqs)
    issued = next(e for e in events if e["type"] == "certificate.issue")
    assert issued["data"]["number"] == cert["number"]
    assert issued["data"]["status"] == "active"
    assert issued["link"].endswith(f"/v1/public/certificates/{cert['number']}")
    assert issued["page"].endswith(f"/pages/verify?number={cert['number']}")
    created = events[0]
    assert created["resource_id"] == company["id"]
    assert created["link"].endswith(f"/v1/companies/{company['id']}")
    assert events[1]["resource_id"] == solution_id

    # Nothing new: an empty page that keeps the cursor; then a suspension arrives after it.
    again, same = follow(client, feed, cursor=cursor)
    assert again == []
    assert same == cursor
    admin = bearer(mint("admin", org="ministry"))
    r = client.post(f"/v1/certificates/{cert['number']}/suspend", json={"reason": "현장 점검"}, headers=admin)
    assert r.status_code == 200, r.text
    new, _ = follow(client, feed, cursor=cursor)
    assert [e["type"] for e in new] == ["certificate.suspend"]
    assert new[0]["data"]["status"] == "suspended"
    assert new[0]["seq"] > seqs[-1]


def test_filters_limit_and_next_link(client, mint):
    feed = bearer(mint("portal", client_id="portal-a"))
    designated(client, mint)
    token = bearer(mint("supplier"))
    for i in range(3):
        assert client.post("/v1/companies", json=factories.company(name_ko=f"추가기업{i}"),
                           headers=bearer(mint("supplier"))).status_code == 201
    _ = token
    certs, _ = follow(client, feed, resource=["certificate"])
    assert [e["resource"] for e in certs] == ["certificate"]
    companies, _ = follow(client, feed, resource=["company"], limit=1)
    assert len(companies) == 4
    assert all(e["resource"] == "company" for e in companies)

    r = client.get("/v1/feed/changes", params={"limit": 2}, headers=feed).json()
    assert len(r["items"]) == 2
    assert r["has_more"] is True
    assert r["next"].startswith("http")
    assert f"cursor={r['cursor']}" in r["next"]
    nxt = client.get(r["next"], headers=feed).json()
    assert nxt["items"][0]["seq"] > r["items"][-1]["seq"]


def test_private_events_are_not_in_the_feed(client, mint, engine):
    from sqlalchemy.orm import Session

    from core import outbox
    from core.db import writer

    feed = bearer(mint("portal", client_id="portal-b"))
    with Session(writer(engine)) as s, s.begin():
        outbox.record(s, resource="company", resource_id="c1", action="created")
        outbox.record(s, resource="application", resource_id="a1", action="submitted", public=False)
        outbox.record(s, resource="company", resource_id="c2", action="created")
    events, _ = follow(client, feed)
    assert [e["resource_id"] for e in events] == ["c1", "c2"]


def test_feed_needs_the_feed_scope_and_a_good_cursor(client, mint):
    assert client.get("/v1/feed/changes").status_code == 401
    r = client.get("/v1/feed/changes", headers=bearer(mint("sme")))
    assert r.status_code == 403
    assert r.headers["content-type"] == "application/problem+json"
    feed = bearer(mint("portal"))
    for bad in ("not-a-cursor!", "eyJhZnRlciI6IDF9", "YXhyLWZlZWQ6LTE"):
        r = client.get("/v1/feed/changes", params={"cursor": bad}, headers=feed)
        assert r.status_code == 400, (bad, r.text)
        assert r.json()["type"].endswith("/bad-cursor")
    r = client.get("/v1/feed/changes", params={"resource": "sme"}, headers=feed)
    assert r.status_code == 422
    r = client.get("/v1/feed/changes", params={"limit": 501}, headers=feed)
    assert r.status_code == 422
    r = client.get("/v1/feed/changes", headers=feed)
    assert r.headers["RateLimit-Policy"].startswith('"client"')
