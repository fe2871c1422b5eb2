from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from casework.choices import Specialty

from ..choices import CommitteeRole, CommitteeTitle
from .mixins import ClosingBlocksMixin, JapaneseSearchMixin, stream_plain_text


class CommitteeIndexPage(JapaneseSearchMixin, ClosingBlocksMixin, Page):
    intro = RichTextField(verbose_name="紹介文", blank=True, features=["bold", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("closing")]

    max_count = 1
    parent_page_types = ["cms_pages.HomePage"]
    subpage_types = ["cms_pages.CommitteeMemberPage"]

    class Meta:
        verbose_name = "審査会メンバー一覧"

    def plain_text(self) -> str:
        return stream_plain_text(self.intro)

    def members_by_role(self) -> list[tuple[str, list["CommitteeMemberPage"]]]:
        """Live public members grouped by role, roles in the association's order, members in tree
        order (a page restricted to some visitors is not named to all of them)."""
        members = CommitteeMemberPage.objects.child_of(self).live().public().select_related("photo")
        groups = {role: [] for role in CommitteeRole}
        for member in members:
            groups[member.role].append(member)
        return [(role.label, people) for role, people in groups.items() if people]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["groups"] = self.members_by_role()
        return context


_list_of_lines = [("item", blocks.CharBlock(label="項目"))]


class CommitteeMemberPage(JapaneseSearchMixin, Page):
    """One member of the review committee. The page title is the member's name."""

    role = models.CharField("役職", max_length=32, choices=CommitteeRole.choices)
    honorific_title = models.CharField(
        "肩書き",
        max_length=32,
        choices=CommitteeTitle.choices,
        blank=True,
        help_text="役職の横に表示します（理事長・副会長・副理事長）",
    )
    name_kana = models.CharField("よみがな", max_length=64, help_text="ひらがなで入力してください")
    specialty = models.CharField(
        "専門分野",
        max_length=32,
        choices=Specialty.choices,
        db_index=True,
        help_text="案件の審査担当を選ぶときに使います",
    )
    affiliations = StreamField(_list_of_lines, verbose_name="所属", blank=True)
    qualifications = StreamField(_list_of_lines, verbose_name="資格・所属学会", blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="写真",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("role"), FieldPanel("honorific_title")]),
                FieldPanel("name_kana"),
                FieldPanel("specialty"),
            ],
            heading="役職と専門",
        ),
        FieldPanel("affiliations"),
        FieldPanel("qualifications"),
        FieldPanel("photo"),
    ]
    search_fields = JapaneseSearchMixin.search_fields + [index.FilterField("specialty")]

    parent_page_types = ["cms_pages.CommitteeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "審査会メンバー"

    def plain_text(self) -> str:
        parts = [
            self.name_kana,
            self.get_role_display(),
            self.get_honorific_title_display(),
            self.get_specialty_display(),
            stream_plain_text(self.affiliations.raw_data),
            stream_plain_text(self.qualifications.raw_data),
        ]
        return "\n".join(p for p in parts if p)
