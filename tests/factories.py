"""Valid Korean request bodies for the registry, so each test states only what it changes."""

from __future__ import annotations

import itertools
from typing import Any

from registry.bizno import with_check_digit

_seq = itertools.count(100000001)


def business_number() -> str:
    return with_check_digit(str(next(_seq)))


def company(**overrides: Any) -> dict[str, Any]:
    body = {"business_number": business_number(), "name_ko": "딥비전랩 주식회사", "name_en": "DeepVision Lab",
            "representative": "김민준", "region": "경기", "size_class": "small", "founded_on": "2019-03-15",
            "employees": 42, "revenue_krw": 3_200_000_000, "rnd_krw": 640_000_000, "ai_staff": 12,
            "contact_email": "contact@deepvision.kr"}
    return {**body, **overrides}


def solution(company_id: str, **overrides: Any) -> dict[str, Any]:
    body = {"company_id": company_id, "title_ko": "사출·금속 부품 비전 불량 검출",
            "title_en": "Vision defect detection for molded and metal parts",
            "description_ko": "산업용 카메라와 딥러닝으로 사출 성형품의 스크래치, 미성형을 실시간 검출합니다.",
            "category": "vision_inspection", "industries": ["C22", "C25"], "min_level": "basic",
            "deployment_mode": "on_premise", "price_min_krw": 80_000_000, "price_max_krw": 180_000_000,
            "lead_time_weeks": 8, "status": "published",
            "reference_cases": [{"client": "경기 소재 자동차 부품사", "industry": "C30",
                                 "summary": "프레스 부품 외관 검사",
                                 "year": 2025, "outcomes": [{"metric": "불량률", "before": 3.2, "after": 0.9,
                                                             "unit": "%"}]}]}
    return {**body, **overrides}


def sme(**overrides: Any) -> dict[str, Any]:
    body = {"business_number": business_number(), "name_ko": "한빛정밀 주식회사", "ksic": "C25", "region": "경남",
            "smart_factory_level": "basic", "budget_gov_krw": 200_000_000,
            "budget_own_krw": 200_000_000}
    return {**body, **overrides}


def need(**overrides: Any) -> dict[str, Any]:
    body = {"text": "프레스 금속 부품 외관 불량검출 AI 도입 희망", "budget_krw": 200_000_000,
            "smart_factory_level": "intermediate1", "region": "경남"}
    return {**body, **overrides}
