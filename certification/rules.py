"""Eligibility criteria as versioned data (certification/data/criteria-*.yaml), their loader and
their evaluation against plain company facts, each criterion with a bilingual reason."""

from __future__ import annotations

import hashlib
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from certification.certificates import add_years
from certification.errors import CriteriaFileInvalid
from core.korean import date_ko

DATA_DIR = Path(__file__).parent / "data"


class Outcome(StrEnum):
    pass_ = "pass"
    fail = "fail"
    needs_judgement = "needs_judgement"


# Facts ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReferenceCase:
    ksic_code: str | None  # "C29", "29" or "29271"; None when not stated
    outcomes: Mapping[str, Any] = field(default_factory=dict)  # measured, e.g. {"defect_rate_pct": -35}


@dataclass(frozen=True)
class SolutionFacts:
    solution_id: str
    published: bool
    reference_cases: tuple[ReferenceCase, ...] = ()


@dataclass(frozen=True)
class CompanyFacts:
    """What the registry knows about the applicant; None means unknown and never fails a criterion."""

    business_number_valid: bool | None = None  # NTS check digit (registry.bizno)
    business_status: str | None = None  # "active", "suspended" (휴업) or "closed" (폐업)
    ai_staff: int | None = None
    revenue_krw: int | None = None
    rnd_krw: int | None = None
    solutions: tuple[SolutionFacts, ...] | None = None
    revocations: tuple[date, ...] | None = None  # dates earlier designations were revoked
    tips_stage: str | None = None


# Criteria ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Criterion:
    code: str
    kind: str
    label_ko: str
    label_en: str
    params: Mapping[str, Any]
    reasons: Mapping[str, tuple[str, str]]  # outcome -> (ko template, en template)

    @property
    def affects_eligibility(self) -> bool:
        return KINDS[self.kind].eligibility


@dataclass(frozen=True)
class CriteriaSet:
    version: str
    effective_from: date
    title_ko: str
    title_en: str
    criteria: tuple[Criterion, ...]
    digest: str  # sha256 of the file, so an edited version cannot pass for the one on record


@dataclass(frozen=True)
class CriterionResult:
    code: str
    outcome: Outcome
    reason_ko: str
    reason_en: str
    points: int = 0


@dataclass(frozen=True)
class ScreeningResult:
    criteria_version: str
    criteria_digest: str
    outcome: Outcome  # fail stops at screening; pass and needs_judgement go to reviewers
    results: tuple[CriterionResult, ...]
    points: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for the application row."""
        return asdict(self)


# Evaluators: each returns (outcome, template values, points) --------------------------------------

Evaluation = tuple[Outcome, dict[str, Any], int]


def _company_valid(p: Mapping[str, Any], f: CompanyFacts, as_of: date) -> Evaluation:
    status = f.business_status or "not_checked"  # no register answered and no reviewer confirmed it
    if f.business_number_valid is False or f.business_status in ("closed", "suspended"):
        return Outcome.fail, {"status": status}, 0
    if f.business_number_valid and f.business_status == "active":
        return Outcome.pass_, {"status": status}, 0
    return Outcome.needs_judgement, {"status": status}, 0


def _min_ai_staff(p: Mapping[str, Any], f: CompanyFacts, as_of: date) -> Evaluation:
    values = {"ai_staff": f.ai_staff, "min": p["min"]}
    if f.ai_staff is None:
        return Outcome.needs_judgement, values, 0
    return (Outcome.pass_ if f.ai_staff >= p["min"] else Outcome.fail), values, 0


def _pct(x: float) -> str:
    return f"{x * 100:.1f}".rstrip("0").rstrip(".")


def _min_rnd_ratio(p: Mapping[str, Any], f: CompanyFacts, as_of: date) -> Evaluation:
    values: dict[str, Any] = {"min_pct": _pct(p["min_ratio"]), "ratio_pct": "?"}
    # No revenue (an early start-up) makes the ratio meaningless rather than failing.
    if f.revenue_krw is None or f.rnd_krw is None or f.revenue_krw <= 0:
        return Outcome.needs_judgement, values, 0
    ratio = f.rnd_krw / f.revenue_krw
    values["ratio_pct"] = _pct(ratio)
    return (Outcome.pass_ if ratio >= p["min_ratio"] else Outcome.fail), values, 0


def _is_manufacturing(code: str | None, divisions: tuple[int, int]) -> bool | None:
    if not code:
        return None
    code = code.strip().upper()
    section, digits = (code[0], code[1:]) if code[0].isalpha() else (None, code)
    if not digits:
        return None if section is None else section == "C"
    if len(digits) < 2 or not digits.isdigit():
        return None
    in_range = divisions[0] <= int(digits[:2]) <= divisions[1]
    if section is not None and (section == "C") != in_range:
        return None  # a section letter that contradicts the division: let a reviewer look
    return in_range


def _manufacturing_reference(p: Mapping[str, Any], f: CompanyFacts, as_of: date) -> Evaluation:
    values = {"min_cases": p["min_cases"], "count": 0, "unclear": 0}
    if f.solutions is None:
        return Outcome.needs_judgement, {**values, "count": None, "unclear": None}, 0
    divisions = tuple(p["manufacturing_divisions"])
    for case in (c for s in f.solutions if s.published for c in s.reference_cases):
        manufacturing = _is_manufacturing(case.ksic_code, divisions)  # type: ignore[arg-type]
        if manufacturing and case.outcomes:
            values["count"] += 1
        elif manufacturing is None or manufacturing:
            values["unclear"] += 1  # unknown industry, or manufacturing without measured outcomes
    if values["count"] >= p["min_cases"]:
        return Outcome.pass_, values, 0
    return (Outcome.needs_judgement if values["unclear"] else Outcome.fail), values, 0


def _no_recent_revocation(p: Mapping[str, Any], f: CompanyFacts, as_of: date) -> Evaluation:
    values: dict[str, Any] = {"years": p["years"], "last_revoked": "-"}
    if f.revocations is None:
        return Outcome.needs_judgement, values, 0
    since = add_years(as_of, -p["years"])
    recent = sorted(d for d in f.revocations if since < d <= as_of)
    if recent:
        values["last_revoked"] = recent[-1].isoformat()
        return Outcome.fail, values, 0
    return Outcome.pass_, values, 0


def _tips_points(p: Mapping[str, Any], f: CompanyFacts, as_of: date) -> Evaluation:
    stage = f.tips_stage or "none"
    points = int(p["points"].get(stage, 0))
    return Outcome.pass_, {"stage": stage, "points": points}, points


@dataclass(frozen=True)
class Kind:
    evaluate: Callable[[Mapping[str, Any], CompanyFacts, date], Evaluation]
    params: Mapping[str, Callable[[Any], bool]]  # name -> validator
    placeholders: frozenset[str]
    outcomes: tuple[str, ...] = ("pass", "fail", "needs_judgement")
    eligibility: bool = True


def _nonneg_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _ratio(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1


def _division_range(v: Any) -> bool:
    return (isinstance(v, list) and len(v) == 2 and all(_nonneg_int(x) for x in v) and v[0] <= v[1])


def _points_table(v: Any) -> bool:
    return isinstance(v, dict) and all(isinstance(k, str) and _nonneg_int(x) for k, x in v.items())


KINDS: dict[str, Kind] = {
    "company_valid": Kind(_company_valid, {}, frozenset({"status"})),
    "min_ai_staff": Kind(_min_ai_staff, {"min": _nonneg_int}, frozenset({"ai_staff", "min"})),
    "min_rnd_ratio": Kind(_min_rnd_ratio, {"min_ratio": _ratio}, frozenset({"ratio_pct", "min_pct"})),
    "published_solution_with_manufacturing_reference": Kind(
        _manufacturing_reference, {"min_cases": _nonneg_int, "manufacturing_divisions": _division_range},
        frozenset({"count", "min_cases", "unclear"})),
    "no_recent_revocation": Kind(_no_recent_revocation, {"years": _nonneg_int},
                                 frozenset({"years", "last_revoked"})),
    "tips_points": Kind(_tips_points, {"points": _points_table}, frozenset({"stage", "points"}),
                        outcomes=("pass",), eligibility=False),
}


# Loading -------------------------------------------------------------------------------------------

def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _bilingual(value: Any, where: str, problems: list[str]) -> tuple[str, str]:
    if not isinstance(value, dict) or not all(isinstance(value.get(k), str) and value[k].strip()
                                              for k in ("ko", "en")):
        problems.append(f"{where}: needs non-empty 'ko' and 'en' text")
        return "", ""
    return value["ko"], value["en"]


def _criterion(raw: Any, where: str, problems: list[str]) -> Criterion | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be a mapping")
        return None
    code, kind_name = raw.get("code"), raw.get("kind")
    if not isinstance(code, str) or not code:
        problems.append(f"{where}: 'code' is required")
    where = f"{where} ({code})"
    kind = KINDS.get(kind_name) if isinstance(kind_name, str) else None
    if kind is None:
        problems.append(f"{where}: unknown kind {kind_name!r}; known: {', '.join(sorted(KINDS))}")
        return None
    params = raw.get("params") or {}
    if not isinstance(params, dict):
        problems.append(f"{where}: 'params' must be a mapping")
        params = {}
    for name, valid in kind.params.items():
        if name not in params:
            problems.append(f"{where}: missing param '{name}'")
        elif not valid(params[name]):
            problems.append(f"{where}: param '{name}' has an invalid value {params[name]!r}")
    for extra in sorted(set(params) - set(kind.params)):
        problems.append(f"{where}: unknown param '{extra}'")
    label = _bilingual(raw.get("label"), f"{where} label", problems)
    reasons_raw: dict[str, Any] = raw["reasons"] if isinstance(raw.get("reasons"), dict) else {}
    reasons: dict[str, tuple[str, str]] = {}
    for outcome in kind.outcomes:
        ko, en = _bilingual(reasons_raw.get(outcome), f"{where} reasons.{outcome}", problems)
        for text in (ko, en):
            unknown = _placeholders(text) - kind.placeholders
            if unknown:
                problems.append(f"{where} reasons.{outcome}: unknown placeholder(s) {sorted(unknown)}")
        reasons[outcome] = (ko, en)
    for extra in sorted(set(reasons_raw) - set(kind.outcomes)):
        problems.append(f"{where}: reason for outcome '{extra}' is never used by kind {kind_name}")
    return Criterion(code or "", kind_name, label[0], label[1], dict(params), reasons)  # type: ignore[arg-type]


def parse_criteria(data: Any, source: str = "<criteria>", digest: str = "") -> CriteriaSet:
    """Validate a parsed criteria document; CriteriaFileInvalid lists every problem found."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise CriteriaFileInvalid(source, ["the document must be a mapping"])
    version = data.get("version")
    if not isinstance(version, str) or not version:
        problems.append("'version' is required")
    effective = data.get("effective_from")
    if isinstance(effective, str):
        try:
            effective = date.fromisoformat(effective)
        except ValueError:
            pass
    if not isinstance(effective, date):
        problems.append("'effective_from' must be a date (YYYY-MM-DD)")
    title = _bilingual(data.get("title"), "title", problems)
    raw_criteria = data.get("criteria")
    criteria: list[Criterion] = []
    if not isinstance(raw_criteria, list) or not raw_criteria:
        problems.append("'criteria' must be a non-empty list")
    else:
        for i, raw in enumerate(raw_criteria):
            c = _criterion(raw, f"criteria[{i}]", problems)
            if c is not None:
                criteria.append(c)
    codes = [c.code for c in criteria]
    for dup in sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(f"duplicate criterion code '{dup}'")
    if problems:
        raise CriteriaFileInvalid(source, problems)
    return CriteriaSet(version, effective, title[0], title[1], tuple(criteria), digest)  # type: ignore[arg-type]


def load_criteria(path: str | Path) -> CriteriaSet:
    path = Path(path)
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise CriteriaFileInvalid(path.name, [f"not valid YAML: {exc}"]) from exc
    return parse_criteria(data, path.name, hashlib.sha256(raw).hexdigest())


def builtin_criteria(version: str = "v1") -> CriteriaSet:
    """A version shipped in certification/data, e.g. to re-check an application screened with it."""
    return load_criteria(DATA_DIR / f"criteria-{version}.yaml")


def active_criteria(sets: Iterable[CriteriaSet], on: date) -> CriteriaSet:
    """The one version in force on a date: the latest effective_from not after it."""
    candidates = [s for s in sets if s.effective_from <= on]
    if not candidates:
        raise LookupError(f"no criteria version is in force on {on.isoformat()}")
    return max(candidates, key=lambda s: s.effective_from)


# Evaluation ----------------------------------------------------------------------------------------

# the codes a criterion's values hold, as its Korean reason says them (the English reason keeps the codes)
_VALUE_KO = {"stage": {"none": "없음", "recommended": "추천", "selected": "선정", "funded": "투자 유치",
                       "graduated": "졸업"},
             "status": {"active": "계속사업자", "suspended": "휴업", "closed": "폐업", "unknown": "확인 불가",
                        "not_checked": "확인 안 함"}}
_VALUE_EN = {"status": {"not_checked": "not checked"}}


def _shown_ko(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in values.items():
        if v is None:
            out[k] = "?"
        elif k in _VALUE_KO:
            out[k] = _VALUE_KO[k].get(str(v), v)
        elif isinstance(v, str) and len(v) == 10 and v[4:5] == "-" and v[7:8] == "-":  # an ISO day
            out[k] = date_ko(v)
        else:
            out[k] = v
    return out


def evaluate(criteria: CriteriaSet, facts: CompanyFacts, *, as_of: date) -> ScreeningResult:
    results: list[CriterionResult] = []
    for c in criteria.criteria:
        outcome, values, points = KINDS[c.kind].evaluate(c.params, facts, as_of)
        shown = {k: ("?" if v is None else _VALUE_EN.get(k, {}).get(str(v), v)) for k, v in values.items()}
        ko, en = c.reasons[outcome.value]
        results.append(CriterionResult(c.code, outcome, ko.format_map(_shown_ko(values)), en.format_map(shown),
                                       points))
    eligibility = [r.outcome for r, c in zip(results, criteria.criteria, strict=True)
                   if c.affects_eligibility]
    overall = (Outcome.fail if Outcome.fail in eligibility
               else Outcome.needs_judgement if Outcome.needs_judgement in eligibility
               else Outcome.pass_)
    return ScreeningResult(criteria.version, criteria.digest, overall, tuple(results),
                           sum(r.points for r in results))
