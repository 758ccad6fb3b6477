"""The KPI report on the demo data, checked against figures worked out by hand from
cli/demo_programme.py and cli/demo_population.py (not by running the report code twice): the story of
two years (a population, a round with quotas and a waiting list, approved and returned budgets,
completed projects, a snapshot of each year), JSON, CSV and the Korean charts."""

from __future__ import annotations

import csv
import io
import json
import warnings

import pytest
from sqlalchemy import select

from tests.cli.runner import axr_in_process

M = 1_000_000


@pytest.fixture
def demo(settings, engine):
    result = axr_in_process(settings, "demo", "load")
    assert result.exit_code == 0, result.output
    return settings


def _report(settings):
    result = axr_in_process(settings, "report", "kpis")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_demo_tells_the_story(demo, session):
    from certification.audit import decode_entry
    from certification.models import AuditLogEntry
    from programme.models import BudgetLine, Cohort, Project
    from programme.selection_models import SelectionDecision, SelectionRun

    # completions: four accepted by the officer, sme-02's returned once with a reason before it was accepted
    moves = [decode_entry(e.entry) for e in session.scalars(select(AuditLogEntry).order_by(AuditLogEntry.seq))]
    moves = [m for m in moves if m.get("action") in ("accept_completion", "return_completion")]
    assert [m["action"] for m in moves].count("accept_completion") == 4
    returned = [m for m in moves if m["action"] == "return_completion"]
    assert len(returned) == 1
    assert "운영 기록" in returned[0]["reason"]
    assert all(p.ai_stages for p in session.scalars(select(Project)))  # each has its yearly AI stage plan

    # the 2027 round: nine applications, four places, a 경기 quota of one, a waiting list of three
    run = session.scalars(select(SelectionRun)).one()
    assert (run.applicants, run.selected, run.waitlisted, run.refused) == (9, 4, 3, 2)
    waiting = session.scalars(select(SelectionDecision).where(SelectionDecision.outcome == "waitlisted")
                              .order_by(SelectionDecision.waitlist_position)).all()
    assert [d.groups["region"] for d in waiting] == ["경기", "경기", "인천"]
    assert "지역 할당(경기 1개사)이 찼습니다" in [r["ko"] for r in waiting[0].reasons]
    assert sorted(c.year for c in session.scalars(select(Cohort))) == [2026, 2027]
    statuses = [line.status for line in session.scalars(select(BudgetLine))]
    assert statuses.count("returned") == 2
    assert statuses.count("approved") == 14


def test_demo_kpis_json(demo):
    report = _report(demo)
    o = report["overall"]
    # adopters: sme-01, sme-02 (2026), sme-03, sme-04 (2027), each completion accepted by the officer after the
    # post-consultant's evaluation;
    # the register holds 50 SMEs (6 demo + 44): 4 / 50
    assert (o["population"], o["adopted_smes"], o["adoption_rate"]) == (50, 4, 0.08)
    assert o["selected_smes"] == 9  # 2026: sme-01..05 (06 dropped); 2027: four by rule
    assert report["targets"]["adoption_rate"] == 0.1
    assert report["progress"]["adoption_rate"] == 0.8
    assert o["projects"] == {"planned": 1, "contracted": 0, "in_progress": 0, "completed": 0, "accepted": 4,
                             "cancelled": 1}
    # approved: 2026 150+120+60+150+100 gov / 150+130+60+150+100 own (the cancelled 50/50 and the returned
    # lines do not count) and 2027 50/50; committed leaves out sme-05's planned project (100/100)
    assert o["budget"]["approved"] == {"gov": 630 * M, "own": 640 * M, "total": 1270 * M}
    assert o["budget"]["committed"] == {"gov": 530 * M, "own": 540 * M, "total": 1070 * M}
    assert o["budget"]["spent"] == {"gov": 270 * M, "own": 285 * M, "total": 555 * M}
    # defect rate: -76.47% (sme-01), -25% (sme-02), -10% (sme-03), -40% (sme-04): median -32.5%
    assert o["outcomes"]["defect_rate"] == {"projects": 4, "median_change": -0.325}
    # accidents 2 -> 1 (120 workers), 3 -> 2 (80), 4 -> 3 (250): 9 / 450 x 1,000 = 20.0 -> 6 / 450 x 1,000
    assert o["accidents"]["before_per_exposure"] == 20.0
    assert o["accidents"]["after_per_exposure"] == 13.33
    assert o["accident_change"] == -0.3333
    # suppliers 01, 02, 03, 04, 06, 08, 10 are active (07 suspended, 09 revoked, 11 expired)
    assert o["designated_companies"] == 7
    a = report["adoption"]
    assert a["by_region"]["강원"] == {"population": 1, "adopted_smes": 1, "adoption_rate": 1.0}
    assert a["by_region"]["경기"] == {"population": 13, "adopted_smes": 0, "adoption_rate": 0.0}
    assert a["by_size"]["중기업"]["adopted_smes"] == 4  # 60-250 workers
    assert report["by_year"]["2026"]["adoption_rate"] == 0.04
    b = report["budget_by_year"]
    assert (b["2026"]["envelope_gov_krw"], b["2026"]["approved"]["gov"], b["2026"]["approved_gov_share"]) == (
        700 * M, 580 * M, 0.8286)
    assert (b["2027"]["envelope_gov_krw"], b["2027"]["approved_gov_share"]) == (600 * M, 0.0833)


def test_two_years_of_snapshots_against_targets_with_a_labelled_projection(demo):
    t = _report(demo)["trajectory"]["kpis"]
    years = {y["year"]: y for y in t["adoption_rate"]["years"]}
    # as of 2026-12-31 only sme-01 and sme-02 had completed: 2 / 50; as of 2027-12-31: 4 / 50
    assert (years[2026]["actual"], years[2026]["target"], years[2026]["source"]) == (0.04, 0.03, "snapshot")
    assert (years[2027]["actual"], years[2027]["target"], years[2027]["source"]) == (0.08, 0.05, "snapshot")
    assert years[2028]["actual"] is None
    # from 1% on 2025-12-31 through 8% on 2027-12-31 (730 days) to 2030-06-30 (1,642 days): 16.75%
    p = t["adoption_rate"]["projection"]
    assert (p["value"], p["as_of"], p["projection"]) == (0.1675, "2030-06-30", True)
    assert p["label_ko"].startswith("전망(추정)")
    d = {y["year"]: y for y in t["designated_companies"]["years"]}
    assert (d[2026]["actual"], d[2026]["target"], d[2027]["actual"], d[2027]["target"]) == (7, 100, 7, 200)
    acc = {y["year"]: y["actual"] for y in t["accident_change"]["years"]}
    assert (acc[2026], acc[2027]) == (-0.4, -0.3333)  # 5 -> 3 per 200 workers; then with sme-04


def test_history_is_not_recomputed_from_todays_data(demo, session):
    from programme.selection_models import SmeProfile
    from registry.bizno import with_check_digit
    from registry.models import Sme

    for i in range(50):  # the register doubles: today's adoption halves, the stored years do not
        bn = with_check_digit(f"{720_000_000 + i:09d}")
        sme = Sme(owner_org="bizno:" + bn.replace("-", ""), business_number=bn, name_ko=f"추가제조{i} 주식회사",
                  ksic="C25", region="경남", smart_factory_level="basic")
        session.add(sme)
        session.flush()
        session.add(SmeProfile(sme_id=sme.id, sales_krw=10 * 100 * M, employees=30))
    session.commit()
    report = _report(demo)
    assert report["overall"]["adoption_rate"] == 0.04  # 4 / 100
    years = {y["year"]: y["actual"] for y in report["trajectory"]["kpis"]["adoption_rate"]["years"]}
    assert (years[2026], years[2027]) == (0.04, 0.08)


def test_demo_kpis_csv_with_bom_and_korean_headers(demo):
    result = axr_in_process(demo, "report", "kpis", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeff구분,항목,지표,값,지표명")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    values = {(r["구분"], r["항목"], r["지표"]): r["값"] for r in rows}
    names = {r["지표"]: r["지표명"] for r in rows}
    assert values[("overall", "all", "adoption_rate")] == "0.08"
    assert values[("overall", "all", "budget_approved_gov_krw")] == str(630 * M)
    assert values[("region", "전남", "adopted_smes")] == "1"
    assert values[("trajectory", "2027", "adoption_rate_actual")] == "0.08"
    assert values[("trajectory", "2027", "adoption_rate_target")] == "0.05"
    assert values[("trajectory", "2030-06-30", "adoption_rate_projection")] == "0.1675"
    assert names["adoption_rate_projection"] == "AI 도입률 전망(추정)"
    assert values[("target", "all", "designated_companies")] == "500"


def test_korean_charts_render_every_glyph(demo, tmp_path):
    from programme import charts, report
    from programme.rules import ProgrammeRules

    font = charts.hangul_font()
    assert font.korean, "no Hangul font (install fonts-nanum, as .ci/run does)"
    from core.db import get_engine, unit_of_work

    with unit_of_work(get_engine(demo.database_url)) as s:
        data = report.build(s, ProgrammeRules())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        written = charts.all_charts(data, tmp_path, font)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing
    from PIL import Image

    assert [p.name for p in written] == ["kpis.png", "adoption.png", "designated.png", "budget.png", "regions.png"]
    for path in written:
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.size[0] >= 800


def test_chart_options_of_the_command(demo, tmp_path):
    main = tmp_path / "main.png"
    result = axr_in_process(demo, "report", "kpis", "--chart", str(main), "--charts", str(tmp_path / "all"))
    assert result.exit_code == 0, result.output
    assert main.stat().st_size > 10_000
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == [
        "adoption.png", "budget.png", "designated.png", "kpis.png", "regions.png"]
    assert "그래프를 저장했습니다" in result.stderr


def test_demo_load_twice_adds_nothing(demo):
    again = axr_in_process(demo, "demo", "load")
    assert again.exit_code == 0
    report = _report(demo)
    assert sum(report["overall"]["projects"].values()) == 6
    assert report["overall"]["population"] == 50
