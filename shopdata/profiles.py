"""The shop-floor data profile vocabulary as versioned data: parse and validate a document (every problem
listed, in Korean and English), and the shipped version (shopdata/data/profiles-v1.yaml)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from core.korean import josa
from shopdata.errors import ProfilesInvalid

DATA_DIR = Path(__file__).parent / "data"

FIELD_TYPES: tuple[str, ...] = ("string", "integer", "number", "boolean", "datetime", "date", "duration", "enum",
                                "image", "video", "reference")
UNITS: tuple[str, ...] = ("Hz", "kHz", "A", "V", "°C", "bar", "kPa", "MPa", "kWh", "kW", "ea", "%", "s", "ms",
                          "px", "mm", "m/s²", "rpm", "fps")
VOLUME_UNITS: tuple[str, ...] = ("ea", "s")  # records or images counted; seconds of a series or video
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,47}$")
_VERSION = re.compile(r"^[\w.\-]{1,40}$")
_TEXT_MAX = 500


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: str
    unit: str | None = None


@dataclass(frozen=True)
class StandardRef:
    name: str  # e.g. "IEC 62264-2"
    clause: str | None = None  # a clause number, only where we are sure of it
    element: str | None = None  # the object model element or KPI it maps to, in our words


@dataclass(frozen=True)
class Profile:
    code: str
    label_ko: str
    label_en: str
    description_ko: str
    description_en: str
    sampled: bool
    volume_unit: str
    acquire_ko: str
    acquire_en: str
    fields: tuple[FieldDef, ...]
    standards: tuple[StandardRef, ...]


@dataclass(frozen=True)
class Vocabulary:
    version: str
    profiles: Mapping[str, Profile]

    def to_data(self) -> dict[str, Any]:
        return {"version": self.version, "profiles": [_profile_data(p) for p in self.profiles.values()]}


def _profile_data(p: Profile) -> dict[str, Any]:
    return {"code": p.code, "label_ko": p.label_ko, "label_en": p.label_en, "description_ko": p.description_ko,
            "description_en": p.description_en, "sampled": p.sampled, "volume_unit": p.volume_unit,
            "acquire_ko": p.acquire_ko, "acquire_en": p.acquire_en,
            "fields": [{"name": f.name, "type": f.type, "unit": f.unit} for f in p.fields],
            "standards": [{"name": s.name, "clause": s.clause, "element": s.element} for s in p.standards]}


class _Problems:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, where: str, ko: str, en: str) -> None:
        self.items.append({"where": where, "ko": ko, "en": en})


def _text(raw: Mapping[str, Any], key: str, where: str, out: _Problems, *, required: bool = True) -> str:
    value = raw.get(key)
    if not required and (value is None or value == ""):
        return ""
    if not isinstance(value, str) or not value.strip():
        out.add(f"{where}.{key}", "빈 값이 아닌 글자로 적어야 합니다", "must be non-empty text")
        return ""
    if len(value) > _TEXT_MAX:
        out.add(f"{where}.{key}", f"{_TEXT_MAX}자 이하로 적어야 합니다", f"must be at most {_TEXT_MAX} characters")
    return value


def _fields(raw: Any, where: str, out: _Problems) -> tuple[FieldDef, ...]:
    if not isinstance(raw, list) or not raw:
        out.add(f"{where}.fields", "필드 목록이 있어야 합니다", "must be a non-empty list of fields")
        return ()
    fields, seen = [], set()
    for j, f in enumerate(raw):
        at = f"{where}.fields[{j}]"
        if not isinstance(f, Mapping):
            out.add(at, "이름·형식·단위가 있는 항목이어야 합니다", "must be a mapping with name, type and unit")
            continue
        name, kind, unit = f.get("name"), f.get("type"), f.get("unit")
        if not isinstance(name, str) or not _CODE.match(name):
            out.add(f"{at}.name", "영문 소문자·숫자·밑줄로 된 이름이어야 합니다",
                    "must be a lower-case name of letters, digits and underscores")
        elif name in seen:
            out.add(f"{at}.name", f"필드 이름 {josa(name, '이')} 중복됩니다", f"duplicate field name {name}")
        seen.add(name)
        if kind not in FIELD_TYPES:
            out.add(f"{at}.type", f"알 수 없는 필드 형식 {kind!r} (허용: {', '.join(FIELD_TYPES)})",
                    f"unknown field type {kind!r} (allowed: {', '.join(FIELD_TYPES)})")
        if unit is not None and unit not in UNITS:
            out.add(f"{at}.unit", f"알 수 없는 단위 {unit!r} (허용: {', '.join(UNITS)})",
                    f"unknown unit {unit!r} (allowed: {', '.join(UNITS)})")
        if isinstance(name, str) and kind in FIELD_TYPES and (unit is None or unit in UNITS):
            fields.append(FieldDef(name, kind, unit))
    return tuple(fields)


def _standards(raw: Any, where: str, out: _Problems) -> tuple[StandardRef, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        out.add(f"{where}.standards", "표준 목록이어야 합니다", "must be a list of standards")
        return ()
    refs = []
    for j, s in enumerate(raw):
        at = f"{where}.standards[{j}]"
        if not isinstance(s, Mapping):
            out.add(at, "표준 이름이 있는 항목이어야 합니다", "must be a mapping with the standard's name")
            continue
        name = _text(s, "name", at, out)
        clause, element = s.get("clause"), s.get("element")
        for key, value in (("clause", clause), ("element", element)):
            if value is not None and (not isinstance(value, str) or len(value) > _TEXT_MAX):
                out.add(f"{at}.{key}", "글자이거나 비워 두어야 합니다", "must be text or null")
        if name:
            refs.append(StandardRef(name, clause if isinstance(clause, str) else None,
                                    element if isinstance(element, str) else None))
    return tuple(refs)


def parse(document: Any, source: str = "<request>") -> Vocabulary:
    """Validate a whole vocabulary document; raise ProfilesInvalid naming every problem found."""
    out = _Problems()
    if not isinstance(document, Mapping):
        out.add("(문서)", "version과 profiles가 있는 문서여야 합니다", "must be a mapping with version and profiles")
        raise ProfilesInvalid(source, out.items)
    version = document.get("version")
    if not isinstance(version, str) or not _VERSION.match(version):
        out.add("version", "40자 이하의 버전 이름이 있어야 합니다", "must be a version name of at most 40 characters")
    raw_profiles = document.get("profiles")
    if not isinstance(raw_profiles, list) or not raw_profiles:
        out.add("profiles", "프로파일 목록이 있어야 합니다", "must be a non-empty list of profiles")
        raw_profiles = []
    profiles: dict[str, Profile] = {}
    for i, raw in enumerate(raw_profiles):
        where = f"profiles[{i}]"
        if not isinstance(raw, Mapping):
            out.add(where, "코드와 이름이 있는 항목이어야 합니다", "must be a mapping with a code and labels")
            continue
        code = raw.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            out.add(f"{where}.code", "영문 소문자·숫자·밑줄로 된 코드여야 합니다",
                    "must be a lower-case code of letters, digits and underscores")
            code = None
        elif code in profiles:
            out.add(f"{where}.code", f"프로파일 코드 {josa(code, '이')} 중복됩니다", f"duplicate profile code {code}")
        texts = {k: _text(raw, k, where, out) for k in ("label_ko", "label_en", "acquire_ko", "acquire_en")}
        descriptions = {k: _text(raw, k, where, out, required=False) for k in ("description_ko", "description_en")}
        sampled = raw.get("sampled", False)
        if not isinstance(sampled, bool):
            out.add(f"{where}.sampled", "true 또는 false여야 합니다", "must be true or false")
        volume_unit = raw.get("volume_unit", "ea")
        if volume_unit not in VOLUME_UNITS:
            out.add(f"{where}.volume_unit", f"알 수 없는 수량 단위 {volume_unit!r} (허용: {', '.join(VOLUME_UNITS)})",
                    f"unknown volume unit {volume_unit!r} (allowed: {', '.join(VOLUME_UNITS)})")
        fields = _fields(raw.get("fields"), where, out)
        standards = _standards(raw.get("standards"), where, out)
        if code and code not in profiles:
            profiles[code] = Profile(code=code, **texts, **descriptions, sampled=bool(sampled),
                                     volume_unit=str(volume_unit), fields=fields, standards=standards)
    if out.items:
        raise ProfilesInvalid(source, out.items)
    return Vocabulary(str(version), profiles)


@lru_cache(maxsize=1)
def shipped() -> Vocabulary:
    """The vocabulary that ships with the code (in force until an admin saves a version)."""
    path = DATA_DIR / "profiles-v1.yaml"
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
