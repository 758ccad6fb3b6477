"""Business registration numbers: the National Tax Service check digit and the accepted spellings."""

from __future__ import annotations

import pytest

from registry import bizno

# Real, published numbers (삼성전자, 네이버) and the shape users type them in.
VALID = ["124-81-00998", "220-81-62517", "1248100998", " 124-81-00998 ", "124-8100998"]


@pytest.mark.parametrize("value", VALID)
def test_valid_numbers_normalise_to_dashed_form(value):
    assert bizno.normalize(value) in ("124-81-00998", "220-81-62517")


@pytest.mark.parametrize("value", [
    "124-81-00999",  # check digit off by one
    "124-81-00990",
    "220-81-62510",
    "124-81-0099",  # too short
    "124-81-009988",  # too long
    "124_81_00998",
    "12a-81-00998",
    "１２４-８１-００９９８",  # full-width digits match \d but are not ASCII
    "١٢٤-٨١-٠٠٩٩٨",  # Arabic-Indic digits
    "",
])
def test_invalid_numbers_are_refused(value):
    assert bizno.normalize(value) is None


def test_every_wrong_last_digit_is_refused():
    good = "1248100998"
    wrong = [good[:9] + d for d in "0123456789" if d != good[9]]
    assert [bizno.check_digit_ok(w) for w in wrong] == [False] * 9
    assert bizno.check_digit_ok(good)


def test_with_check_digit_completes_nine_digits():
    assert bizno.with_check_digit("124810099") == "124-81-00998"
    for first9 in ("100000001", "999999999", "000000000"):
        assert bizno.normalize(bizno.with_check_digit(first9)) is not None
