"""The shape check of tests/docs/runner.py: a documented response that drifts from the real one fails."""

from __future__ import annotations

import pytest

from tests.docs.runner import Block
from tests.docs.shapes import match, parse_shape

REAL = {"id": "019b3c1e-7a2f", "name_ko": "딥비전랩 주식회사", "employees": 42, "status": "active",
        "reasons_ko": ["기초 단계에서 도입 가능", "요청에 맞는 분야: 비전 검사 (미성형)"], "next": None}


@pytest.mark.parametrize("doc", [
    '{"id": "...", "name_ko": "딥비전랩 주식회사", ...}',
    '{"id": "019...", "name_ko": "딥비전랩 주식회사", "employees": 7, "status": "active", "reasons_ko": [...], '
    '"next": null}',
    '{"reasons_ko": ["요청에 맞는 분야: 비전 검사 ...", "기초 단계에서 도입 가능"], ...}',
    '{"reasons_ko": ["기초 단계에서 도입 가능", ...], "next": ..., ...}',
])
def test_a_shape_the_answer_has_conforms(doc: str) -> None:
    assert match(parse_shape(doc), REAL) == []


@pytest.mark.parametrize(("doc", "says"), [
    ('{"id": "...", "name": "딥비전랩 주식회사", ...}', "'name' is missing"),  # a renamed field
    ('{"id": "...", "name_ko": "딥비전랩", ...}', "documented '딥비전랩'"),  # another value
    ('{"id": "...", "employees": "42", ...}', "documented a string"),  # another type
    ('{"id": "...", "name_ko": "딥비전랩 주식회사"}', "not documented"),  # keys left out without `...`
    ('{"reasons_ko": ["기초 단계에서 도입 가능"], ...}', "2 items, documented 1"),
    ('{"reasons_ko": ["예산 1.5억 원 이내", ...], ...}', "no item matches"),
    ('{"id": "AXR-...", ...}', "does not match"),
    ('{"next": "...", ...}', "does not match"),
])
def test_a_shape_that_drifted_fails(doc: str, says: str) -> None:
    found = match(parse_shape(doc), REAL)
    assert any(says in p for p in found), found


def test_markers_in_a_block_carry_status_media_type_and_a_shape_over_several_lines() -> None:
    code = ("curl -s -X POST $API/v1/match -d '{}'\n"
            "# -> 200 {\"matches\": [{\"score\": 1.08,\n"
            "#      \"reasons_ko\": [...], ...}, ...]}\n"
            "#    (prose after the shape)\n"
            "curl -s $API/v1/companies -d '{}'\n"
            "# -> 422 application/problem+json\n"
            "# {\"status\": 422, ...}\n")
    first, second = Block("x.md", 0, "bash", code).markers()
    assert (first.status, first.line, second.status, second.media_type, second.line) == \
        (200, 2, 422, "application/problem+json", 6)
    assert match(parse_shape(first.shape or ""), {"matches": [{"score": 0.4, "reasons_ko": []}]}) == []
    assert match(parse_shape(second.shape or ""), {"status": 422, "title": "..."}) == []
