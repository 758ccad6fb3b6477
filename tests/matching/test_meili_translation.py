"""Unit tests of the Meilisearch adapter's translation code: settings, documents, filters, queries.

These run without a server and check only what we send and how we read a response body; they do
not stand in for Meilisearch or claim anything about its behaviour (tests/matching/
test_meili_contract.py does that against a real server when AXR_MEILI_URL is set).
"""

from __future__ import annotations

import math

import pytest

from matching import meili
from matching.documents import SearchFilters
from matching.engine import FACET_FIELDS
from matching.thesaurus import Thesaurus, default_thesaurus
from tests.matching.conftest import make_doc


def test_quote_escapes_backslashes_and_quotes() -> None:
    assert meili.quote("경기") == '"경기"'
    assert meili.quote('say "hi"') == '"say \\"hi\\""'
    assert meili.quote("a\\b") == '"a\\\\b"'
    assert meili.quote('\\"') == '"\\\\\\""'  # backslash then quote: both escaped, no early close


def test_filter_expression_mirrors_search_filters() -> None:
    assert meili.filter_expression(None) is None
    assert meili.filter_expression(SearchFilters()) is None
    assert meili.filter_expression(SearchFilters(regions=["경기"])) == 'region IN ["경기"]'
    expr = meili.filter_expression(SearchFilters(
        categories=["vision_inspection"], industries=["C22"], max_level="intermediate1",
        regions=["경기", "부산"], deployment_modes=["cloud"], tips_stages=["selected"],
        max_price_krw=60_000_000, exclude_ids=["V1"]))
    assert expr == (
        '(category IN ["vision_inspection"]) AND (industries IN ["C22", "*"]) '
        'AND (region IN ["경기", "부산"]) '
        'AND (deployment_mode IN ["cloud"]) AND (tips_stage IN ["selected"]) AND (level_rank <= 1) '
        'AND (price_min_krw <= 60000000) AND (NOT (id IN ["V1"]))')


def test_filter_values_with_quotes_stay_values() -> None:
    expr = meili.filter_expression(SearchFilters(regions=['경기" OR region = "부산']))
    assert expr == 'region IN ["경기\\" OR region = \\"부산"]'


def test_empty_filter_lists_do_not_filter() -> None:
    assert meili.filter_expression(SearchFilters(categories=[], regions=[], exclude_ids=[])) is None


def test_matched_and_unmatched_filters() -> None:
    assert meili.matched_filter(None, ["불량", "검사"]) == 'terms IN ["불량", "검사"]'
    expected = '(region IN ["경기"]) AND (terms IN ["불량"])'
    assert meili.matched_filter('region IN ["경기"]', ["불량"]) == expected
    assert meili.matched_filter('region IN ["경기"]', []) == 'region IN ["경기"]'
    assert meili.unmatched_filter(None, ["불량"]) == 'NOT (terms IN ["불량"])'


def test_positive_terms_drop_empty_and_non_positive() -> None:
    assert meili.positive_terms({"불량": 1.0, "": 1.0, "검사": 0.0, "결함": -1.0, "비전": 0.6}) == {
        "불량": 1.0, "비전": 0.6}


def test_query_text_puts_heavy_terms_first_and_keeps_ten_words() -> None:
    terms = {f"t{i:02d}": 1.0 - i / 100 for i in range(12)}
    assert meili.query_text(terms, {}).split() == [f"t{i:02d}" for i in range(10)]
    assert meili.query_text({"흔한": 1.0, "드문": 0.8}, {"흔한": 0.1, "드문": 2.0}) == "드문 흔한"


def test_weighted_score() -> None:
    idfs = {"불량": 2.0, "검사": 1.0}
    terms = {"불량": 1.0, "검사": 0.5}
    score = meili.weighted_score(terms, idfs, ["불량"], ["검사", "불량"], 2.0)
    assert score == pytest.approx(2.0 * 3 + 0.5 * 1)
    assert meili.weighted_score(terms, idfs, [], [], 2.0) == 0.0
    assert meili.idf(10, 10) < meili.idf(10, 1)
    assert meili.idf(10, 1) == pytest.approx(math.log(1 + 9.5 / 1.5))


def test_document_mapping() -> None:
    doc = make_doc("V1", "불량검출 비전", "카메라로 검사", tips_stage=None, industries=[], title_en="Vision")
    body = meili.to_document(doc, ("불량", "검출", "불량검출", "비전", "vision"), ("카메라", "검사", "불량"))
    assert body["id"] == "V1"
    assert body["supplier_id"] == "sup-V1"
    assert body["title"] == "불량 검출 불량검출 비전 vision"
    assert body["body"] == "카메라 검사 불량"
    assert body["terms"] == ["불량", "검출", "불량검출", "비전", "vision", "카메라", "검사"]
    assert body["industries"] == ["*"]
    assert body["tips_stage"] == "none"
    assert body["level_rank"] == 0
    assert body["min_level"] == "basic"
    assert body["price_min_krw"] == 50_000_000
    assert body["region"] == "경기"
    assert body["title_ko"] == "불량검출 비전"
    assert body["title_en"] == "Vision"
    assert body["description_ko"] == "카메라로 검사"


def test_document_ids_must_be_valid_primary_keys() -> None:
    with pytest.raises(ValueError, match="primary key"):
        meili.to_document(make_doc("sol/1", "제목"), (), ())


def test_settings_payload() -> None:
    payload = meili.settings_payload(None, max_total_hits=5_000)
    assert payload["searchableAttributes"] == ["title", "body"]
    assert set(payload["filterableAttributes"]) >= {
        "category", "industries", "level_rank", "region", "deployment_mode", "tips_stage", "price_min_krw",
        "supplier_id", "id", "terms"}
    assert "id" in payload["sortableAttributes"]
    particles = {"은", "는", "이", "가", "을", "를", "에", "에서", "의", "도", "로", "으로", "와", "과"}
    assert set(payload["stopWords"]) >= particles
    assert payload["pagination"] == {"maxTotalHits": 5_000}
    assert payload["faceting"]["maxValuesPerFacet"] >= 200
    assert payload["typoTolerance"] == {"enabled": False}
    assert payload["synonyms"] == {}


def test_facet_attributes_cover_the_engine_facets() -> None:
    assert set(meili.FACET_ATTRIBUTES) == set(FACET_FIELDS)
    assert set(meili.FACET_ATTRIBUTES.values()) <= set(meili.FILTERABLE_ATTRIBUTES)


def test_synonyms_map_from_a_thesaurus_is_analysed_and_mutual() -> None:
    th = Thesaurus.from_data({"version": "t", "groups": [
        {"id": "defect", "terms": ["불량 검출", "결함 검사를", "defect detection"]},
        {"id": "single", "terms": ["카메라"]},
    ]})
    syn = meili.synonyms_map(th)
    assert "결함 검사" in syn["불량 검출"]
    assert "결함검사" in syn["불량 검출"]
    assert "불량 검출" in syn["결함 검사"]
    assert "불량검출" in syn["결함검사"]
    assert "불량 검출" in syn["defect detect"]  # English stemmed like documents
    assert "defectdetect" in syn["defect detect"]
    assert all(k not in v for k, v in syn.items())
    assert "카메라" not in syn  # a one-word group of one has no synonyms


def test_synonyms_map_from_the_default_thesaurus() -> None:
    syn = meili.synonyms_map(default_thesaurus())
    assert syn
    assert "결함 검사" in syn["불량 검출"]
    assert meili.settings_payload(default_thesaurus())["synonyms"] == syn


def test_settings_to_update_sends_only_what_differs() -> None:
    wanted = meili.settings_payload(None)
    current = {
        "searchableAttributes": ["title", "body"],
        "filterableAttributes": list(reversed(wanted["filterableAttributes"])),
        "sortableAttributes": wanted["sortableAttributes"],
        "stopWords": sorted(wanted["stopWords"]),
        "synonyms": {},
        "typoTolerance": {"enabled": False, "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9}},
        "pagination": {"maxTotalHits": 1000},
        "faceting": {"maxValuesPerFacet": 200, "sortFacetValuesBy": {"*": "alpha"}},
    }
    assert meili.settings_to_update(current, wanted) == {"pagination": {"maxTotalHits": 10_000}}
    assert set(meili.settings_to_update({}, wanted)) == set(wanted)


def test_count_and_fetch_queries() -> None:
    q = meili.count_query("solutions", 'region IN ["경기"]', ["region"])
    assert q == {"indexUid": "solutions", "q": "", "page": 1, "hitsPerPage": 0,
                 "facets": ["category", "region"], "filter": 'region IN ["경기"]'}
    assert "filter" not in meili.count_query("solutions", None)
    f = meili.fetch_query("solutions", None, limit=20, offset=40, sort=["id:asc"])
    assert f["limit"] == 20
    assert f["offset"] == 40
    assert f["sort"] == ["id:asc"]
    assert "filter" not in f
    assert f["attributesToRetrieve"] == ["id", "supplier_id", "title", "body"]


def test_reading_totals_and_facets_from_a_response_body() -> None:
    assert meili.exact_total({"totalHits": 3, "facetDistribution": {"category": {"a": 2, "b": 1}}}) == 3
    # above maxTotalHits, totalHits is capped; the category counts are not
    capped = {"totalHits": 10_000, "facetDistribution": {"category": {"a": 9_000, "b": 4_000}}}
    assert meili.exact_total(capped) == 13_000
    facets = meili.facets_from({"industries": {"C22": 1, "*": 2}, "category": {"a": 1}})
    assert facets["industry"] == {"C22": 1, "*": 2}
    assert facets["region"] == {}
    assert set(facets) == set(FACET_FIELDS)
