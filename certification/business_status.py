"""The business status a designation depends on (국세청 사업자 상태: 계속·휴업·폐업), from an outside
register: which register answers, what screening records when none did ("not checked", never "active"),
and a reviewer's manual confirmation of the status, which re-screens the frozen facts.

The register is an interface. The registry ships one implementation, `ManualConfirmation`: it never
answers by itself, so criterion E1 reads "확인 안 함 / not checked" until a seated reviewer (or an admin)
looks the company up (홈택스 사업자등록 상태조회) and records what they saw with a note. An adapter for
the NTS status API (data.go.kr 국세청_사업자등록정보 진위확인 및 상태조회) would implement `status()`
and be installed with `use()`; it needs a service key and network access, so none is built here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from certification import audit_log, criteria_store
from certification.models import Application, PanelSeat
from certification.rules import evaluate
from certification.snapshot import to_facts
from core import clock
from core.errors import Conflict, Forbidden
from core.principal import Principal

STATUSES = ("active", "suspended", "closed")  # 계속사업자, 휴업자, 폐업자
NOT_CHECKED = "not_checked"
ACTION = "confirm_business_status"
# while the panel is at work: a confirmation after a decision would change nothing
OPEN = ("under_review", "supplement_requested", "resubmitted")


@dataclass(frozen=True)
class RegisterAnswer:
    status: str  # one of STATUSES
    source: str  # the register's name ("manual" for a reviewer's confirmation)
    checked_at: str  # ISO time
    checked_by: str | None = None  # the reviewer, for a manual confirmation
    note: str | None = None  # what was looked at, for a manual confirmation

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class BusinessStatusRegister(Protocol):
    name: str

    def status(self, business_number: str) -> RegisterAnswer | None:
        """The status on record for a business number, or None when the register did not answer."""
        ...


class ManualConfirmation:
    """No automatic lookup: the status is what a reviewer confirms (`confirm`)."""

    name = "manual"

    def status(self, business_number: str) -> RegisterAnswer | None:
        return None


_register: BusinessStatusRegister = ManualConfirmation()


def use(register: BusinessStatusRegister) -> BusinessStatusRegister:
    """Install a register (an NTS adapter); returns the one it replaces."""
    global _register
    previous, _register = _register, register
    return previous


def at_screening(business_number: str) -> dict[str, Any]:
    """What screening records about the status: the register's answer, or "not checked"."""
    answer = _register.status(business_number)
    if answer is None or answer.status not in STATUSES:
        return {"status": NOT_CHECKED, "source": _register.name, "checked_at": None}
    return answer.to_dict()


def known_status(check: dict[str, Any] | None) -> str | None:
    """The status the eligibility rules may rely on: None when nobody checked."""
    status = (check or {}).get("status")
    return status if status in STATUSES else None


def confirm(session: Session, *, app: Application, p: Principal, status: str, note: str) -> Application:
    """A seated reviewer (or an admin) records the status they confirmed; the frozen facts are screened
    again with it (the same criteria version and screening day), so E1 says what was confirmed, by whom."""
    if p.role == "reviewer":
        seat = session.scalars(select(PanelSeat).where(PanelSeat.application_id == app.id,
                                                       PanelSeat.reviewer_sub == p.sub)).one_or_none()
        if seat is None or seat.removed:
            raise Forbidden("이 신청의 심사위원이 아닙니다.", "You are not on this application's panel.")
    elif p.role != "admin":
        raise Forbidden("사업자 상태는 심사위원이나 관리자가 확인합니다.",
                        "The business status is confirmed by a reviewer or an admin.")
    if app.state not in OPEN or app.screening is None or app.facts is None or app.criteria_version is None:
        raise Conflict("사업자 상태는 심사 중인 신청에만 확인해 기록할 수 있습니다.",
                       "The business status is recorded while the application is under review.", state=app.state)
    criteria = criteria_store.by_version(session, app.criteria_version)
    if criteria is None:  # a version on record is never deleted; guard rather than screen with another
        raise Conflict("이 신청의 자격 기준 버전을 찾을 수 없습니다.", "The application's criteria version is missing.")
    check = RegisterAnswer(status, "manual", clock.now().isoformat(), p.sub, note).to_dict()
    screened_at = str(app.screening.get("screened_at") or clock.now().isoformat())
    as_of = datetime.fromisoformat(screened_at).date() if "T" in screened_at else date.fromisoformat(screened_at)
    result = evaluate(criteria, to_facts(app.facts, business_status=status), as_of=as_of)
    app.screening = {**result.to_dict(), "screened_at": screened_at, "business_check": check}
    audit_log.append(session, actor=p, subject_type="application", subject_id=app.id, action=ACTION,
                     from_state=app.state, to_state=app.state, reason=note,
                     payload={"company_id": app.company_id, "kind": app.kind, "status": status, "source": "manual",
                              "outcome": result.outcome.value})
    session.flush()
    return app
