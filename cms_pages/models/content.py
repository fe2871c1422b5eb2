from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from ..blocks import BaseStreamBlock
from .mixins import ClosingBlocksMixin, JapaneseSearchMixin, stream_plain_text


class ContentPage(JapaneseSearchMixin, ClosingBlocksMixin, Page):
    """A plain page of headed sections (プライバシーポリシー and any other page of text alone)."""

    intro = RichTextField(verbose_name="前文", blank=True, features=["bold", "link", "ul"])
    body = StreamField(BaseStreamBlock(), verbose_name="本文", blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("closing"),
    ]

    parent_page_types = ["cms_pages.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = "一般ページ"

    def plain_text(self) -> str:
        return f"{stream_plain_text(self.intro)}\n{stream_plain_text(self.body.raw_data)}"
