from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField

from .mixins import JapaneseSearchMixin, stream_plain_text


class FormField(AbstractFormField):
    page = ParentalKey("FormPage", on_delete=models.CASCADE, related_name="form_fields")


class FormPage(JapaneseSearchMixin, AbstractEmailForm):
    """A form built by editors (資料請求). Submissions are listed and exported in the admin."""

    intro = RichTextField(verbose_name="前文", blank=True, features=["bold", "link", "ul"])
    thank_you_text = RichTextField(
        verbose_name="送信後の文面", blank=True, features=["bold", "link"]
    )

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label="入力項目"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading="通知メール",
        ),
    ]

    parent_page_types = ["cms_pages.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = "フォーム"

    def plain_text(self) -> str:
        return stream_plain_text(self.intro)
