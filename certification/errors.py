"""Errors of the certification domain, each with a stable problem type URI and bilingual text."""

from __future__ import annotations

from collections.abc import Iterable

from core.errors import PROBLEM_BASE, AppError, Conflict, Forbidden, Invalid
from core.korean import datetime_ko, josa

__all__ = [
    "AppError",
    "BelowPassMark",
    "CertificateNumberInvalid",
    "ConflictOfInterest",
    "CriteriaFileInvalid",
    "DeclarationRequired",
    "ForbiddenTransition",
    "FourEyesViolation",
    "IllegalTransition",
    "InvalidProofRequest",
    "InvalidScores",
    "NotEnoughReviewers",
    "QuorumNotMet",
    "ReasonRequired",
    "RenewalNotOpen",
]

# States, actions and roles of the state machines (certification/, programme/lifecycle.py) in Korean sentences
STATE_KO = {"draft": "작성 중", "submitted": "제출", "screening": "요건 검토", "under_review": "심사 중",
            "supplement_requested": "보완 요청", "resubmitted": "보완 제출", "approved": "승인", "rejected": "반려",
            "withdrawn": "철회", "active": "유효", "suspended": "효력 정지", "revoked": "지정 취소",
            "expired": "기간 만료", "planned": "계획", "contracted": "계약", "in_progress": "진행 중",
            "completed": "완료", "cancelled": "취소", "candidate": "후보", "selected": "선정", "dropped": "제외",
            "graduated": "졸업", "upheld": "인용", "dismissed": "기각",
            "accepted": "완료 승인"}
ACTION_KO = {"submit": "제출", "start_screening": "요건 검토 시작", "screen_pass": "요건 검토 통과",
             "screen_fail": "요건 검토 탈락", "assign_panel": "심사위원 배정", "request_supplement": "보완 요청",
             "resubmit": "보완 제출", "resume_review": "심사 재개", "approve": "승인", "reject": "반려",
             "withdraw": "철회", "suspend": "효력 정지", "reinstate": "효력 회복", "revoke": "지정 취소",
             "expire": "기간 만료 처리", "renew": "갱신", "contract": "계약", "cancel": "취소", "start": "착수",
             "complete": "완료 처리", "select": "선정", "drop": "제외", "graduate": "졸업 처리",
             "appeal_reopen": "이의신청 인용에 따른 재심사", "appeal_reinstate": "이의신청 인용에 따른 효력 회복",
             "uphold": "인용", "dismiss": "기각", "accept_completion": "완료 승인",
             "return_completion": "완료 반려"}
ROLE_KO = {"supplier": "공급기업", "sme": "수요기업", "reviewer": "심사위원", "admin": "관리자", "system": "시스템",
           "portal": "외부 포털", "consultant": "컨설턴트", "officer": "사업 담당자"}


class IllegalTransition(Conflict):
    """The action does not exist from the current state (409 with the actions that do)."""

    type = PROBLEM_BASE + "illegal-transition"
    title_ko = "현재 상태에서 할 수 없는 작업입니다"
    title_en = "This action is not allowed in the current state"

    def __init__(self, kind: str, state: str, action: str, allowed_actions: Iterable[str]) -> None:
        allowed = sorted(allowed_actions)
        self.kind, self.state, self.action, self.allowed_actions = kind, state, action, allowed
        super().__init__(
            f"{STATE_KO.get(state, state)} 상태에서는 {josa(ACTION_KO.get(action, action), '을')} 할 수 없습니다. "
            f"가능한 작업: {', '.join(ACTION_KO.get(a, a) for a in allowed) or '없음'}",
            f"'{action}' is not allowed from '{state}'. Allowed: {', '.join(allowed) or 'none'}",
            kind=kind, state=state, action=action, allowed_actions=allowed,
        )


class ForbiddenTransition(Forbidden):
    """The action exists from this state but the caller's role may not perform it."""

    type = PROBLEM_BASE + "forbidden-transition"
    title_ko = "이 작업을 할 권한이 없습니다"
    title_en = "Your role may not perform this action"

    def __init__(self, kind: str, state: str, action: str, role: str, allowed_roles: Iterable[str]) -> None:
        roles = sorted(allowed_roles)
        self.kind, self.state, self.action, self.role, self.allowed_roles = kind, state, action, role, roles
        super().__init__(
            f"{ROLE_KO.get(role, role)} 역할은 {josa(ACTION_KO.get(action, action), '을')} 할 수 없습니다",
            f"Role '{role}' may not '{action}'; allowed roles: {', '.join(roles)}",
            kind=kind, state=state, action=action, role=role, allowed_roles=roles,
        )


class ReasonRequired(Invalid):
    type = PROBLEM_BASE + "reason-required"
    title_ko = "사유를 입력해야 합니다"
    title_en = "A reason is required"

    def __init__(self, action: str) -> None:
        super().__init__(f"{ACTION_KO.get(action, action)} 작업에는 사유가 필요합니다", f"'{action}' needs a reason",
                         action=action)


class CriteriaFileInvalid(Invalid):
    """A criteria (or rubric) file that does not validate; `problems` lists every defect found."""

    type = PROBLEM_BASE + "criteria-invalid"
    title_ko = "심사 기준 파일이 올바르지 않습니다"
    title_en = "The criteria file is invalid"

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source, self.problems = source, problems
        text = "; ".join(problems)
        super().__init__(f"{source}: {text}", f"{source}: {text}", source=source, problems=problems)


class DeclarationRequired(Conflict):
    type = PROBLEM_BASE + "coi-declaration-required"
    title_ko = "이해충돌 신고 후에 평가할 수 있습니다"
    title_en = "Declare conflicts of interest before scoring"


# detected conflicts (certification/panel.py) as a Korean sentence says them; a declared one keeps its note
CONFLICT_KO = {"same_organisation": "신청 기관 소속입니다",
               "recorded_relation": "신청 기관과의 관계가 등록되어 있습니다",
               "declared": "본인이 이해충돌을 신고했습니다"}


class ConflictOfInterest(Forbidden):
    type = PROBLEM_BASE + "conflict-of-interest"
    title_ko = "이해충돌로 이 신청을 평가할 수 없습니다"
    title_en = "A conflict of interest excludes you from this application"

    def __init__(self, reviewer_id: str, reason: str) -> None:
        self.reviewer_id, self.reason = reviewer_id, reason
        super().__init__(f"이해충돌: {CONFLICT_KO.get(reason, reason)}", f"Conflict of interest: {reason}",
                         reviewer_id=reviewer_id, conflict=reason)


class NotEnoughReviewers(Conflict):
    type = PROBLEM_BASE + "not-enough-reviewers"
    title_ko = "이해충돌이 없는 심사위원이 부족합니다"
    title_en = "Not enough reviewers without a conflict of interest"

    def __init__(self, needed: int, available: int) -> None:
        super().__init__(f"필요 {needed}명, 가능 {available}명", f"need {needed}, have {available}",
                         needed=needed, available=available)


class InvalidScores(Invalid):
    type = PROBLEM_BASE + "invalid-scores"
    title_ko = "평가 점수가 올바르지 않습니다"
    title_en = "The scores are invalid"

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems), "; ".join(problems), problems=problems)


class QuorumNotMet(Conflict):
    type = PROBLEM_BASE + "quorum-not-met"
    title_ko = "제출된 평가가 정족수에 미달합니다"
    title_en = "Not enough submitted reviews to decide"

    def __init__(self, submitted: int, quorum: int) -> None:
        super().__init__(f"제출 {submitted}건, 정족수 {quorum}건", f"{submitted} submitted, quorum {quorum}",
                         submitted=submitted, quorum=quorum)


class BelowPassMark(Conflict):
    type = PROBLEM_BASE + "below-pass-mark"
    title_ko = "가중 평균 점수가 합격 기준에 미달하여 승인할 수 없습니다"
    title_en = "The weighted mean is below the pass mark; approval is not possible"

    def __init__(self, mean: str, pass_mark: str) -> None:
        super().__init__(f"평균 {mean} < 기준 {pass_mark}", f"mean {mean} < pass mark {pass_mark}",
                         mean=mean, pass_mark=pass_mark)


class FourEyesViolation(Forbidden):
    type = PROBLEM_BASE + "four-eyes"
    title_ko = "신청 기관과 관련된 사람은 결정할 수 없습니다"
    title_en = "Someone from or related to the applicant cannot decide"


class RenewalNotOpen(Conflict):
    type = PROBLEM_BASE + "renewal-not-open"
    title_ko = "갱신 신청 기간이 아닙니다"
    title_en = "Renewal is not open for this certificate"

    def __init__(self, opens_at: str, valid_until: str) -> None:
        super().__init__(f"갱신은 {datetime_ko(opens_at)}부터 {datetime_ko(valid_until)} 전까지 가능합니다",
                         f"renewal opens {opens_at} and closes at {valid_until}",
                         opens_at=opens_at, valid_until=valid_until)


class CertificateNumberInvalid(Invalid):
    type = PROBLEM_BASE + "certificate-number-invalid"
    title_ko = "지정번호 형식이나 검증 문자가 올바르지 않습니다"
    title_en = "The certificate number is malformed or its check character is wrong"


class InvalidProofRequest(Invalid):
    type = PROBLEM_BASE + "invalid-proof-request"
    title_ko = "증명 요청의 트리 크기나 위치가 올바르지 않습니다"
    title_en = "The tree size or index of the proof request is invalid"
