"""Facet labels and links for the precedent search page (every link keeps the rest of the search)."""

from ..choices import CaseState, ComplaintType, ProcedureField

FACET_TITLES = {
    "procedure_field": "分野",
    "procedure": "施術",
    "complaint_type": "苦情の種類",
    "outcome": "結果",
    "payout_band": "支払額",
    "year": "クレーム申し出の年",
}
_LABELS = {
    "procedure_field": dict(ProcedureField.choices),
    "complaint_type": dict(ComplaintType.choices),
    "outcome": dict(CaseState.choices),
}


def facet_label(name: str, value: str) -> str:
    label = _LABELS.get(name, {}).get(value, value)
    return f"{label}年" if name == "year" else label


def _url(params, **changes) -> str:
    query = params.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    if "page" not in changes:
        query.pop("page", None)  # a changed search starts again from the first page
    return "?" + query.urlencode()


def precedent_facets(results, params) -> list[dict]:
    """[{name, title, options: [(label, count, url, selected)]}] in a fixed order."""
    facets = []
    for name, title in FACET_TITLES.items():
        options = [
            (
                facet_label(name, value),
                count,
                _url(params, **{name: value}),
                params.get(name) == value,
            )
            for value, count in results.facets.get(name, [])
        ]
        if options:
            facets.append({"name": name, "title": title, "options": options})
    return facets


def precedent_active_filters(filters: dict, params) -> list[tuple[str, str]]:
    """(text, url that removes it) for each filter in use."""
    return [
        (f"{FACET_TITLES[name]}: {facet_label(name, value)}", _url(params, **{name: None}))
        for name, value in filters.items()
    ]


def precedent_page_links(results, params) -> dict:
    links = {}
    if results.page > 1:
        links["previous"] = _url(params, page=str(results.page - 1))
    if results.page < results.pages:
        links["next"] = _url(params, page=str(results.page + 1))
    return links
