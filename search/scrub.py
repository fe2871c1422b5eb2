"""Removes what could identify a patient from free text before it reaches any search index."""

import re
import unicodedata

PLACEHOLDER = "〔個人情報〕"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Japanese phone numbers: 03-1234-5678, 090-1234-5678, 0120-123-456, 03(1234)5678, 09012345678.
_PHONE = re.compile(r"(?<!\d)(?:\+81[-\s]?|0)\d{1,4}[-\s()]{0,2}\d{1,4}[-\s()]{0,2}\d{3,4}(?!\d)")
# Postal codes: 〒100-0001, 100-0001.
_POSTAL = re.compile(r"〒?\s?(?<!\d)\d{3}-\d{4}(?!\d)")


def scrub(text: str, *, names: tuple[str, ...] = ()) -> str:
    """`text` without email addresses, phone numbers, postal codes or the given names.

    Text is NFKC-normalised first so that full-width digits (０９０…) are caught too. A name is
    removed whole, without its space, and by each part of two characters or more.
    """
    text = unicodedata.normalize("NFKC", text or "")
    # Phone before postal code: 090-1234 would otherwise pass for a postal code.
    for pattern in (_EMAIL, _PHONE, _POSTAL):
        text = pattern.sub(PLACEHOLDER, text)
    parts: set[str] = set()
    for name in names:
        name = unicodedata.normalize("NFKC", name or "").strip()
        if not name:
            continue
        pieces = name.split()
        parts.update({name, "".join(pieces), *(p for p in pieces if len(p) >= 2)})
    for part in sorted(parts, key=len, reverse=True):
        text = text.replace(part, PLACEHOLDER)
    return text
