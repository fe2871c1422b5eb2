import html
import json

from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from ..blocks import FaqCategoryBlock
from .mixins import ClosingBlocksMixin, JapaneseSearchMixin, stream_plain_text


def faq_anchor(block_id: str) -> str:
    """Anchor of one question: stable across reordering because it derives from the block id."""
    return f"q-{block_id[:8]}"


class FaqPage(JapaneseSearchMixin, ClosingBlocksMixin, Page):
    intro = RichTextField(verbose_name="前文", blank=True, features=["bold", "link"])
    body = StreamField([("category", FaqCategoryBlock())], verbose_name="質問と回答")

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("closing"),
    ]

    max_count = 1
    parent_page_types = ["cms_pages.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = "よくあるご質問"

    def plain_text(self) -> str:
        return f"{stream_plain_text(self.intro)}\n{stream_plain_text(self.body.raw_data)}"

    def questions(self):
        """(question, answer RichText) of every category, in order."""
        for category in self.body:
            yield from category.value["questions"]

    def json_ld(self) -> str:
        """schema.org FAQPage for search engines, safe to put inside a <script> element."""
        data = {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": item.value["question"],
                    "acceptedAnswer": {
                        "@type": "Answer",
                        # The answer's text as read: tags dropped, "&amp;" back to "&".
                        "text": html.unescape(strip_tags(item.value["answer"].source)).strip(),
                    },
                }
                for item in self.questions()
            ],
        }
        text = json.dumps(data, ensure_ascii=False, indent=1)
        # "</script>" inside a string would end the element early.
        return mark_safe(text.replace("<", "\\u003c"))  # noqa: S308
