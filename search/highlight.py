"""Snippets with the matched words marked, for result lists."""

import re
import unicodedata

from django.utils.html import escape

RADIUS = 60


def snippet(text: str, words: list[str], *, radius: int = RADIUS) -> str:
    """HTML: a stretch of `text` around the first of `words` found, each found word in <mark>."""
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    words = sorted({w for w in words if w and w.strip()}, key=len, reverse=True)
    positions = [i for i in (text.find(w) for w in words) if i >= 0]
    start = max(min(positions, default=0) - radius // 2, 0)
    end = start + radius * 2
    excerpt = escape(text[start:end])
    if words:
        pattern = re.compile("|".join(re.escape(escape(w)) for w in words))
        excerpt = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", excerpt)
    return ("…" if start else "") + excerpt + ("…" if end < len(text) else "")
