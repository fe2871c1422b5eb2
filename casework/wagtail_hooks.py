from django.contrib import messages
from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.shortcuts import redirect
from wagtail import hooks

from .calendar_viewsets import closing_period_viewset
from .dashboard import dashboard_panels, without_page_panels
from .precedents import wagtail_hooks as precedent_hooks  # noqa: F401 (registers its hooks)
from .viewsets import access_log_viewset, case_viewset


@hooks.register("register_admin_viewset")
def register_case_viewset():
    return case_viewset


@hooks.register("register_admin_viewset")
def register_access_log_viewset():
    return access_log_viewset


@hooks.register("register_admin_viewset")
def register_closing_period_viewset():
    return closing_period_viewset


@hooks.register("register_admin_viewset")
def register_notification_failure_viewset():
    from .notification_viewsets import notification_failure_viewset

    return notification_failure_viewset


@hooks.register("construct_homepage_panels")
def add_casework_panels(request, panels):
    panels[:] = [*dashboard_panels(request), *without_page_panels(request, panels)]


@hooks.register("before_delete_user")
def keep_users_that_casework_refers_to(request, user):
    """Cases, their history and attachments keep who took part (PROTECT): refuse with a message
    instead of a 500, and point to deactivating the login instead."""
    try:
        Collector(using=router.db_for_write(type(user))).collect([user])
    except (ProtectedError, RestrictedError):
        messages.error(
            request,
            f"{user} は案件の記録に残っているため削除できません。"
            "「有効」を外してログインを止めてください。",
        )
        return redirect("wagtailusers_users:edit", user.pk)
    return None
