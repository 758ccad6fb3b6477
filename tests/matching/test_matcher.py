from matching.documents import NeedQuery
from matching.matcher import match, search
from tests.matching.conftest import Store, make_doc


def test_inactive_supplier_is_never_returned(small_index, small_docs):
    store = Store(small_docs, inactive={"sup-V1"})  # V1 is the best text match
    need = NeedQuery("사출품 불량검출 비전", industry="C22", smart_factory_level="basic",
                     budget_krw=100_000_000)
    ids = [m.doc_id for m in match(need, index=small_index, docs=store.load, is_active=store.active)]
    assert "V1" not in ids
    assert ids[0] == "V2"
    found = search("사출품 불량검출", index=small_index, docs=store.load, is_active=store.active)
    assert "V1" not in [i.doc.id for i in found.items]


def test_suppliers_are_checked_at_query_time(small_index, small_docs):
    store = Store(small_docs)
    need = NeedQuery("지게차 충돌")
    assert match(need, index=small_index, docs=store.load, is_active=store.active)[0].doc_id == "S1"
    store.inactive.add("sup-S1")  # suspended after indexing: the index still has the document
    after = match(need, index=small_index, docs=store.load, is_active=store.active)
    assert "S1" not in [m.doc_id for m in after]


def test_designation_is_checked_for_the_shown_then_the_next(small_index, small_docs):
    """The database is asked about the suppliers of the matches about to be shown, not about every
    candidate; one found inactive (the index lags) is dropped and the next best are asked about."""
    store = Store(small_docs, inactive={"sup-V1"})
    asked: list[set[tuple[str, str]]] = []

    def active(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
        asked.append(set(pairs))
        return store.active(pairs)

    need = NeedQuery("사출품 불량검출 비전", industry="C22", smart_factory_level="basic", budget_krw=100_000_000)
    shown = match(need, index=small_index, docs=store.load, is_active=active, limit=1)
    assert [m.doc_id for m in shown] == ["V2"]
    assert asked == [{("sup-V1", "vision_inspection")}, {("sup-V2", "vision_inspection")}]


def test_need_whose_words_miss_gets_its_category():
    # "전기세" appears in no document; the thesaurus knows it means energy management
    docs = [make_doc("E1", "FEMS 솔루션", "공장 설비 모니터링", category="energy_management"),
            make_doc("V1", "외관 검사", "카메라 검사")]
    from matching.engine import TantivyIndex

    index = TantivyIndex(None)
    index.upsert(docs)
    store = Store(docs)
    ranked = match(NeedQuery("전기세 부담이 커요"), index=index, docs=store.load, is_active=store.active)
    assert ranked[0].doc_id == "E1"
    assert any("에너지 관리" in r for r in ranked[0].reasons_ko)


def test_matches_explain_themselves(small_index, small_docs):
    store = Store(small_docs)
    need = NeedQuery("사출품 미성형 불량 검사", industry="C22", smart_factory_level="basic",
                     budget_krw=150_000_000, region="경기")
    best = match(need, index=small_index, docs=store.load, is_active=store.active)[0]
    assert best.doc_id == "V1"
    assert abs(sum(best.breakdown.values()) - best.score) < 1e-9
    assert "미성형" in best.matched_terms
    assert any("미성형" in r for r in best.reasons_ko)
    assert any("same region" in r for r in best.reasons_en)


def test_search_returns_highlights_and_facets(small_index, small_docs):
    store = Store(small_docs)
    res = search("스크래치 검사", index=small_index, docs=store.load, is_active=store.active)
    top = res.items[0]
    assert top.doc.id == "V1"
    assert "스크래치" in top.highlights["description_ko"]
    assert res.facets["category"]["vision_inspection"] >= 1


def test_empty_text_browses_with_filters(small_index, small_docs):
    from matching.documents import SearchFilters

    store = Store(small_docs)
    res = search("", index=small_index, docs=store.load, is_active=store.active,
                 filters=SearchFilters(categories=["vision_inspection"]))
    assert sorted(i.doc.id for i in res.items) == ["V1", "V2"]


def test_limit_is_respected(catalogue, catalogue_index):
    need = NeedQuery("불량 검사")
    assert len(match(need, index=catalogue_index, docs=catalogue.load,
                     is_active=catalogue.designated, limit=5)) == 5


def test_english_need_over_korean_only_documents():
    docs = [make_doc("P1", "설비 예지보전", "모터 진동으로 고장을 예측합니다.",
                     category="predictive_maintenance"),
            make_doc("V1", "외관 검사", "카메라로 스크래치를 검사합니다.")]
    from matching.engine import TantivyIndex

    index = TantivyIndex(None)
    index.upsert(docs)
    store = Store(docs)
    ranked = match(NeedQuery("motor breakdowns stop our line"), index=index, docs=store.load,
                   is_active=store.active)
    assert ranked[0].doc_id == "P1"


def test_a_solution_outside_its_suppliers_scope_is_not_designated():
    """Designation is per (supplier, category): the supplier's certificate covers vision inspection only,
    so its predictive-maintenance solution is dropped from matches and search even when the index holds it."""
    from matching.engine import TantivyIndex

    docs = [make_doc("V", "사출품 외관 불량 검사", "카메라로 스크래치를 검사합니다.", supplier_id="sup-A"),
            make_doc("P", "모터 진동 예지보전", "모터 진동으로 고장을 미리 알려 줍니다.", supplier_id="sup-A",
                     category="predictive_maintenance")]
    index = TantivyIndex(None)
    index.upsert(docs)
    store = Store(docs)
    asked: list[set[tuple[str, str]]] = []

    def scoped(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
        asked.append(set(pairs))
        return {p for p in pairs if p == ("sup-A", "vision_inspection")}

    assert "P" not in [m.doc_id for m in match(NeedQuery("모터 진동 고장 예지보전"), index=index, docs=store.load,
                                               is_active=scoped)]
    assert [i.doc.id for i in search("", index=index, docs=store.load, is_active=scoped).items] == ["V"]
    assert all(len(a) <= 2 for a in asked)  # one question per round about the pairs shown, not per candidate
