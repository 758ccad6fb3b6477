"""What a certificate's status means for someone relying on it, said plainly: whether the designation is
in force, since when it is not, why, and one sentence in Korean and English. Built from the latest audit
event (the one the public verification has just checked), not from editable columns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.korean import date_ko, kst


@dataclass(frozen=True)
class Standing:
    in_force: bool
    since: datetime | None  # when it stopped being in force (suspension, revocation, expiry)
    reason: str | None
    notice_ko: str | None
    notice_en: str | None


def standing(status: str, valid_until: datetime, latest_event: dict[str, Any]) -> Standing:
    """`latest_event` is the decoded entry of the certificate's latest audit event."""
    if status == "active":
        return Standing(True, None, None, None, None)
    if latest_event.get("action") == "appeal_dismissed":  # the decision stands: its date and reason still hold
        decision = (latest_event.get("payload") or {}).get("decision") or {}
        latest_event = {"to": status, "action": decision.get("action"), "at": decision.get("at"),
                        "reason": decision.get("reason")}
    moved = (latest_event.get("to") == status and latest_event.get("action") in ("suspend", "revoke", "expire")
             and bool(latest_event.get("at")))
    since = datetime.fromisoformat(latest_event["at"]) if moved else valid_until
    reason = latest_event.get("reason") if moved and status in ("suspended", "revoked") else None
    day_ko, day_en = date_ko(since), kst(since).date().isoformat()
    if status == "revoked":
        ko = f"이 지정서는 {day_ko}에 지정이 취소되어 지정 효력이 없습니다."
        en = f"This designation was revoked on {day_en} and is not in force."
    elif status == "suspended":
        ko = f"이 지정서는 {day_ko}부터 효력이 정지되어 현재 지정 효력이 없습니다."
        en = f"This designation has been suspended since {day_en} and is not in force."
    else:
        ko = f"이 지정서는 {day_ko}에 유효기간이 끝나 지정 효력이 없습니다."
        en = f"This designation expired on {day_en} and is not in force."
    return Standing(False, since, reason, ko, en)
