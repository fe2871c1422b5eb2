from search.analysis import analyse, tokens


def test_unspaced_japanese_is_split_into_words():
    assert tokens("施術後に腫れが出た") == ["施術", "後", "腫れ", "出る"]


def test_compounds_yield_their_parts_too():
    assert {"二重瞼", "二重", "瞼"} <= set(tokens("二重瞼の埋没法"))


def test_spelling_variants_are_normalised_the_same_way():
    assert analyse("すべて") == analyse("全て")
    assert analyse("ＡＢＣ") == analyse("abc")


def test_particles_and_punctuation_are_dropped():
    assert analyse("、。の が を") == ""
