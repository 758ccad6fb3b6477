"""Particles chosen by how the word before them ends when read aloud, and won amounts as people read them."""

from __future__ import annotations

import pytest

from core.korean import josa, krw


@pytest.mark.parametrize(("word", "p", "expected"), [
    ("파일", "을", "파일을"), ("버전", "이", "버전이"), ("기업", "은", "기업은"),          # final consonant
    ("심사위원", "가", "심사위원이"), ("수요", "를", "수요를"), ("회사", "이", "회사가"),  # vowel
    ("기준", "과", "기준과"), ("포털", "와", "포털과"), ("서류", "과", "서류와"),
    ("서울", "으로", "서울로"), ("파일", "로", "파일로"),                                # ㄹ takes 로
    ("부산", "로", "부산으로"), ("대구", "으로", "대구로"), ("경북", "로", "경북으로"),
    ("200,000,000원", "을", "200,000,000원을"), ("이벤트 120", "이", "이벤트 120이"),  # 백이십: ㅂ
    ("v2", "이", "v2가"), ("v1", "은", "v1은"), ("3", "로", "3으로"), ("7", "으로", "7로"),  # 이, 일, 삼, 칠
    ("10", "이", "10이"), ("100", "를", "100을"), ("1000", "가", "1000이"), ("2,000", "과", "2,000과"),
    ("'C22'", "이", "'C22'가"), ("(html)", "을", "(html)을"), ("json", "이", "json이"),  # quotes skipped
    ("API", "를", "API를"), ("URL", "로", "URL로"),
])
def test_the_particle_follows_the_last_sound(word: str, p: str, expected: str) -> None:
    assert josa(word, p) == expected


@pytest.mark.parametrize(("amount", "expected"), [
    (150_000_000, "1.5억 원"), (200_000_000, "2억 원"), (1_200_000_000, "12억 원"),
    (123_450_000, "1억 2,345만 원"), (80_000_000, "8,000만 원"), (5_000, "5,000원"), (0, "0원"),
    (123_456_789, "123,456,789원"),
])
def test_amounts_in_korean_units(amount: int, expected: str) -> None:
    assert krw(amount) == expected
