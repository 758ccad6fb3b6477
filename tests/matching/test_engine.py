from matching.documents import SearchFilters
from matching.engine import TantivyIndex
from matching.matcher import search
from tests.matching.conftest import Store, make_doc


def test_upsert_is_idempotent_and_replaces(small_index, small_docs):
    assert small_index.count() == 5
    small_index.upsert(small_docs[:2])
    assert small_index.count() == 5
    small_index.upsert([make_doc("V1", "완전히 다른 제목", "에너지")])
    assert small_index.search({"불량검출": 1.0}).hits == []
    assert [h.doc_id for h in small_index.search({"완전히": 1.0}).hits] == ["V1"]


def test_delete_and_clear(small_index):
    small_index.delete(["V1", "missing"])
    assert small_index.count() == 4
    assert small_index.search({"불량": 1.0}).hits == []
    small_index.clear()
    assert small_index.count() == 0


def test_title_outranks_description():
    index = TantivyIndex(None)
    index.upsert([make_doc("T", "예지보전 솔루션", "설비 관리"),
                  make_doc("D", "설비 관리", "예지보전 솔루션")])
    assert [h.doc_id for h in index.search({"예지보전": 1.0}).hits] == ["T", "D"]


def test_filters(small_index):
    def ids(**kw):
        return sorted(h.doc_id for h in small_index.search({}, filters=SearchFilters(**kw), limit=50).hits)

    assert ids(categories=["vision_inspection"]) == ["V1", "V2"]
    assert ids(industries=["C13"]) == ["E1", "S1", "V2"]  # "*" solutions fit every industry
    assert ids(max_level="basic") == ["E1", "S1", "V1", "V2"]
    assert ids(max_price_krw=60_000_000) == ["E1", "S1", "V1", "V2"]
    assert ids(regions=["경남"]) == ["P1"]
    assert ids(deployment_modes=["cloud"]) == ["E1"]
    assert ids(tips_stages=["selected"]) == ["E1"]
    assert ids(categories=["vision_inspection"], exclude_ids=["V1"]) == ["V2"]


def test_facets_count_the_result_set(small_index):
    page = small_index.search({"카메라": 1.0}, with_facets=True)
    assert page.total == 3
    assert page.facets["category"] == {"vision_inspection": 2, "industrial_safety": 1}
    assert page.facets["region"] == {"경기": 1, "부산": 1, "인천": 1}


def test_reopened_index_keeps_documents_and_typo_vocabulary(tmp_path, small_docs):
    TantivyIndex(str(tmp_path)).upsert(small_docs)
    reopened = TantivyIndex(str(tmp_path))
    assert reopened.count() == 5
    assert reopened.has_term("불량")
    assert reopened.similar_terms("붕량") == ["불량"]


def test_pagination_has_no_duplicates_or_gaps():
    docs = [make_doc(f"D{i:02d}", "불량 검사" if i % 3 else "불량 검사 카메라") for i in range(25)]
    index = TantivyIndex(None)
    index.upsert(docs)
    store = Store(docs)
    seen, cursor, pages = [], None, 0
    while True:
        res = search("불량 검사 카메라", index=index, docs=store.load, is_active=store.active,
                     limit=4, cursor=cursor)
        seen += [i.doc.id for i in res.items]
        pages += 1
        cursor = res.next_cursor
        if cursor is None:
            break
    assert pages == 7
    assert len(seen) == len(set(seen)) == 25
    everything = search("불량 검사 카메라", index=index, docs=store.load, is_active=store.active, limit=50)
    assert seen == [i.doc.id for i in everything.items]
    scores = [i.score for i in everything.items]
    assert scores == sorted(scores, reverse=True)
