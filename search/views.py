from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

# Whose precedents a user may not see is casework's rule (conflicts of interest): asked here only.
from casework.precedents import precedent_owners_hidden_from

from .backends import get_search_backend
from .backends.base import FILTERS, SORTS, SearchUnavailable
from .facets import (
    facet_label,
    precedent_active_filters,
    precedent_facets,
    precedent_page_links,
)
from .selectors import site_search as site_search_selector


def site_search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = (
        site_search_selector(query=query, page_number=request.GET.get("page", 1)) if query else None
    )
    return TemplateResponse(
        request, "search/site_search.html", {"search_query": query, "results": results}
    )


class PrecedentSearchView(WagtailAdminTemplateMixin, TemplateView):
    """The reviewers' search over past cases; the whole search lives in the URL, so a link to
    it can be shared with another reviewer."""

    template_name = "search/admin/precedent_search.html"
    page_title = "事例検索"
    header_icon = "search"
    per_page = 20

    def get_breadcrumbs_items(self):
        # Wagtail's header shows the last breadcrumb: without this one it would say ホーム.
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("casework.view_case"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        query = params.get("q", "").strip()[:200]
        filters = {name: params.get(name, "") for name in FILTERS if params.get(name)}
        if not filters.get("year", "0").isdigit():
            del filters["year"]  # a hand-edited URL: ignore rather than fail
        sort = params.get("sort") if params.get("sort") in SORTS else "relevance"
        page = params.get("page", "1")
        page = int(page) if page.isdigit() else 1
        include_open = self.request.user.has_perm("casework.handle_case")
        results, unavailable = None, False
        if query:
            try:
                results = get_search_backend().search(
                    query,
                    filters=filters,
                    page=page,
                    per_page=self.per_page,
                    sort=sort,
                    include_open=include_open,
                    exclude_owners=precedent_owners_hidden_from(user=self.request.user),
                )
            except SearchUnavailable:
                unavailable = True  # logged by the backend; the form keeps the query
        context.update(
            unavailable=unavailable,
            query=query,
            filters=filters,
            sort=sort,
            results=results,
            hits=[(hit, facet_label("outcome", hit.outcome)) for hit in results.hits]
            if results
            else [],
            facets=precedent_facets(results, params) if results else [],
            active_filters=precedent_active_filters(filters, params),
            page_links=precedent_page_links(results, params) if results else {},
            sorts=[("relevance", "関連度順"), ("newest", "新しい順"), ("oldest", "古い順")],
        )
        return context
