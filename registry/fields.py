"""Validated field types shared by the registry schemas: clean Unicode text, KSIC codes, money, numbers."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from registry import bizno
from registry.reference import ALL_MANUFACTURING, is_ksic_division

_FORBIDDEN_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}  # control, lone surrogate, private use, unassigned
_ALLOWED_CONTROLS = {"\n", "\t", "\r"}
_SURROGATES = re.compile("[\ud800-\udfff]")


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
# strict: JSON `true` or "5" is not an amount (lax mode would store 1 and 5)
Krw = Annotated[int, Field(ge=0, le=10**13, strict=True, description="Korean won")]
Count = Annotated[int, Field(ge=0, le=10**7, strict=True)]
Measure = Annotated[float, Field(allow_inf_nan=False)]  # NaN/Infinity parse in Python but no database stores them


def _storable(value: Any) -> Any:
    """Refuse NUL and lone surrogates in any string: PostgreSQL cannot store them and UTF-8 cannot encode them."""
    if isinstance(value, str):
        if "\x00" in value or _SURROGATES.search(value):
            raise ValueError("text contains NUL or a lone surrogate")
    elif isinstance(value, list | tuple):
        for item in value:
            _storable(item)
    return value


class Strict(BaseModel):
    """Request bodies: unknown fields are refused, so nobody can set status or owner by mass assignment."""

    model_config = ConfigDict(extra="forbid", str_max_length=5000)

    @field_validator("*")
    @classmethod
    def _no_unstorable_text(cls, value: Any) -> Any:
        return _storable(value)


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)
