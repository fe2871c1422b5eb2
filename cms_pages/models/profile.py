from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .committee import CommitteeIndexPage
from .mixins import ClosingBlocksMixin, JapaneseSearchMixin, stream_plain_text

_fact = blocks.StructBlock(
    [
        ("term", blocks.CharBlock(label="項目", help_text="例: 名称、設立")),
        ("detail", blocks.RichTextBlock(label="内容", features=["bold", "ul", "link"])),
    ],
    label="項目と内容",
    icon="list-ul",
)


class AboutPage(JapaneseSearchMixin, ClosingBlocksMixin, Page):
    """協会概要: the association's profile as a table, then its board.

    The board is not typed here: it is the committee's member pages (the directors and auditors
    are the review committee), grouped by role and linked, so it never drifts from them. The
    contact lines come from the 連絡先 setting.
    """

    intro = RichTextField(verbose_name="前文", blank=True, features=["bold", "link"])
    facts = StreamField([("fact", _fact)], verbose_name="概要", blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("facts"),
        FieldPanel("closing"),
    ]

    max_count = 1
    parent_page_types = ["cms_pages.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = "協会概要"

    def plain_text(self) -> str:
        return f"{stream_plain_text(self.intro)}\n{stream_plain_text(self.facts.raw_data)}"

    def board(self) -> list[tuple[str, list]]:
        """(role, member pages) in the association's order; empty without a committee page."""
        committee = CommitteeIndexPage.objects.live().first()
        return committee.members_by_role() if committee else []

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["board"] = self.board()
        return context


class ContactPage(JapaneseSearchMixin, ClosingBlocksMixin, Page):
    """お問い合わせ: the 連絡先 setting's lines (each hidden while empty), an editable lead, and
    closing buttons to 資料請求 and the FAQ."""

    intro = RichTextField(verbose_name="前文", blank=True, features=["bold", "link", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("closing")]

    max_count = 1
    parent_page_types = ["cms_pages.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = "お問い合わせ"

    def plain_text(self) -> str:
        return stream_plain_text(self.intro)
