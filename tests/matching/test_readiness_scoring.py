"""Readiness in the score: weighted, scaled by relevance like the other fit components, neutral without an
inventory, and `best` (the cheap pass) ranks as `rank` does."""

from __future__ import annotations

from dataclasses import replace

from matching.documents import NeedQuery
from matching.readiness import Holding, Requirement
from matching.scoring import Candidate, best, rank
from matching.weights import MatchWeights
from tests.matching.conftest import make_doc

VIB = Requirement("vibration_timeseries", "진동", "vibration", "센서 설치", "sensor installation", min_rate_hz=10_000)
CUR = Requirement("motor_current", "모터 전류", "motor current", "전류 센서(CT) 설치", "current sensor installation")
NEED = NeedQuery(text="설비 고장 예지보전", inventory=(Holding("motor_current", rate_hz=2_000),))
CATS = {"predictive_maintenance": 1.0}
DOCS = [make_doc("A", "예지보전", category="predictive_maintenance"),
        make_doc("B", "예지보전", category="predictive_maintenance")]
NEEDS = {"A": [VIB], "B": [CUR]}


def _cands():
    return [Candidate(d, 1.0) for d in DOCS]


def test_the_solution_the_sme_has_data_for_ranks_first():
    ranked = rank(NEED, _cands(), CATS, MatchWeights(), requirements=NEEDS)
    assert [m.doc_id for m in ranked] == ["B", "A"]
    assert ranked[0].breakdown["readiness"] == 0.1
    assert ranked[1].breakdown["readiness"] == -0.1
    assert "필요 데이터: 진동 10 kHz, 보유: 없음 → 센서 설치 단계 필요" in ranked[1].reasons_ko
    top = best(NEED, _cands(), CATS, MatchWeights(), k=1, top_text=1.0, requirements=NEEDS)
    assert [c.doc.id for c in top] == ["B"]


def test_no_inventory_or_no_weight_moves_nothing():
    plain = rank(replace(NEED, inventory=None), _cands(), CATS, MatchWeights(), requirements=NEEDS)
    assert [m.doc_id for m in plain] == ["A", "B"]  # the id breaks the tie
    assert {m.breakdown["readiness"] for m in plain} == {0.0}
    off = rank(NEED, _cands(), CATS, MatchWeights.from_data({"readiness": 0.0}), requirements=NEEDS)
    assert off[0].score == off[1].score
