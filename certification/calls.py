"""Calls for applications (공고): an admin opens a call with its window, criteria version, rubric and optional
quotas by field; initial applications name their call and are submitted only while it is open.

When a call is required: once the registry has any call, every initial application must name an open
one (a registry that never published a call, such as one carried over from an earlier register, keeps
taking applications as before). Renewals never need a call: they follow the certificate's own window.
A quota counts applications submitted in the call for that field (withdrawn ones give their place back);
submissions lock the call's row, so the last place is taken once.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from certification import audit_log, criteria_store
from certification.call_models import Call
from certification.models import Application
from certification.panel import DATA_DIR
from core import clock
from core.errors import Conflict, Invalid, NotFound
from core.korean import datetime_ko, josa, quoted
from core.principal import Principal
from registry.reference import CATEGORY_LABELS

STATUS_KO = {"scheduled": "접수 예정", "open": "접수 중", "closed": "마감"}
EDITABLE_WHILE_OPEN = frozenset({"title_ko", "title_en", "summary_ko", "closes_at", "quotas"})


class CallNotOpen(Conflict):
    title_ko = "접수 중인 공고가 아닙니다"
    title_en = "The call is not open"


class CallRequired(Invalid):
    title_ko = "공고를 지정해야 합니다"
    title_en = "The application must name an open call"


class QuotaFull(Conflict):
    title_ko = "분야별 접수 한도에 이르렀습니다"
    title_en = "The call's quota for this field is full"


def status(call: Call, now: datetime | None = None) -> str:
    now = now or clock.now()
    if call.closed_at is not None or now >= call.closes_at:
        return "closed"
    return "scheduled" if now < call.opens_at else "open"


def _field_ko(code: str) -> str:
    return CATEGORY_LABELS[code][0] if code in CATEGORY_LABELS else quoted(code)


def _not_found(call_id: str) -> NotFound:
    return NotFound(f"공고 {josa(quoted(call_id), '를')} 찾을 수 없습니다.", f"Call {call_id} was not found.")


def get(session: Session, call_id: str, *, lock: bool = False) -> Call:
    stmt = select(Call).where(Call.id == call_id)
    call = session.scalars(stmt.with_for_update() if lock else stmt).one_or_none()
    if call is None:
        raise _not_found(call_id)
    return call


def listed(session: Session, state: str | None) -> list[Call]:
    """Calls by opening date, newest first; `state` open, scheduled or closed (None: all)."""
    rows = list(session.scalars(select(Call).order_by(Call.opens_at.desc(), Call.id)))
    now = clock.now()
    return [c for c in rows if state is None or status(c, now) == state]


# ---- validation ------------------------------------------------------------------------------------
def _check_rubric(version: str) -> None:
    if not re.fullmatch(r"v\d{1,4}", version) or not (DATA_DIR / f"rubric-{version}.yaml").exists():
        known = sorted(p.stem.removeprefix("rubric-") for p in DATA_DIR.glob("rubric-*.yaml"))
        raise Invalid(f"심사 기준표 버전 {josa(quoted(version), '이')} 없습니다 (가능한 버전: {', '.join(known)}).",
                      f"Unknown rubric version {version!r} (known: {', '.join(known)}).",
                      errors=[{"pointer": "#/rubric_version", "detail": f"one of {', '.join(known)}"}])


def _check_criteria(session: Session, version: str) -> None:
    criteria_store.in_force(session, clock.now().date())  # makes sure the built-in version is there
    if criteria_store.by_version(session, version) is None:
        known = [c.version for c in criteria_store.all_versions(session)]
        raise Invalid(f"자격 기준 버전 {josa(quoted(version), '이')} 없습니다 (가능한 버전: {', '.join(known)}).",
                      f"Unknown criteria version {version!r} (known: {', '.join(known)}).",
                      errors=[{"pointer": "#/criteria_version", "detail": f"one of {', '.join(known)}"}])


def _normal(quotas: dict[Any, Any] | None) -> dict[str, int]:
    return {str(getattr(k, "value", k)): int(v) for k, v in (quotas or {}).items()}


def _check_quotas(quotas: dict[str, int]) -> None:
    unknown = [k for k in quotas if k not in CATEGORY_LABELS]
    if unknown:
        raise Invalid(f"분야 코드 {', '.join(quoted(k) for k in unknown)}는 없는 분야입니다.",
                      f"Unknown fields in quotas: {', '.join(unknown)}.",
                      errors=[{"pointer": f"#/quotas/{k}", "detail": "unknown category"} for k in unknown])


def _check_window(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise Invalid("마감 시각은 접수 시작 시각보다 뒤여야 합니다.", "closes_at must be after opens_at.",
                      errors=[{"pointer": "#/closes_at", "detail": "after opens_at"}])


def _payload(call: Call) -> dict[str, Any]:
    return {"title_ko": call.title_ko, "opens_at": call.opens_at.isoformat(), "closes_at": call.closes_at.isoformat(),
            "criteria_version": call.criteria_version, "rubric_version": call.rubric_version,
            "quotas": dict(call.quotas or {})}


def _audit(session: Session, call: Call, p: Principal, action: str, before: str | None,
           reason: str | None = None) -> None:
    audit_log.append(session, actor=p, subject_type="call", subject_id=call.id, action=action,
                     from_state=before, to_state=status(call), reason=reason, payload=_payload(call))


# ---- admin -----------------------------------------------------------------------------------------
def open_call(session: Session, *, data: dict[str, Any], p: Principal) -> Call:
    """Publish a call (its window may start now or later)."""
    _check_window(data["opens_at"], data["closes_at"])
    if data["closes_at"] <= clock.now():
        raise Invalid("마감 시각이 이미 지났습니다.", "closes_at is in the past.",
                      errors=[{"pointer": "#/closes_at", "detail": "in the future"}])
    _check_criteria(session, data["criteria_version"])
    _check_rubric(data["rubric_version"])
    data = {**data, "quotas": _normal(data.get("quotas"))}
    _check_quotas(data["quotas"])
    call = Call(**data, created_by=p.sub)
    session.add(call)
    session.flush()
    _audit(session, call, p, "open_call", None)
    return call


def update(session: Session, *, call: Call, changes: dict[str, Any], p: Principal) -> Call:
    """Edit a call: anything before it opens; while open only its texts, closing time and quotas (the
    criteria and rubric applications are screened and scored on stay fixed); a closed call not at all."""
    before = status(call)
    nulls = [k for k in ("title_ko", "opens_at", "closes_at", "criteria_version", "rubric_version")
             if k in changes and changes[k] is None]
    if nulls:
        raise Invalid("제목, 접수 시작·마감 시각, 자격 기준과 심사 기준표 버전은 비울 수 없습니다.",
                      f"{', '.join(nulls)} cannot be null.",
                      errors=[{"pointer": f"#/{k}", "detail": "not null"} for k in nulls])
    if before == "closed":
        raise CallNotOpen("마감된 공고는 수정할 수 없습니다.", "A closed call cannot be edited.", call_status=before)
    if before == "open":
        fixed = sorted(set(changes) - EDITABLE_WHILE_OPEN)
        if fixed:
            raise Conflict("접수 중인 공고는 제목·안내·마감 시각·분야별 한도만 바꿀 수 있습니다.",
                           f"While a call is open only {', '.join(sorted(EDITABLE_WHILE_OPEN))} may change; "
                           f"not {', '.join(fixed)}.", call_status=before, fields=fixed)
    opens_at, closes_at = changes.get("opens_at", call.opens_at), changes.get("closes_at", call.closes_at)
    _check_window(opens_at, closes_at)
    if "closes_at" in changes and closes_at <= clock.now():
        raise Invalid("마감 시각을 지난 시각으로 바꿀 수 없습니다. 지금 마감하려면 마감 요청을 보내세요.",
                      "closes_at cannot move into the past; close the call instead.",
                      errors=[{"pointer": "#/closes_at", "detail": "in the future"}])
    if "criteria_version" in changes:
        _check_criteria(session, changes["criteria_version"])
    if "rubric_version" in changes:
        _check_rubric(changes["rubric_version"])
    if "quotas" in changes:
        quotas = _normal(changes["quotas"])
        _check_quotas(quotas)
        taken = counts(session, call)
        below = [k for k, n in quotas.items() if taken.get(k, 0) > n]
        if below:
            names = ", ".join(_field_ko(k) for k in below)
            raise Conflict(f"이미 접수된 신청 수보다 한도를 낮출 수 없습니다: {names}.",
                           f"A quota cannot go below the applications already submitted: {', '.join(below)}.",
                           fields=below)
        changes = {**changes, "quotas": quotas}
    for key, value in changes.items():
        setattr(call, key, value)
    session.flush()
    _audit(session, call, p, "update_call", before)
    return call


def close(session: Session, *, call: Call, p: Principal, reason: str) -> Call:
    """Close a call before its closing time (submissions stop at once)."""
    before = status(call)
    if before == "closed":
        raise CallNotOpen("이미 마감된 공고입니다.", "The call is already closed.", call_status=before)
    call.closed_at, call.close_reason = clock.now(), reason
    session.flush()
    _audit(session, call, p, "close_call", before, reason)
    return call


def counts(session: Session, call: Call) -> dict[str, int]:
    """Applications submitted in the call per field (not drafts, not withdrawn)."""
    rows = session.execute(select(Application.call_field, func.count()).where(
        Application.call_id == call.id, Application.submitted_at.is_not(None),
        Application.state != "withdrawn").group_by(Application.call_field)).all()
    return {str(f): int(n) for f, n in rows if f is not None}


# ---- applications ----------------------------------------------------------------------------------
def required(session: Session) -> bool:
    return session.scalar(select(Call.id).limit(1)) is not None


def for_draft(session: Session, *, call_id: str | None, field: str | None,
              kind: str) -> tuple[str | None, str | None]:
    """The call and field a new draft names, checked: the call exists and is not closed, the field is one
    of its quotas when it has quotas."""
    if kind == "renewal":
        if call_id is not None:
            raise Invalid("갱신 신청은 공고 없이 지정서의 갱신 기간에 합니다.", "A renewal names no call.",
                          errors=[{"pointer": "#/call_id", "detail": "not for renewals"}])
        return None, None
    if call_id is None:
        if required(session):
            raise CallRequired("지정 신청은 접수 중인 공고를 지정해야 합니다 (공개 공고 목록: /v1/public/calls).",
                               "An application must name an open call (see /v1/public/calls).",
                               errors=[{"pointer": "#/call_id", "detail": "required"}])
        return None, None
    call = session.get(Call, call_id)
    if call is None:
        raise _not_found(call_id)
    if status(call) == "closed":
        raise CallNotOpen(f"공고 {josa(quoted(call.title_ko), '은')} 마감되었습니다.", "The call is closed.",
                          call_id=call.id, call_status="closed")
    _check_field(call, field)
    return call.id, field


def _check_field(call: Call, field: str | None) -> None:
    quotas = call.quotas or {}
    if quotas and field not in quotas:
        fields = ", ".join(_field_ko(k) for k in quotas)
        raise Invalid(f"이 공고는 분야별로 접수합니다. 신청 분야를 지정해 주세요 (가능한 분야: {fields}).",
                      f"This call takes applications by field: name one of {', '.join(quotas)}.",
                      errors=[{"pointer": "#/field", "detail": f"one of {', '.join(quotas)}"}])
    if field is not None and field not in CATEGORY_LABELS:
        raise Invalid(f"분야 코드 {josa(quoted(field), '은')} 없는 분야입니다.", f"Unknown field {field!r}.",
                      errors=[{"pointer": "#/field", "detail": "unknown category"}])


def check_submission(session: Session, app: Application) -> Call | None:
    """Before a submission: the named call is open and its field has a place left (the call's row is
    locked, so concurrent submissions take the last place once). An initial application without a call
    is refused once the registry has calls. Renewals and scope changes of a live certificate take no call."""
    if app.kind in ("renewal", "scope_change"):
        return None
    if app.call_id is None:
        if required(session):
            raise CallRequired("공고를 지정하지 않은 신청은 제출할 수 없습니다. 이 신청을 철회하고 접수 중인 공고로 "
                               "다시 신청해 주세요.",
                               "An application that names no call cannot be submitted: withdraw it and apply to "
                               "an open call.")
        return None
    call = get(session, app.call_id, lock=True)
    now = clock.now()
    state = status(call, now)
    if state != "open":
        when_ko = (f"접수는 {datetime_ko(call.opens_at)}에 시작합니다" if state == "scheduled"
                   else f"접수는 {datetime_ko(call.closed_at or call.closes_at)}에 마감되었습니다")
        raise CallNotOpen(f"공고 {josa(quoted(call.title_ko), '은')} 지금 접수 중이 아닙니다. {when_ko}.",
                          f"The call is not open ({state}): it opens at {call.opens_at.isoformat()} and closes at "
                          f"{(call.closed_at or call.closes_at).isoformat()}.",
                          call_id=call.id, call_status=state, opens_at=call.opens_at.isoformat(),
                          closes_at=(call.closed_at or call.closes_at).isoformat())
    quota = (call.quotas or {}).get(app.call_field or "")
    if quota is not None and counts(session, call).get(app.call_field or "", 0) >= int(quota):
        raise QuotaFull(f"{_field_ko(app.call_field or '')} 분야의 접수 한도({quota}건)가 찼습니다.",
                        f"The quota of {quota} applications for {app.call_field} is full.",
                        field=app.call_field, quota=int(quota))
    return call


def criteria_version(session: Session, app: Application) -> str | None:
    """The criteria version an application is screened on: its call's (None: the one in force)."""
    if app.call_id is None:
        return None
    call = session.get(Call, app.call_id)
    return call.criteria_version if call else None


def rubric_version(session: Session, app: Application) -> str:
    call = session.get(Call, app.call_id) if app.call_id else None
    return call.rubric_version if call else "v1"
