"""The public site search: live public pages matching what a visitor typed, with snippets."""

from dataclasses import dataclass

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page

from search.analysis import tokens
from search.highlight import excerpt

# More words than this add nothing to a site search and nest too deeply in the SQL query.
MAX_QUERY_TERMS = 32


@dataclass(frozen=True)
class SiteSearchHit:
    page: Page
    snippet: str


def site_search(*, query: str, page_number: int | str = 1, per_page: int = 10) -> PaginatorPage:
    """Live public pages matching every content word of `query`, best first, with snippets."""
    terms = list(dict.fromkeys(tokens(query)))[:MAX_QUERY_TERMS]
    analysed = " ".join(terms)
    if not analysed:
        return Paginator([], per_page).get_page(1)
    results = Page.objects.live().public().specific().search(analysed, operator="and")
    paginated = Paginator(results, per_page).get_page(page_number)
    # Snippet terms: what the visitor typed, then its analysed words, longest (most telling) first.
    snippet_terms = [query.strip(), *sorted(terms, key=len, reverse=True)]
    paginated.object_list = [
        SiteSearchHit(page=p, snippet=excerpt(p.plain_text(), snippet_terms))
        for p in paginated.object_list
    ]
    return paginated


def site_search_page(request):
    query = request.GET.get("q", "").strip()[:200]
    results = site_search(query=query, page_number=request.GET.get("page", 1)) if query else None
    return TemplateResponse(
        request, "cms_pages/site_search.html", {"search_query": query, "results": results}
    )
