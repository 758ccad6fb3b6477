"""The KPI report on the demo data, checked against figures worked out by hand from
cli/demo_programme.py (not by running the report code twice): JSON, CSV and a PNG that opens."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.cli.runner import axr_in_process

M = 1_000_000


@pytest.fixture
def demo(settings, engine):
    result = axr_in_process(settings, "demo", "load")
    assert result.exit_code == 0, result.output
    return settings


def test_demo_kpis_json(demo):
    result = axr_in_process(demo, "report", "kpis")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    o = report["overall"]
    # selected: demo-sme-01..05 (06 dropped; 01 graduated still counts); completed projects: sme-01, sme-02
    assert (o["selected_smes"], o["adopted_smes"], o["adoption_rate"]) == (5, 2, 0.4)
    assert report["targets"]["adoption_rate"] == 0.1
    assert report["progress"]["adoption_rate"] == 4.0
    assert o["projects"] == {"planned": 1, "contracted": 1, "in_progress": 1, "completed": 2, "cancelled": 1}
    # committed: 150+120+60+150+100 gov, 150+130+60+150+100 own; the cancelled 50/50 does not count
    assert o["budget"]["committed"] == {"gov": 580 * M, "own": 590 * M, "total": 1170 * M}
    assert o["budget"]["spent"] == {"gov": 240 * M, "own": 255 * M, "total": 495 * M}
    # defect rate: 3.4 -> 0.8 (-76.47%) and 2.0 -> 1.5 (-25%): median -50.74%; sme-03's entry is unconfirmed
    assert o["outcomes"]["defect_rate"] == {"projects": 2, "median_change": -0.5074}
    assert o["outcomes"]["downtime"] == {"projects": 1, "median_change": -0.45}
    # accidents 2 -> 1 and 3 -> 2: 5 -> 3 in total
    assert o["accident_change"] == -0.4
    assert report["progress"]["accident_change"] == 2.0
    # suppliers 01, 02, 03, 04, 06, 08, 10 are active (07 suspended, 09 revoked, 11 expired)
    assert o["designated_companies"] == 7
    assert report["by_region"]["강원"]["adoption_rate"] == 1.0
    assert report["by_region"]["제주"]["adoption_rate"] == 0.0
    assert "전북" not in report["by_region"]  # the dropped SME has no other figures
    assert report["by_industry"]["C25"]["budget"]["spent"]["gov"] == 100 * M
    assert report["by_year"]["2026"]["selected_smes"] == 5


def test_demo_kpis_csv_and_chart(demo, tmp_path):
    png = tmp_path / "kpis.png"
    result = axr_in_process(demo, "report", "kpis", "--format", "csv", "--chart", str(png))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    values = {(r["dimension"], r["key"], r["indicator"]): r["value"] for r in rows}
    assert values[("overall", "all", "adoption_rate")] == "0.4"
    assert values[("overall", "all", "budget_committed_gov_krw")] == str(580 * M)
    assert values[("region", "전남", "adopted_smes")] == "1"
    assert values[("target", "all", "designated_companies")] == "500"
    from PIL import Image

    with Image.open(png) as image:
        assert image.format == "PNG"
        assert image.size[0] > 600


def test_demo_load_twice_adds_nothing(demo):
    again = axr_in_process(demo, "demo", "load")
    assert again.exit_code == 0
    report = json.loads(axr_in_process(demo, "report", "kpis").stdout)
    assert sum(report["overall"]["projects"].values()) == 6
