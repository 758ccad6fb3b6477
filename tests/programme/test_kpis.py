"""The KPI definitions of docs/programme.md, each checked on a small set of facts whose figures are
worked out by hand below (not by running the report code twice)."""

from __future__ import annotations

from datetime import date

from programme import kpis, trajectory
from programme.kpis import Facts, MoneyFact, OutcomeFact, PopulationSme, ProjectFact, SelectedSme, Where

SEOUL_C22 = Where(2026, "서울", "C22")
BUSAN_C25 = Where(2026, "부산", "C25")
BUSAN_C25_27 = Where(2027, "부산", "C25")
GG_C29_27 = Where(2027, "경기", "C29")

# the registered population: ten SMEs (the denominator of adoption)
POPULATION = [
    PopulationSme("s1", "서울", "C22", "소기업"), PopulationSme("s2", "서울", "C22", "중기업"),
    PopulationSme("s3", "서울", "C25", "중기업"), PopulationSme("s4", "부산", "C25", "소기업"),
    PopulationSme("s5", "부산", "C25", "중견기업"), PopulationSme("s6", "경기", "C29", "소기업"),
    PopulationSme("s7", "경기", "C29", "소기업"), PopulationSme("s8", "경기", "C29", "미상"),
    PopulationSme("s9", "경기", "C22", "중기업"), PopulationSme("s10", "경기", "C22", "중기업"),
]

FACTS = Facts(
    # four selected: adoption among them would be 2/4 = 50%; the KPI divides by the population instead
    selected=[SelectedSme("s1", SEOUL_C22), SelectedSme("s2", SEOUL_C22), SelectedSme("s4", BUSAN_C25),
              SelectedSme("s6", Where(2026, "경기", "C29"))],
    projects=[
        ProjectFact("p1", "s1", "accepted", SEOUL_C22,
                    evaluated=True, completed_on=date(2026, 10, 1), accepted_on=date(2026, 10, 5)),
        ProjectFact("p5", "s1", "accepted", SEOUL_C22,
                    evaluated=True, completed_on=date(2026, 11, 1), accepted_on=date(2026, 11, 5)),  # s1 again
        ProjectFact("p2", "s2", "completed", SEOUL_C22, evaluated=True),  # evaluated, not accepted: not adopted
        ProjectFact("p3", "s4", "accepted", BUSAN_C25_27,
                    evaluated=True, completed_on=date(2027, 3, 1), accepted_on=date(2027, 3, 5)),
        ProjectFact("p7", "s8", "accepted", GG_C29_27,
                    evaluated=True, completed_on=date(2027, 6, 1), accepted_on=date(2027, 6, 5)),
        ProjectFact("p4", "s6", "cancelled", Where(2026, "경기", "C29")),
    ],
    money=[MoneyFact("approved", "gov", 300, SEOUL_C22), MoneyFact("approved", "own", 300, SEOUL_C22),
           MoneyFact("committed", "gov", 200, SEOUL_C22), MoneyFact("spent", "gov", 100, SEOUL_C22),
           MoneyFact("approved", "gov", 100, BUSAN_C25_27)],
    outcomes=[OutcomeFact("p1", "defect_rate", 4.0, 2.0, SEOUL_C22),    # -50%
              OutcomeFact("p5", "defect_rate", 5.0, 4.0, SEOUL_C22),    # -20%
              OutcomeFact("p3", "defect_rate", 2.0, 2.2, BUSAN_C25_27),  # +10%
              OutcomeFact("p3", "energy_use", 0.0, 5.0, BUSAN_C25_27),   # no base: left out
              OutcomeFact("p1", "industrial_accidents", 2, 1, SEOUL_C22, workers=20),
              OutcomeFact("p3", "industrial_accidents", 3, 1, BUSAN_C25_27, workers=40),
              OutcomeFact("p2", "industrial_accidents", 5, 0, SEOUL_C22, workers=100),  # not accepted: out
              OutcomeFact("p7", "industrial_accidents", 1, 0, GG_C29_27, workers=None)],  # no workforce: out
    designated_companies=45,
    population=POPULATION,
    envelopes={2026: 1000, 2027: 500},
    designated_by_year={2026: 40},
)


def test_adoption_is_among_the_registered_population_not_the_selected():
    report = kpis.compute(FACTS)
    o = report["overall"]
    # adopters: s1 (p1, p5), s4 (p3), s8 (p7); not s2 (completed and evaluated, but the officer has not
    # accepted the completion); 3 of 10 registered
    assert (o["population"], o["adopted_smes"], o["adoption_rate"]) == (10, 3, 0.3)
    assert o["selected_smes"] == 4
    assert o["adoption_baseline"] == 0.01
    assert report["progress"]["adoption_rate"] == 3.0  # 0.3 / 0.10


def test_adoption_by_region_industry_size_and_year():
    report = kpis.compute(FACTS)
    a = report["adoption"]
    assert a["by_region"] == {"경기": {"population": 5, "adopted_smes": 1, "adoption_rate": 0.2},
                              "부산": {"population": 2, "adopted_smes": 1, "adoption_rate": 0.5},
                              "서울": {"population": 3, "adopted_smes": 1, "adoption_rate": 0.3333}}
    assert a["by_industry"]["C22"] == {"population": 4, "adopted_smes": 1, "adoption_rate": 0.25}
    assert a["by_industry"]["C25"]["adoption_rate"] == 0.3333  # s4 of s3, s4, s5
    assert a["by_size"]["소기업"] == {"population": 4, "adopted_smes": 2, "adoption_rate": 0.5}  # s1, s4 of 4
    assert a["by_size"]["중기업"]["adoption_rate"] == 0.0
    assert a["by_size"]["미상"]["adoption_rate"] == 1.0
    # by year: accepted completions up to the year's end, among all ten
    assert report["by_year"]["2026"]["adoption_rate"] == 0.1  # s1
    assert report["by_year"]["2027"]["adoption_rate"] == 0.3  # s1, s4, s8
    assert report["by_region"]["경기"]["adoption_rate"] == 0.2


def test_accidents_per_1000_workers_among_accepted_projects():
    acc = kpis.compute(FACTS)["overall"]["accidents"]
    # p1 (20 workers, 2 -> 1) and p3 (40 workers, 3 -> 1): 5 / 60 x 1,000 = 83.33 before, 2 / 60 x 1,000 = 33.33
    # after, change 33.33 / 83.33 - 1 = -60%; p2 (not accepted) and p7 (workforce unknown) are left out
    assert acc == {"projects": 2, "without_workforce": 1, "workers": 60, "exposure_workers": 1000,
                   "before_per_exposure": 83.33, "after_per_exposure": 33.33, "change": -0.6}
    report = kpis.compute(FACTS)
    assert report["overall"]["accident_change"] == -0.6
    assert report["progress"]["accident_change"] == 3.0  # -0.6 / -0.2


def test_accidents_per_configured_exposure():
    acc = kpis.compute(FACTS, kpis.Targets(exposure_workers=100))["overall"]["accidents"]
    assert (acc["before_per_exposure"], acc["after_per_exposure"]) == (8.33, 3.33)  # per 100 workers


def test_budget_per_fiscal_year_against_the_envelope():
    b = kpis.compute(FACTS)["budget_by_year"]
    assert b["2026"] == {"envelope_gov_krw": 1000, "committed": {"gov": 200, "own": 0, "total": 200},
                         "approved": {"gov": 300, "own": 300, "total": 600},
                         "spent": {"gov": 100, "own": 0, "total": 100}, "approved_gov_share": 0.3}
    assert b["2027"]["approved_gov_share"] == 0.2  # 100 of 500
    assert b["2030"]["envelope_gov_krw"] is None  # every programme year is listed
    assert b["2030"]["approved_gov_share"] is None


def test_outcomes_with_counts_and_designated_companies():
    report = kpis.compute(FACTS)
    o = report["overall"]
    assert o["outcomes"]["defect_rate"] == {"projects": 3, "median_change": -0.2}
    assert o["outcomes"]["energy_use"] == {"projects": 0, "median_change": None}
    assert o["designated_companies"] == 45
    assert report["designated_by_year"] == {"2026": 40}
    assert report["progress"]["designated_companies"] == 0.09


PLAN = trajectory.Plan(years=(2026, 2027, 2028, 2029, 2030), horizon=date(2030, 6, 30),
                       baseline_date=date(2025, 12, 31),
                       baselines={"adoption_rate": 0.01, "designated_companies": 0.0, "accident_change": 0.0},
                       paths={"adoption_rate": {2026: 0.03, 2027: 0.05, 2028: 0.07, 2029: 0.09, 2030: 0.10}})


def test_trajectory_actual_against_target_with_a_labelled_projection():
    points = [trajectory.Point(2026, date(2026, 12, 31), {"adoption_rate": 0.04}, "snapshot"),
              trajectory.Point(2027, date(2027, 12, 31), {"adoption_rate": 0.08}, "snapshot")]
    t = trajectory.compute(PLAN, points)["kpis"]["adoption_rate"]
    assert [(y["year"], y["target"], y["actual"], y["source"]) for y in t["years"]] == [
        (2026, 0.03, 0.04, "snapshot"), (2027, 0.05, 0.08, "snapshot"), (2028, 0.07, None, None),
        (2029, 0.09, None, None), (2030, 0.10, None, None)]
    assert t["years"][1]["gap"] == 0.03
    # 1% on 2025-12-31 to 8% on 2027-12-31 (730 days); 2030-06-30 is 1,642 days after the start:
    # 0.01 + 0.07 x 1642 / 730 = 0.16745
    p = t["projection"]
    assert (p["value"], p["as_of"], p["projection"], p["from"]) == (0.1675, "2030-06-30", True, "2027-12-31")
    assert "전망" in p["label_ko"]
    assert "실적이 아닙니다" in p["label_ko"]


def test_trajectory_without_actuals_has_no_projection_and_a_line_stays_in_bounds():
    assert trajectory.compute(PLAN, [])["kpis"]["adoption_rate"]["projection"] is None
    falling = [trajectory.Point(2026, date(2026, 12, 31), {"adoption_rate": 0.0}, "live")]
    assert trajectory.compute(PLAN, falling)["kpis"]["adoption_rate"]["projection"]["value"] == 0.0  # not < 0


def test_rows_for_csv_carry_korean_names():
    report = kpis.compute(FACTS)
    report["trajectory"] = trajectory.compute(PLAN, [trajectory.Point(2026, date(2026, 12, 31),
                                                                      {"adoption_rate": 0.04}, "snapshot")])
    rows = kpis.rows(report)
    assert ("overall", "all", "adoption_rate", 0.3) in rows
    assert ("size", "소기업", "adoption_rate", 0.5) in rows
    assert ("fiscal_year", "2026", "approved_gov_share", 0.3) in rows
    assert ("trajectory", "2026", "adoption_rate_actual", 0.04) in rows
    assert ("trajectory", "2030-06-30", "adoption_rate_projection", 0.145) in rows  # 0.01 + 0.03 x 1642 / 365
    assert ("target", "all", "accident_change", -0.2) in rows
    assert kpis.name_ko("adoption_rate_projection") == "AI 도입률 전망(추정)"
    assert kpis.name_ko("budget_approved_gov_krw") == "승인 예산 정부지원금(원)"
    assert kpis.name_ko("outcome_defect_rate_median_change") == "불량률 중앙 변화율"
