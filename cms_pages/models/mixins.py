"""What public pages share: Japanese-analysed search text, closing blocks."""

from collections.abc import Mapping, Sequence
from html import unescape

from django.db import models
from django.utils.html import strip_tags
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from search.analysis import analyse

from ..blocks import BaseStreamBlock


def stream_plain_text(raw) -> str:
    """Every text leaf of a StreamField's raw data, tags stripped, one per line."""
    if isinstance(raw, str):
        return unescape(strip_tags(raw))
    if isinstance(raw, Mapping):
        # Stream children are {"type", "value", "id"}; only the value is content.
        values = [raw["value"]] if "type" in raw and "value" in raw else raw.values()
        return "\n".join(filter(None, (stream_plain_text(v) for v in values)))
    if isinstance(raw, Sequence):  # lists, and StreamField's RawDataView
        return "\n".join(filter(None, (stream_plain_text(v) for v in raw)))
    return ""


class JapaneseSearchMixin:
    """Indexes `search_text`, the page's text run through the project's Japanese analyser.

    Wagtail's database backend splits on whitespace only, so unspaced Japanese must be analysed
    before indexing; the site search analyses the query with the same function.
    """

    search_fields = Page.search_fields + [index.SearchField("search_text")]

    def plain_text(self) -> str:
        raise NotImplementedError("each page type says which of its fields are text")

    @property
    def search_text(self) -> str:
        return analyse(f"{self.title}\n{self.plain_text()}")


class ClosingBlocksMixin(models.Model):
    """Blocks shown at the foot of a page, e.g. the 資料請求 / オンライン加入 buttons."""

    closing = StreamField(BaseStreamBlock(), blank=True, verbose_name="ページ下部")

    class Meta:
        abstract = True
