import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.documents import LEVELS, NeedQuery
from matching.reasons import format_krw_en, format_krw_ko
from matching.scoring import COMPONENTS, Candidate, best, rank
from matching.weights import MatchWeights
from tests.matching.conftest import make_doc

NEED = NeedQuery(text="사출품 불량 검사", industry="C22", smart_factory_level="basic",
                 budget_krw=150_000_000, region="경기")
CATS = {"vision_inspection": 0.9, "process_optimization": 0.1}


def _rank(docs, scores=None, **kw):
    scores = scores or [1.0] * len(docs)
    cands = [Candidate(d, s, ("불량",)) for d, s in zip(docs, scores, strict=True)]
    labels = {"vision_inspection": {"ko": "비전 검사", "en": "vision"}}
    return rank(NEED, cands, CATS, MatchWeights(), labels=labels,
                evidence={"vision_inspection": ["불량 검사"]}, **kw)


def test_breakdown_sums_to_score_and_has_every_component():
    docs = [make_doc("A", "x", industries=["C22"]), make_doc("B", "x", min_level="advanced",
            price_min_krw=300_000_000, price_max_krw=500_000_000, industries=["C13"], region="부산")]
    for m in _rank(docs, [2.0, 1.0]):
        assert set(m.breakdown) == set(COMPONENTS)
        assert abs(sum(m.breakdown.values()) - m.score) < 1e-9


def test_reasons_in_both_languages():
    (m,) = _rank([make_doc("A", "x", industries=["C22"])])
    assert m.reasons_ko
    assert m.reasons_en
    assert len(m.reasons_ko) == len(m.reasons_en)
    joined_ko, joined_en = " ".join(m.reasons_ko), " ".join(m.reasons_en)
    assert "기초 단계에서 도입 가능" in joined_ko
    assert "Deployable at the basic level" in joined_en
    assert "예산 1.5억 원 이내" in joined_ko
    assert "Within the budget of 150 million KRW" in joined_en
    assert "고무·플라스틱(C22)" in joined_ko
    assert "(C22)" in joined_en
    assert "비전 검사" in joined_ko


def test_structured_fit_orders_equally_worded_solutions():
    exact = make_doc("A", "x", industries=["C22"])
    everyone = make_doc("B", "x", industries=["*"])
    other = make_doc("C", "x", industries=["C13"])
    too_advanced = make_doc("D", "x", industries=["C22"], min_level="advanced")
    over_budget = make_doc("E", "x", industries=["C22"], price_min_krw=400_000_000, price_max_krw=600_000_000)
    ranked = [m.doc_id for m in _rank([other, too_advanced, over_budget, everyone, exact])]
    assert ranked[:2] == ["A", "B"]
    assert set(ranked[2:]) == {"C", "D", "E"}


def test_text_decides_among_fitting_solutions():
    a, b = make_doc("A", "x", industries=["C22"]), make_doc("B", "x", industries=["C22"])
    assert [m.doc_id for m in _rank([a, b], [0.5, 3.0])] == ["B", "A"]


def test_ties_break_on_id():
    a, b = make_doc("B", "x"), make_doc("A", "x")
    assert [m.doc_id for m in _rank([a, b])] == ["A", "B"]


def test_unrelated_category_does_not_win_on_fit_alone():
    right_kind = make_doc("A", "x", industries=["C13"])  # right category, other industry
    wrong_kind = make_doc("B", "x", category="demand_forecasting", industries=["C22"])
    ranked = _rank([wrong_kind, right_kind], [0.1, 0.1])
    assert ranked[0].doc_id == "A"


def test_weights_come_from_data():
    w = MatchWeights.from_data({"text": 1.0, "category": 0.0})
    assert (w.text, w.category) == (1.0, 0.0)
    assert w.industry == MatchWeights().industry
    with pytest.raises(ValueError, match="unknown"):
        MatchWeights.from_data({"txet": 1.0})


def test_weights_from_env(monkeypatch):
    monkeypatch.setenv("AXR_MATCH_WEIGHTS", '{"region": 0.5}')
    assert MatchWeights.from_env().region == 0.5


@pytest.mark.parametrize(
    ("amount", "ko", "en"),
    [
        (150_000_000, "1.5억 원", "150 million KRW"),
        (80_000_000, "8,000만 원", "80 million KRW"),
        (100_000_000, "1억 원", "100 million KRW"),
        (1_200_000_000, "12억 원", "1.2 billion KRW"),
        (123_450_000, "1억 2,345만 원", "123.45 million KRW"),
        (5_000, "5,000원", "5,000 KRW"),
    ],
)
def test_money_formatting(amount, ko, en):
    assert format_krw_ko(amount) == ko
    assert format_krw_en(amount) == en




@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(
    st.sampled_from(["vision_inspection", "process_optimization", "safety_monitoring"]),
    st.sampled_from([["C22"], ["C13"], ["*"], []]), st.sampled_from(LEVELS),
    st.integers(1, 6), st.integers(0, 4), st.floats(0.0, 5.0), st.sampled_from(["경기", "부산"]),
    st.sampled_from([None, 0.0, 0.4, 1.0])), min_size=1, max_size=40), st.integers(1, 12))
def test_best_is_the_head_of_rank(specs, k):
    """The cheap pass a match makes over its hundreds of candidates picks what the full ranking
    would show first, in the same order (ties by id)."""
    cands = []
    for i, (cat, ind, level, lo, extra, text, region, record) in enumerate(specs):
        doc = make_doc(f"D{i:02d}", "x", category=cat, industries=ind, min_level=level,
                       price_min_krw=lo * 50_000_000, price_max_krw=(lo + extra) * 50_000_000, region=region,
                       track_record=record)
        cands.append(Candidate(doc, round(text, 1)))
    top = max(c.text_score for c in cands)
    full = [m.doc_id for m in rank(NEED, cands, CATS, MatchWeights(), top_text=top)][:k]
    assert [c.doc.id for c in best(NEED, cands, CATS, MatchWeights(), k=k, top_text=top)] == full
