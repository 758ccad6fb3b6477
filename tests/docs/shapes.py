"""Documented response shapes: JSON with `...` elisions, parsed and compared with a real answer (the rules
are in tests/docs/runner.py's docstring)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any


class _Any:
    def __repr__(self) -> str:
        return "..."


ANY = _Any()


@dataclass
class Obj:
    fields: dict[str, Any]
    open: bool


@dataclass
class Arr:
    items: list[Any]
    open: bool


@dataclass
class Pattern:
    text: str

    def matches(self, value: str) -> bool:
        parts = [re.escape(p) for p in re.split(r"\.\.\.|…", self.text)]
        return re.fullmatch(".*".join(parts), value, re.S) is not None


_TOKEN = re.compile(r'\s*(?:(\.\.\.|…)|("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)'
                    r'|(true|false|null)|([{}\[\]:,]))', re.S)


def parse_shape(text: str) -> Any:
    tokens: list[tuple[str, str]] = []
    pos, text = 0, text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise ValueError(f"unexpected {text[pos:pos + 20]!r}")
        group = m.lastindex or 0
        tokens.append((("ellipsis", "string", "number", "literal", "punct")[group - 1], m.group(group)))
        pos = m.end()
    value, rest = _value(tokens, 0)
    if rest != len(tokens):
        raise ValueError(f"text after the value: {tokens[rest:][:3]}")
    return value


def _value(tokens: list[tuple[str, str]], i: int) -> tuple[Any, int]:
    if i >= len(tokens):
        raise ValueError("the shape ends early")
    kind, tok = tokens[i]
    if kind == "ellipsis":
        return ANY, i + 1
    if kind == "string":
        s = json.loads(tok)
        return (Pattern(s) if "..." in s or "…" in s else s), i + 1
    if kind == "number":
        return json.loads(tok), i + 1
    if kind == "literal":
        return json.loads(tok), i + 1
    if tok == "{":
        return _container(tokens, i + 1, "}", obj=True)
    if tok == "[":
        return _container(tokens, i + 1, "]", obj=False)
    raise ValueError(f"unexpected {tok!r}")


def _container(tokens: list[tuple[str, str]], i: int, close: str, *, obj: bool) -> tuple[Any, int]:
    fields: dict[str, Any] = {}
    items: list[Any] = []
    is_open = False
    while True:
        if i >= len(tokens):
            raise ValueError(f"missing {close!r}")
        if tokens[i] == ("punct", close):
            return (Obj(fields, is_open) if obj else Arr(items, is_open)), i + 1
        if tokens[i][0] == "ellipsis" and i + 1 < len(tokens) and tokens[i + 1][1] in (close, ","):
            is_open, i = True, i + 1
        elif obj:
            kind, key = tokens[i]
            if kind != "string" or i + 1 >= len(tokens) or tokens[i + 1] != ("punct", ":"):
                raise ValueError(f"expected a key, got {key!r}")
            fields[json.loads(key)], i = _value(tokens, i + 2)
        else:
            item, i = _value(tokens, i)
            items.append(item)
        if i < len(tokens) and tokens[i] == ("punct", ","):
            i += 1


def _type(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int | float):
        return "number"
    if isinstance(v, str):
        return "string"
    return "array" if isinstance(v, list) else "object"


def match(expected: Any, real: Any, path: str = "$") -> list[str]:
    """Where `real` departs from the documented shape `expected` (empty when it conforms)."""
    if expected is ANY:
        return []
    if isinstance(expected, Obj):
        if not isinstance(real, dict):
            return [f"{path}: documented an object, got {_type(real)}"]
        out = [f"{path}: documented key {k!r} is missing" for k in expected.fields if k not in real]
        for k, v in expected.fields.items():
            if k in real:
                out.extend(match(v, real[k], f"{path}.{k}"))
        if not expected.open:
            out.extend(f"{path}: key {k!r} is not documented (add it, or `...`)"
                       for k in real if k not in expected.fields)
        return out
    if isinstance(expected, Arr):
        if not isinstance(real, list):
            return [f"{path}: documented an array, got {_type(real)}"]
        out = []
        if not expected.open and len(real) != len(expected.items):
            out.append(f"{path}: {len(real)} items, documented {len(expected.items)} (or add `...`)")
        free = list(range(len(real)))
        for n, item in enumerate(expected.items):
            found = next((j for j in free if not match(item, real[j])), None)
            if found is None:
                near = match(item, real[free[0]], f"{path}[{free[0]}]") if free else [f"{path}: too few items"]
                out.append(f"{path}: no item matches documented item {n}: " + "; ".join(near[:3]))
            else:
                free.remove(found)
        return out
    if isinstance(expected, Pattern):
        if not isinstance(real, str) or not expected.matches(real):
            return [f"{path}: {real!r} does not match {expected.text!r}"]
        return []
    if isinstance(expected, str):
        if not isinstance(real, str):
            return [f"{path}: documented a string, got {_type(real)} {real!r}"[:200]]
        return [] if real == expected else [f"{path}: {real!r}, documented {expected!r}"]
    if _type(expected) != _type(real):
        return [f"{path}: documented a {_type(expected)}, got {_type(real)} {real!r}"[:200]]
    if expected is None or isinstance(expected, bool):
        return [] if real == expected else [f"{path}: {real!r}, documented {expected!r}"]
    return []
