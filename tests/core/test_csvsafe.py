"""CSV cells a spreadsheet would run as formulas are written as text; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

from core import csvsafe
from programme import kpis, report

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+2", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_cells_get_a_leading_quote(text):
    buf = io.StringIO()
    csvsafe.Writer(buf).writerow([text, "가나비전"])
    first, second = next(csv.reader(io.StringIO(buf.getvalue())))
    assert first == "'" + text
    assert second == "가나비전"


@pytest.mark.parametrize("value", ["plain", "한글 이름", "a=b", "", "'quoted", 3, -0.05, None])
def test_other_cells_are_unchanged(value):
    assert csvsafe.cell(value) == value


def test_kpi_csv_cell_cannot_be_a_formula():
    """The KPI CSV writes keys of the report (regions, industries) and computed figures: a key that
    looks like a formula is text, a negative figure is still a number."""
    facts = kpis.Facts(
        selected=[kpis.SelectedSme("s1", kpis.Where(2026, '=HYPERLINK("http://x","y")', "C22"))],
        projects=[], money=[], outcomes=[], designated_companies=1,
        population=[kpis.PopulationSme("s2", "@SUM(A1)", "+C22")])
    data = kpis.compute(facts)
    rows = list(csv.reader(io.StringIO(report.to_csv(data))))
    region_rows = [r for r in rows if r[0] == "region"]
    assert region_rows
    assert {r[1] for r in region_rows} == {"'=HYPERLINK(\"http://x\",\"y\")", "'@SUM(A1)"}
    assert ["size", "미상", "population", "1", "모집단 기업 수"] in rows
    assert ["target", "all", "accident_change", "-0.2", "산업재해율 변화"] in rows
    assert not any(c.startswith(tuple("=+-@\t\r")) for r in rows for c in r if not _number(c))


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
