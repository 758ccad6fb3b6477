"""Validated field types shared by the registry schemas: clean Unicode text, KSIC codes, money, numbers."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, EmailStr, Field, field_validator
from pydantic_core import PydanticCustomError

from registry import bizno
from registry.reference import ALL_MANUFACTURING, is_ksic_division, ksic_divisions

# What text fields refuse, as code point ranges: C0 controls but tab, LF and CR; DEL and C1 controls; lone
# surrogates; private use; the BMP noncharacters. One table, so the check and the `pattern` the served spec
# states for every text field are the same rule (unassigned code points are accepted: a later Unicode
# version assigns them, and a rule that moves with the Python version cannot be stated in a schema).
_FORBIDDEN_RANGES = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F), (0xD800, 0xDFFF), (0xE000, 0xF8FF),
                     (0xFDD0, 0xFDEF), (0xFFFE, 0xFFFF), (0xF0000, 0x10FFFF))
_SURROGATES = re.compile("[\ud800-\udfff]")


def _class_ranges(ranges: tuple[tuple[int, int], ...]) -> str:
    """Ranges as the inside of a regex character class: `\\uXXXX` escapes in the BMP (ECMA-262 and Python),
    the characters themselves beyond it."""
    def one(cp: int) -> str:
        return f"\\u{cp:04x}" if cp <= 0xFFFF else chr(cp)
    return "".join(one(lo) if lo == hi else f"{one(lo)}-{one(hi)}" for lo, hi in ranges)


def text_pattern(*, one_line: bool) -> str:
    """JSON Schema `pattern` of a text field: no forbidden character, and at least one that is not space.
    Surrogates are left out of it: no Unicode string holds a lone one (JSON `"\\ud800"` is not text), and
    regex engines of other languages cannot name them."""
    ranges = tuple(r for r in _FORBIDDEN_RANGES if r != (0xD800, 0xDFFF))
    ranges += ((0x0A, 0x0A), (0x0D, 0x0D)) if one_line else ()
    bad = _class_ranges(ranges)
    return f"^[^{bad}]*[^\\s{bad}][^{bad}]*$"


_FORBIDDEN = re.compile(f"[{_class_ranges(_FORBIDDEN_RANGES)}]")


def clean_text(value: str) -> str:
    """NFC-normalise (decomposed Hangul jamo compose into syllables) and refuse invisible garbage."""
    bad = _FORBIDDEN.search(value)
    if bad:
        raise ValueError(f"text contains a forbidden character U+{ord(bad.group()):04X}")
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


NAME_PATTERN = text_pattern(one_line=True)
TEXT_PATTERN = text_pattern(one_line=False)
Name = Annotated[str, Field(min_length=1, max_length=200, json_schema_extra={"pattern": NAME_PATTERN}),
                 AfterValidator(_one_line), AfterValidator(clean_text)]  # a line break anywhere, even at the end
ShortText = Annotated[str, Field(min_length=1, max_length=500, json_schema_extra={"pattern": TEXT_PATTERN}),
                      AfterValidator(clean_text)]
LongText = Annotated[str, Field(min_length=1, max_length=5000, json_schema_extra={"pattern": TEXT_PATTERN}),
                     AfterValidator(clean_text)]
# An address mail can reach: email-validator also refuses the special-use domain names of RFC 6761 (.test,
# .example, .invalid, .localhost), which `format: email` alone would allow; the description says so.
# At most 254 characters, as email-validator enforces (RFC 5321's path limit less its angle brackets): the spec
# states that bound, not the 5000 of free text (a 5000-character e-mail is no address a schema should invite).
ContactEmail = Annotated[EmailStr, Field(examples=["contact@deepvision.kr"], max_length=254, description=(
    "연락 이메일. 메일이 닿지 않는 특수용도 도메인(.test, .example, .invalid, .localhost; RFC 6761)은 거부됩니다 / "
    "Contact e-mail; special-use domain names (RFC 6761: .test, .example, .invalid, .localhost) are refused"))]
BusinessNumber = Annotated[str, Field(examples=["124-81-00998"]), AfterValidator(_business_number)]
_KSIC = sorted(ksic_divisions())
KsicDivision = Annotated[str, Field(examples=["C22"], max_length=4, json_schema_extra={"enum": _KSIC}),
                         AfterValidator(_ksic)]
Industry = Annotated[str, Field(examples=["C25"], max_length=4,
                                description="KSIC division code, or `*` for all manufacturing",
                                json_schema_extra={"enum": [*_KSIC, ALL_MANUFACTURING]}),
                     AfterValidator(_industry)]


def _whole_number(value: Any) -> Any:
    """JSON numbers without a fraction are integers (JSON Schema says 5.0 is one); `true` and "5" are not."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    if isinstance(value, float):
        if not value.is_integer():
            raise PydanticCustomError("int_from_float", "Input should be a valid integer, got a number with a "
                                                        "fractional part")
        return int(value)
    return value


WholeInt = Annotated[int, BeforeValidator(_whole_number)]
# the constraints sit on `int` itself, so the schema states them as minimum/maximum
Krw = Annotated[int, Field(ge=0, le=10**13, description="Korean won"), BeforeValidator(_whole_number)]
Count = Annotated[int, Field(ge=0, le=10**7), BeforeValidator(_whole_number)]
# An amount that must be something (a budget line, a spending): the table's CHECK (amount_krw > 0), stated
PositiveKrw = Annotated[int, Field(gt=0, le=10**13, description="Korean won, more than 0"),
                        BeforeValidator(_whole_number)]
# true or false as JSON says them: 0, 1 and "yes" are refused, as the spec's `type: boolean` says
Flag = Annotated[bool, Field(strict=True)]


def _json_number(value: Any) -> Any:
    """A measure is a JSON number, as the spec says (`type: number`); lax pydantic would read `true` and "3.2"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("float_type", "Input should be a valid number")
    return value


# NaN/Infinity parse in Python but no database stores them
Measure = Annotated[float, Field(allow_inf_nan=False), BeforeValidator(_json_number)]
Score = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False), BeforeValidator(_json_number)]  # 0-100 points

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> Any:
    """Dates are ISO 8601 strings (YYYY-MM-DD) in JSON; lax pydantic would read 0 as 1970-01-01."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise PydanticCustomError("date_parsing", "Input should be a date as an ISO 8601 string, YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


def _storable(value: Any) -> Any:
    """Refuse NUL and lone surrogates in any string: PostgreSQL cannot store them and UTF-8 cannot encode them."""
    if isinstance(value, str):
        if "\x00" in value or _SURROGATES.search(value):
            raise ValueError("text contains NUL or a lone surrogate")
    elif isinstance(value, list | tuple):
        for item in value:
            _storable(item)
    return value


NOT_NULL = "_axr_not_null"  # marks a field validator that refuses null for fields typed `X | None = None`
STORABLE_PATTERN = "^[^\\u0000]*$"  # what `_storable` refuses that a schema can name (a lone surrogate is not text)


def _state_storable(prop: dict[str, Any]) -> None:
    """A string, or a list's string items, that `_storable` checks states the check as a pattern, unless the
    field already states a stricter rule (a pattern of its own, an enum, or a `format` such as date or email,
    whose grammar has no NUL: a pattern beside it only makes generators search for strings both allow)."""
    for option in (prop, *prop.get("anyOf", ())):
        items = option.get("items")
        inner = [items, *items.get("anyOf", ())] if isinstance(items, dict) else []
        for target in (option, *inner):
            if target.get("type") == "string" and not {"pattern", "enum", "const", "format"} & set(target):
                target["pattern"] = STORABLE_PATTERN


def _honest_schema(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """The schema states what the validators enforce: a field that may be left out but refuses null
    (an update of a NOT NULL column) is not nullable in the spec; a string refuses NUL (`_storable`)."""
    for prop in schema.get("properties", {}).values():
        _state_storable(prop)
    names = {name for d in model.__pydantic_decorators__.field_validators.values()
             if getattr(d.func, NOT_NULL, False) for name in d.info.fields}
    for name in names & set(schema.get("properties", {})):
        prop = schema["properties"][name]
        options = [o for o in prop.get("anyOf", ()) if o.get("type") != "null"]
        if "anyOf" in prop and len(options) == 1:
            del prop["anyOf"]
            prop.update({k: v for k, v in options[0].items() if k not in prop})
        elif "anyOf" in prop:
            prop["anyOf"] = options
        if prop.get("default", "") is None:
            del prop["default"]


class Strict(BaseModel):
    """Request bodies: unknown fields are refused, so nobody can set status or owner by mass assignment."""

    model_config = ConfigDict(extra="forbid", str_max_length=5000, json_schema_extra=_honest_schema)

    @field_validator("*")
    @classmethod
    def _no_unstorable_text(cls, value: Any) -> Any:
        return _storable(value)


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)
