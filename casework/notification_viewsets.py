"""The admin listing of what the task queue gave up on (casework.tasks), for the office's
administrators: beside the access log in the settings menu, read-only.

Kept apart from casework/viewsets.py, the case workspace's listing, which it shares nothing with
but the read-only base class.
"""

from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView

from .models import NotificationFailure
from .viewsets import ServiceOnlyViewSet


def _recipients_summary(failure: NotificationFailure) -> str:
    """「office@… ほか7件」: the list stays one line a row; the inspect page has them all."""
    recipients = [r for r in failure.recipients.split(", ") if r]
    if not recipients:
        return ""
    first = Truncator(recipients[0]).chars(40)
    return f"{first} ほか{len(recipients) - 1}件" if len(recipients) > 1 else first


def _wrapped(text: str):
    # An error or an address may be one long word: wrap it anywhere rather than widen the page.
    return format_html('<div style="white-space: pre-wrap; overflow-wrap: anywhere">{}</div>', text)


class NotificationFailureInspectView(InspectView):
    """Every field in full, wrapped. The time is shown in Tokyo time: Wagtail's inspect template
    formats a datetime with |localize, which does not convert it from UTC."""

    def get_at_display_value(self):
        return f"{timezone.localtime(self.object.at):%Y年%-m月%-d日 %H:%M:%S}"

    def get_about_display_value(self):
        return _wrapped(self.object.about)

    def get_recipients_display_value(self):
        return _wrapped(self.object.recipients)

    def get_error_display_value(self):
        return _wrapped(self.object.error)


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
        Column("about", label="件名・対象", accessor=lambda f: Truncator(f.about).chars(60)),
        Column("recipients", label="宛先", accessor=_recipients_summary),
        "attempts",
    ]
    list_export = ["at", "get_kind_display", "about", "recipients", "attempts", "error"]
    export_headings = {"get_kind_display": "種類"}
    export_filename = "notification-failures"
    inspect_view_class = NotificationFailureInspectView
    inspect_view_fields = ["at", "kind", "about", "recipients", "attempts", "error"]


notification_failure_viewset = NotificationFailureViewSet(
    "casework_notification_failure", url_prefix="notification-failures"
)
