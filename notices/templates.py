"""Korean-first notice texts with English: one function per kind, pure (dates shown in KST, words the
user typed quoted back, never an internal code inside Korean)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.korean import date_ko, josa, kst

BRAND_KO, BRAND_EN = "[AX 레지스트리]", "[AX Registry]"
SIGN_KO = "이 알림은 AX 레지스트리가 자동으로 보냈습니다."
SIGN_EN = "This notice was sent automatically by the AX Registry."


@dataclass(frozen=True)
class Text:
    kind: str
    subject_ko: str
    subject_en: str
    body_ko: str
    body_en: str


def _day_en(value: date | datetime) -> str:
    return (kst(value).date() if isinstance(value, datetime) else value).isoformat()


def _said(value: str | None) -> str:
    return f"“{value}”" if value else "(없음)"


def _said_en(value: str | None) -> str:
    return f"“{value}”" if value else "(none)"


def supplement_requested(company: str, message: str) -> Text:
    return Text("supplement_requested",
                f"{BRAND_KO} 지정 신청 보완 요청", f"{BRAND_EN} Supplement requested",
                f"{company}의 지정 신청에 대해 심사위원이 보완을 요청했습니다.\n요청 내용: {_said(message)}\n"
                "보완 자료를 첨부해 답변하면 심사가 이어집니다.",
                f"A reviewer asked {company} to supplement its designation application.\n"
                f"Request: {_said_en(message)}\nAnswer with the supplementing documents and the review resumes.")


def screening(company: str, passed: bool, failed_codes: list[str]) -> Text:
    if passed:
        return Text("screening_result",
                    f"{BRAND_KO} 자격 요건 검토 통과", f"{BRAND_EN} Eligibility screening passed",
                    f"{company}의 지정 신청이 자격 요건 검토를 통과했습니다. 이제 심사위원 심사가 진행됩니다.",
                    f"{company}'s designation application passed eligibility screening; the panel review follows.")
    codes = ", ".join(failed_codes)
    return Text("screening_result",
                f"{BRAND_KO} 자격 요건 미충족", f"{BRAND_EN} Eligibility screening not passed",
                f"{company}의 지정 신청이 자격 요건을 충족하지 못했습니다. 충족하지 못한 기준: {codes}.\n"
                "요건을 갖춘 뒤 다시 신청할 수 있습니다.",
                f"{company}'s designation application did not meet the eligibility criteria: {codes}.\n"
                "You may apply again once they are met.")


def decision(company: str, approved: bool, reason: str | None, number: str | None,
             valid_from: date | datetime | None,
             valid_until: date | datetime | None) -> Text:
    if approved and number and valid_from and valid_until:
        return Text("decision",
                    f"{BRAND_KO} 지정 승인 (지정서 {number})", f"{BRAND_EN} Designation approved ({number})",
                    f"{company}의 지정 신청이 승인되었습니다. 지정서 번호는 {number}, "
                    f"유효기간은 {date_ko(valid_from)}부터 {date_ko(valid_until)}까지입니다.",
                    f"{company}'s designation application was approved. Certificate {number} is valid from "
                    f"{_day_en(valid_from)} to {_day_en(valid_until)}.")
    return Text("decision",
                f"{BRAND_KO} 지정 신청 반려", f"{BRAND_EN} Designation application rejected",
                f"{company}의 지정 신청이 반려되었습니다.\n사유: {_said(reason)}",
                f"{company}'s designation application was rejected.\nReason: {_said_en(reason)}")


def certificate_status(company: str, number: str, action: str, reason: str | None, when: datetime) -> Text:
    if action == "suspend":
        ko, en, kind = "정지", "suspended", "suspension"
    elif action == "revoke":
        ko, en, kind = "취소", "revoked", "revocation"
    else:
        ko, en, kind = "회복", "reinstated", "reinstatement"
    tail_ko = "정지 기간에는 지정 효력이 없습니다." if action == "suspend" else (
        "지정 효력이 없습니다." if action == "revoke" else "지정 효력이 다시 생겼습니다.")
    return Text(kind,
                f"{BRAND_KO} 지정 {ko} (지정서 {number})", f"{BRAND_EN} Designation {en} ({number})",
                f"{company}의 지정서 {josa(number, '이')} {date_ko(when)}에 {ko}되었습니다. {tail_ko}\n"
                f"사유: {_said(reason)}",
                f"{company}'s certificate {number} was {en} on {_day_en(when)}.\n"
                f"Reason: {_said_en(reason)}")


def renewal(company: str, number: str, valid_until: date | datetime, days: int) -> Text:
    if days >= 90:
        return Text("renewal_window",
                    f"{BRAND_KO} 지정 갱신 신청 기간 시작", f"{BRAND_EN} Renewal window open",
                    f"{company}의 지정서 {number}의 유효기간이 {date_ko(valid_until)}에 끝납니다. "
                    "만료 90일 전인 지금부터 갱신을 신청할 수 있습니다.",
                    f"{company}'s certificate {number} expires on {_day_en(valid_until)}. "
                    "From today, 90 days before expiry, you may apply for renewal.")
    return Text("renewal_reminder",
                f"{BRAND_KO} 지정 만료 30일 전 안내", f"{BRAND_EN} Designation expires in 30 days",
                f"{company}의 지정서 {number}의 유효기간이 {date_ko(valid_until)}에 끝납니다. "
                "만료까지 30일 남았습니다. 갱신 신청이 승인되지 않으면 만료일 다음 날부터 지정 효력이 없습니다.",
                f"{company}'s certificate {number} expires on {_day_en(valid_until)}, in 30 days. Unless a "
                "renewal is approved, the designation is not in force after that date.")


def report_due(company: str, number: str, due: date, year: int) -> Text:
    return Text("report_due",
                f"{BRAND_KO} 연간 실적 보고 기한 안내", f"{BRAND_EN} Annual performance report due",
                f"{company}의 지정 {year}년 차 실적 보고(도입 실적, 제조 AI 매출, 인력) 기한은 "
                f"{date_ko(due)}입니다. 기한까지 증빙과 함께 제출해 주세요.",
                f"{company}'s annual performance report for year {year} of its designation (deployments, "
                f"manufacturing AI revenue, staff) is due on {_day_en(due)}, with evidence.")


def appeal_outcome(company: str, upheld: bool, subject: str, decided_on: date | datetime, reason: str | None) -> Text:
    """`subject` is "application" (a rejection) or "certificate" (a suspension or revocation)."""
    what_ko = "지정 신청 반려" if subject == "application" else "지정서 정지·취소 처분"
    what_en = "the rejection of its application" if subject == "application" else \
        "the suspension or revocation of its certificate"
    if upheld:
        then_ko = ("반려 결정이 취소되어 신청이 새 심사위원단의 심사로 다시 진행됩니다." if subject == "application"
                   else "처분이 취소되어 지정 효력이 회복되었습니다.")
        then_en = ("The rejection is set aside and a new panel reviews the application." if subject == "application"
                   else "The decision is set aside and the designation is in force again.")
        return Text("appeal_outcome",
                    f"{BRAND_KO} 이의신청 인용", f"{BRAND_EN} Appeal upheld",
                    f"{company}의 {what_ko}({date_ko(decided_on)} 결정)에 대한 이의신청이 인용되었습니다. {then_ko}\n"
                    f"사유: {_said(reason)}",
                    f"{company}'s appeal against {what_en} (decided on {_day_en(decided_on)}) was upheld. "
                    f"{then_en}\nReason: {_said_en(reason)}")
    return Text("appeal_outcome",
                f"{BRAND_KO} 이의신청 기각", f"{BRAND_EN} Appeal dismissed",
                f"{company}의 {what_ko}({date_ko(decided_on)} 결정)에 대한 이의신청이 기각되었습니다. "
                f"원 결정이 그대로 유지됩니다.\n사유: {_said(reason)}",
                f"{company}'s appeal against {what_en} (decided on {_day_en(decided_on)}) was dismissed; the "
                f"decision stands.\nReason: {_said_en(reason)}")
