"""The KPI computation on a small set of facts whose figures are worked out by hand below."""

from __future__ import annotations

from programme import kpis
from programme.kpis import Facts, MoneyFact, OutcomeFact, ProjectFact, SelectedSme, Where

SEOUL_C22 = Where(2026, "서울", "C22")
BUSAN_C25 = Where(2026, "부산", "C25")
BUSAN_C25_27 = Where(2027, "부산", "C25")

FACTS = Facts(
    selected=[SelectedSme("a", SEOUL_C22), SelectedSme("b", SEOUL_C22), SelectedSme("c", BUSAN_C25),
              SelectedSme("d", BUSAN_C25_27)],
    projects=[ProjectFact("p1", "a", "completed", SEOUL_C22), ProjectFact("p2", "a", "completed", SEOUL_C22),
              ProjectFact("p3", "c", "completed", BUSAN_C25), ProjectFact("p4", "d", "cancelled", BUSAN_C25_27),
              ProjectFact("p5", "x", "completed", SEOUL_C22)],  # x was never selected: not in the rate
    money=[MoneyFact("committed", "gov", 100, SEOUL_C22), MoneyFact("committed", "own", 120, SEOUL_C22),
           MoneyFact("spent", "gov", 40, BUSAN_C25)],
    outcomes=[OutcomeFact("p1", "defect_rate", 4.0, 2.0, SEOUL_C22),   # -50%
              OutcomeFact("p2", "defect_rate", 5.0, 4.0, SEOUL_C22),   # -20%
              OutcomeFact("p3", "defect_rate", 2.0, 2.2, BUSAN_C25),   # +10%
              OutcomeFact("p3", "energy_use", 0.0, 5.0, BUSAN_C25),    # no base: left out
              OutcomeFact("p1", "industrial_accidents", 4, 2, SEOUL_C22),
              OutcomeFact("p3", "industrial_accidents", 6, 6, BUSAN_C25)],
    designated_companies=125,
)


def test_overall_figures():
    report = kpis.compute(FACTS)
    o = report["overall"]
    assert (o["selected_smes"], o["adopted_smes"], o["adoption_rate"]) == (4, 2, 0.5)  # a and c of a, b, c, d
    assert o["projects"] == {"planned": 0, "contracted": 0, "in_progress": 0, "completed": 4, "cancelled": 1}
    assert o["budget"]["committed"] == {"gov": 100, "own": 120, "total": 220}
    assert o["budget"]["spent"] == {"gov": 40, "own": 0, "total": 40}
    assert o["outcomes"]["defect_rate"] == {"projects": 3, "median_change": -0.2}
    assert o["outcomes"]["energy_use"] == {"projects": 0, "median_change": None}
    assert o["accident_change"] == -0.2  # (2 + 6) / (4 + 6) - 1
    assert o["designated_companies"] == 125
    assert report["progress"] == {"adoption_rate": 5.0, "designated_companies": 0.25, "accident_change": 1.0}


def test_by_year_region_industry():
    report = kpis.compute(FACTS)
    assert report["by_year"]["2026"]["adoption_rate"] == round(2 / 3, 4)
    assert report["by_year"]["2027"]["adoption_rate"] == 0.0
    assert report["by_region"]["서울"]["outcomes"]["defect_rate"]["median_change"] == -0.35  # of -50%, -20%
    assert report["by_region"]["부산"]["accident_change"] == 0.0
    assert report["by_industry"]["C25"]["selected_smes"] == 2
    assert set(report["by_industry"]) == {"C22", "C25"}


def test_rows_for_csv():
    rows = kpis.rows(kpis.compute(FACTS))
    assert ("overall", "all", "adoption_rate", 0.5) in rows
    assert ("region", "부산", "budget_spent_gov_krw", 40) in rows
    assert ("target", "all", "accident_change", -0.2) in rows
