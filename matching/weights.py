"""Tunable weights of the matcher, with defaults here and overrides from a dict or JSON env var."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ENV_VAR = "AXR_MATCH_WEIGHTS"


def _default_tips() -> dict[str, float]:
    return {"graduated": 1.0, "funded": 0.8, "selected": 0.6, "recommended": 0.3, "none": 0.0}


@dataclass(frozen=True)
class MatchWeights:
    """Component weights (the score is their weighted sum) and retrieval settings.

    The structured components together outweigh text: a solution the SME cannot deploy (level too
    high, over budget, other industry) should rank below one it can, even if worded more alike.
    """

    # score components: each part is weight x value, value in [-1, 1]
    text: float = 0.25
    category: float = 0.35
    industry: float = 0.20
    level: float = 0.15
    budget: float = 0.15
    region: float = 0.02
    track_record: float = 0.01
    tips: float = 0.01
    readiness: float = 0.10  # data readiness (matching/readiness.py); 0 for an SME without an inventory
    # values inside components
    category_text_floor: float = 1.0  # category value x (floor + (1 - floor) x text value); 1 = kind alone
    text_exponent: float = 0.5  # text value = (BM25 / best BM25) ** exponent: below 1, some overlap counts more
    industry_all_value: float = 0.7  # solution for all manufacturing ("*") vs the exact division (1.0)
    industry_other_value: float = -0.7  # built for other industries only (the independent set grades most 0)
    level_step_penalty: float = 0.25  # per level the solution needs above the SME's
    budget_straddle_value: float = 0.75  # lowest price fits, highest does not
    budget_over_slope: float = 1.0  # penalty per 100% the lowest price exceeds the budget
    tips_values: dict[str, float] = field(default_factory=_default_tips)
    readiness_partial_value: float = 0.0  # a required profile held short of the rate, volume or labels asked
    readiness_missing_value: float = -1.0  # a required profile the SME does not collect
    # query side
    compound_weight: float = 0.6  # joined neighbours (불량검출 for 불량 검출)
    fuzzy_weight: float = 0.7  # a term one typo away (its synonyms are scaled by this too)
    max_expansions: int = 40  # 30: generalisation 0.874 but our held-out needs 0.912 (40: 0.865 and 0.939)
    # retrieval
    text_candidates: int = 150  # 200 and 300 ranked the same on both development sets and cost more at 100k
    category_candidates: int = 120  # 150 and 200 the same
    category_min_share: float = 0.15  # categories at least this likely are retrieved whole
    feedback_docs: int = 10  # the best text hits whose categories (the catalogue's labels) say the need's kind
    feedback_power: float = 2.0  # a neighbour's say grows with its text score to this power
    feedback_terms: float = 0.5  # weight of a word the closest solutions' titles share (0 = no term feedback)
    feedback_docs_terms: int = 5  # how many of the closest solutions lend their title words
    feedback_min_docs: int = 2  # a word must be in this many of their titles
    feedback_max_terms: int = 8
    thesaurus_prior: float = 0.1  # weight of one unit of thesaurus evidence beside the neighbours' labels
    exact_title_boost: float = 0.0  # a title carrying one of the need's own words, again (match)
    exact_title_boost_search: float = 6.0  # the same for the search box, where names and abbreviations are typed
    grams_in_kind: bool = False  # bigrams also score the searches for solutions of the need's kind
    gram_weight_search: float = 0.0  # bigrams in the search box (names and abbreviations are typed there)
    gram_weight: float = 0.4  # a character bigram of the need's words, beside a whole analysed token (1.0)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> MatchWeights:
        """Defaults overridden by `data`; unknown keys are an error, so typos do not pass silently."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"unknown match weight(s): {sorted(unknown)}")
        return dataclasses.replace(cls(), **dict(data))

    @classmethod
    def from_env(cls, var: str = ENV_VAR) -> MatchWeights:
        raw = os.environ.get(var)
        return cls.from_data(json.loads(raw)) if raw else cls()

    def to_data(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
