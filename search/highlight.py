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


def snippet(text: str, words: list[str], *, radius: int = RADIUS) -> str:
    """HTML: a stretch of `text` around the longest of `words` found, each found word in <mark>."""
    words = sorted({w for w in words if w and w.strip()}, key=len, reverse=True)
    text, start, end = _window(text, words, radius)
    marked = escape(text[start:end])
    if words:
        pattern = re.compile("|".join(re.escape(escape(w)) for w in words))
        marked = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", marked)
    return _ellipsis(text, start, end, marked)
