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
