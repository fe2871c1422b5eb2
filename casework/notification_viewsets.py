"""The admin listing of what the task queue gave up on (casework.tasks), for the office's
administrators: beside the access log in the settings menu, read-only.

Kept apart from casework/viewsets.py, the case workspace's listing, which it shares nothing with
but the read-only base class.
"""

from wagtail.admin.ui.tables import Column

from .models import NotificationFailure
from .viewsets import ServiceOnlyViewSet


class NotificationFailureViewSet(ServiceOnlyViewSet):
    """E-mails never sent and index updates never made, newest first: whom to telephone (the
    subject names the 受付番号 or 申込番号), or that rebuild_precedent_index is due."""

    model = NotificationFailure
    icon = "warning"
    menu_label = "送信・更新の失敗"
    menu_order = 910
    add_to_settings_menu = True
    list_filter = ["kind"]
    search_fields = ["about", "recipients"]
    search_backend_name = None
    list_per_page = 100
    list_display = [
        Column("at", label="日時", accessor="at", sort_key="at"),
        "kind",
        "about",
        "recipients",
        "attempts",
    ]
    list_export = ["at", "get_kind_display", "about", "recipients", "attempts", "error"]
    export_headings = {"get_kind_display": "種類"}
    export_filename = "notification-failures"
    inspect_view_fields = ["at", "kind", "about", "recipients", "attempts", "error"]


notification_failure_viewset = NotificationFailureViewSet(
    "casework_notification_failure", url_prefix="notification-failures"
)
