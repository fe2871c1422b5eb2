from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import RenewalRoundView, renewal_round_allowed, renewal_round_csv
from .viewsets import application_viewset, renewal_round_viewset


@hooks.register("register_admin_viewset")
def register_application_viewset():
    return application_viewset


@hooks.register("register_admin_viewset")
def register_renewal_round_viewset():
    return renewal_round_viewset


@hooks.register("register_admin_urls")
def register_renewal_round_urls():
    return [
        path("renewals/", RenewalRoundView.as_view(), name="enrollment_renewal_round"),
        path("renewals/csv/", renewal_round_csv, name="enrollment_renewal_round_csv"),
    ]


class _RenewalRoundMenuItem(MenuItem):
    def is_shown(self, request):
        return renewal_round_allowed(user=request.user)


@hooks.register("register_admin_menu_item")
def register_renewal_round_menu_item():
    # Just below 加入申込 (order 120): the same people follow both.
    return _RenewalRoundMenuItem(
        "継続手続の状況",
        reverse("enrollment_renewal_round"),
        name="renewal-round",
        icon_name="resubmit",
        order=121,
    )
