"""Review panels: rubric as data, conflict of interest, weighted scoring, quorum, pass mark, the
four-eyes rule and who may see which scores. Arithmetic is exact (Fraction) so a mean equal to the
pass mark passes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

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
from certification.lifecycle import AppAction, Role

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class RubricCriterion:
    code: str
    weight: Fraction
    label_ko: str
    label_en: str


@dataclass(frozen=True)
class PanelPolicy:
    size: int = 3
    quorum: int = 2
    pass_mark: Fraction = Fraction(7, 2)


@dataclass(frozen=True)
class Rubric:
    version: str
    min_score: int
    max_score: int
    criteria: tuple[RubricCriterion, ...]
    policy: PanelPolicy = field(default_factory=PanelPolicy)


def _number(v: Any) -> Fraction | None:
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        return None
    try:
        return Fraction(str(v))  # str() so 0.1 means one tenth, not its binary approximation
    except ValueError:
        return None


def parse_rubric(data: Any, source: str = "<rubric>") -> Rubric:
    """Validate a rubric document; CriteriaFileInvalid lists every problem found."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise CriteriaFileInvalid(source, ["the document must be a mapping"])
    version = data.get("version")
    if not isinstance(version, str) or not version:
        problems.append("'version' is required")
    scale = data.get("scale") or {}
    lo, hi = scale.get("min"), scale.get("max")
    if not (isinstance(lo, int) and isinstance(hi, int) and 0 <= lo < hi):
        problems.append("'scale' needs integers min < max")
    panel = data.get("panel") or {}
    size, quorum, mark = panel.get("size", 3), panel.get("quorum", 2), _number(panel.get("pass_mark", 3.5))
    if not (isinstance(size, int) and isinstance(quorum, int) and 1 <= quorum <= size):
        problems.append("'panel' needs integers 1 <= quorum <= size")
    if mark is None or (isinstance(lo, int) and isinstance(hi, int) and not lo <= mark <= hi):
        problems.append("'panel.pass_mark' must be a number on the scale")
    criteria: list[RubricCriterion] = []
    raw = data.get("criteria")
    if not isinstance(raw, list) or not raw:
        problems.append("'criteria' must be a non-empty list")
        raw = []
    for i, c in enumerate(raw):
        code = c.get("code") if isinstance(c, dict) else None
        weight = _number(c.get("weight")) if isinstance(c, dict) else None
        label = c.get("label") if isinstance(c, dict) else None
        if not isinstance(code, str) or not code:
            problems.append(f"criteria[{i}]: 'code' is required")
            continue
        if weight is None or weight <= 0:
            problems.append(f"criteria[{i}] ({code}): 'weight' must be a positive number")
            continue
        if not (isinstance(label, dict) and all(isinstance(label.get(k), str) for k in ("ko", "en"))):
            problems.append(f"criteria[{i}] ({code}): 'label' needs 'ko' and 'en'")
            continue
        criteria.append(RubricCriterion(code, weight, label["ko"], label["en"]))
    codes = [c.code for c in criteria]
    problems += [f"duplicate criterion code '{c}'" for c in sorted({c for c in codes if codes.count(c) > 1})]
    if problems:
        raise CriteriaFileInvalid(source, problems)
    return Rubric(version, lo, hi, tuple(criteria), PanelPolicy(size, quorum, mark))  # type: ignore[arg-type]


def load_rubric(path: str | Path) -> Rubric:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CriteriaFileInvalid(path.name, [f"not valid YAML: {exc}"]) from exc
    return parse_rubric(data, path.name)


def builtin_rubric(version: str = "v1") -> Rubric:
    return load_rubric(DATA_DIR / f"rubric-{version}.yaml")


# Conflicts of interest -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Reviewer:
    user_id: str
    organisation_id: str
    related_organisations: frozenset[str] = frozenset()  # recorded relations: former employer, stake, family


@dataclass(frozen=True)
class Declaration:
    reviewer_id: str
    has_conflict: bool
    note: str | None = None


def detect_conflict(reviewer: Reviewer, applicant_org: str) -> str | None:
    """'same_organisation', 'recorded_relation' or None."""
    if reviewer.organisation_id == applicant_org:
        return "same_organisation"
    if applicant_org in reviewer.related_organisations:
        return "recorded_relation"
    return None


def select_panel(candidates: Sequence[Reviewer], applicant_org: str, size: int) -> list[Reviewer]:
    """The first `size` candidates without a detected conflict, in the order given (the service
    orders by workload or at random); NotEnoughReviewers when too few remain."""
    eligible = [r for r in candidates if detect_conflict(r, applicant_org) is None]
    if len(eligible) < size:
        raise NotEnoughReviewers(size, len(eligible))
    return eligible[:size]


def check_may_score(reviewer: Reviewer, declaration: Declaration | None, applicant_org: str) -> None:
    """A reviewer scores only after declaring, and neither a declared nor a detected conflict."""
    if declaration is None or declaration.reviewer_id != reviewer.user_id:
        raise DeclarationRequired(reviewer_id=reviewer.user_id)
    if declaration.has_conflict:
        raise ConflictOfInterest(reviewer.user_id, declaration.note or "declared")
    detected = detect_conflict(reviewer, applicant_org)
    if detected:
        raise ConflictOfInterest(reviewer.user_id, detected)


# Scoring ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Review:
    reviewer_id: str
    scores: Mapping[str, int]
    submitted: bool = False
    comment: str | None = None


def validate_scores(rubric: Rubric, scores: Mapping[str, Any], *, complete: bool = True) -> None:
    """Every rubric criterion (when complete) with an integer on the scale, and nothing else."""
    problems: list[str] = []
    codes = {c.code for c in rubric.criteria}
    problems += [f"unknown criterion '{k}'" for k in sorted(set(scores) - codes)]
    if complete:
        problems += [f"missing score for '{c.code}'" for c in rubric.criteria if c.code not in scores]
    for code, value in scores.items():
        if code in codes and (isinstance(value, bool) or not isinstance(value, int)
                              or not rubric.min_score <= value <= rubric.max_score):
            problems.append(f"'{code}' must be an integer from {rubric.min_score} to {rubric.max_score}")
    if problems:
        raise InvalidScores(problems)


def weighted_score(rubric: Rubric, scores: Mapping[str, int]) -> Fraction:
    validate_scores(rubric, scores)
    total = sum((c.weight for c in rubric.criteria), Fraction(0))
    return sum((c.weight * scores[c.code] for c in rubric.criteria), Fraction(0)) / total


def display(value: Fraction, places: int = 3) -> Decimal:
    """For storage and display only; decisions compare the exact Fraction."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PanelResult:
    submitted: int
    quorum: int
    pass_mark: Fraction
    mean: Fraction | None  # mean of the submitted reviews' weighted scores; None with no reviews
    per_criterion: Mapping[str, Fraction]

    @property
    def quorum_met(self) -> bool:
        return self.submitted >= self.quorum

    @property
    def passes(self) -> bool | None:
        """None until the quorum is met."""
        return None if not self.quorum_met or self.mean is None else self.mean >= self.pass_mark


def aggregate(rubric: Rubric, reviews: Iterable[Review], policy: PanelPolicy | None = None) -> PanelResult:
    """Each submitted review counts once; drafts are ignored."""
    policy = policy or rubric.policy
    done = [r for r in reviews if r.submitted]
    per_review = [weighted_score(rubric, r.scores) for r in done]
    mean = sum(per_review, Fraction(0)) / len(done) if done else None
    per_criterion = {c.code: sum((Fraction(r.scores[c.code]) for r in done), Fraction(0)) / len(done)
                     for c in rubric.criteria} if done else {}
    return PanelResult(len(done), policy.quorum, policy.pass_mark, mean, per_criterion)


def check_decision(action: str, result: PanelResult, decider: Reviewer, applicant_org: str) -> None:
    """Guards for approve/reject beyond the state machine: quorum, four-eyes, pass mark for approval.

    A rejection below quorum is refused too: a decision always rests on the panel's reviews.
    """
    if action not in (AppAction.approve, AppAction.reject):
        raise ValueError(f"not a decision: {action}")
    if detect_conflict(decider, applicant_org):
        raise FourEyesViolation(
            "신청 기관 소속이거나 관계가 기록된 사람은 결정할 수 없습니다",
            "The decider belongs to or is related to the applicant organisation",
            decider=decider.user_id)
    if not result.quorum_met:
        raise QuorumNotMet(result.submitted, result.quorum)
    if action == AppAction.approve and not result.passes:
        mean = "-" if result.mean is None else str(display(result.mean))
        raise BelowPassMark(mean, str(display(result.pass_mark)))


# Visibility ---------------------------------------------------------------------------------------

def visible_reviews(
    viewer_id: str, viewer_role: str, panel: Iterable[str], reviews: Iterable[Review],
) -> list[Review]:
    """What a viewer may see before the decision: an admin sees every review; a panel reviewer sees
    their own, and others' submitted reviews only once their own is submitted (so nobody anchors
    on a colleague's scores); everyone else sees none."""
    reviews = list(reviews)
    if viewer_role == Role.admin:
        return reviews
    if viewer_role != Role.reviewer or viewer_id not in set(panel):
        return []
    own = [r for r in reviews if r.reviewer_id == viewer_id]
    if not any(r.submitted for r in own):
        return own
    return own + [r for r in reviews if r.reviewer_id != viewer_id and r.submitted]
