"""Errors of the programme domain: broken budget or stage rules, refused suppliers, conflicts."""

from __future__ import annotations

from core.errors import PROBLEM_BASE, Conflict, Forbidden, Invalid


class RuleViolation(Invalid):
    """One or more programme rules refuse the request; `reasons` lists each in Korean and English."""

    type = PROBLEM_BASE + "programme-rule"
    title_ko = "사업 규정에 맞지 않습니다"
    title_en = "The request breaks a programme rule"

    def __init__(self, reasons: list[tuple[str, str]]) -> None:
        self.reasons = reasons
        super().__init__("; ".join(ko for ko, _ in reasons), "; ".join(en for _, en in reasons),
                         reasons=[{"ko": ko, "en": en} for ko, en in reasons])


class BudgetRuleViolation(RuleViolation):
    type = PROBLEM_BASE + "budget-rule"
    title_ko = "예산 규정에 맞지 않습니다"
    title_en = "The budget breaks a programme rule"


class SupplierNotDesignated(RuleViolation):
    type = PROBLEM_BASE + "supplier-not-designated"
    title_ko = "지정(인증)이 유효한 공급기업만 선택할 수 있습니다"
    title_en = "Only an actively designated supplier may be chosen"


class ConsultantConflict(Forbidden):
    type = PROBLEM_BASE + "consultant-conflict"
    title_ko = "선정된 공급기업과 관련된 컨설턴트는 이 과제를 컨설팅할 수 없습니다"
    title_en = "A consultant affiliated with the chosen supplier cannot consult on this project"


class CohortFull(Conflict):
    type = PROBLEM_BASE + "cohort-full"
    title_ko = "선정 정원이 찼습니다"
    title_en = "The cohort's capacity is reached"


class AlreadyExists(Conflict):
    type = PROBLEM_BASE + "already-exists"
    title_ko = "이미 등록되어 있습니다"
    title_en = "Already registered"


class EvaluationMissing(Conflict):
    type = PROBLEM_BASE + "evaluation-missing"
    title_ko = "사후 컨설턴트의 평가가 없습니다"
    title_en = "The post-consultant's evaluation is missing"


class AppealNotOpen(Conflict):
    type = PROBLEM_BASE + "appeal-not-open"
    title_ko = "이의신청할 수 없습니다"
    title_en = "No appeal can be filed"


class AppealAlreadyFiled(Conflict):
    type = PROBLEM_BASE + "appeal-already-filed"
    title_ko = "이미 이의신청했습니다"
    title_en = "An appeal was already filed"


class StageRuleViolation(RuleViolation):
    type = PROBLEM_BASE + "stage-rule"
    title_ko = "AI 도입 단계 규정에 맞지 않습니다"
    title_en = "The AI introduction stages break a programme rule"
