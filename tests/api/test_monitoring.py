"""Monitoring after designation through HTTP with Korean data: the annual performance report filed on time
with evidence opens no case; a missed one opens a suspension case once the grace period has passed
(`axr monitoring due`, the clock moved), which a reviewer decides; edits to a designated listing are
flagged for a reviewer to acknowledge; other suppliers are told nothing exists, suppliers cannot decide."""

from __future__ import annotations

from datetime import timedelta

from typer.testing import CliRunner

from certification.certificates import add_years
from core import clock
from core.korean import kst
from tests import factories
from tests.api.designation_builders import APPROVE, Desk
from tests.cli.runner import env_for
from tests.conftest import bearer
from tests.evidence.helpers import exe, pdf

FIGURES = {"deployments": 7, "manufacturing_ai_revenue_krw": 1_450_000_000, "ai_staff": 14,
           "summary_ko": "자동차 부품사 5곳, 전자 부품사 2곳에 비전 검사를 도입했습니다."}


def _axr(settings, *args):
    from cli.main import app
    from core.db import get_engine
    from core.settings import get_settings

    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        return CliRunner().invoke(app, list(args), env=env_for(settings), catch_exceptions=False)
    finally:
        get_engine(settings.database_url).dispose()
        get_settings.cache_clear()
        get_engine.cache_clear()


def _designated(desk: Desk):
    s, app_id = desk.reviewed()
    desk.post(f"/v1/applications/{app_id}/decision", desk.reviewer, APPROVE)
    cert = desk.client.get(f"/v1/certificates?company_id={s.company['id']}", headers=desk.admin).json()["items"][0]
    return s, cert


def _attach(client, report_id, token, content, filename, media_type="application/pdf"):
    return client.post(f"/v1/performance-reports/{report_id}/documents", headers=token,
                       files={"file": (filename, content, media_type)})


def _due(cert: dict, year: int):
    from datetime import datetime

    return kst(add_years(datetime.fromisoformat(cert["valid_from"]), year)).date()


def test_a_report_on_time_opens_no_case_and_a_missed_one_opens_one_after_the_grace(client, mint, engine, settings):
    desk = Desk.open(client, mint, engine)
    s, cert = _designated(desk)
    number = cert["number"]
    first, second = _due(cert, 1), _due(cert, 2)

    # too early: the first report opens 90 days before it is due
    r = client.post(f"/v1/certificates/{number}/performance-reports", json=FIGURES, headers=s.token)
    assert r.status_code == 409, r.text
    assert "다음 보고는" in r.json()["detail"]

    clock.advance(timedelta(days=(first - kst(clock.now()).date()).days - 10))  # ten days before it is due
    report = desk.post(f"/v1/certificates/{number}/performance-reports", s.token, FIGURES, expect=201)
    assert (report["year"], report["due_on"], report["state"]) == (1, first.isoformat(), "draft")
    r = client.post(f"/v1/performance-reports/{report['id']}/submit", headers=s.token)
    assert r.status_code == 409
    assert r.json()["detail"] == "증빙 파일을 하나 이상 올린 뒤 제출해 주세요."
    bad = _attach(client, report["id"], s.token, exe(), "도입실적.pdf")
    assert bad.status_code == 422
    evidence = pdf("2026 도입 실적 확인서")
    doc = _attach(client, report["id"], s.token, evidence, "2026_도입실적_확인서.pdf")
    assert doc.status_code == 201, doc.text
    filed = desk.post(f"/v1/performance-reports/{report['id']}/submit", s.token)
    assert (filed["state"], filed["on_time"]) == ("submitted", True)
    assert [d["filename"] for d in filed["documents"]] == ["2026_도입실적_확인서.pdf"]
    assert client.get(filed["documents"][0]["download"], headers=desk.reviewer).content == evidence

    # the second year's report is never filed
    steps = [(first + timedelta(days=31), 0), (second + timedelta(days=30), 0),  # grace not yet over
             (second + timedelta(days=31), 1), (second + timedelta(days=31), 0), (second + timedelta(days=60), 0)]
    for day, expected in steps:
        out = _axr(settings, "monitoring", "due", "--today", day.isoformat(), "--no-send")
        assert out.exit_code == 0, out.output
        assert f"opened {expected} suspension case(s)" in out.stdout, (day, out.stdout)

    cases = client.get("/v1/suspension-cases", params={"state": "open"}, headers=desk.reviewer).json()["items"]
    assert [(c["certificate_number"], c["year"], c["due_on"]) for c in cases] == [(number, 2, second.isoformat())]
    mine = client.get("/v1/suspension-cases", headers=s.token).json()["items"]
    assert [c["id"] for c in mine] == [cases[0]["id"]]
    other = bearer(mint("supplier"))
    assert client.get(f"/v1/suspension-cases/{cases[0]['id']}", headers=other).status_code == 404
    assert client.get("/v1/suspension-cases", headers=other).json()["items"] == []
    r = client.post(f"/v1/suspension-cases/{cases[0]['id']}/decision", headers=s.token,
                    json={"decision": "close", "reason": "제출 예정"})
    assert r.status_code == 403
    # the supplier is told in its inbox, in Korean
    from notices.dispatch import Dispatcher

    Dispatcher(engine, settings).step()
    kinds = [n["kind"] for n in client.get("/v1/me/notices", params={"limit": 50}, headers=s.token).json()["items"]]
    assert "suspension_case" in kinds

    decided = desk.post(f"/v1/suspension-cases/{cases[0]['id']}/decision", desk.reviewer,
                        {"decision": "suspend", "reason": "2년 차 실적 보고 미제출로 지정 효력 정지"})
    assert decided["state"] == "suspended"
    public = client.get(f"/v1/public/certificates/{number}").json()
    assert (public["status"], public["in_force"], public["status_reason"]) == (
        "suspended", False, "2년 차 실적 보고 미제출로 지정 효력 정지")
    r = client.post(f"/v1/suspension-cases/{cases[0]['id']}/decision", headers=desk.reviewer,
                    json={"decision": "close", "reason": "다시"})
    assert r.status_code == 409


def test_a_report_of_another_supplier_is_not_found(client, mint, engine):
    desk = Desk.open(client, mint, engine)
    s, cert = _designated(desk)
    clock.advance(timedelta(days=(_due(cert, 1) - kst(clock.now()).date()).days - 5))
    report = desk.post(f"/v1/certificates/{cert['number']}/performance-reports", s.token, FIGURES, expect=201)
    other = bearer(mint("supplier"))
    assert client.get(f"/v1/performance-reports/{report['id']}", headers=other).status_code == 404
    assert client.post(f"/v1/performance-reports/{report['id']}/submit", headers=other).status_code == 404
    assert _attach(client, report["id"], other, pdf(), "증빙.pdf").status_code == 404
    r = client.post(f"/v1/certificates/{cert['number']}/performance-reports", json=FIGURES, headers=other)
    assert r.status_code == 404
    assert client.get("/v1/performance-reports", headers=other).json()["items"] == []
    assert client.get(f"/v1/performance-reports/{report['id']}", headers=desk.reviewer).status_code == 200
    r = client.post(f"/v1/certificates/{cert['number']}/performance-reports", json=FIGURES, headers=s.token)
    assert r.status_code == 409  # one report per year


def test_edits_to_a_designated_listing_are_flagged_then_acknowledged(client, mint, engine):
    desk = Desk.open(client, mint, engine)
    s, cert = _designated(desk)
    company_path = f"/v1/companies/{s.company['id']}"
    etag = client.get(company_path, headers=s.token).headers["ETag"]
    r = client.patch(company_path, json={"ai_staff": 2}, headers={**s.token, "If-Match": etag})
    assert r.status_code == 200, r.text
    r = client.post("/v1/solutions", headers=s.token, json=factories.solution(
        s.company["id"], title_ko="설비 예지보전 AI", category="predictive_maintenance"))
    assert r.status_code == 201
    new_solution = r.json()["id"]
    client.post("/v1/solutions", headers=s.token, json=factories.solution(s.company["id"], status="draft"))
    tips = desk.post(f"{company_path}/tips", s.token, {"program": "tips", "operator": "블루포인트파트너스",
                                                       "stage": "recommended"}, expect=201)
    desk.post(f"{company_path}/tips/{tips['id']}/stages", s.token, {"stage": "selected", "on_date": "2026-11-02"})
    # a company without a designation edits freely
    plain = desk.supplier()
    etag = client.get(f"/v1/companies/{plain.company['id']}", headers=plain.token).headers["ETag"]
    client.patch(f"/v1/companies/{plain.company['id']}", json={"ai_staff": 3},
                 headers={**plain.token, "If-Match": etag})

    edits = client.get("/v1/listing-edits", params={"acknowledged": "false"}, headers=desk.reviewer).json()["items"]
    assert [(e["resource"], e["action"], e["certificate_number"]) for e in edits] == [
        ("company", "updated", cert["number"]), ("solution", "created", cert["number"]),
        ("tips", "created", cert["number"]), ("tips", "updated", cert["number"])]
    assert edits[3]["changes"] == [{"field": "stage", "before": "recommended", "after": "selected"}]
    assert edits[0]["changes"] == [{"field": "ai_staff", "before": 12, "after": 2}]
    assert (edits[1]["resource_id"], edits[1]["in_scope"]) == (new_solution, False)

    assert client.get("/v1/listing-edits", headers=s.token).status_code == 403
    r = client.post(f"/v1/listing-edits/{edits[0]['id']}/acknowledge", json={}, headers=s.token)
    assert r.status_code == 403
    done = desk.post(f"/v1/listing-edits/{edits[0]['id']}/acknowledge", desk.reviewer,
                     {"note": "인력 감소 확인, 다음 실적 보고에서 점검"})
    assert done["acknowledged_at"] is not None
    assert done["note"] == "인력 감소 확인, 다음 실적 보고에서 점검"
    r = client.post(f"/v1/listing-edits/{edits[0]['id']}/acknowledge", json={}, headers=desk.reviewer)
    assert r.status_code == 409
    left = client.get("/v1/listing-edits", params={"acknowledged": "false"}, headers=desk.reviewer).json()["items"]
    assert [e["id"] for e in left] == [e["id"] for e in edits[1:]]


def test_audit_verify_names_a_report_document_whose_bytes_were_replaced(client, mint, engine, settings):
    from tests.cli.runner import axr_in_process
    from tests.evidence.helpers import png

    desk = Desk.open(client, mint, engine)
    s, cert = _designated(desk)
    clock.advance(timedelta(days=(_due(cert, 1) - kst(clock.now()).date()).days - 5))
    report = desk.post(f"/v1/certificates/{cert['number']}/performance-reports", s.token, FIGURES, expect=201)
    doc = _attach(client, report["id"], s.token, png(), "현장_도입_사진.png", "image/png").json()
    ok = axr_in_process(settings, "audit", "verify")
    assert ok.exit_code == 0, ok.output
    blob = settings.documents_path() / doc["sha256"][:2] / doc["sha256"]
    blob.write_bytes(pdf("바뀐 내용"))
    bad = axr_in_process(settings, "audit", "verify")
    assert bad.exit_code == 1, bad.output
    assert f"document check FAILED for document {doc['id']} of performance report {report['id']}" in bad.stderr
    assert f"문서 검증 실패: 실적 보고 {report['id']}의 문서 {doc['id']}('현장_도입_사진.png')" in bad.stderr


def test_a_filed_report_is_not_reminded_of(client, mint, engine, settings):
    """The report-due notice (30 days before the anniversary) is not sent for a year already filed."""
    from sqlalchemy.orm import Session

    from core.db import writer
    from notices.due import enqueue_due

    desk = Desk.open(client, mint, engine)
    s, cert = _designated(desk)
    first = _due(cert, 1)
    clock.advance(timedelta(days=(first - kst(clock.now()).date()).days - 60))
    report = desk.post(f"/v1/certificates/{cert['number']}/performance-reports", s.token, FIGURES, expect=201)
    _attach(client, report["id"], s.token, pdf(), "증빙.pdf")
    desk.post(f"/v1/performance-reports/{report['id']}/submit", s.token)
    with Session(writer(engine)) as session:
        keys = enqueue_due(session, today=first - timedelta(days=20))
        session.commit()
    assert f"report_due:{cert['number']}:{first.isoformat()}" not in keys
