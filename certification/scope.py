"""Designation scope: the fields (solution categories) a certificate covers, decided by the panel from the
application, and the check search and matching make on every query: a solution counts as designated only
when an active certificate of its supplier covers its category.

Who decides what: the supplier may name the fields it applies for (`requested_scope`; when it names none,
the categories of the solutions it had published at submission, as frozen in the application's facts);
the approving reviewer decides the scope within those fields (the decision's `scope`; when it names none,
all of them). A supplier extends its scope with a `scope_change` application, reviewed like any other;
its approval adds the granted fields to the live certificate (same number, same period).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, bindparam, exists, func, literal, literal_column, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from certification.models import Application, Certificate
from core import clock
from core.db import core_reader
from core.errors import Invalid
from registry.models import Solution
from registry.reference import CATEGORY_LABELS

Pair = tuple[str, str]  # (company id, category code)


def names_ko(codes: Iterable[str]) -> str:
    """The fields as a Korean sentence names them: '비전 검사, 예지보전'."""
    return ", ".join(CATEGORY_LABELS[c][0] for c in codes if c in CATEGORY_LABELS)


def describe(codes: Iterable[str]) -> list[dict[str, str]]:
    """Each field with its Korean and English name, for the API and the public verification."""
    return [{"code": c, "name_ko": CATEGORY_LABELS[c][0], "name_en": CATEGORY_LABELS[c][1]}
            for c in codes if c in CATEGORY_LABELS]


def normalise(codes: Iterable[str]) -> list[str]:
    return sorted(set(codes))


class ScopeInvalid(Invalid):
    title_ko = "지정 분야가 올바르지 않습니다"
    title_en = "Invalid designation scope"


def applied_for(session: Session, app: Application) -> list[str]:
    """The fields the application asks for: the supplier's named ones, else the categories of the
    solutions it had published at submission (frozen facts; a snapshot older than scopes lacks the
    category, which is then read from the solution)."""
    if app.requested_scope:
        return normalise(app.requested_scope)
    frozen = [s for s in (app.facts or {}).get("solutions", []) if s.get("status") == "published"]
    cats = {s["category"] for s in frozen if s.get("category")}
    missing = [s["id"] for s in frozen if not s.get("category")]
    if missing:
        cats |= set(session.scalars(select(Solution.category).where(Solution.id.in_(missing))))
    return normalise(cats)


def decided(session: Session, app: Application, chosen: Sequence[str] | None) -> list[str]:
    """The scope an approval grants: the reviewer's choice, which must lie within the fields applied
    for (422 naming the others), or all of them when the reviewer names none."""
    asked = applied_for(session, app)
    if chosen is None:
        if not asked:
            raise ScopeInvalid("신청한 분야가 없습니다. 승인할 지정 분야(scope)를 정해 주세요.",
                               "The application names no field: state the scope to approve.")
        return asked
    scope = normalise(chosen)
    outside = [c for c in scope if c not in asked]
    if outside:
        raise ScopeInvalid(
            f"신청하지 않은 분야는 지정할 수 없습니다: {names_ko(outside)} (신청 분야: {names_ko(asked) or '없음'})",
            f"Fields not applied for cannot be granted: {', '.join(outside)} (applied for: {', '.join(asked)})",
            errors=[{"pointer": "#/scope", "detail": f"not applied for: {', '.join(outside)}"}])
    return scope


def extended(cert: Certificate, granted: Sequence[str]) -> list[str]:
    """A live certificate's scope after a scope change grants `granted`."""
    return normalise([*cert.scope, *granted])


# ---- the query-time check ----------------------------------------------------------------------------
# Built once: every search and match asks it, with the suppliers of the results about to be shown.
_LIVE_SCOPES = select(Certificate.company_id, Certificate.scope).where(
    Certificate.status == "active", Certificate.valid_until > bindparam("now"),
    Certificate.company_id.in_(bindparam("ids", expanding=True)))


def designated_pairs(session: Session, pairs: Iterable[Pair]) -> set[Pair]:
    """The (company, category) pairs among `pairs` that an active certificate covers at this moment:
    one indexed query for all the suppliers asked about, never one per candidate."""
    wanted = set(pairs)
    ids = sorted({c for c, _ in wanted})
    if not ids:
        return set()
    rows = core_reader(session).execute(_LIVE_SCOPES, {"now": clock.now(), "ids": ids}).all()
    covered: dict[str, set[Any]] = {}
    for company_id, scope in rows:
        covered.setdefault(company_id, set()).update(scope or ())
    return {(c, cat) for c, cat in wanted if cat in covered.get(c, ())}


def covers(session: Session, category: str) -> ColumnElement[bool]:
    """SQL: the certificate's scope holds `category` (the public directory's field filter)."""
    if session.get_bind().dialect.name == "postgresql":
        return Certificate.scope.op("@>")(literal([category], JSONB))  # type: ignore[no-any-return]
    return exists(select(literal_column("1")).select_from(func.json_each(Certificate.scope))
                  .where(literal_column("value") == category))


def of_company_solutions(session: Session, company_id: str) -> list[str]:
    """The categories of a company's published solutions (imports and the migration's backfill)."""
    return normalise(session.scalars(select(Solution.category).where(
        Solution.company_id == company_id, Solution.status == "published")))
