"""`axr report snapshot`: a year's figures stored as they were, one year after another as the clock
moves, read back by the report's trajectory (CLI and HTTP), and the years it refuses."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from core import clock
from tests.cli.runner import axr_in_process
from tests.conftest import bearer


def _register(session, first: int, n: int) -> None:
    from registry.bizno import with_check_digit
    from registry.models import Sme

    for i in range(first, first + n):
        bn = with_check_digit(f"{730_000_000 + i:09d}")
        session.add(Sme(owner_org="bizno:" + bn.replace("-", ""), business_number=bn, name_ko=f"등록제조{i} 주식회사",
                        ksic="C29", region="경기", smart_factory_level="basic"))
    session.commit()


def test_a_snapshot_each_year_then_the_trajectory_has_both(settings, engine, session):
    from certification.models import AuditLogEntry

    today = clock.now().date()
    _register(session, 0, 10)
    first = axr_in_process(settings, "report", "snapshot")
    assert first.exit_code == 0, first.output
    taken = json.loads(first.stdout)
    assert (taken["year"], taken["as_of"], taken["figures"]["population"]) == (today.year, today.isoformat(), 10)
    assert "성과지표 스냅숏" in first.stderr

    clock.advance(timedelta(days=366))  # a year later the register has grown
    _register(session, 10, 10)
    second = axr_in_process(settings, "report", "snapshot")
    assert second.exit_code == 0, second.output
    assert (json.loads(second.stdout)["year"], json.loads(second.stdout)["figures"]["population"]) == (
        today.year + 1, 20)

    report = json.loads(axr_in_process(settings, "report", "kpis").stdout)
    years = {y["year"]: y for y in report["trajectory"]["kpis"]["adoption_rate"]["years"]}
    assert [(years[y]["actual"], years[y]["source"]) for y in (today.year, today.year + 1)] == [
        (0.0, "snapshot"), (0.0, "snapshot")]
    assert years[today.year]["target"] is not None
    assert years[today.year + 1]["target"] is not None
    projection = report["trajectory"]["kpis"]["adoption_rate"]["projection"]
    assert projection["projection"] is True
    assert projection["as_of"] == "2030-06-30"
    assert projection["value"] == 0.0  # falling from the 1% starting point: a line does not go below 0
    events = session.scalars(select(AuditLogEntry).where(AuditLogEntry.subject_type == "kpi_snapshot")).all()
    assert [e.action for e in events] == ["take", "take"]


def test_years_a_snapshot_cannot_be_taken_for(settings, engine):
    outside = axr_in_process(settings, "report", "snapshot", "--year", "2031")
    assert outside.exit_code == 1
    assert "2031년은 사업 기간(2026~2030년) 밖입니다" in outside.stderr
    future = axr_in_process(settings, "report", "snapshot", "--year", str(clock.now().year + 1))
    assert future.exit_code == 1
    assert "아직 오지 않아" in future.stderr


def test_http_report_json_and_csv(client, mint, session):
    _register(session, 0, 4)
    admin = bearer(mint("admin", org="ministry"))
    r = client.get("/v1/reports/kpis", headers=admin)
    assert r.status_code == 200
    body = r.json()
    assert body["overall"]["population"] == 4
    assert body["trajectory"]["kpis"]["adoption_rate"]["baseline"] == {"value": 0.01, "as_of": "2025-12-31"}
    r = client.get("/v1/reports/kpis?format=csv", headers=admin)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith("\ufeff구분,항목,지표,값,지표명".encode())
    assert "모집단 기업 수" in r.content.decode("utf-8-sig")
    for name in ("kpis", "adoption", "designated", "budget", "regions"):
        r = client.get(f"/v1/reports/kpis/charts/{name}", headers=admin)
        assert r.status_code == 200, name
        assert r.headers["content-type"] == "image/png"
        assert r.content.startswith(b"\x89PNG")
    r = client.get("/v1/reports/kpis/charts/pie", headers=admin)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert client.get("/v1/reports/kpis/charts/adoption", headers=bearer(mint("sme"))).status_code == 403


def test_the_target_path_is_configuration(monkeypatch, session):
    from programme import report
    from programme.rules import ProgrammeRules

    monkeypatch.setenv("AXR_PROGRAMME_ADOPTION_PATH", '{"2026": 0.02, "2027": 0.04, "2028": 0.06}')
    monkeypatch.setenv("AXR_PROGRAMME_LAST_YEAR", "2028")
    monkeypatch.setenv("AXR_PROGRAMME_HORIZON", "2028-12-31")
    data = report.build(session, ProgrammeRules())
    t = data["trajectory"]
    assert t["horizon"] == "2028-12-31"
    assert [(y["year"], y["target"]) for y in t["kpis"]["adoption_rate"]["years"]] == [
        (2026, 0.02), (2027, 0.04), (2028, 0.06)]
    assert sorted(data["budget_by_year"]) == ["2026", "2027", "2028"]
