"""Demo designations: each demo supplier goes through the real workflow to the state its entry names,
so the demo holds applications in several states and certificates active, suspended, revoked, expired.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from certification import designations, service
from certification.models import Application, ReviewerProfile
from core import clock
from core.accounts import UserAccount
from core.principal import Principal
from registry.models import Company

SCORES = {"technology": 4, "manufacturing_fit": 4, "track_record": 4, "delivery": 4, "growth_tips": 3}
ADMIN = Principal(sub="demo-admin", role="admin", org="ministry")


def _reviewers(session: Session) -> list[Principal]:
    users = session.scalars(select(UserAccount).where(UserAccount.role == "reviewer")
                            .order_by(UserAccount.username))
    out = []
    for user in users:
        if session.get(ReviewerProfile, user.id) is None:
            session.add(ReviewerProfile(sub=user.id, name=user.display_name or user.username,
                                        org=user.org_id or "ministry"))
        out.append(Principal(sub=user.id, role="reviewer", org=user.org_id))
    session.flush()
    return out


def designate(session: Session, entry: dict[str, Any], years: int = 3) -> None:
    target, scenario = entry["designation"], entry.get("application")
    company = session.scalars(select(Company).where(Company.owner_org == entry["org"])).one()
    if session.scalar(select(Application.id).where(Application.company_id == company.id)):
        return  # already done on an earlier load
    if target == "none" and not scenario:
        return
    reviewers = _reviewers(session)
    supplier = Principal(sub=f"demo:{entry['org']}", role="supplier", org=entry["org"])
    app = service.create(session, company_id=company.id, kind="initial", statement=None, p=supplier)
    if scenario == "draft":
        return
    service.submit(session, app=app, p=supplier)
    if app.state != "under_review":
        return  # stopped at screening, with the reasons on record
    service.assign_panel(session, app=app, reviewer_subs=[r.sub for r in reviewers[:3]], p=ADMIN)
    for reviewer in reviewers[:2]:
        service.declare(session, app=app, p=reviewer, has_conflict=False, note=None)
        service.submit_review(session, app=app, p=reviewer, scores=SCORES,
                              comments="현장 적용 사례가 구체적임")
    if scenario == "supplement_requested":
        service.request_supplement(session, app=app, p=reviewers[0],
                                   message="제조업 적용 사례의 성과 측정 근거를 보완해 주세요.")
        return
    if target == "expired":  # decided a little over three years ago, so the certificate has run out
        clock.advance(-timedelta(days=365 * years + 30))
    try:
        _, cert = service.decide(session, app=app, p=reviewers[0], approve=True, reason="심사 기준 충족",
                                 certificate_years=years)
    finally:
        clock.reset()
    assert cert is not None
    if target == "suspended":
        designations.change_status(session, cert=cert, action="suspend", p=ADMIN,
                                   reason="현장 점검 결과 확인 중")
    elif target == "revoked":
        designations.change_status(session, cert=cert, action="revoke", p=ADMIN,
                                   reason="실적 자료 허위 기재 확인")
    elif target == "expired":
        designations.expire_due(session)
