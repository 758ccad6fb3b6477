"""`axr notices due --today D` enqueues and sends the renewal-window (90 days before expiry), 30-day and
report-due notices exactly once each, however often it runs and as the clock moves; `axr worker --once`
does the same; an equal event enqueued twice is one notice (the unique constraint)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from certification.certificates import add_years
from certification.models import Certificate
from core.korean import date_ko, kst
from notices import templates
from notices.models import Notice
from notices.outbox import enqueue
from tests.api.designation_builders import Desk
from tests.cli.runner import env_for

MAIL = "renewals@deepvision.kr"


def _axr(settings, smtp, *args):
    from cli.main import app
    from core.db import get_engine
    from core.settings import get_settings

    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        return CliRunner().invoke(app, list(args), env={**env_for(settings), "AXR_SMTP_URL": smtp.url},
                                  catch_exceptions=False)
    finally:
        get_engine(settings.database_url).dispose()
        get_settings.cache_clear()
        get_engine.cache_clear()


def _issued(client, mint, engine):
    desk = Desk.open(client, mint, engine)
    s, app_id = desk.draft(desk.supplier(contact_email=MAIL))
    desk.post(f"/v1/applications/{app_id}/submit", s.token)
    desk.post(f"/v1/applications/{app_id}/panel", desk.admin, {"reviewers": [sub for sub, _ in desk.reviewers[:3]]})
    for _, tok in desk.reviewers[:2]:
        desk.post(f"/v1/applications/{app_id}/declaration", tok, {"has_conflict": False})
        desk.post(f"/v1/applications/{app_id}/reviews", tok, {"scores": {
            "technology": 4, "manufacturing_fit": 4, "track_record": 4, "delivery": 4, "growth_tips": 3}}, expect=201)
    desk.post(f"/v1/applications/{app_id}/decision", desk.reviewer, {"decision": "approve", "reason": "기준 충족"})
    with Session(engine) as session:
        return desk, s, session.scalars(select(Certificate)).one()


def test_due_notices_are_sent_once_each_as_the_clock_moves(client, mint, engine, settings, smtp):
    desk, s, cert = _issued(client, mint, engine)
    start, until = kst(cert.valid_from).date(), kst(cert.valid_until).date()
    first_report = kst(add_years(cert.valid_from, 1)).date()
    steps = [  # (day, how many new notices that day)
        (first_report - timedelta(days=40), 0),
        (first_report - timedelta(days=30), 1),   # report due in 30 days
        (first_report - timedelta(days=30), 0),   # the same day again
        (first_report - timedelta(days=5), 0),
        (until - timedelta(days=100), 0),
        (until - timedelta(days=90), 1),          # renewal window opens
        (until - timedelta(days=60), 0),
        (until - timedelta(days=30), 2),          # 30 days before expiry, and the last year's report
        (until - timedelta(days=30), 0),
        (until - timedelta(days=1), 0),
    ]
    assert smtp.to(MAIL) == []  # the screening and decision notices wait in the outbox for a dispatcher
    for day, expected in steps:
        r = _axr(settings, smtp, "notices", "due", "--today", day.isoformat())
        assert r.exit_code == 0, r.output
        assert f"enqueued {expected} notice(s)" in r.stdout, (day, r.stdout)
    subjects = [m["Subject"] for m in smtp.to(MAIL)]
    renewal = [x for x in subjects if "갱신" in x or "만료" in x]
    reports = [x for x in subjects if "실적 보고" in x]
    assert renewal == ["[AX 레지스트리] 지정 갱신 신청 기간 시작 / Renewal window open",
                       "[AX 레지스트리] 지정 만료 30일 전 안내 / Designation expires in 30 days"]
    assert reports == ["[AX 레지스트리] 연간 실적 보고 기한 안내 / Annual performance report due"] * 2
    assert len(subjects) == 2 + 4  # screening and decision went out with the first run's delivery
    bodies = {m["Subject"]: m.get_body(("plain",)).get_content() for m in smtp.to(MAIL)}
    assert f"유효기간이 {date_ko(until)}에 끝납니다" in bodies[renewal[0]]
    keys = client.get("/v1/admin/notices", params={"recipient_org": s.company["owner_org"]},
                      headers=desk.admin).json()["items"]
    dated = sorted(n["event_key"] for n in keys if not n["event_key"].startswith("audit:"))
    assert dated == sorted([f"renewal_90:{cert.number}:{until}", f"renewal_30:{cert.number}:{until}",
                            f"report_due:{cert.number}:{first_report}", f"report_due:{cert.number}:{until}"])
    assert start < first_report


def test_worker_once_enqueues_the_day_and_a_repeat_adds_nothing(client, mint, engine, settings, smtp):
    _, _, cert = _issued(client, mint, engine)
    day = (kst(cert.valid_until).date() - timedelta(days=90)).isoformat()
    r = _axr(settings, smtp, "worker", "--once", "--today", day)
    assert r.exit_code == 0, r.output
    assert "notices enqueued 1" in r.stderr
    r = _axr(settings, smtp, "worker", "--once", "--today", day)
    assert "notices enqueued 0" in r.stderr
    assert [m["Subject"] for m in smtp.to(MAIL)].count(
        "[AX 레지스트리] 지정 갱신 신청 기간 시작 / Renewal window open") == 1


def test_the_same_event_for_the_same_organisation_is_one_notice(session):
    text = templates.report_due("딥비전랩 주식회사", "AXR-2026-000001", date(2027, 12, 2), 1)
    assert enqueue(session, event_key="report_due:X:2027-12-02", recipient_org="org_a", text=text) is not None
    assert enqueue(session, event_key="report_due:X:2027-12-02", recipient_org="org_a", text=text) is None
    assert enqueue(session, event_key="report_due:X:2027-12-02", recipient_org="org_b", text=text) is not None
    session.commit()
    assert session.scalar(select(func.count()).select_from(Notice)) == 2
    session.add(Notice(event_key="report_due:X:2027-12-02", recipient_org="org_a", kind="report_due",
                       subject_ko="x", subject_en="x", body_ko="x", body_en="x"))
    with pytest.raises(IntegrityError):
        session.commit()  # the database itself refuses a second row, whatever the code checks
    session.rollback()
