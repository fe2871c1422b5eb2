"""The project's one Japanese text analyser.

Japanese is written without spaces, so full-text engines that split on whitespace (SQLite FTS5,
PostgreSQL's `simple` configuration) would see a whole sentence as one token. SudachiPy splits the
text into morphemes and normalises spelling variants (すべて → 全て, 10万 → 100000), and we join the
normalised forms with spaces. Indexed text and queries go through the same function, so they meet.

Two limits of SudachiPy shape this module:

* it refuses input over 49,149 bytes of UTF-8 (about 16,000 Japanese characters), so longer text
  is analysed in pieces of at most `MAX_PIECE_BYTES`, cut after a line or a sentence when there is
  one, never inside a character (nor between a character and its combining mark);
* a tokenizer cannot be used by two threads at once ("Tokenizer is already in use"), so each
  thread gets its own, all made from one dictionary loaded once per process.
"""

import threading
import unicodedata

from sudachipy import Dictionary, SplitMode

# Parts of speech that carry no meaning for retrieval: particles, auxiliaries, symbols, spaces.
_STOP_POS = frozenset({"助詞", "助動詞", "補助記号", "空白", "接頭辞"})
# Normalised words so common in any narrative that they only add noise to matching.
_STOP_WORDS = frozenset({"為る", "有る", "居る", "成る", "言う", "事", "物", "為", "様", "よう"})

#: Largest piece handed to SudachiPy, in UTF-8 bytes: well under its 49,149-byte limit, so that
#: no sentence-seeking cut can overshoot it.
MAX_PIECE_BYTES = 30_000
# Where a piece may end, best first: after a line, after a sentence, after a clause or a space.
_CUTS = ("\n", "。！？!?．", "、，,;； \t\u3000")
# Characters that belong to the character before them: never start a piece with one.
_JOINERS = frozenset({"\u200c", "\u200d"})

_dictionary_lock = threading.Lock()
_dictionary: Dictionary | None = None
_local = threading.local()


def _tokenizer():
    """This thread's tokenizer. The dictionary (~0.1 s to load, tens of MB) is shared."""
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        global _dictionary
        with _dictionary_lock:
            if _dictionary is None:
                _dictionary = Dictionary(dict="core")
        tokenizer = _local.tokenizer = _dictionary.tokenizer(mode=SplitMode.C)
    return tokenizer


def _belongs_to_previous(char: str) -> bool:
    return (
        unicodedata.combining(char) != 0
        or char in _JOINERS
        or "\ufe00" <= char <= "\ufe0f"  # variation selectors (異体字 of a kanji, emoji style)
        or "\U000e0100" <= char <= "\U000e01ef"
    )


def pieces(text: str, max_bytes: int = MAX_PIECE_BYTES) -> list[str]:
    """`text` cut into consecutive pieces of at most `max_bytes` UTF-8 bytes each.

    Within the second half of what fits, a piece ends after the last line break, else after the
    last sentence end, else after a comma or a space, else wherever the limit falls (between
    two characters). Joined, the pieces are `text` again. Linear in the length of the text.
    """
    result = []
    start = 0
    while True:
        rest = text[start : start + max_bytes]  # never fewer characters than fit in max_bytes
        encoded = rest.encode()
        if start + len(rest) == len(text) and len(encoded) <= max_bytes:
            break
        # The longest prefix that fits: decoding the first max_bytes bytes drops a cut character.
        fits = len(encoded[:max_bytes].decode("utf-8", errors="ignore"))
        end = start + fits
        for marks in _CUTS:
            cut = max(text.rfind(mark, start + fits // 2, end) for mark in marks)
            if cut != -1:
                end = cut + 1
                break
        while end > start + 1 and _belongs_to_previous(text[end]):
            end -= 1
        result.append(text[start:end])
        start = end
    result.append(text[start:])
    return result


def tokens(text: str) -> list[str]:
    """Normalised content words of `text`, long units first then their short parts.

    A compound such as 二重瞼 yields 二重瞼, 二重 and 瞼, so a query for any part finds it.
    Text of any length is accepted (see `pieces`).
    """
    tokenizer = _tokenizer()
    result: list[str] = []
    for piece in pieces(text or ""):
        for morpheme in tokenizer.tokenize(piece):
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


def person_name_parts(name: str) -> list[tuple[str, str]]:
    """(written form, reading in katakana) of each part of a person's name (佐藤花子 → 佐藤/サトウ,
    花子/ハナコ; 渡辺 → 渡辺/ワタナベ), when the dictionary knows every part as a family or given
    name; otherwise an empty list, as a guess is worse than nothing."""
    morphemes = list(_tokenizer().tokenize(name[:100]))
    if not morphemes or any(m.part_of_speech()[2] != "人名" for m in morphemes):
        return []
    return [(m.surface(), m.reading_form()) for m in morphemes]
