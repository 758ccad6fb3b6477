"""Validated field types shared by the registry schemas: clean Unicode text, KSIC codes, money, numbers."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from registry import bizno
from registry.reference import ALL_MANUFACTURING, is_ksic_division

_FORBIDDEN_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}  # control, lone surrogate, private use, unassigned
_ALLOWED_CONTROLS = {"\n", "\t", "\r"}


def clean_text(value: str) -> str:
    """NFC-normalise (decomposed Hangul jamo compose into syllables) and refuse invisible garbage."""
    for ch in value:
        if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in _FORBIDDEN_CATEGORIES:
            raise ValueError(f"text contains a forbidden character U+{ord(ch):04X}")
    value = unicodedata.normalize("NFC", value).strip()
    if not value:
        raise ValueError("text must not be blank")
    return value


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    return value


def _business_number(value: str) -> str:
    normalized = bizno.normalize(value)
    if normalized is None:
        raise ValueError("not a valid business registration number (NNN-NN-NNNNN with the NTS check digit)")
    return normalized


def _ksic(value: str) -> str:
    value = value.strip().upper()
    if not is_ksic_division(value):
        raise ValueError(f"unknown KSIC 10th revision division: {value!r} (e.g. C22)")
    return value


def _industry(value: str) -> str:
    return ALL_MANUFACTURING if value.strip() == ALL_MANUFACTURING else _ksic(value)


Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(clean_text), AfterValidator(_one_line)]
ShortText = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(clean_text)]
LongText = Annotated[str, Field(min_length=1, max_length=5000), AfterValidator(clean_text)]
BusinessNumber = Annotated[str, Field(examples=["124-81-00998"]), AfterValidator(_business_number)]
KsicDivision = Annotated[str, Field(examples=["C22"], max_length=4), AfterValidator(_ksic)]
Industry = Annotated[str, Field(examples=["C25"], max_length=4,
                                description="KSIC division code, or `*` for all manufacturing"),
                     AfterValidator(_industry)]
Krw = Annotated[int, Field(ge=0, le=10**13, description="Korean won")]
Count = Annotated[int, Field(ge=0, le=10**7)]


class Strict(BaseModel):
    """Request bodies: unknown fields are refused, so nobody can set status or owner by mass assignment."""

    model_config = ConfigDict(extra="forbid", str_max_length=5000)


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)
