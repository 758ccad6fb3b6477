"""Reference vocabularies of the registry: KSIC divisions, regions, categories, smart-factory levels."""

from __future__ import annotations

import json
from enum import StrEnum
from functools import lru_cache
from importlib import resources

ALL_MANUFACTURING = "*"


class Category(StrEnum):
    vision_inspection = "vision_inspection"
    predictive_maintenance = "predictive_maintenance"
    industrial_safety = "industrial_safety"
    production_scheduling = "production_scheduling"
    energy_management = "energy_management"
    process_optimization = "process_optimization"
    quality_prediction = "quality_prediction"
    demand_forecasting = "demand_forecasting"
    logistics_automation = "logistics_automation"
    robotics_control = "robotics_control"
    manufacturing_llm = "manufacturing_llm"
    data_platform = "data_platform"


CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "vision_inspection": ("비전 검사", "Vision inspection"),
    "predictive_maintenance": ("예지보전", "Predictive maintenance"),
    "industrial_safety": ("산업 안전", "Industrial safety"),
    "production_scheduling": ("생산 일정 계획", "Production scheduling"),
    "energy_management": ("에너지 관리", "Energy management"),
    "process_optimization": ("공정 최적화", "Process optimization"),
    "quality_prediction": ("품질 예측", "Quality prediction"),
    "demand_forecasting": ("수요 예측", "Demand forecasting"),
    "logistics_automation": ("물류 자동화", "Logistics automation"),
    "robotics_control": ("로봇 제어", "Robotics control"),
    "manufacturing_llm": ("제조 특화 LLM", "Manufacturing LLM"),
    "data_platform": ("제조 데이터 플랫폼", "Manufacturing data platform"),
}


class Level(StrEnum):
    """Smart-factory levels, in order: 기초, 중간1, 중간2, 고도화."""

    basic = "basic"
    intermediate1 = "intermediate1"
    intermediate2 = "intermediate2"
    advanced = "advanced"


LEVEL_ORDER = [lv.value for lv in Level]
LEVEL_LABELS = {"basic": ("기초", "basic"), "intermediate1": ("중간1", "intermediate 1"),
                "intermediate2": ("중간2", "intermediate 2"), "advanced": ("고도화", "advanced")}


def level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level)


class Region(StrEnum):
    """The 17 metropolitan cities and provinces (시·도), by their short Korean names."""

    서울 = "서울"
    부산 = "부산"
    대구 = "대구"
    인천 = "인천"
    광주 = "광주"
    대전 = "대전"
    울산 = "울산"
    세종 = "세종"
    경기 = "경기"
    강원 = "강원"
    충북 = "충북"
    충남 = "충남"
    전북 = "전북"
    전남 = "전남"
    경북 = "경북"
    경남 = "경남"
    제주 = "제주"


REGION_EN = {
    "서울": "Seoul", "부산": "Busan", "대구": "Daegu", "인천": "Incheon", "광주": "Gwangju", "대전": "Daejeon",
    "울산": "Ulsan", "세종": "Sejong", "경기": "Gyeonggi", "강원": "Gangwon", "충북": "Chungbuk",
    "충남": "Chungnam", "전북": "Jeonbuk", "전남": "Jeonnam", "경북": "Gyeongbuk", "경남": "Gyeongnam",
    "제주": "Jeju",
}


class DeploymentMode(StrEnum):
    on_premise = "on_premise"
    cloud = "cloud"
    hybrid = "hybrid"


class SizeClass(StrEnum):
    """Company size class under the Framework Act on SMEs (소상공인·소기업·중기업·중견·대기업)."""

    micro = "micro"
    small = "small"
    medium = "medium"
    midsize = "midsize"
    large = "large"


class SolutionStatus(StrEnum):
    draft = "draft"
    published = "published"
    withdrawn = "withdrawn"


class TipsProgram(StrEnum):
    tips = "tips"
    deep_tech_tips = "deep_tech_tips"
    post_tips = "post_tips"
    scale_up_tips = "scale_up_tips"


class TipsStage(StrEnum):
    none = "none"
    recommended = "recommended"
    selected = "selected"
    funded = "funded"
    graduated = "graduated"


class SmeStatus(StrEnum):
    candidate = "candidate"
    selected = "selected"
    graduated = "graduated"
    dropped = "dropped"


@lru_cache
def ksic_divisions() -> dict[str, dict[str, str]]:
    """KSIC 10th revision divisions keyed by code (C22 = 고무 및 플라스틱제품 제조업)."""
    raw = resources.files("registry").joinpath("data/ksic10.json").read_text(encoding="utf-8")
    return {d["code"]: d for d in json.loads(raw)["divisions"]}


def is_ksic_division(code: str) -> bool:
    return code in ksic_divisions()


def is_manufacturing(code: str) -> bool:
    return code in ksic_divisions() and code.startswith("C")
