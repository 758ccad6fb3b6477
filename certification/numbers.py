"""Certificate numbers `AXR-YYYY-XXXX-XXXX-C`: 8 characters from a CSPRNG and a check character.

The alphabet has 31 symbols (no 0, 1, I, L, O), a prime, so a weighted sum mod 31 with distinct
weights catches every single-character substitution and every adjacent transposition, including
the year digits and the check character itself. 31^8 ~ 8.5e11 numbers: not guessable in sequence.
"""

from __future__ import annotations

import re
import secrets

from certification.errors import CertificateNumberInvalid
from core.korean import josa

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_MOD = len(ALPHABET)  # 31, prime
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
PREFIX = "AXR"
_RANDOM_LEN = 8
_CHECK_WEIGHT = _RANDOM_LEN + 2
_PATTERN = re.compile(rf"^{PREFIX}-?(\d{{4}})-?([{ALPHABET}]{{4}})-?([{ALPHABET}]{{4}})-?([{ALPHABET}])$")

assert _MOD == 31
assert len(set(ALPHABET)) == _MOD


def _partial_sum(year: int, body: str) -> int:
    # The year enters as one term: a wrong or swapped year digit changes it by k*10^j or
    # 9*(a-b)*10^j, never a multiple of 31. Body weights 2..9 and check weight 10 are distinct.
    return (year + sum((i + 2) * _VALUE[c] for i, c in enumerate(body))) % _MOD


def check_character(year: int, body: str) -> str:
    """The character that makes year + sum(weight * value) divisible by 31."""
    inverse = pow(_CHECK_WEIGHT, -1, _MOD)
    return ALPHABET[(-_partial_sum(year, body) * inverse) % _MOD]


def _format(year: int, body: str, check: str) -> str:
    return f"{PREFIX}-{year:04d}-{body[:4]}-{body[4:]}-{check}"


def generate(year: int) -> str:
    """A new number; the service retries on the (unlikely) unique-constraint collision."""
    if not 2000 <= year <= 9999:
        raise ValueError("year out of range")
    body = "".join(secrets.choice(ALPHABET) for _ in range(_RANDOM_LEN))
    return _format(year, body, check_character(year, body))


def normalize(value: str) -> str | None:
    """The canonical form of a number typed by a person (any case, spaces, missing hyphens), or None
    when its format or check character is wrong."""
    m = _PATTERN.match(re.sub(r"\s+", "", value).upper())
    if not m:
        return None
    year, body, check = int(m.group(1)), m.group(2) + m.group(3), m.group(4)
    if (_partial_sum(year, body) + _CHECK_WEIGHT * _VALUE[check]) % _MOD:
        return None
    return _format(year, body, check)


def is_valid(value: str) -> bool:
    return normalize(value) is not None


def parse(value: str) -> str:
    """Like normalize, but raises CertificateNumberInvalid (422) for the API."""
    number = normalize(value)
    if number is None:
        raise CertificateNumberInvalid(f"{josa(repr(value), '은')} 올바른 지정번호가 아닙니다",
                                       f"'{value}' is not a valid certificate number")
    return number
