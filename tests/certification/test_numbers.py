"""Certificate numbers: format, unpredictability, and the check character catching typos."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certification import numbers
from certification.errors import CertificateNumberInvalid

FORMAT = re.compile(r"^AXR-2026-[23456789A-HJKMNP-Z]{4}-[23456789A-HJKMNP-Z]{4}-[23456789A-HJKMNP-Z]$")


def test_generated_numbers_have_the_format_and_validate() -> None:
    for _ in range(200):
        n = numbers.generate(2026)
        assert FORMAT.match(n), n
        assert numbers.is_valid(n)


def test_alphabet_has_no_ambiguous_characters() -> None:
    assert not set("01IOL") & set(numbers.ALPHABET)
    assert len(numbers.ALPHABET) == 31


def test_numbers_do_not_follow_a_sequence() -> None:
    batch = [numbers.generate(2026) for _ in range(2000)]
    assert len(set(batch)) == len(batch)
    bodies = sorted(n[9:18] for n in batch)
    assert bodies != [n[9:18] for n in batch]  # issue order is not sorted order


def test_people_can_type_it_loosely() -> None:
    n = numbers.generate(2027)
    assert numbers.normalize(n.lower().replace("-", " ")) == n
    assert numbers.normalize(n.replace("-", "")) == n
    assert numbers.parse(f"  {n.lower()} ") == n
    with pytest.raises(CertificateNumberInvalid):
        numbers.parse("AXR-2026-ABCD")


def _positions(n: str) -> list[int]:
    return [i for i, c in enumerate(n) if i >= 4 and c != "-"]  # year digits, body and check


bodies = st.text(alphabet=numbers.ALPHABET, min_size=8, max_size=8)


def make(year: int, body: str) -> str:
    return f"AXR-{year}-{body[:4]}-{body[4:]}-{numbers.check_character(year, body)}"


@given(year=st.integers(2000, 2099), body=bodies, data=st.data())
def test_any_single_character_change_is_detected(year: int, body: str, data: st.DataObject) -> None:
    n = make(year, body)
    assert numbers.is_valid(n)
    i = data.draw(st.sampled_from(_positions(n)))
    pool = "0123456789" if i < 8 else numbers.ALPHABET
    c = data.draw(st.sampled_from([x for x in pool if x != n[i]]))
    assert not numbers.is_valid(n[:i] + c + n[i + 1:])


@given(year=st.integers(2000, 2099), body=bodies, data=st.data())
def test_any_adjacent_transposition_is_detected(year: int, body: str, data: st.DataObject) -> None:
    n = make(year, body)
    pos = _positions(n)
    pairs = [(a, b) for a, b in zip(pos, pos[1:], strict=False) if n[a] != n[b]]
    if not pairs:
        return
    a, b = data.draw(st.sampled_from(pairs))
    swapped = list(n)
    swapped[a], swapped[b] = swapped[b], swapped[a]
    assert not numbers.is_valid("".join(swapped))


def test_exhaustively_every_substitution_and_transposition_of_one_number() -> None:
    n = numbers.generate(2026)
    for i in _positions(n):
        for c in ("0123456789" if i < 8 else numbers.ALPHABET):
            if c != n[i]:
                assert not numbers.is_valid(n[:i] + c + n[i + 1:]), (n, i, c)
    pos = _positions(n)
    for a, b in zip(pos, pos[1:], strict=False):
        s = list(n)
        s[a], s[b] = s[b], s[a]
        assert "".join(s) == n or not numbers.is_valid("".join(s))
