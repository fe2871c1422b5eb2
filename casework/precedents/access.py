"""Who may search precedents, and what a search leaves out for them: casework's rules, asked by
the search page, the case page's similar cases and the admin menu (the search app knows none)."""

from ..selectors import conflicted_facilities
from .documents import precedent_owner


def precedent_search_allowed(*, user) -> bool:
    """Staff who may look at cases may search past ones."""
    return user.has_perm("casework.view_case")


def precedent_open_cases_shown(*, user) -> bool:
    """Open cases are shown (marked as such) to those who handle cases only."""
    return user.has_perm("casework.handle_case")


def precedent_owners_hidden_from(*, user) -> frozenset[str]:
    """The owners whose precedents `user` must not see (search and similar cases take them as
    exclude_owners): the facilities they declared a conflict of interest with. Whatever the
    user's role: a precedent is never needed to handle a case, and nothing about a conflicted
    facility's cases should reach its reviewer."""
    facilities = conflicted_facilities(user=user).values_list("pk", flat=True)
    return frozenset(precedent_owner(pk) for pk in facilities)
