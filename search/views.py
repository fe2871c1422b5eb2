from django.template.response import TemplateResponse

from .selectors import site_search as site_search_selector


def site_search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = (
        site_search_selector(query=query, page_number=request.GET.get("page", 1)) if query else None
    )
    return TemplateResponse(
        request, "search/site_search.html", {"search_query": query, "results": results}
    )
