"""Japanese line breaking with BudouX: `{% load budoux %}{{ text|budoux }}`.

Browsers may break Japanese between any two characters, so on a phone a heading can end a line
with 「は、」 alone or split a word in two. BudouX (Google's phrase segmenter, the `budoux` package)
finds the phrase boundaries; the filter joins the phrases with `<wbr>` inside a `span.budoux`,
whose CSS (`word-break: keep-all; overflow-wrap: anywhere`, in site.css) lets the line break only
at those `<wbr>`s, and anywhere only when one phrase is wider than the line.

Plain text is escaped phrase by phrase; the line ends editors typed to break a heading by hand
are dropped, as BudouX breaks it where a phone needs it. Text already marked safe (a rich-text fragment, a title with
<mark>s) keeps its markup: BudouX's own HTML resolver puts the `<wbr>`s between the tags.

Rich text is made of block elements, which a span may not hold: `budoux_headings` phrases the
inside of each heading of a rich-text body (a heading an editor wrote in a section, a news item),
`budoux_lead` the inside of each paragraph and heading of a short lead (a page's 前文).
"""

import re
import unicodedata
from functools import cache

from budoux import load_default_japanese_parser
from budoux.html_processor import HTMLChunkResolver, get_text
from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

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
    if hasattr(value, "__html__"):  # safe HTML, or a rich-text block's value rendering itself
        html = value.__html__()
        phrases = _parser().parse(get_text(html))
        resolver = HTMLChunkResolver(phrases, "<wbr>")
        resolver.feed(html)
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


# A heading or paragraph of rich text as Wagtail writes it (these never nest); group 3 its inside.
_BLOCK = re.compile(r"<(h[1-6]|p)\b([^>]*)>(.*?)</\1>", re.S)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _phrased_inside(value, tags: frozenset[str]) -> str:
    """`value` (rich text; plain text is escaped) with the inside of each of its `tags` elements
    phrased by `budoux`, the rest as it was."""
    if value is None:
        return ""

    def phrase(match):
        tag, attributes, inside = match.groups()
        if tag not in tags:
            return match[0]
        return f"<{tag}{attributes}>{budoux(mark_safe(inside))}</{tag}>"

    return mark_safe(_BLOCK.sub(phrase, str(conditional_escape(value))))


@register.filter(is_safe=True)
def budoux_headings(value):
    """Rich text whose headings break only between phrases; its paragraphs, lists and links as
    they were (`{{ value.body|richtext|budoux_headings }}`)."""
    return _phrased_inside(value, _HEADINGS)


@register.filter(is_safe=True)
def budoux_lead(value):
    """A short rich-text lead whose paragraphs and headings break only between phrases
    (`{{ page.intro|richtext|budoux_lead }}`)."""
    return _phrased_inside(value, _HEADINGS | {"p"})
