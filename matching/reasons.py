"""Wording of match reasons in Korean and English, and KRW amounts as people read them."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from core.korean import krw

LEVEL_KO = {"basic": "기초", "intermediate1": "중간1", "intermediate2": "중간2", "advanced": "고도화"}
LEVEL_EN = {"basic": "basic", "intermediate1": "intermediate 1", "intermediate2": "intermediate 2",
            "advanced": "advanced"}
TIPS_KO = {"recommended": "TIPS 추천", "selected": "TIPS 선정", "funded": "TIPS 투자 유치",
           "graduated": "TIPS 졸업"}
TIPS_EN = {"recommended": "recommended for TIPS", "selected": "selected for TIPS", "funded": "TIPS-funded",
           "graduated": "TIPS graduate"}


def format_krw_ko(amount: int) -> str:
    """1.5억 원, 8,000만 원, 12억 원, 1억 2,345만 원, 5,000원 (core/korean.py's krw)."""
    return krw(amount)


def format_krw_en(amount: int) -> str:
    """150 million KRW, 1.2 billion KRW, 85,000 KRW."""
    amount = int(amount)
    for unit, name in ((1_000_000_000, "billion"), (1_000_000, "million")):
        if abs(amount) >= unit:
            value = f"{amount / unit:,.2f}".rstrip("0").rstrip(".")
            return f"{value} {name} KRW"
    return f"{amount:,} KRW"


@lru_cache(maxsize=1)
def _ksic() -> dict[str, dict[str, str]]:
    text = resources.files("matching.data").joinpath("ksic.json").read_text(encoding="utf-8")
    data: dict[str, dict[str, str]] = json.loads(text)["divisions"]
    return data


@lru_cache(maxsize=1)
def _regions() -> dict[str, str]:
    text = resources.files("matching.data").joinpath("ksic.json").read_text(encoding="utf-8")
    data: dict[str, str] = json.loads(text)["regions"]
    return data


def industry_ko(code: str) -> str:
    name = _ksic().get(code, {}).get("ko")
    return f"{name}({code})" if name else code


def industry_en(code: str) -> str:
    name = _ksic().get(code, {}).get("en")
    return f"{name} ({code})" if name else code


def region_en(region: str) -> str:
    return _regions().get(region, region)


def join_ko(items: list[str]) -> str:
    return ", ".join(items)
