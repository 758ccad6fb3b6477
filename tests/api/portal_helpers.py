"""Shared steps of the portal tests: a registered portal client, its token, a designated supplier."""

from __future__ import annotations

from typing import Any

from tests.conftest import bearer


def portal_client(client: Any, mint: Any, name: str = "경남 스마트공장 포털") -> tuple[str, str]:
    """Register an OAuth2 client with the portal role (as an admin); returns (client_id, client_secret)."""
    r = client.post("/v1/admin/clients", json={"name": name, "role": "portal"},
                    headers=bearer(mint("admin", org="ministry")))
    assert r.status_code == 201, r.text
    return r.json()["client_id"], r.json()["client_secret"]


def portal_token(client: Any, client_id: str, secret: str, scope: str = "catalogue:read feed:read") -> str:
    r = client.post("/v1/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                             "client_secret": secret, "scope": scope})
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


def designated(client: Any, mint: Any, solutions: list[dict[str, Any]] | None = None, **company: Any) -> Any:
    """(supplier headers, company, solution ids, certificate) through the real designation workflow."""
    from tests.api.test_search_api import VISION, _designated_supplier

    admin = bearer(mint("admin", org="ministry"))
    return _designated_supplier(client, mint, admin, solutions or [VISION], **company)


def follow(client: Any, headers: dict[str, str], cursor: str | None = None, limit: int = 100,
           **params: Any) -> tuple[list[dict[str, Any]], str]:
    """Read the feed to its current end; returns (events, cursor to resume from)."""
    events: list[dict[str, Any]] = []
    while True:
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        r = client.get("/v1/feed/changes", params=query, headers=headers)
        assert r.status_code == 200, r.text
        page = r.json()
        events += page["items"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return events, cursor
