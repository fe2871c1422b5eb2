"""Public pages as text to look for words in."""

import re

# BudouX's phrase wrapping (cms_pages/templatetags/budoux.py) splits headings' and leads' words.
_PHRASING = re.compile(r'<wbr>|<span class="budoux">')


def page_text(response) -> str:
    """The page's HTML without the phrase wrapping, so 「新しい紹介文」 reads whole again."""
    return _PHRASING.sub("", response.content.decode())
