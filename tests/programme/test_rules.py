"""The programme's rules and state tables as pure functions: budget cap and matching, spending,
stage plans, transitions."""

from __future__ import annotations

import pytest

from certification.errors import ForbiddenTransition, IllegalTransition, ReasonRequired
from programme import lifecycle
from programme.rules import Line, ProgrammeRules, check_matching, check_new_line, check_spending, check_stage_plan

RULES = ProgrammeRules(_env_file=None)  # type: ignore[call-arg]
M = 1_000_000


def test_government_share_is_capped_per_sme_and_year():
    ok = check_new_line(RULES, new=Line(2026, "gov", 150 * M), project_lines=[], sme_gov_other=50 * M,
                        match_required=False)
    assert ok == []
    over = check_new_line(RULES, new=Line(2026, "gov", 1), project_lines=[Line(2026, "gov", 150 * M)],
                          sme_gov_other=50 * M, match_required=False)
    assert len(over) == 1
    assert "200,000,000" in over[0][1]
    # another year has its own cap
    assert check_new_line(RULES, new=Line(2027, "gov", 200 * M), project_lines=[Line(2026, "gov", 200 * M)],
                          sme_gov_other=0, match_required=False) == []


def test_cap_is_configuration(monkeypatch):
    monkeypatch.setenv("AXR_PROGRAMME_GOV_CAP_KRW", "100000000")
    rules = ProgrammeRules(_env_file=None)  # type: ignore[call-arg]
    assert check_new_line(rules, new=Line(2026, "gov", 150 * M), project_lines=[], sme_gov_other=0,
                          match_required=False)


def test_own_share_must_match_government_share_each_year():
    lines = [Line(2026, "gov", 200 * M), Line(2026, "own", 150 * M), Line(2027, "gov", 50 * M),
             Line(2027, "own", 60 * M)]
    reasons = check_matching(RULES, lines)
    assert len(reasons) == 1
    assert "2026" in reasons[0][1]
    # once contracted, a new government line must come with its match
    assert check_new_line(RULES, new=Line(2027, "gov", 20 * M), project_lines=lines, sme_gov_other=0,
                          match_required=True)


def test_spending_stays_within_the_approved_budget_per_year_and_source():
    approved = [Line(2026, "gov", 100 * M), Line(2026, "own", 100 * M)]
    spent = [Line(2026, "gov", 80 * M)]
    assert check_spending(approved=approved, spent=spent, new=Line(2026, "gov", 20 * M)) == []
    assert check_spending(approved=approved, spent=spent, new=Line(2026, "gov", 20 * M + 1))
    assert check_spending(approved=approved, spent=[], new=Line(2027, "own", 1))  # nothing approved for 2027


@pytest.mark.parametrize(("sme", "solution", "plan", "broken"), [
    ("basic", "basic", [], False),
    ("intermediate2", "intermediate1", [], False),
    ("basic", "intermediate1", [], True),
    ("basic", "intermediate1", [{"stage": 1, "target_level": "intermediate1"}], False),
    ("basic", "intermediate2", [{"stage": 1, "target_level": "intermediate2"}], True),  # two levels at once
    ("basic", "intermediate2", [{"stage": 1, "target_level": "intermediate1"},
                                {"stage": 2, "target_level": "intermediate2"}], False),
    ("basic", "advanced", [{"stage": 1, "target_level": "intermediate1"}], True),  # does not get there
])
def test_stage_plan_follows_the_smart_factory_level(sme, solution, plan, broken):
    assert bool(check_stage_plan(sme, solution, plan)) is broken


def test_project_table():
    t = lifecycle.transition
    assert t(lifecycle.PROJECT, "planned", "contract", "sme") == "contracted"
    assert t(lifecycle.PROJECT, "contracted", "start", "admin") == "in_progress"
    assert t(lifecycle.PROJECT, "in_progress", "complete", "sme") == "completed"
    assert t(lifecycle.PROJECT, "in_progress", "cancel", "sme", reason="예산 부족") == "cancelled"
    with pytest.raises(IllegalTransition) as exc:
        t(lifecycle.PROJECT, "planned", "complete", "sme")
    assert exc.value.allowed_actions == ["cancel", "contract"]
    with pytest.raises(ReasonRequired):
        t(lifecycle.PROJECT, "planned", "cancel", "sme")
    with pytest.raises(ForbiddenTransition):
        t(lifecycle.PROJECT, "planned", "contract", "supplier")
    assert lifecycle.allowed_actions(lifecycle.PROJECT, "completed", "admin") == ["accept_completion",
                                                                                 "return_completion"]
    assert lifecycle.allowed_actions(lifecycle.PROJECT, "completed", "sme") == []  # the officer decides
    assert t(lifecycle.PROJECT, "completed", "accept_completion", "admin") == "accepted"
    with pytest.raises(ForbiddenTransition):
        t(lifecycle.PROJECT, "completed", "accept_completion", "sme")
    for state in ("accepted", "cancelled"):
        assert lifecycle.allowed_actions(lifecycle.PROJECT, state, "admin") == []


def test_member_table():
    t = lifecycle.transition
    assert t(lifecycle.MEMBER, "candidate", "select", "admin") == "selected"
    assert t(lifecycle.MEMBER, "selected", "graduate", "admin") == "graduated"
    with pytest.raises(ReasonRequired):
        t(lifecycle.MEMBER, "selected", "drop", "admin")
    with pytest.raises(ForbiddenTransition):
        t(lifecycle.MEMBER, "candidate", "select", "reviewer")
    with pytest.raises(IllegalTransition):
        t(lifecycle.MEMBER, "dropped", "select", "admin")
