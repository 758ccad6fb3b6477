"""Errors of the shop-floor data domain (core.errors renders them as problem+json)."""

from __future__ import annotations

from typing import Any

from core.errors import PROBLEM_BASE, Conflict, Invalid


class ProfilesInvalid(Invalid):
    """A profile vocabulary that does not validate; `problems` lists every defect, each in Korean and English."""

    type = PROBLEM_BASE + "data-profiles-invalid"
    title_ko = "데이터 프로파일 정의가 올바르지 않습니다"
    title_en = "The data profile vocabulary is invalid"

    def __init__(self, source: str, problems: list[dict[str, Any]]) -> None:
        self.source, self.problems = source, problems
        ko = "; ".join(f"{p['where']}: {p['ko']}" for p in problems)
        en = "; ".join(f"{p['where']}: {p['en']}" for p in problems)
        super().__init__(f"{source}: {ko}", f"{source}: {en}", source=source, problems=problems)


class ProfilesVersionExists(Conflict):
    title_ko = "이미 있는 데이터 프로파일 버전입니다"
    title_en = "This data profile version already exists"


class ProfilesInUse(Conflict):
    type = PROBLEM_BASE + "data-profiles-in-use"
    title_ko = "사용 중인 데이터 프로파일을 뺄 수 없습니다"
    title_en = "Data profiles in use cannot be dropped"


class UnknownProfile(Invalid):
    type = PROBLEM_BASE + "unknown-data-profile"
    title_ko = "알 수 없는 데이터 프로파일입니다"
    title_en = "Unknown data profile"


class DatasetRule(Invalid):
    """Who may publish a dataset where: an SME for itself, a lead firm for its group, a group member into it."""

    type = PROBLEM_BASE + "dataset-rule"
    title_ko = "데이터셋 등록 조건에 맞지 않습니다"
    title_en = "The dataset does not meet the registration rules"
