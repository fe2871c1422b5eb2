"""Japanese line breaking with BudouX: `{% load budoux %}{{ text|budoux }}`.

Browsers may break Japanese between any two characters, so on a phone a heading can end a line
with 「は、」 alone or split a word in two. BudouX (Google's phrase segmenter, the `budoux` package)
finds the phrase boundaries; the filter joins the phrases with `<wbr>` inside a `span.budoux`,
whose CSS (`word-break: keep-all; overflow-wrap: anywhere`, in site.css) lets the line break only
at those `<wbr>`s, and anywhere only when one phrase is wider than the line.

Plain text is escaped phrase by phrase; the line ends editors typed to break a heading by hand
are dropped, as BudouX breaks it where a phone needs it. Text already marked safe (a rich-text fragment, a title with
<mark>s) keeps its markup: BudouX's own HTML resolver puts the `<wbr>`s between the tags.
"""

import re
import unicodedata
from functools import cache

from budoux import load_default_japanese_parser
from budoux.html_processor import HTMLChunkResolver, get_text
from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

#: The class whose CSS keeps phrases whole (cms_pages/static/css/site.css, "BudouX" block).
CSS_CLASS = "budoux"


# A line end typed in a heading field, with the spaces around it.
_LINE_END = re.compile(r"[ \t\u3000]*\r?\n[ \t\u3000]*")


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _joined(text: str) -> str:
    """`text` on one line: a line end next to Japanese goes (Japanese needs no space where a line
    was cut, and BudouX finds the break), one between Latin words becomes a space."""

    def join(match):
        before, after = (
            match.string[match.start() - 1 : match.start()],
            match.string[match.end() :][:1],
        )
        return "" if (before and _is_wide(before)) or (after and _is_wide(after)) else " "

    return _LINE_END.sub(join, text).strip()


@cache
def _parser():
    """The default Japanese model, loaded once per process (a JSON file of a few hundred KB)."""
    return load_default_japanese_parser()


def _phrased(value) -> str:
    """The inner HTML: escaped phrases (or the safe HTML's text runs) joined with `<wbr>`."""
    if isinstance(value, SafeData):
        phrases = _parser().parse(get_text(str(value)))
        resolver = HTMLChunkResolver(phrases, "<wbr>")
        resolver.feed(str(value))
        resolver.close()
        return resolver.output
    phrases = _parser().parse(_joined(str(value)))
    return "<wbr>".join(conditional_escape(phrase) for phrase in phrases)


@register.filter(is_safe=True)
def budoux(value):
    """`value` as safe HTML that breaks lines only between BudouX phrases; "" for None or ""."""
    if value is None or value == "":
        return ""
    return format_html('<span class="{}">{}</span>', CSS_CLASS, mark_safe(_phrased(value)))
