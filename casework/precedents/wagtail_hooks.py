"""The reviewers' precedent search page in the admin and its menu item (registered by
casework/wagtail_hooks.py importing this module)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .access import precedent_search_allowed
from .views import PrecedentSearchView


@hooks.register("register_admin_urls")
def register_precedent_search_url():
    return [path("precedents/", PrecedentSearchView.as_view(), name="precedent_search")]


class _StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return precedent_search_allowed(user=request.user)


@hooks.register("register_admin_menu_item")
def register_precedent_search_menu_item():
    return _StaffMenuItem("事例検索", reverse("precedent_search"), icon_name="search", order=120)
