"""Business registration numbers (사업자등록번호) and the National Tax Service check digit."""

from __future__ import annotations

import re

_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
_FORMAT = re.compile(r"^(\d{3})-?(\d{2})-?(\d{5})$")


def normalize(value: str) -> str | None:
    """Return the number as NNN-NN-NNNNN when it is well-formed and its check digit holds, else None."""
    m = _FORMAT.match(value.strip())
    if not m:
        return None
    digits = "".join(m.groups())
    if not check_digit_ok(digits):
        return None
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


def check_digit_ok(digits: str) -> bool:
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    d = [int(c) for c in digits]
    total = sum(x * w for x, w in zip(d[:9], _WEIGHTS, strict=True)) + (d[8] * 5) // 10
    return (10 - total % 10) % 10 == d[9]


def with_check_digit(first9: str) -> str:
    """Complete nine digits with their check digit (used by demo data and tests)."""
    for last in "0123456789":
        if check_digit_ok(first9 + last):
            return f"{first9[:3]}-{first9[3:5]}-{first9[5:]}{last}"
    raise ValueError(first9)
