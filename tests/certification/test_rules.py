"""Eligibility criteria: the shipped v1 file, evaluation with reasons, and the loader's refusals."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
import yaml

from certification import rules
from certification.errors import CriteriaFileInvalid
from certification.rules import CompanyFacts, Outcome, ReferenceCase, SolutionFacts

V1 = rules.builtin_criteria("v1")
AS_OF = date(2026, 3, 1)
GOOD_SOLUTION = SolutionFacts("s1", True, (ReferenceCase("C29", {"defect_rate_pct": -35}),))
def _replace(facts: CompanyFacts, change: dict) -> CompanyFacts:
    return dataclasses.replace(facts, **change)


GOOD = CompanyFacts(business_number_valid=True, business_status="active", ai_staff=5,
                    revenue_krw=2_000_000_000, rnd_krw=200_000_000, solutions=(GOOD_SOLUTION,),
                    revocations=(), tips_stage="funded")


def outcome_of(facts: CompanyFacts, code: str) -> rules.CriterionResult:
    return next(r for r in rules.evaluate(V1, facts, as_of=AS_OF).results if r.code == code)


def test_shipped_v1_loads_with_all_criteria() -> None:
    assert V1.version == "v1"
    assert V1.effective_from == date(2026, 1, 1)
    assert [c.kind for c in V1.criteria] == [
        "company_valid", "min_ai_staff", "min_rnd_ratio", "published_solution_with_manufacturing_reference",
        "no_recent_revocation", "tips_points"]
    assert len(V1.digest) == 64


def test_a_qualified_company_passes_with_tips_points_and_bilingual_reasons() -> None:
    result = rules.evaluate(V1, GOOD, as_of=AS_OF)
    assert result.outcome == Outcome.pass_
    assert result.points == 3
    assert result.criteria_version == "v1"
    assert result.criteria_digest == V1.digest
    e3 = outcome_of(GOOD, "E3")
    assert e3.reason_ko == "연구개발비 비율 10%로 기준(5% 이상)을 충족합니다."
    assert e3.reason_en == "R&D is 10% of revenue, meeting the minimum of 5%."
    assert result.to_dict()["results"][0]["outcome"] == "pass"


def test_unknown_data_needs_judgement_never_fails() -> None:
    result = rules.evaluate(V1, CompanyFacts(), as_of=AS_OF)
    assert result.outcome == Outcome.needs_judgement
    assert {r.outcome for r in result.results if r.code != "P1"} == {Outcome.needs_judgement}
    assert "?" not in outcome_of(CompanyFacts(), "E2").reason_en


@pytest.mark.parametrize(("change", "code"), [
    ({"business_number_valid": False}, "E1"),
    ({"business_status": "closed"}, "E1"),
    ({"ai_staff": 2}, "E2"),
    ({"rnd_krw": 99_999_999}, "E3"),
    ({"solutions": ()}, "E4"),
    ({"solutions": (SolutionFacts("s1", False, GOOD_SOLUTION.reference_cases),)}, "E4"),
    ({"solutions": (SolutionFacts("s1", True, (ReferenceCase("J58", {"x": 1}),)),)}, "E4"),
    ({"revocations": (date(2024, 6, 1),)}, "E5"),
])
def test_a_definite_fail_fails_the_screening(change: dict, code: str) -> None:
    facts = _replace(GOOD, change)
    result = rules.evaluate(V1, facts, as_of=AS_OF)
    assert result.outcome == Outcome.fail
    assert [r.code for r in result.results if r.outcome == Outcome.fail] == [code]


def test_thresholds_are_inclusive() -> None:
    assert outcome_of(_replace(GOOD, {"ai_staff": 3}), "E2").outcome == Outcome.pass_
    assert outcome_of(_replace(GOOD, {"rnd_krw": 100_000_000}), "E3").outcome == Outcome.pass_


def test_zero_revenue_needs_judgement() -> None:
    assert outcome_of(_replace(GOOD, {"revenue_krw": 0}), "E3").outcome == Outcome.needs_judgement


def test_old_revocation_is_forgotten_after_two_years() -> None:
    assert outcome_of(_replace(GOOD, {"revocations": (date(2024, 3, 1),)}), "E5").outcome == Outcome.pass_
    recent = outcome_of(_replace(GOOD, {"revocations": (date(2024, 3, 2),)}), "E5")
    assert recent.outcome == Outcome.fail
    assert "2024년 3월 2일" in recent.reason_ko  # a Korean day, not an ISO date, in a Korean sentence
    assert "2024-03-02" in recent.reason_en


@pytest.mark.parametrize(("case", "expected"), [
    (ReferenceCase("29271", {"oee_pct": 12}), Outcome.pass_),
    (ReferenceCase("C", {"oee_pct": 12}), Outcome.pass_),
    (ReferenceCase("C29", {}), Outcome.needs_judgement),  # manufacturing, but nothing measured
    (ReferenceCase(None, {"oee_pct": 12}), Outcome.needs_judgement),
    (ReferenceCase("C58", {"oee_pct": 12}), Outcome.needs_judgement),  # section contradicts division
    (ReferenceCase("G46", {"sales": 1}), Outcome.fail),
])
def test_manufacturing_reference_cases(case: ReferenceCase, expected: Outcome) -> None:
    facts = _replace(GOOD, {"solutions": (SolutionFacts("s1", True, (case,)),)})
    assert outcome_of(facts, "E4").outcome == expected


def test_tips_adds_points_but_never_decides_eligibility() -> None:
    for stage, points in [("none", 0), ("recommended", 1), ("graduated", 3), (None, 0), ("unheard-of", 0)]:
        result = rules.evaluate(V1, _replace(GOOD, {"tips_stage": stage}), as_of=AS_OF)
        assert (result.outcome, result.points) == (Outcome.pass_, points)


def test_one_version_active_at_a_time() -> None:
    v2 = rules.CriteriaSet("v2", date(2027, 1, 1), "", "", V1.criteria, "")
    assert rules.active_criteria([V1, v2], date(2026, 12, 31)).version == "v1"
    assert rules.active_criteria([V1, v2], date(2027, 1, 1)).version == "v2"
    with pytest.raises(LookupError):
        rules.active_criteria([V1, v2], date(2025, 1, 1))


def raw_v1() -> dict:
    return yaml.safe_load((rules.DATA_DIR / "criteria-v1.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d.pop("version"), "'version' is required"),
    (lambda d: d.update(effective_from="soon"), "effective_from"),
    (lambda d: d["criteria"][1].update(kind="min_staff"), "unknown kind 'min_staff'"),
    (lambda d: d["criteria"][1]["params"].update(min=-1), "param 'min' has an invalid value"),
    (lambda d: d["criteria"][2].update(params={}), "missing param 'min_ratio'"),
    (lambda d: d["criteria"][2]["params"].update(min_ratio=5), "param 'min_ratio' has an invalid value"),
    (lambda d: d["criteria"][1]["params"].update(max=9), "unknown param 'max'"),
    (lambda d: d["criteria"][1]["reasons"].pop("fail"), "reasons.fail: needs non-empty 'ko' and 'en'"),
    (lambda d: d["criteria"][1]["reasons"]["pass"].update(en="{staff} ok"),
     "unknown placeholder(s) ['staff']"),
    (lambda d: d["criteria"][0]["label"].pop("ko"), "label: needs non-empty 'ko' and 'en'"),
    (lambda d: d["criteria"][2].update(code="E1"), "duplicate criterion code 'E1'"),
    (lambda d: d.update(criteria=[]), "'criteria' must be a non-empty list"),
])
def test_loader_rejects_a_malformed_file_with_a_clear_error(mutate, message: str) -> None:
    data = raw_v1()
    mutate(data)
    with pytest.raises(CriteriaFileInvalid) as exc:
        rules.parse_criteria(data, "criteria-bad.yaml")
    assert any(message in p for p in exc.value.problems), exc.value.problems
    assert exc.value.status == 422
    assert "criteria-bad.yaml" in str(exc.value)


def test_loader_reports_every_problem_and_bad_yaml(tmp_path: Path) -> None:
    data = raw_v1()
    data.pop("version")
    data["criteria"][1]["kind"] = "nope"
    with pytest.raises(CriteriaFileInvalid) as exc:
        rules.parse_criteria(data)
    assert len(exc.value.problems) == 2
    bad = tmp_path / "criteria-x.yaml"
    bad.write_text("version: [unclosed", encoding="utf-8")
    with pytest.raises(CriteriaFileInvalid, match="not valid YAML"):
        rules.load_criteria(bad)
