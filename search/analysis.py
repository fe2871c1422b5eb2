"""The project's one Japanese text analyser.

Japanese is written without spaces, so full-text engines that split on whitespace (SQLite FTS5,
PostgreSQL's `simple` configuration) would see a whole sentence as one token. SudachiPy splits the
text into morphemes and normalises spelling variants (すべて → 全て, 10万 → 100000), and we join the
normalised forms with spaces. Indexed text and queries go through the same function, so they meet.
"""

from functools import lru_cache

from sudachipy import Dictionary, SplitMode

# Parts of speech that carry no meaning for retrieval: particles, auxiliaries, symbols, spaces.
_STOP_POS = frozenset({"助詞", "助動詞", "補助記号", "空白", "接頭辞"})
# Normalised words so common in any narrative that they only add noise to matching.
_STOP_WORDS = frozenset({"為る", "有る", "居る", "成る", "言う", "事", "物", "為", "様", "よう"})


@lru_cache(maxsize=1)
def _tokenizer():
    # Loading the dictionary costs ~0.1 s; one tokenizer per process is enough.
    return Dictionary(dict="core").tokenizer(mode=SplitMode.C)


def tokens(text: str) -> list[str]:
    """Normalised content words of `text`, long units first then their short parts.

    A compound such as 二重瞼 yields 二重瞼, 二重 and 瞼, so a query for any part finds it.
    """
    result: list[str] = []
    for morpheme in _tokenizer().tokenize(text or ""):
        if morpheme.part_of_speech()[0] in _STOP_POS:
            continue
        words = [morpheme.normalized_form().lower()]
        parts = morpheme.split(SplitMode.A)
        if len(parts) > 1:
            words.extend(p.normalized_form().lower() for p in parts)
        result.extend(w for w in words if w not in _STOP_WORDS)
    return result


def analyse(text: str) -> str:
    """`text` as space-separated normalised tokens, ready for a whitespace-splitting index."""
    return " ".join(tokens(text))
