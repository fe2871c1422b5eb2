"""The public site search: the FAQ question, home-page section or page that answers a visitor.

The site is small (tens of pages), so it is searched as a list of *units* rather than whole
pages: each FAQ question (linked to its anchor, `#q-…`), each top-level section of the home page
(`#b-…`) and every other live public page. Each unit's text goes through the same analysis as
precedent search (`search.synonyms.SynonymSet.analyse_document`: the Japanese analyser plus a
token for every synonym group it names and their broader groups), so ボトックス finds
ボツリヌストキシン注射 and 二重瞼 finds 埋没法, with the synonym list editors keep in the admin
(同義語). The analysed units are cached under a hash of their text and of the synonym list, so a
search analyses only what changed since the last one and an edit is searchable at once.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.template.response import TemplateResponse
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from search.highlight import snippet
from search.models import SynonymGroup
from search.synonyms import SynonymSet

from .models import FaqPage, HomePage
from .models.faq import faq_anchor
from .models.mixins import stream_plain_text

#: Longest query read, in characters. Longer input is cut, never refused.
MAX_QUERY_CHARS = 200
#: More words than this add nothing to a site search.
MAX_QUERY_TERMS = 32
_CACHE_SECONDS = 24 * 60 * 60

# Hiragana and katakana are one code-point apart (ぼ U+307C, ボ U+30DC).
_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


@dataclass(frozen=True)
class SearchUnit:
    """One thing a result can link to: a FAQ question, a home-page section, or a whole page."""

    page: Page
    title: str
    text: str
    url: str

    @property
    def is_part(self) -> bool:
        """Whether this is one part of its page (shown with the page's title above it)."""
        return "#" in self.url


@dataclass(frozen=True)
class SiteSearchHit:
    unit: SearchUnit
    title: SafeString  # the unit's title, matched words in <mark>
    snippet: SafeString  # a stretch of its text around the best match, words in <mark>

    @property
    def page(self) -> Page:
        return self.unit.page

    @property
    def url(self) -> str:
        return self.unit.url


def _synonyms() -> tuple[SynonymSet, str]:
    """The editors' synonym list, each katakana name also in hiragana (ぼとっくす finds
    ボトックス as a visitor may type it), and a marker that changes whenever the list does."""
    groups = list(SynonymGroup.objects.all())
    synonyms = SynonymSet.from_groups(groups)
    variants = dict(synonyms.variants)
    for variant, chain in synonyms.variants:
        variants.setdefault(variant.translate(_KATAKANA_TO_HIRAGANA), chain)
    ordered = sorted(variants.items(), key=lambda item: len(item[0]), reverse=True)
    state = SynonymGroup.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    return SynonymSet(variants=tuple(ordered)), f"{state['n']}:{state['at']}"


def _block_heading(value) -> str:
    """The first heading-like field of a section's raw value, on one line."""
    for key in ("heading", "title", "headline"):
        if isinstance(value, dict) and value.get(key):
            return " ".join(str(value[key]).split())
    return ""


def page_units(page: Page) -> list[SearchUnit]:
    """What of `page` a result may link to (see the module docstring)."""
    url = page.url or ""
    if isinstance(page, FaqPage):
        units = [
            SearchUnit(
                page=page,
                title=item.value["question"],
                # As text, as stored rich text is HTML: 「<他の保険…>」 is &lt;他の保険…&gt; there.
                text=f"{item.value['question']}\n{stream_plain_text(item.value['answer'].source)}",
                url=f"{url}#{faq_anchor(item.id)}",
            )
            for item in page.questions()
            if item.id
        ]
        return [SearchUnit(page, page.title, stream_plain_text(page.intro), url), *units]
    if isinstance(page, HomePage):
        units = []
        for raw in page.body.raw_data:
            text = stream_plain_text(raw.get("value"))
            if text and raw.get("id"):
                heading = _block_heading(raw["value"]) or page.title
                units.append(SearchUnit(page, heading, text, f"{url}#b-{raw['id'][:8]}"))
        return units
    text = page.plain_text() if hasattr(page, "plain_text") else page.search_description
    return [SearchUnit(page, page.title, text or "", url)]


def _analysed(unit: SearchUnit, synonyms: SynonymSet, marker: str) -> tuple[set, set]:
    """(terms of the title, terms of title and text), cached under a hash of both texts."""
    digest = hashlib.sha256(f"{marker}\0{unit.title}\0{unit.text}".encode()).hexdigest()
    key = f"site-search:unit:{digest}"
    cached = cache.get(key)
    if cached is None:
        cached = (
            synonyms.analyse_document(unit.title),
            synonyms.analyse_document(f"{unit.title}\n{unit.text}"),
        )
        cache.set(key, cached, _CACHE_SECONDS)
    return set(cached[0].split()), set(cached[1].split())


def _marked(text: str, words: list[str], *, whole: bool = False) -> SafeString:
    """HTML of `text` (the whole of it, or a stretch around the best match) with `words` in
    <mark>; `search.highlight.snippet` escapes the text and marks whole Latin words only."""
    radius = 2 * len(text) + 2 if whole else 60
    return mark_safe(snippet(text, words, radius=radius))  # noqa: S308 (escaped by snippet)


def _mark_words(synonyms: SynonymSet, query: str, group_terms: set[str]) -> list[str]:
    """The query's words and every name of its synonym groups, as the precedent search marks
    them, and the names of narrower groups, since those are what a broader query matched."""
    narrower = [name for name, chain in synonyms.variants if group_terms & set(chain[1:])]
    return [*synonyms.highlight_words(query), *narrower]


def site_search(*, query: str, page_number: int | str = 1, per_page: int = 10) -> PaginatorPage:
    """Units of live public pages with every word of `query` (each name of a procedure standing
    for all its names), those with a word in their title first, then the shorter."""
    query = query[:MAX_QUERY_CHARS]
    synonyms, marker = _synonyms()
    terms = set(list(synonyms.query_words(query))[:MAX_QUERY_TERMS])
    if not terms:
        return Paginator([], per_page).get_page(1)
    scored = []
    for page in Page.objects.live().public().filter(depth__gt=1).specific().order_by("path"):
        for unit in page_units(page):
            title_terms, all_terms = _analysed(unit, synonyms, marker)
            if terms <= all_terms:
                scored.append((-len(terms & title_terms), len(unit.text), len(scored), unit))
    paginated = Paginator(sorted(scored), per_page).get_page(page_number)
    group_terms = {chain[0] for _, chain in synonyms.variants} & terms
    words = _mark_words(synonyms, query, group_terms)
    paginated.object_list = [
        SiteSearchHit(
            unit=unit,
            title=_marked(unit.title, words, whole=True),
            snippet=_marked(unit.text, words),
        )
        for *_, unit in paginated.object_list
    ]
    return paginated


@dataclass(frozen=True)
class Suggestion:
    title: str
    url: str
    note: str


#: Where a visitor who found nothing can go on, by the slug of the page (children of the home
#: page, at the URLs agreed for the site), with why they might.
SUGGESTED_PAGES = {
    "faq": "加入・補償・事故の際の対応について、よくあるご質問と回答",
    "contact": "ご不明な点は協会へ直接お問い合わせください",
    "request": "制度の資料をお送りします",
}


def search_suggestions() -> list[Suggestion]:
    """The live pages of SUGGESTED_PAGES, in that order; a page not (yet) published is left out."""
    pages = {
        page.slug: page
        for page in Page.objects.live().public().filter(depth=3, slug__in=SUGGESTED_PAGES)
    }
    return [
        Suggestion(title=pages[slug].title, url=pages[slug].url, note=note)
        for slug, note in SUGGESTED_PAGES.items()
        if slug in pages
    ]


def site_search_page(request):
    query = " ".join(request.GET.get("q", "")[:MAX_QUERY_CHARS].split())
    results = site_search(query=query, page_number=request.GET.get("page", 1)) if query else None
    suggestions = search_suggestions() if results is None or not results.object_list else []
    context = {"search_query": query, "results": results, "suggestions": suggestions}
    return TemplateResponse(request, "cms_pages/site_search.html", context)
