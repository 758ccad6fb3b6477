"""Behavioural contract of `SearchIndex`, run on every implementation.

The checks are written once, against an index factory, and run on the embedded `TantivyIndex`
(always) and on `MeiliIndex` against a real Meilisearch server (only when AXR_MEILI_URL is set;
otherwise pytest reports them as skipped). Nothing here fakes a server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest

from matching.documents import SearchDoc, SearchFilters
from matching.engine import SearchIndex, TantivyIndex
from tests.matching.conftest import make_doc, sample_docs

MEILI_URL = os.environ.get("AXR_MEILI_URL")
needs_meili = pytest.mark.skipif(
    not MEILI_URL, reason="no Meilisearch server: set AXR_MEILI_URL to run the Meilisearch contract tests")

Factory = Callable[[], SearchIndex]


@pytest.fixture(params=["tantivy", pytest.param("meili", marks=needs_meili)])
def new_index(request: pytest.FixtureRequest) -> Iterator[Factory]:
    """A factory of fresh, empty indexes of one implementation; Meilisearch indexes are dropped after."""
    created: list[object] = []

    def make() -> SearchIndex:
        if request.param == "tantivy":
            return TantivyIndex(None)
        from matching.meili import MeiliIndex

        index = MeiliIndex(str(MEILI_URL), os.environ.get("AXR_MEILI_KEY") or None,
                           index_uid=f"axr_contract_{uuid.uuid4().hex[:12]}")
        created.append(index)
        return index

    yield make
    for index in created:
        index.drop()  # type: ignore[attr-defined]


def _docs() -> list[SearchDoc]:
    return sample_docs()


def _loaded(new_index: Factory) -> SearchIndex:
    index = new_index()
    index.upsert(_docs())
    return index


def _ids(index: SearchIndex, terms: dict[str, float], **kw: object) -> list[str]:
    return [h.doc_id for h in index.search(terms, limit=50, **kw).hits]  # type: ignore[arg-type]


def test_finds_hangul_with_particles_stripped(new_index: Factory) -> None:
    index = _loaded(new_index)
    # "카메라로", "카메라가" in the text; the analysed query token is the bare noun
    assert sorted(_ids(index, {"카메라": 1.0})) == ["S1", "V1", "V2"]
    assert _ids(index, {"카메라로": 1.0}) == []  # particles never reach the index
    assert _ids(index, {"불량검출": 1.0}) == ["V1"]  # compound indexed whole ...
    assert _ids(index, {"불량": 1.0}) == ["V1"]  # ... and in parts
    assert index.has_term("불량")
    assert not index.has_term("카메라를")
    assert index.similar_terms("붕량") == ["불량"]


def test_filters(new_index: Factory) -> None:
    index = _loaded(new_index)

    def ids(**kw: object) -> list[str]:
        return sorted(_ids(index, {}, filters=SearchFilters(**kw)))  # type: ignore[arg-type]

    assert ids(categories=["vision_inspection"]) == ["V1", "V2"]
    assert ids(industries=["C13"]) == ["E1", "S1", "V2"]  # "*" solutions fit every industry
    assert ids(max_level="basic") == ["E1", "S1", "V1", "V2"]
    assert ids(max_price_krw=60_000_000) == ["E1", "S1", "V1", "V2"]
    assert ids(regions=["경남"]) == ["P1"]
    assert ids(regions=["경기", "부산"]) == ["V1", "V2"]
    assert ids(deployment_modes=["cloud"]) == ["E1"]
    assert ids(tips_stages=["selected"]) == ["E1"]
    assert ids(categories=["vision_inspection"], exclude_ids=["V1"]) == ["V2"]
    assert ids(regions=['경기" OR region = "부산']) == []  # a quote in a value is a value, not syntax


def test_filters_combine_with_terms_and_include_unmatched(new_index: Factory) -> None:
    index = _loaded(new_index)
    assert _ids(index, {"카메라": 1.0}, filters=SearchFilters(categories=["vision_inspection"])) in (
        ["V1", "V2"], ["V2", "V1"])
    page = index.search({"카메라": 1.0}, filters=SearchFilters(max_level="basic"), include_unmatched=True,
                        limit=50)
    assert page.total == 4
    assert {h.doc_id for h in page.hits} == {"E1", "S1", "V1", "V2"}
    assert page.hits[-1].doc_id == "E1"
    assert page.hits[-1].score == 0.0
    assert all(h.score > 0 for h in page.hits[:-1])


def test_facets_count_the_result_set(new_index: Factory) -> None:
    index = _loaded(new_index)
    page = index.search({"카메라": 1.0}, with_facets=True)
    assert page.total == 3
    assert page.facets["category"] == {"vision_inspection": 2, "industrial_safety": 1}
    assert page.facets["region"] == {"경기": 1, "부산": 1, "인천": 1}
    assert page.facets["industry"] == {"C22": 1, "C13": 1, "*": 1}
    assert page.facets["tips_stage"] == {"none": 3}
    assert set(page.facets) == {"category", "industry", "min_level", "region", "deployment_mode",
                                "tips_stage"}


def test_upsert_is_idempotent_and_replaces(new_index: Factory) -> None:
    index = _loaded(new_index)
    assert index.count() == 5
    index.upsert(_docs()[:2])
    index.upsert(_docs()[:1])
    assert index.count() == 5
    index.upsert([make_doc("V1", "완전히 다른 제목", "에너지")])
    assert index.count() == 5
    assert index.search({"불량검출": 1.0}).hits == []
    assert _ids(index, {"완전히": 1.0}) == ["V1"]


def test_delete_clear_count(new_index: Factory) -> None:
    index = _loaded(new_index)
    index.delete(["V1", "missing"])
    assert index.count() == 4
    assert index.search({"불량": 1.0}).hits == []
    index.delete([])
    assert index.count() == 4
    index.clear()
    assert index.count() == 0
    assert index.search({}, limit=10).hits == []
    index.upsert(_docs()[:1])  # settings survive clear: filters and search still work
    assert _ids(index, {"불량": 1.0}, filters=SearchFilters(regions=["경기"])) == ["V1"]


def test_title_outranks_description(new_index: Factory) -> None:
    index = new_index()
    index.upsert([make_doc("T", "예지보전 솔루션", "설비 관리"),
                  make_doc("D", "설비 관리", "예지보전 솔루션")])
    assert _ids(index, {"예지보전": 1.0}) == ["T", "D"]


def test_heavier_terms_rank_first(new_index: Factory) -> None:
    index = new_index()
    index.upsert([make_doc("A", "진동 분석"), make_doc("B", "전력 분석"), make_doc("C", "공정 관리")])
    assert _ids(index, {"진동": 1.0, "전력": 0.3}) == ["A", "B"]
    assert _ids(index, {"진동": 0.3, "전력": 1.0}) == ["B", "A"]


def test_pagination_orders_by_score_then_id(new_index: Factory) -> None:
    index = new_index()
    index.upsert([make_doc(f"D{i:02d}", "불량 검사" if i % 3 else "불량 검사 카메라") for i in range(25)])
    terms = {"불량": 1.0, "검사": 1.0, "카메라": 1.0}
    everything = index.search(terms, limit=50)
    assert everything.total == 25
    keys = [(-h.score, h.doc_id) for h in everything.hits]
    assert keys == sorted(keys)
    assert [h.doc_id for h in everything.hits[:9]] == [f"D{i:02d}" for i in range(0, 25, 3)]
    paged = [h.doc_id for off in range(0, 25, 4) for h in index.search(terms, limit=4, offset=off).hits]
    assert paged == [h.doc_id for h in everything.hits]
    browse = index.search({}, limit=7, offset=20)
    assert [h.doc_id for h in browse.hits] == ["D20", "D21", "D22", "D23", "D24"]
    assert browse.total == 25


def test_search_each_runs_one_search_per_variant(new_index: Factory) -> None:
    index = _loaded(new_index)
    terms = {"카메라": 1.0, "검사": 0.5}
    variants = [(SearchFilters(categories=["vision_inspection"]), 5), (None, 2)]
    pages = index.search_each(terms, variants, include_unmatched=True)
    assert [[h.doc_id for h in p.hits] for p in pages] == [
        [h.doc_id for h in index.search(terms, filters=f, limit=n, include_unmatched=True).hits] for f, n in variants]


def test_a_new_thesaurus_version_is_taken_without_losing_documents(new_index: Factory) -> None:
    from matching.thesaurus import default_thesaurus

    index = _loaded(new_index)
    edited = default_thesaurus().to_data()
    edited["version"] = "contract-test"
    edited["groups"].append({"id": "test.slang", "categories": {"vision_inspection": 1.0},
                             "terms": ["눈검사기", "비전 검사"]})
    from matching.thesaurus import Thesaurus

    index.use_thesaurus(Thesaurus.from_data(edited))
    assert sorted(_ids(index, {"카메라": 1.0})) == ["S1", "V1", "V2"]
