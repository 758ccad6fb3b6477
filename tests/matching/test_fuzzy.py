from hypothesis import given, settings
from hypothesis import strategies as st

from matching.fuzzy import FuzzyVocabulary, to_jamo, within_one_edit


def test_jamo_decomposition():
    assert to_jamo("불") == "\u1107\u116e\u11af"
    assert len(to_jamo("불량")) == 6
    assert to_jamo("AI") == "AI"


def test_one_edit():
    assert within_one_edit(to_jamo("붕량"), to_jamo("불량"))
    assert within_one_edit("inspetcion", "inspection")  # swapped letters
    assert not within_one_edit(to_jamo("검사"), to_jamo("불량"))


def test_vocabulary_lookup():
    vocab = FuzzyVocabulary(["불량", "검사", "inspection", "예지보전"])
    assert vocab.similar("붕량") == ["불량"]
    assert vocab.similar("inspecton") == ["inspection"]
    assert vocab.similar("예지보존") == ["예지보전"]
    assert vocab.similar("불량") == []  # a known word is not its own typo
    assert vocab.similar("붕") == []  # one syllable: too short to tell a typo from another word


def _brute_force(vocabulary, term):
    key = to_jamo(term)
    return sorted((t for t in set(vocabulary) if t != term and within_one_edit(key, to_jamo(t))),
                  key=lambda t: (abs(len(t) - len(term)), t))


SYLLABLES = "불량검사출예지보전부랑붕냥비젼"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=SYLLABLES, min_size=2, max_size=4), max_size=30),
       st.text(alphabet=SYLLABLES, min_size=2, max_size=4))
def test_hangul_lookup_equals_a_scan_of_the_vocabulary(vocabulary, term):
    assert FuzzyVocabulary(vocabulary).similar(term, limit=100) == _brute_force(vocabulary, term)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="inspectomrv", min_size=5, max_size=9), max_size=30),
       st.text(alphabet="inspectomrv", min_size=5, max_size=9))
def test_latin_lookup_equals_a_scan_of_the_vocabulary(vocabulary, term):
    assert FuzzyVocabulary(vocabulary).similar(term, limit=100) == _brute_force(vocabulary, term)
