"""Errors of the registry domain; AppError itself lives in core.errors and is re-exported here."""

from __future__ import annotations

from core.errors import PROBLEM_BASE, AppError, Conflict, Forbidden, Invalid, NotFound

__all__ = ["AppError", "Conflict", "DuplicateBusinessNumber", "Forbidden", "Invalid", "NotFound"]


class DuplicateBusinessNumber(Conflict):
    type = PROBLEM_BASE + "duplicate-business-number"
    title_ko = "이미 등록된 사업자등록번호입니다"
    title_en = "This business registration number is already registered"
