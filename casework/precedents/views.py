from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from search.backends import get_search_backend
from search.backends.base import FILTERS, SORTS, SearchUnavailable

from .access import (
    precedent_open_cases_shown,
    precedent_owners_hidden_from,
    precedent_search_allowed,
)
from .facets import (
    facet_label,
    precedent_active_filters,
    precedent_facets,
    precedent_page_links,
)


class PrecedentSearchView(WagtailAdminTemplateMixin, TemplateView):
    """The reviewers' search over past cases; the whole search lives in the URL, so a link to
    it can be shared with another reviewer."""

    template_name = "casework/admin/precedent_search.html"
    page_title = "事例検索"
    header_icon = "search"
    per_page = 20

    def get_breadcrumbs_items(self):
        # Wagtail's header shows the last breadcrumb: without this one it would say ホーム.
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        if not precedent_search_allowed(user=request.user):
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
        include_open = precedent_open_cases_shown(user=self.request.user)
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
