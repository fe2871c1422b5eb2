from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import PrecedentSearchView
from .viewsets import synonym_viewset


@hooks.register("register_admin_viewset")
def register_synonym_viewset():
    return synonym_viewset


@hooks.register("register_admin_urls")
def register_precedent_search_url():
    return [path("precedents/", PrecedentSearchView.as_view(), name="precedent_search")]


class _StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("casework.view_case")


@hooks.register("register_admin_menu_item")
def register_precedent_search_menu_item():
    return _StaffMenuItem("事例検索", reverse("precedent_search"), icon_name="search", order=120)
