from matching.analysis import analyze, analyze_query, english_term
from matching.matcher import search
from tests.matching.conftest import Store


def test_particles_are_stripped():
    assert "검사" in analyze("검사를 합니다").terms
    assert "검사" in analyze("검사가 필요해요").terms
    assert not any(t in ("를", "가", "합니다") for t in analyze("검사를 합니다").tokens)


def test_compound_is_indexed_whole_and_in_parts():
    tokens = analyze("불량검출").tokens
    assert {"불량검출", "불량", "검출"} <= set(tokens)


def test_spacing_variants_share_tokens():
    assert "불량검출" in analyze("불량 검출").tokens
    assert set(analyze("예지 보전").tokens) & set(analyze("예지보전").tokens) >= {"예지보전"}


def test_user_dictionary_segments_domain_words_the_same_in_a_sentence():
    assert "납땜" in analyze("PCB 납땜 불량이 많아요").terms
    assert "이차전지" in analyze("이차전지 셀을 검사합니다").tokens


def test_english_is_lowercased_stemmed_and_british_folded():
    assert english_term("inspection") == english_term("inspections") == english_term("inspect")
    assert english_term("optimisation") == english_term("optimization")
    assert "xray" in analyze("X-ray Inspection").tokens  # hyphenated and closed spellings meet


def test_english_words_in_korean_text_are_the_words_english_text_gives():
    # Kiwi cuts a Latin word before a full stop and keeps the stop (shipy|ard., MES.); an English
    # clitic (we're) is no word of its own
    mixed = analyze("We're a subcontractor for a shipyard. 밀폐 공간 gas checks in confined spaces. MES. 없이")
    english = analyze("We're a subcontractor for a shipyard. gas checks in confined spaces. MES.")
    assert {"shipyard", "space", "mes", "check"} <= set(mixed.terms)
    assert not any(t in ("re", "shipi", "spa", "mes.") or not t.isalnum() for t in mixed.terms)
    assert set(english.terms) <= set(mixed.terms)
    assert "we" not in analyze("we’re a company's plant").terms
    # a name Kiwi cuts inside (V|ision.AI, We|ldEye.v2) keeps its letters: its parts and the whole
    assert {"vision", "ai", "visionai"} <= set(analyze("Vision.AI 솔루션").tokens)
    assert english_term("weldeye") in analyze("WeldEye.v2 비전 검사").terms


def test_unknown_word_is_a_typo_suspect_but_known_words_are_not():
    aq = analyze_query("붕량 검출")
    assert "붕량" in aq.suspects
    assert "검출" not in aq.suspects


def test_search_finds_particle_and_spacing_variants(small_index, small_docs):
    store = Store(small_docs)
    for text in ("검사를", "불량 검출", "불량검출"):
        res = search(text, index=small_index, docs=store.load, is_active=store.active)
        ids = [i.doc.id for i in res.items]
        assert "V1" in ids, text


def test_one_jamo_typo_finds_the_word(small_index, small_docs):
    store = Store(small_docs)
    # 붕량 is one jamo (ㄹ -> ㅇ) away from 불량, which only V1 contains
    res = search("붕량", index=small_index, docs=store.load, is_active=store.active)
    assert [i.doc.id for i in res.items][:1] == ["V1"]
