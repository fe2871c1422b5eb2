"""The Japanese analyser: words, normalised forms, any length of text, any number of threads."""

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from search.analysis import analyse, pieces, tokens


def test_unspaced_japanese_is_split_into_words():
    assert tokens("施術後に腫れが出た") == ["施術", "後", "腫れ", "出る"]


def test_compounds_yield_their_parts_too():
    assert {"二重瞼", "二重", "瞼"} <= set(tokens("二重瞼の埋没法"))


def test_spelling_variants_are_normalised_the_same_way():
    assert analyse("すべて") == analyse("全て")
    assert analyse("ＡＢＣ") == analyse("abc")


def test_particles_and_punctuation_are_dropped():
    assert analyse("、。の が を") == ""


def test_text_over_sudachis_limit_is_analysed_whole():
    sentence = "施術後に腫れが出た。"
    text = sentence * 6_000  # 180,000 bytes; SudachiPy refuses more than 49,149 at once
    assert tokens(text) == tokens(sentence) * 6_000  # cut between sentences: no word is split


def test_pieces_fit_the_limit_and_join_back_into_the_text():
    text = "".join(
        random.Random(3).choice(["あ", "a", "漢", "😀", "\n", "。", "、", " "])
        for _ in range(50_000)
    )
    parts = pieces(text, max_bytes=1_000)
    assert "".join(parts) == text
    assert all(0 < len(p.encode()) <= 1_000 for p in parts)


def test_a_piece_ends_after_a_line_then_after_a_sentence():
    lines = pieces("診察した。" * 100 + "\n" + "経過を見る。" * 100, max_bytes=2_000)
    assert lines[0].endswith("\n")
    sentences = pieces("診察した。経過を見る。" * 100, max_bytes=1_000)
    assert all(p.endswith("。") for p in sentences)
    unbroken = pieces("あ" * 1_000, max_bytes=1_000)
    assert [len(p) for p in unbroken] == [333, 333, 333, 1]


@pytest.mark.parametrize("mark", ["\u3099", "\U000e0100", "\ufe0f"])
def test_a_piece_never_starts_with_a_mark_that_belongs_to_the_character_before(mark):
    # か + combining voiced mark, 葛 + an ideographic variation selector, an emoji's style
    text = ("か" + mark) * 1_000
    parts = pieces(text, max_bytes=100)
    assert "".join(parts) == text
    assert not any(p.startswith(mark) for p in parts)


def test_analysis_is_safe_from_many_threads_at_once():
    """Before each thread had its own tokenizer: "Tokenizer is already in use"."""
    texts = [f"{n}回目の施術後に腫れと内出血が出た。二重瞼の埋没法。" * 200 for n in range(16)]
    serial = [analyse(t) for t in texts]
    chunks = [texts[i::8] for i in range(8)]
    start = threading.Barrier(len(chunks))

    def work(chunk):
        start.wait()  # all at once
        return [analyse(t) for t in chunk]

    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
        results = list(pool.map(work, chunks))  # re-raises a thread's exception
    concurrent = dict(zip(sum(chunks, []), sum(results, []), strict=True))
    assert [concurrent[t] for t in texts] == serial
