"""Bring applications and certificates into a given state through the real HTTP API, and snapshot the
rows a refused request must leave alone. Shared by the designation acceptance tests."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update

from certification.models import (
    Application,
    AuditLogEntry,
    Certificate,
    PanelSeat,
    Review,
    SignedTreeHeadRow,
)
from core import clock
from core.db import writer
from tests import factories
from tests.conftest import bearer

SCORES = {"technology": 4, "manufacturing_fit": 4, "track_record": 4, "delivery": 4, "growth_tips": 3}
LOW_SCORES = {"technology": 2, "manufacturing_fit": 2, "track_record": 2, "delivery": 2, "growth_tips": 2}
APPROVE = {"decision": "approve", "reason": "기준 충족"}

# States the API never leaves an application in at rest: submit screens in the same transaction and a
# resubmission resumes review in it. The table builders force them with SQL on an application that
# already has its panel, to check what the API does if one is ever found there.
TRANSIENT_STATES = ("submitted", "screening", "resubmitted")


@dataclass
class Supplier:
    token: dict[str, str]
    company: dict[str, Any]


@dataclass
class Desk:
    """An admin and a registered panel of reviewers, created once per test."""

    client: Any
    mint: Any
    engine: Any
    admin: dict[str, str]
    reviewers: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    @classmethod
    def open(cls, client: Any, mint: Any, engine: Any, n_reviewers: int = 4) -> Desk:
        desk = cls(client, mint, engine, bearer(mint("admin", org="ministry")))
        tag = secrets.token_hex(3)
        for i in range(n_reviewers):
            sub = f"reviewer-{tag}-{i}"
            body = {"sub": sub, "name": f"심사위원{i}", "org": "ministry"}
            r = client.post("/v1/admin/reviewers", json=body, headers=desk.admin)
            assert r.status_code == 201, r.text
            desk.reviewers.append((sub, bearer(mint("reviewer", org="ministry", sub=sub))))
        return desk

    @property
    def reviewer(self) -> dict[str, str]:
        """The first panel reviewer: seated and declared on every application from `under_review` on."""
        return self.reviewers[0][1]

    # ---- suppliers and applications --------------------------------------------------------------
    def supplier(self, **company: Any) -> Supplier:
        token = bearer(self.mint("supplier"))
        r = self.client.post("/v1/companies", json=factories.company(**company), headers=token)
        assert r.status_code == 201, r.text
        c = r.json()
        r = self.client.post("/v1/solutions", json=factories.solution(c["id"]), headers=token)
        assert r.status_code == 201, r.text
        return Supplier(token, c)

    def post(self, path: str, headers: dict[str, str], body: dict[str, Any] | None = None,
             expect: int = 200) -> dict[str, Any]:
        r = self.client.post(path, json=body, headers=headers)
        assert r.status_code == expect, f"{path}: {r.status_code} {r.text}"
        return r.json()  # type: ignore[no-any-return]

    def draft(self, supplier: Supplier | None = None) -> tuple[Supplier, str]:
        s = supplier or self.supplier()
        app = self.post("/v1/applications", s.token, {"company_id": s.company["id"]}, expect=201)
        return s, app["id"]

    def under_review(self) -> tuple[Supplier, str]:
        """Submitted and screened (pass), with three reviewers seated and the first two declared; any
        further registered reviewer stays off the panel."""
        s, app_id = self.draft()
        assert self.post(f"/v1/applications/{app_id}/submit", s.token)["state"] == "under_review"
        self.post(f"/v1/applications/{app_id}/panel", self.admin,
                  {"reviewers": [sub for sub, _ in self.reviewers[:3]]})
        for _, tok in self.reviewers[:2]:
            self.post(f"/v1/applications/{app_id}/declaration", tok, {"has_conflict": False})
        return s, app_id

    def reviewed(self, scores: dict[str, int] = SCORES) -> tuple[Supplier, str]:
        s, app_id = self.under_review()
        for _, tok in self.reviewers[:2]:
            self.post(f"/v1/applications/{app_id}/reviews", tok, {"scores": scores}, expect=201)
        return s, app_id

    def application_in(self, state: str) -> tuple[Supplier, str]:
        """A new application of a new supplier in `state`."""
        if state == "draft":
            return self.draft()
        if state == "under_review":
            return self.under_review()
        if state == "supplement_requested":
            s, app_id = self.under_review()
            body = {"message": "불량률 측정 근거 자료를 보완해 주세요."}
            self.post(f"/v1/applications/{app_id}/supplement-request", self.reviewer, body)
            return s, app_id
        if state == "approved":
            s, app_id = self.reviewed()
            self.post(f"/v1/applications/{app_id}/decision", self.reviewer, APPROVE)
            return s, app_id
        if state == "rejected":
            s, app_id = self.reviewed(LOW_SCORES)
            self.post(f"/v1/applications/{app_id}/decision", self.reviewer,
                      {"decision": "reject", "reason": "평균 점수 미달"})
            return s, app_id
        if state == "withdrawn":
            s, app_id = self.under_review()
            self.post(f"/v1/applications/{app_id}/withdraw", s.token, {"reason": "내부 사정으로 철회"})
            return s, app_id
        if state in TRANSIENT_STATES:
            s, app_id = self.under_review()
            with writer(self.engine).begin() as conn:
                conn.execute(update(Application).where(Application.id == app_id).values(state=state))
            return s, app_id
        raise ValueError(state)

    # ---- certificates ----------------------------------------------------------------------------
    def certificate(self, status: str = "active", *, expire_job: bool = True) -> tuple[Supplier, str]:
        """A certificate in `status`: issued by approval, then suspended, revoked, or (for expired)
        issued a little over its validity ago and expired by the job (without it: expired on read only,
        the row still says active)."""
        s, app_id = self.reviewed()
        if status == "expired":  # decided a little over three years ago (screened today: v1 in force)
            clock.advance(-timedelta(days=3 * 365 + 30))
        try:
            self.post(f"/v1/applications/{app_id}/decision", self.reviewer, APPROVE)
        finally:
            if status == "expired":
                clock.reset()
        r = self.client.get(f"/v1/certificates?company_id={s.company['id']}", headers=self.admin)
        number = r.json()["items"][0]["number"]
        if status in ("suspended", "revoked"):
            action = "suspend" if status == "suspended" else "revoke"
            self.post(f"/v1/certificates/{number}/{action}", self.admin, {"reason": "현장 점검 결과 확인 중"})
        elif status == "expired" and expire_job:
            from certification import designations
            from core.db import unit_of_work

            with unit_of_work(self.engine) as session:
                assert designations.expire_due(session) == [number]
        r = self.client.get(f"/v1/certificates/{number}", headers=self.admin)
        assert r.json()["status"] == status, r.text
        return s, number


# ---- what a refused request must leave alone ----------------------------------------------------
def _row(conn: Any, model: Any, where: Any) -> dict[str, Any] | None:
    row = conn.execute(select(model.__table__).where(where)).mappings().one_or_none()
    return dict(row) if row is not None else None


def snapshot(engine: Any, *, application_id: str | None = None,
             certificate: str | None = None) -> dict[str, Any]:
    """The row under test plus the counts of everything a transition could add."""
    with engine.connect() as conn:
        out: dict[str, Any] = {
            model.__tablename__: conn.scalar(select(func.count()).select_from(model))
            for model in (Application, PanelSeat, Review, Certificate, AuditLogEntry, SignedTreeHeadRow)
        }
        if application_id is not None:
            out["application_row"] = _row(conn, Application, Application.id == application_id)
        if certificate is not None:
            out["certificate_row"] = _row(conn, Certificate, Certificate.number == certificate)
    return out


def audit_actions(engine: Any, subject_id: str) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(select(AuditLogEntry.action).where(AuditLogEntry.subject_id == subject_id)
                                 .order_by(AuditLogEntry.seq)))
