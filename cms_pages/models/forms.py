import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models
from django.shortcuts import redirect
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField
from wagtail.url_routing import RouteResult

from casework.privacy import privacy_consent_field

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


#: One-line fields read as a Japanese phone number or postal code, by these words in their label:
#: the builder has no such field types, and adding one would change the page's model.
PHONE_LABEL = "電話番号"
POSTAL_CODE_LABEL = "郵便番号"
#: The fields the builder adds to every form, after the editor's: the consent to the privacy
#: policy (stored as CONSENT_STORED, the time it was given) and the honeypot, an input people
#: never see or reach that spam robots fill in (a submission with it filled is discarded).
CONSENT = "privacy_consent"
CONSENT_STORED = "privacy_consented_at"
CONSENT_HEADING = "個人情報の取扱いへの同意（日時）"
HONEYPOT = "website"
#: The path, under the form page, of the page shown after a submission (Post/Redirect/Get).
THANK_YOU_PATH = "thanks"
#: The kinds of field whose answer can only be one of the choices the editor wrote (or a box
#: ticked): the only answers the acknowledgement to the typed address repeats. Anything typed
#: would let anyone mail their own words, links included, to any address through the association.
CHOSEN_FIELD_TYPES = frozenset({"checkbox", "checkboxes", "dropdown", "multiselect", "radio"})

# Hyphens and dashes a Japanese input method produces for "-" (after NFKC, which already folds
# the full-width hyphen-minus and the half-width prolonged sound mark).
_HYPHENS = str.maketrans(dict.fromkeys("ー―‐‑−–—", "-"))
# Japanese numbers from the trunk prefix 0: ten digits (fixed lines, 0120, 0570), or eleven
# digits after 020/050/060/070/080/090 (mobile, IP, 0800), which are never ten digits long.
_PHONE_DIGITS = re.compile(r"0(?![2-9]0)[1-9]\d{8}|0[2-9]0\d{8}", re.ASCII)
_PHONE_FORM = re.compile(r"\d+(-\d+)*", re.ASCII)  # digit groups joined by single hyphens
_POSTAL_CODE = re.compile(r"(\d{3})-?(\d{4})", re.ASCII)
PHONE_INVALID = (
    "電話番号は、市外局番から10桁または11桁の数字で入力してください（例: 03-1234-5678）。"
)
POSTAL_CODE_INVALID = "郵便番号は7桁の数字で入力してください（例: 100-0001）。"


def _limited(kind: str, options: dict) -> dict:
    return {
        **options,
        "max_length": MAX_LENGTHS[kind],
        "error_messages": {"max_length": TOO_LONG},
    }


def _folded(value: str) -> str:
    """Digits as typed in any width, every kind of hyphen as "-", no spaces (of any width)."""
    return "".join(unicodedata.normalize("NFKC", value).translate(_HYPHENS).split())


class TelInput(forms.TextInput):
    input_type = "tel"


class PhoneNumberField(forms.CharField):
    """A Japanese phone number, stored in half-width digits with the hyphens as typed."""

    widget = TelInput

    def to_python(self, value):
        return _folded(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        digits = value.replace("-", "")
        if value and not (_PHONE_FORM.fullmatch(value) and _PHONE_DIGITS.fullmatch(digits)):
            raise ValidationError(PHONE_INVALID, code="invalid")

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "autocomplete": "tel"}


class PostalCodeField(forms.CharField):
    """A Japanese postal code, stored as 123-4567 however it was typed (〒, widths, hyphens)."""

    def to_python(self, value):
        value = _folded(super().to_python(value)).removeprefix("〒")
        match = _POSTAL_CODE.fullmatch(value)
        return f"{match[1]}-{match[2]}" if match else value

    def validate(self, value):
        super().validate(value)
        if value and not _POSTAL_CODE.fullmatch(value):
            raise ValidationError(POSTAL_CODE_INVALID, code="invalid")

    def widget_attrs(self, widget):
        return {
            **super().widget_attrs(widget),
            "autocomplete": "postal-code",
            "inputmode": "numeric",
        }


class PublicEmailValidator(EmailValidator):
    """An address of a mailbox on a public mail domain. The acknowledgement is sent to it, so
    Django's other forms of address are refused: a quoted local part (any text, links included,
    in the acknowledgement's To: line), a host named by its IP address ([10.0.0.5]) and
    localhost, which would have the association's mail server deliver to internal machines or to
    itself."""

    domain_allowlist = []

    def __call__(self, value):
        super().__call__(value)
        if value.startswith('"'):
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def validate_domain_part(self, domain_part):
        return self.domain_regex.match(domain_part) is not None


class PublicEmailField(forms.EmailField):
    default_validators = [PublicEmailValidator()]


class HoneypotInput(forms.TextInput):
    """Out of the tab order and never filled in by the browser, nor by 1Password or LastPass
    (their opt-outs: a person's request would otherwise be discarded unseen); the page hides
    its wrapper from sight and from assistive technology (form_page.html)."""

    def __init__(self):
        super().__init__(
            attrs={
                "tabindex": "-1",
                "autocomplete": "off",
                "data-1p-ignore": "true",
                "data-lpignore": "true",
            }
        )


class LimitedFormBuilder(FormBuilder):
    """Wagtail's form builder with a maximum on every field an answer can be typed into
    (`MAX_LENGTHS`), so that neither a submission nor its notification email can be of any
    size; the browser stops at the maximum too (maxlength)."""

    def create_singleline_field(self, field, options):
        options = _limited("singleline", options)
        if PHONE_LABEL in field.label:
            return PhoneNumberField(**options)
        if POSTAL_CODE_LABEL in field.label:
            return PostalCodeField(**options)
        return forms.CharField(**options)

    def create_multiline_field(self, field, options):
        return forms.CharField(widget=forms.Textarea, **_limited("multiline", options))

    def create_email_field(self, field, options):
        return PublicEmailField(**_limited("email", options))

    def create_url_field(self, field, options):
        return super().create_url_field(field, _limited("url", options))

    def create_hidden_field(self, field, options):
        return super().create_hidden_field(field, _limited("hidden", options))

    def create_number_field(self, field, options):
        return super().create_number_field(field, {**options, "max_digits": MAX_DIGITS})

    @property
    def formfields(self):
        fields = super().formfields
        fields[HONEYPOT] = forms.CharField(
            label="この欄は空のままにしてください（迷惑送信の対策です）",
            widget=HoneypotInput,
            **_limited("singleline", {"required": False}),
        )
        fields[CONSENT] = privacy_consent_field(
            required_message="資料請求には、個人情報の取扱いへの同意が必要です。"
        )
        return fields


#: What an editor's field may not be named: the builder's own fields would replace it (hidden
#: from everyone, its answers never collected) or its answer would overwrite the consent's time.
RESERVED_NAMES = frozenset({HONEYPOT, CONSENT, CONSENT_STORED})
RESERVED_LABEL = "この項目名はフォームが内部で使用しています。別の項目名にしてください。"


class FormField(AbstractFormField):
    page = ParentalKey("FormPage", on_delete=models.CASCADE, related_name="form_fields")

    def clean(self):
        super().clean()
        if (self.clean_name or self.get_field_clean_name()) in RESERVED_NAMES:
            raise ValidationError({"label": RESERVED_LABEL})


class FormPage(JapaneseSearchMixin, AbstractEmailForm):
    """A form built by editors (資料請求). Submissions are listed and exported in the admin.

    Every text field has a maximum length (`MAX_LENGTHS`); phone numbers and postal codes are
    folded to half-width and checked (`PHONE_LABEL`, `POSTAL_CODE_LABEL`). Every form asks for
    consent to the privacy policy and carries a honeypot (`CONSENT`, `HONEYPOT`). A submission is
    stored, notified to `to_address` with every answer and acknowledged to the address the person
    typed with the association's own text and the choices made (`CHOSEN_FIELD_TYPES`; never what
    was typed, cms_pages.submissions), then answered with a redirect to the thank-you page under the form
    (`THANK_YOU_PATH`), so that reloading it sends nothing again.
    """

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

    def get_context(self, request, *args, **kwargs):
        return {**super().get_context(request, *args, **kwargs), "honeypot": HONEYPOT}

    def route(self, request, path_components):
        if path_components == [THANK_YOU_PATH] and self.live:
            return RouteResult(self, kwargs={"thank_you": True})
        return super().route(request, path_components)

    def serve(self, request, *args, thank_you: bool = False, **kwargs):
        if thank_you:
            return super().render_landing_page(request)
        return super().serve(request, *args, **kwargs)

    def render_landing_page(self, request, form_submission=None, *args, **kwargs):
        if request.method == "POST":  # a submission: Post/Redirect/Get (previews are GETs)
            return redirect(self.get_url(request) + THANK_YOU_PATH + "/")
        return super().render_landing_page(request, form_submission, *args, **kwargs)

    def process_form_submission(self, form):
        from ..submissions import form_submission_prepare, request_acknowledge

        if not form_submission_prepare(form):
            return None  # the honeypot was filled in: a robot, answered like a person
        submission = super().process_form_submission(form)
        request_acknowledge(page=self, form=form)
        return submission

    def render_email(self, form) -> str:
        from ..submissions import submission_answers

        return "\n".join(f"{label}：{value}" for label, value in submission_answers(form))

    def get_data_fields(self):
        return [*super().get_data_fields(), (CONSENT_STORED, CONSENT_HEADING)]
