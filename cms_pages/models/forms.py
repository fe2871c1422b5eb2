from django import forms
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField

from .mixins import JapaneseSearchMixin, stream_plain_text

#: The longest answer each kind of text field of an editor-built form takes, in characters
#: (e-mail: the longest address SMTP carries).
MAX_LENGTHS = {
    "singleline": 255,
    "multiline": 2_000,
    "email": 254,
    "url": 2_000,
    "hidden": 255,
}
#: The most digits a number field takes.
MAX_DIGITS = 15
TOO_LONG = "%(limit_value)d文字以内で入力してください（現在%(show_value)d文字）。"


def _limited(kind: str, options: dict) -> dict:
    return {
        **options,
        "max_length": MAX_LENGTHS[kind],
        "error_messages": {"max_length": TOO_LONG},
    }


class LimitedFormBuilder(FormBuilder):
    """Wagtail's form builder with a maximum on every field an answer can be typed into
    (`MAX_LENGTHS`), so that neither a submission nor its notification email can be of any
    size; the browser stops at the maximum too (maxlength)."""

    def create_singleline_field(self, field, options):
        return forms.CharField(**_limited("singleline", options))

    def create_multiline_field(self, field, options):
        return forms.CharField(widget=forms.Textarea, **_limited("multiline", options))

    def create_email_field(self, field, options):
        return super().create_email_field(field, _limited("email", options))

    def create_url_field(self, field, options):
        return super().create_url_field(field, _limited("url", options))

    def create_hidden_field(self, field, options):
        return super().create_hidden_field(field, _limited("hidden", options))

    def create_number_field(self, field, options):
        return super().create_number_field(field, {**options, "max_digits": MAX_DIGITS})


class FormField(AbstractFormField):
    page = ParentalKey("FormPage", on_delete=models.CASCADE, related_name="form_fields")


class FormPage(JapaneseSearchMixin, AbstractEmailForm):
    """A form built by editors (資料請求). Submissions are listed and exported in the admin.
    Every text field has a maximum length (`MAX_LENGTHS`)."""

    form_builder = LimitedFormBuilder

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

    def get_submissions_list_view_class(self):
        # Wagtail's form views load other apps' models on import: not while models load.
        from ..submissions import SafeSubmissionsListView

        return SafeSubmissionsListView

    def plain_text(self) -> str:
        return stream_plain_text(self.intro)
