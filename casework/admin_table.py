"""The staff case list's columns, written in Python, and the deadline cell the queues share.

Wagtail's columns render every cell through a template (with a permission check and a URL
lookup per row for the title link). At 25 rows and seven columns that was the larger part of the
list's time at 100,000 cases; these columns keep Wagtail's headers, sorting and table markup and
write each cell with format_html instead.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.admin.ui.tables import Column

OVERDUE = mark_safe(
    '<span class="w-status w-status--label" style="color:#cd4444;border-color:#cd4444">'
    "期限超過</span> "
)


class PlainColumn(Column):
    """A cell of escaped text: the value, a datetime in Tokyo time (2026/11/30 14:49: short
    enough to stay on one line), or empty."""

    def cell_text(self, instance) -> str:
        value = self.get_value(instance)
        if value is None:
            return self.empty_value_display
        if hasattr(value, "tzinfo"):
            return date_format(timezone.localtime(value), "Y/m/d H:i")
        return str(value)

    def cell_html(self, instance) -> str:
        return format_html("{}", self.cell_text(instance))

    def render_cell_html(self, instance, parent_context):
        return format_html("<td>{}</td>", self.cell_html(instance))


class LinkColumn(PlainColumn):
    """The row's title, linked to the page of `url_name` for the row's pk (every row of the
    list is one the person may open: the queryset is already theirs)."""

    def __init__(self, name, *, url_name: str, **kwargs):
        super().__init__(name, **kwargs)
        self.url_name = url_name

    def render_cell_html(self, instance, parent_context):
        return format_html(
            '<td class="title"><div class="title-wrapper"><a href="{}">{}</a></div></td>',
            reverse(self.url_name, args=(instance.pk,)),
            self.cell_text(instance),
        )


def deadline_html(due, *, now, answered: bool = False) -> str:
    """A case's deadline as the lists show it: 「期限超過」 flagged when past, 「対応済み」 when the
    response was given, otherwise a dash."""
    if due is None:
        return "対応済み" if answered else "—"
    return format_html(
        "{}{}", OVERDUE if due < now else "", date_format(timezone.localtime(due), "n/j H:i")
    )


class ServiceLevelColumn(PlainColumn):
    """The case's deadline: by default 対応期限, from its stored service level (no query per
    row); `due` (case → datetime) for another deadline, such as the opinions'."""

    def __init__(self, name, *, due=None, **kwargs):
        super().__init__(name, **kwargs)
        self.due = due

    def cell_html(self, instance) -> str:
        if self.due:
            return deadline_html(self.due(instance), now=timezone.now())
        return deadline_html(
            instance.response_due_at,
            now=timezone.now(),
            answered=instance.is_open and instance.response_given_at is not None,
        )
