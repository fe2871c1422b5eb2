"""Excerpts for result lists: plain (site search) or with the matched words marked (precedents)."""

import re

from django.utils.html import escape

RADIUS = 60


def _window(text: str, words: list[str], radius: int) -> tuple[str, int, int]:
    """`text` on one line, and the stretch around the first of `words` (in the order given, so
    callers put the most telling first) that occurs in it."""
    text = " ".join(text.split())
    position = next((i for i in (text.find(w) for w in words if w) if i >= 0), 0)
    start = max(position - radius // 2, 0)
    return text, start, start + radius * 2


def _ellipsis(text: str, start: int, end: int, excerpt: str) -> str:
    return ("…" if start else "") + excerpt + ("…" if end < len(text) else "")


def excerpt(text: str, words: list[str], *, radius: int = RADIUS) -> str:
    """Plain text: a stretch of `text` around the first of `words` found."""
    text, start, end = _window(text, words, radius)
    return _ellipsis(text, start, end, text[start:end])


_ALNUM = re.compile(r"[0-9a-z]", re.IGNORECASE)


def _whole(word: str) -> str:
    """A pattern for `word`, never inside a longer run of Latin letters or digits: 2 marks
    「2回」 but not the 2 of 「23日」, hifu not the hifu of 「hifuxx」. (Japanese has no spaces to
    tell words apart; its words are marked wherever they occur.)"""
    pattern = re.escape(word)
    if _ALNUM.fullmatch(word[0]):
        pattern = rf"(?<![0-9a-z]){pattern}"
    if _ALNUM.fullmatch(word[-1]):
        pattern = rf"{pattern}(?![0-9a-z])"
    return pattern


def snippet(text: str, words: list[str], *, radius: int = RADIUS) -> str:
    """HTML: a stretch of `text` around the longest of `words` found, each found word in <mark>
    (whole words only, see `_whole`). Matched before escaping, so a word never matches inside
    an entity (amp of &amp;)."""
    words = sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True)
    text, start, end = _window(text, words, radius)
    excerpt_text = text[start:end]
    if not words:
        return _ellipsis(text, start, end, escape(excerpt_text))
    pattern = re.compile("|".join(_whole(w) for w in words), re.IGNORECASE)
    marked, done = [], 0
    for match in pattern.finditer(excerpt_text):
        marked += [escape(excerpt_text[done : match.start()]), f"<mark>{escape(match[0])}</mark>"]
        done = match.end()
    marked.append(escape(excerpt_text[done:]))
    return _ellipsis(text, start, end, "".join(marked))
