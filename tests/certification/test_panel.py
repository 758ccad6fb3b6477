"""Review panels: conflicts, declarations, weighted scores, quorum, pass mark, four-eyes, visibility."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certification import panel
from certification.errors import (
    BelowPassMark,
    ConflictOfInterest,
    CriteriaFileInvalid,
    DeclarationRequired,
    FourEyesViolation,
    InvalidScores,
    NotEnoughReviewers,
    QuorumNotMet,
)
from certification.panel import Declaration, Review, Reviewer

RUBRIC = panel.builtin_rubric()
APPLICANT = "org-applicant"
CODES = [c.code for c in RUBRIC.criteria]


def scores(*values: int) -> dict[str, int]:
    return dict(zip(CODES, values, strict=True))


def reviewer(uid: str, org: str = "org-ministry", related: frozenset[str] = frozenset()) -> Reviewer:
    return Reviewer(uid, org, related)


def test_builtin_rubric() -> None:
    assert CODES == ["technology", "manufacturing_fit", "track_record", "delivery", "growth_tips"]
    assert (RUBRIC.min_score, RUBRIC.max_score) == (1, 5)
    assert RUBRIC.policy == panel.PanelPolicy(size=3, quorum=2, pass_mark=Fraction(7, 2))


def test_conflicts_are_detected_and_excluded_from_the_panel() -> None:
    same = reviewer("r1", APPLICANT)
    related = reviewer("r2", related=frozenset({APPLICANT}))
    free = [reviewer("r3"), reviewer("r4"), reviewer("r5"), reviewer("r6")]
    assert panel.detect_conflict(same, APPLICANT) == "same_organisation"
    assert panel.detect_conflict(related, APPLICANT) == "recorded_relation"
    chosen = panel.select_panel([same, related, *free], APPLICANT, 3)
    assert [r.user_id for r in chosen] == ["r3", "r4", "r5"]
    with pytest.raises(NotEnoughReviewers):
        panel.select_panel([same, related, free[0]], APPLICANT, 3)


def test_declaration_comes_before_scoring_and_a_conflict_removes_the_reviewer() -> None:
    r = reviewer("r3")
    with pytest.raises(DeclarationRequired):
        panel.check_may_score(r, None, APPLICANT)
    with pytest.raises(ConflictOfInterest) as exc:
        panel.check_may_score(r, Declaration("r3", True, "전 직장"), APPLICANT)
    assert exc.value.status == 403
    panel.check_may_score(r, Declaration("r3", False), APPLICANT)
    with pytest.raises(ConflictOfInterest):  # a detected conflict wins over a clean declaration
        panel.check_may_score(reviewer("r1", APPLICANT), Declaration("r1", False), APPLICANT)


def test_scores_are_validated() -> None:
    with pytest.raises(InvalidScores) as exc:
        panel.validate_scores(RUBRIC, {"technology": 6, "delivery": True, "charm": 5})
    problems = exc.value.problems
    assert "unknown criterion 'charm'" in problems
    assert "missing score for 'manufacturing_fit'" in problems
    assert "'technology' must be an integer from 1 to 5" in problems
    assert "'delivery' must be an integer from 1 to 5" in problems
    panel.validate_scores(RUBRIC, {"technology": 4}, complete=False)


def test_weighted_score_uses_the_weights() -> None:
    # 30*5 + 25*4 + 20*3 + 15*2 + 10*1 = 350 over 100
    assert panel.weighted_score(RUBRIC, scores(5, 4, 3, 2, 1)) == Fraction(7, 2)
    assert panel.display(Fraction(11, 3)) == panel.display(Fraction(3667, 1000))


def test_quorum_counts_only_submitted_reviews() -> None:
    reviews = [Review("r3", scores(5, 5, 5, 5, 5), submitted=True), Review("r4", scores(1, 1, 1, 1, 1))]
    result = panel.aggregate(RUBRIC, reviews)
    assert result.submitted == 1
    assert not result.quorum_met
    assert result.passes is None
    with pytest.raises(QuorumNotMet):
        panel.check_decision("approve", result, reviewer("r9"), APPLICANT)
    with pytest.raises(QuorumNotMet):
        panel.check_decision("reject", result, reviewer("r9"), APPLICANT)


def test_mean_exactly_at_the_pass_mark_approves_and_just_below_does_not() -> None:
    at_mark = [Review("r3", scores(5, 4, 3, 2, 1), True), Review("r4", scores(5, 4, 3, 2, 1), True)]
    result = panel.aggregate(RUBRIC, at_mark)
    assert result.mean == Fraction(7, 2)
    assert result.passes
    panel.check_decision("approve", result, reviewer("r9"), APPLICANT)
    below = [Review("r3", scores(5, 4, 3, 2, 1), True), Review("r4", scores(5, 4, 3, 1, 1), True)]
    low = panel.aggregate(RUBRIC, below)
    assert low.passes is False
    with pytest.raises(BelowPassMark) as exc:
        panel.check_decision("approve", low, reviewer("r9"), APPLICANT)
    assert exc.value.extra == {"mean": "3.425", "pass_mark": "3.500"}
    panel.check_decision("reject", low, reviewer("r9"), APPLICANT)
    assert low.per_criterion["delivery"] == Fraction(3, 2)


def test_four_eyes_the_applicant_never_approves_itself() -> None:
    good = panel.aggregate(RUBRIC, [Review(u, scores(5, 5, 5, 5, 5), True) for u in ("r3", "r4", "r5")])
    with pytest.raises(FourEyesViolation):
        panel.check_decision("approve", good, reviewer("insider", APPLICANT), APPLICANT)
    with pytest.raises(FourEyesViolation):
        panel.check_decision("approve", good, reviewer("friend", related=frozenset({APPLICANT})), APPLICANT)


def test_reviewers_see_others_scores_only_after_submitting_their_own() -> None:
    reviews = [Review("r3", scores(4, 4, 4, 4, 4), True), Review("r4", scores(2, 2, 2, 2, 2)),
               Review("r5", scores(3, 3, 3, 3, 3), True)]
    members = ["r3", "r4", "r5"]
    assert [r.reviewer_id for r in panel.visible_reviews("r4", "reviewer", members, reviews)] == ["r4"]
    assert [r.reviewer_id for r in panel.visible_reviews("r3", "reviewer", members, reviews)] == ["r3", "r5"]
    assert panel.visible_reviews("r8", "reviewer", members, reviews) == []
    assert panel.visible_reviews("s1", "supplier", members, reviews) == []
    assert len(panel.visible_reviews("a1", "admin", members, reviews)) == 3


@given(st.lists(st.lists(st.integers(1, 5), min_size=5, max_size=5), min_size=1, max_size=7))
def test_mean_stays_on_the_scale_and_equals_the_mean_of_reviews(all_scores: list[list[int]]) -> None:
    reviews = [Review(f"r{i}", scores(*s), True) for i, s in enumerate(all_scores)]
    result = panel.aggregate(RUBRIC, reviews)
    per = [panel.weighted_score(RUBRIC, r.scores) for r in reviews]
    assert result.mean == sum(per) / len(per)
    assert 1 <= result.mean <= 5


def test_rubric_loader_rejects_bad_files() -> None:
    with pytest.raises(CriteriaFileInvalid) as exc:
        panel.parse_rubric({"version": "x", "scale": {"min": 1, "max": 5}, "panel": {"size": 3, "quorum": 4},
                            "criteria": [{"code": "a", "weight": 0, "label": {"ko": "가", "en": "a"}}]})
    assert "'panel' needs integers 1 <= quorum <= size" in exc.value.problems
    assert "criteria[0] (a): 'weight' must be a positive number" in exc.value.problems
