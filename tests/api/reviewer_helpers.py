"""A supplier's application, submitted with a document for a criterion and screened, with a panel of the given
reviewers seated by the admin: all through the real HTTP API (tests/api/test_web_reviewer*.py)."""

from __future__ import annotations

from typing import Any

from registry.reference import CATEGORY_LABELS
from tests import factories
from tests.conftest import bearer
from tests.evidence.helpers import pdf

EVIDENCE = "AI_인력_재직증명.pdf"


def register_reviewer(http: Any, admin: dict[str, str], sub: str, name: str) -> None:
    r = http.post("/v1/admin/reviewers", json={"sub": sub, "name": name, "org": "ministry"}, headers=admin)
    assert r.status_code == 201, r.text


def seated_application(http: Any, mint: Any, panel: list[str], *, also: tuple[str, ...] = (), **company: Any) -> str:
    """The id of an application under review with `panel` (reviewer subs, already registered) seated; `also`:
    categories of further published solutions (each a field applied for)."""
    admin = bearer(mint("admin", org="ministry"))
    supplier = bearer(mint("supplier"))
    r = http.post("/v1/companies", json=factories.company(**company), headers=supplier)
    assert r.status_code == 201, r.text
    company_id = r.json()["id"]
    r = http.post("/v1/solutions", json=factories.solution(company_id), headers=supplier)
    assert r.status_code == 201, r.text
    for category in also:
        body = factories.solution(company_id, category=category, title_ko=f"{CATEGORY_LABELS[category][0]} 솔루션")
        r = http.post("/v1/solutions", json=body, headers=supplier)
        assert r.status_code == 201, r.text
    r = http.post("/v1/applications", json={"company_id": company_id}, headers=supplier)
    assert r.status_code == 201, r.text
    app_id = r.json()["id"]
    r = http.post(f"/v1/applications/{app_id}/documents", headers=supplier,
                  data={"purpose": "criterion", "criterion": "E2"},
                  files={"file": (EVIDENCE, pdf(EVIDENCE), "application/pdf")})
    assert r.status_code == 201, r.text
    r = http.post(f"/v1/applications/{app_id}/submit", headers=supplier)
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "under_review", r.text
    r = http.post(f"/v1/applications/{app_id}/panel", json={"reviewers": panel}, headers=admin)
    assert r.status_code == 200, r.text
    return str(app_id)
