import copy

import pytest

from matching.analysis import analyze_query
from matching.engine import TantivyIndex
from matching.matcher import search
from matching.thesaurus import Thesaurus, ThesaurusError, default_thesaurus
from tests.matching.conftest import Store, make_doc


def test_default_thesaurus_loads_and_covers_every_category():
    th = default_thesaurus()
    assert th.version
    covered = {c for g in th.groups for c in g.categories}
    assert len(covered) == 12
    assert set(th.labels) == covered


def test_round_trip_through_data():
    th = default_thesaurus()
    data = th.to_data()
    again = Thesaurus.from_data(copy.deepcopy(data))
    assert again.to_data() == data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"groups": [{"id": "a", "terms": ["x"]}]}, "version"),
        ({"version": 1, "groups": []}, "groups"),
        ({"version": 1, "groups": [{"id": "a", "terms": []}]}, "terms"),
        ({"version": 1, "groups": [{"id": "a", "terms": ["x"]}, {"id": "a", "terms": ["y"]}]}, "duplicate"),
        ({"version": 1, "groups": [{"id": "a", "terms": ["x"], "categories": {"welding": 1}}]}, "unknown"),
        ({"version": 1, "groups": [{"id": "a", "terms": ["x"], "weight": 1.5}]}, "weight"),
    ],
)
def test_invalid_data_is_rejected_with_a_reason(data, message):
    with pytest.raises(ThesaurusError, match=message):
        Thesaurus.from_data(data)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("사출품 외관에 스크래치가 많아요", "vision_inspection"),
        ("모터가 자꾸 고장나서 라인이 서요", "predictive_maintenance"),
        ("forklift near misses with workers", "industrial_safety"),
        ("전기세가 너무 많이 나옵니다", "energy_management"),
        ("납기 맞추기가 어려워요, 생산 일정 계획", "production_scheduling"),
        ("작업 표준서를 찾아주는 챗봇", "manufacturing_llm"),
        ("PLC 데이터를 모으고 싶어요", "data_platform"),
        ("demand forecast for our products", "demand_forecasting"),
    ],
)
def test_category_inference(text, category):
    inference = default_thesaurus().infer_categories(analyze_query(text))
    assert inference.top(1)[0][0] == category
    assert inference.evidence[category]
    assert abs(sum(inference.scores.values()) - 1.0) < 1e-9


def test_longest_reading_wins():
    matched = {m.group.id for m in default_thesaurus().matches(analyze_query("bin picking robot"))}
    assert "robotics.bin_picking" in matched
    assert "logistics.warehouse" not in matched  # "picking" alone would mean warehouse picking


def test_expansion_weights_are_below_the_query_words():
    aq = analyze_query("불량 검출")
    expansions = default_thesaurus().expand(aq)
    assert expansions
    assert all(0 < q.weight < 1 for q in expansions)
    assert any(q.token == "결함" for q in expansions)


def test_english_query_finds_korean_only_document():
    docs = [make_doc("K1", "설비 예지보전", "진동 센서로 베어링 고장을 미리 알려 줍니다.",
                     category="predictive_maintenance"),
            make_doc("K2", "원단 결함 검사", "얼룩과 구멍을 찾아냅니다.")]
    index = TantivyIndex(None)
    index.upsert(docs)
    store = Store(docs)
    res = search("predictive maintenance", index=index, docs=store.load, is_active=store.active)
    assert [i.doc.id for i in res.items] == ["K1"]


def test_edited_thesaurus_takes_effect():
    docs = [make_doc("K1", "흑점 검출 장치")]
    index = TantivyIndex(None)
    index.upsert(docs)
    store = Store(docs)
    plain = search("black spots", index=index, docs=store.load, is_active=store.active)
    assert plain.items == []
    th = Thesaurus.from_data({"version": "t1", "groups": [{"id": "spot", "terms": ["흑점", "black spot"]}]})
    edited = search("black spots", index=index, docs=store.load, is_active=store.active, thesaurus=th)
    assert [i.doc.id for i in edited.items] == ["K1"]
