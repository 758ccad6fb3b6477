"""Matching outside the thesaurus' words: the need's kind learned from the catalogue being served,
needs read for what they lack and for their amounts, abbreviations, and reasons in plain words."""

from __future__ import annotations

import re

import pytest

from matching.engine import TantivyIndex
from matching.evaluation import load_catalogue, load_needs
from matching.matcher import match, prepare_query
from matching.need_reading import read_need
from matching.thesaurus import default_thesaurus
from matching.weights import MatchWeights
from tests.matching.conftest import EVAL_DIR, Store, make_doc

# A wording no thesaurus group knows (made-up product words), for a category the matcher must learn.
NEW_WORDING = [
    make_doc("K1", "뽀득이 세척라인 잔류물 판독기", "세척라인 끝에서 뽀득이 잔류물을 판독해 재세척을 지시합니다.",
             category="quality_prediction"),
    make_doc("K2", "뽀득이 잔류물 판독 클라우드", "잔류물 판독 결과를 모아 세척 조건을 알려 줍니다.",
             category="quality_prediction"),
    make_doc("K3", "카메라 외관 검사", "카메라로 스크래치를 검사합니다.", category="vision_inspection"),
    make_doc("K4", "설비 진동 예지보전", "진동 센서로 고장을 미리 알려 줍니다.", category="predictive_maintenance"),
]


def _categories(text: str, index: TantivyIndex, store: Store) -> list[str]:
    return [m.doc.category for m in match(_need(text), index=index, docs=store.load, is_active=store.active)
            if m.doc is not None]


def _need(text: str, **kw: object):  # noqa: ANN202
    from matching.documents import NeedQuery

    return NeedQuery(text=text, **kw)  # type: ignore[arg-type]


def test_a_need_with_no_thesaurus_word_gets_the_category_the_catalogue_gives_those_words():
    text = "뽀득이 잔류물이 자꾸 남아요"
    pq = prepare_query(text, index=TantivyIndex(None), thesaurus=default_thesaurus(), weights=MatchWeights())
    assert pq.categories.strength == {}, "the test needs words the thesaurus does not know"
    index = TantivyIndex(None)
    store = Store(list(NEW_WORDING))
    index.upsert(store.docs.values())
    ranked = match(_need(text), index=index, docs=store.load, is_active=store.active)
    assert [m.doc_id for m in ranked[:2]] == ["K1", "K2"] or [m.doc_id for m in ranked[:2]] == ["K2", "K1"]
    assert ranked[0].breakdown["category"] > 0, "the learned category counts in the score"


def test_the_learned_kind_follows_what_is_published_and_withdrawn():
    index = TantivyIndex(None)
    store = Store([d for d in NEW_WORDING if d.id in ("K3", "K4")])
    index.upsert(store.docs.values())
    text = "뽀득이 잔류물 판독"
    assert "quality_prediction" not in _categories(text, index, store)
    # a supplier publishes solutions in a new wording: the next query learns their kind
    published = [d for d in NEW_WORDING if d.id in ("K1", "K2")]
    store.docs.update({d.id: d for d in published})
    index.upsert(published)
    assert _categories(text, index, store)[:2] == ["quality_prediction", "quality_prediction"]
    # withdrawn again: the kind goes with them
    index.delete(["K1", "K2"])
    for d in published:
        del store.docs[d.id]
    assert "quality_prediction" not in _categories(text, index, store)


def test_an_amount_does_not_steer_the_category():
    weights, thesaurus, index = MatchWeights(), default_thesaurus(), TantivyIndex(None)
    plain = prepare_query("원단 얼룩 검사", index=index, thesaurus=thesaurus, weights=weights)
    with_budget = prepare_query("예산 5천만 원, 원단 얼룩 검사. 5천 정도", index=index, thesaurus=thesaurus,
                                weights=weights)
    assert with_budget.categories.strength == plain.categories.strength
    assert not {"천", "천만", "5천만", "5"} & set(with_budget.analyzed.terms)
    assert read_need("예산 5천만 원이에요").amounts == ("5", "천만", "원")


@pytest.mark.parametrize("text", ["MES가 없어요. 설비 고장을 미리 알고 싶어요",
                                  "아직 MES도 없고 센서도 거의 없는 공장인데 설비 고장을 미리 알고 싶어요",
                                  "MES 같은 큰 시스템은 필요 없어요. 설비 고장을 미리 알고 싶어요",
                                  "We have no MES; we want to know about machine breakdowns in advance"])
def test_a_system_the_sme_lacks_does_not_pull_that_product_up(text):
    docs = [make_doc("M1", "중소기업 MES 구축", "MES로 작업지시와 실적을 관리합니다. MES MES",
                     category="data_platform"),
            make_doc("P1", "설비 고장 예측 서비스", "진동으로 설비 고장을 미리 알려 줍니다.",
                     title_en="Machine breakdown prediction", description_en="Know about breakdowns in advance.",
                     category="predictive_maintenance")]
    store = Store(docs)
    index = TantivyIndex(None)
    index.upsert(docs)
    reading = read_need(text)
    assert any(w.lower() == "mes" for w in reading.absent)
    ranked = match(_need(text), index=index, docs=store.load, is_active=store.active)
    assert ranked[0].doc_id == "P1"
    assert "mes" not in {t.lower() for m in ranked for t in m.matched_terms}


def test_a_goal_of_no_defects_is_not_read_as_a_lack():
    assert read_need("불량이 없도록 원단을 검사하고 싶어요").absent == ()


def test_an_abbreviation_ranks_the_solution_whose_title_carries_it_first():
    docs = [make_doc("A1", "APS 생산 스케줄러", "유한 능력 일정 계획", category="production_scheduling"),
            make_doc("A2", "생산계획 클라우드", "엑셀 대신 생산계획을 세웁니다. APS 연동 가능",
                     category="production_scheduling"),
            make_doc("A3", "작업지시 관리", "생산 일정과 작업지시를 관리합니다. 계획 일정 생산",
                     category="production_scheduling")]
    store = Store(docs)
    index = TantivyIndex(None)
    index.upsert(docs)
    from matching.matcher import search

    assert [i.doc.id for i in search("APS", index=index, docs=store.load, is_active=store.active).items][0] == "A1"
    assert match(_need("APS"), index=index, docs=store.load, is_active=store.active)[0].doc_id == "A1"


_WORD = re.compile(r"[a-z0-9]+")


@pytest.mark.parametrize(("catalogue_file", "needs_file"), [
    ("catalogue.json", "needs-dev.json"),
    ("generalisation/catalogue.json", "generalisation/needs.json")])
def test_no_reason_shows_a_stem_or_internal_token(catalogue_file, needs_file):
    catalogue = load_catalogue(EVAL_DIR / catalogue_file)
    index = TantivyIndex(None)
    index.upsert(catalogue.docs.values())
    for need in load_needs(EVAL_DIR / needs_file):
        for m in match(need.need, index=index, docs=catalogue.load, is_active=catalogue.designated, limit=10):
            doc = catalogue.docs[m.doc_id]
            text = f"{doc.title_ko} {doc.title_en} {doc.description_ko} {doc.description_en}"
            words = set(_WORD.findall(text.lower()))
            for term in m.matched_terms:
                for w in _WORD.findall(term):
                    assert w in words, f"{need.id}: reason shows {term!r}, not a word of {m.doc_id}"
            for reason in m.reasons_ko + m.reasons_en:
                assert not re.search(r"\b[a-z]+_[a-z_]+\b", reason), reason  # category codes


def test_an_english_need_reaches_a_korean_only_solution_through_the_bilingual_ones():
    """No thesaurus entry joins these words: the closest bilingual solutions lend their Korean titles."""
    thesaurus = default_thesaurus()
    assert not any(w in thesaurus.vocabulary() for w in ("ginseng", "홍삼", "extract", "추출", "extraction"))
    docs = [make_doc("E1", "홍삼 추출 농도 예측", title_en="Red ginseng extraction concentration prediction",
                     category="quality_prediction"),
            make_doc("E2", "홍삼 추출 공정 모니터링", title_en="Red ginseng extraction process monitoring",
                     category="quality_prediction"),
            make_doc("K1", "홍삼 추출기 온도 관리", "추출기 온도와 시간을 관리합니다.", category="quality_prediction"),
            make_doc("X1", "사출 외관 검사", "카메라 검사", category="vision_inspection")]
    # solutions of the same kind in other words: the kind alone must not be what places K1
    docs += [make_doc(f"Q{i}", title, category="quality_prediction")
             for i, title in enumerate(["용접 품질 예측", "도장 두께 예측", "열처리 경도 예측"])]
    store = Store(docs)
    index = TantivyIndex(None)
    index.upsert(docs)
    ranked = match(_need("red ginseng extraction"), index=index, docs=store.load, is_active=store.active)
    assert [m.doc_id for m in ranked][:3] == ["E1", "E2", "K1"], [m.doc_id for m in ranked]
    assert ranked[2].breakdown["text"] > 0, "K1 is found by its own Korean words"


@pytest.mark.parametrize("q", ["APS", "SCADA", "RAG", "AMR"])
def test_an_abbreviation_typed_alone_ranks_the_titles_that_carry_it_first(q):
    """On the independently written catalogue: every solution whose title carries the abbreviation
    comes before any that only mentions it or its synonyms."""
    from matching.matcher import search

    catalogue = load_catalogue(EVAL_DIR / "generalisation" / "catalogue.json")
    designated = catalogue.active_suppliers({d.supplier_id for d in catalogue.docs.values()})
    docs = [d for d in catalogue.docs.values() if d.supplier_id in designated]
    index = TantivyIndex(None)
    index.upsert(docs)
    titled = {d.id for d in docs if re.search(rf"\b{q}\b", f"{d.title_ko} {d.title_en}")}
    assert titled
    ranked = [i.doc.id for i in search(q, index=index, docs=catalogue.load, is_active=catalogue.designated,
                                       limit=len(titled), with_facets=False).items]
    assert set(ranked) == titled, ranked
