import pytest

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


def _facts_by_id(page):
    return {h.doc_id: h.facts for h in page.hits}


def test_hits_carry_the_facts_the_matcher_ranks_on_also_after_reopening(tmp_path, small_docs):
    docs = [*small_docs, make_doc("T1", "가공 조건 최적화", industries=["C24", "C25"], min_level="advanced",
                                  price_min_krw=300_000_000, price_max_krw=900_000_000, region="경북",
                                  tips_stage="graduated", track_record=0.67)]
    TantivyIndex(str(tmp_path)).upsert(docs)
    for index in (TantivyIndex(str(tmp_path)), TantivyIndex(str(tmp_path))):  # facts rebuilt from the store
        facts = _facts_by_id(index.search({}, limit=10))
        assert set(facts) == {d.id for d in docs}
        for d in docs:
            f = facts[d.id]
            assert (f.supplier_id, f.category, list(f.industries), f.min_level, f.price_min_krw, f.price_max_krw,
                    f.region, f.deployment_mode, f.tips_stage, f.track_record) == (
                d.supplier_id, d.category, list(d.industries), d.min_level, d.price_min_krw, d.price_max_krw,
                d.region, d.deployment_mode, d.tips_stage, d.track_record)


def test_facts_follow_edits_and_deletes(small_index):
    small_index.upsert([make_doc("V1", "사출품 불량검출 비전 시스템", region="광주", price_min_krw=1,
                                 price_max_krw=2)])
    small_index.delete(["S1"])
    facts = _facts_by_id(small_index.search({}, limit=10))
    assert "S1" not in facts
    assert (facts["V1"].region, facts["V1"].price_max_krw) == ("광주", 2)


def test_two_ids_sharing_a_key_read_their_stored_documents(monkeypatch, small_docs):
    from matching import fact_table

    monkeypatch.setattr(fact_table, "doc_key", lambda doc_id: 42)  # every document collides
    index = TantivyIndex(None)
    index.upsert(small_docs)
    facts = _facts_by_id(index.search({}, limit=10))
    assert {i: (f.id, f.region) for i, f in facts.items()} == {d.id: (d.id, d.region) for d in small_docs}


def test_an_index_folder_of_another_format_is_discarded_and_must_be_rebuilt(tmp_path, small_docs):
    folder = tmp_path / "index"
    TantivyIndex(str(folder)).upsert(small_docs)
    assert not TantivyIndex(str(folder)).needs_rebuild
    (folder / "axr-index.json").write_text('{"schema": 1}')  # as left by an older release
    stale = TantivyIndex(str(folder))
    assert stale.needs_rebuild
    assert stale.count() == 0
    stale.upsert(small_docs[:1])
    stale.clear()  # what a rebuild starts with
    assert not stale.needs_rebuild
    assert not TantivyIndex(str(folder)).needs_rebuild  # the folder is of this format now


def test_search_each_equals_one_search_per_variant(small_index):
    terms = {"카메라": 1.0, "검사": 0.5}
    variants = [(SearchFilters(categories=["vision_inspection"]), 5), (None, 3), (SearchFilters(regions=["인천"]), 5)]
    pages = small_index.search_each(terms, variants, include_unmatched=True)
    for page, (filters, limit) in zip(pages, variants, strict=True):
        alone = small_index.search(terms, filters=filters, limit=limit, include_unmatched=True)
        assert [(h.doc_id, h.score) for h in page.hits] == [(h.doc_id, h.score) for h in alone.hits]


def _segments(folder) -> int:
    import json

    return len(json.loads((folder / "meta.json").read_text())["segments"])


def test_bulk_load_is_one_commit_that_searches_see_at_its_end(tmp_path, small_docs):
    """A rebuild or a large import commits once: until then searches see the old contents, and the
    batches end up in one segment, not one per batch (fewer segments, cheaper queries)."""
    index = TantivyIndex(str(tmp_path))
    index.upsert(small_docs[:1])
    with index.bulk():
        index.clear()
        for d in small_docs:
            index.upsert([d])  # a batch each, as index_sync sends them
            assert index.count() == 1  # the old contents, still
    assert index.count() == len(small_docs)
    assert _segments(tmp_path) == 1
    index.upsert([small_docs[0]])  # after the bulk load, small updates commit at once again
    assert index.count() == len(small_docs)


def _fail_mid_rebuild(index, docs):
    """A rebuild that stops half-way (the database went away, the process was killed): nothing committed."""
    def rebuild() -> None:
        with index.bulk():
            index.clear()
            index.upsert(docs)
            raise RuntimeError("stopped mid-rebuild")

    with pytest.raises(RuntimeError):
        rebuild()


def test_a_failed_bulk_load_leaves_the_index_as_it_was(tmp_path, small_docs):
    index = TantivyIndex(str(tmp_path))
    index.upsert(small_docs)
    _fail_mid_rebuild(index, small_docs[:1])
    assert index.count() == len(small_docs)
    fresh = TantivyIndex(str(tmp_path))
    assert [(h.doc_id, h.facts) for h in index.search({"검사": 1.0}, limit=10).hits] == [
        (h.doc_id, h.facts) for h in fresh.search({"검사": 1.0}, limit=10).hits]
    assert index.similar_terms("붕량") == ["불량"]  # the typo vocabulary is the index's again


def test_a_first_fill_that_did_not_finish_is_started_again_by_the_next_process(tmp_path, small_docs):
    """A server stopped while it filled a new index folder (kill -9 mid-rebuild: nothing committed) must not
    leave a folder the next process takes for complete and serves empty."""
    folder = str(tmp_path / "index")
    first = TantivyIndex(folder)
    assert first.needs_rebuild
    _fail_mid_rebuild(first, small_docs[:1])
    del first
    again = TantivyIndex(folder)  # the next process on the folder
    assert again.needs_rebuild
    with again.bulk():
        again.clear()
        again.upsert(small_docs)
    assert not TantivyIndex(folder).needs_rebuild
    assert TantivyIndex(folder).count() == len(small_docs)


def test_a_reader_sees_another_process_commit_on_its_next_search(tmp_path, small_docs):
    """Searches share one searcher per commit; a commit made through another handle on the folder
    (an `axr reindex` beside a server that has not written yet) is still seen by the next search."""
    writer = TantivyIndex(str(tmp_path))
    writer.upsert(small_docs[:1])
    reader = TantivyIndex(str(tmp_path))
    assert reader.count() == 1
    import time

    time.sleep(0.01)  # a distinct modification time for the next commit record
    writer.upsert(small_docs[1:])
    assert reader.count() == len(small_docs)
