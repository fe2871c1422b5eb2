"""What happens to a form submission (資料請求): what is stored of it, the acknowledgement to the
person who sent it, and the admin's listing of submissions and its exports."""

import datetime
import logging
import re
from html import unescape

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from wagtail.contrib.forms.views import SubmissionsListView

from casework.exports import SafeSpreadsheetExportMixin
from casework.tasks import email_send

from .models.forms import CHOSEN_FIELD_TYPES, CONSENT, CONSENT_STORED, HONEYPOT, FormPage

logger = logging.getLogger(__name__)

ACKNOWLEDGEMENT_SUBJECT = "【日本美容医療リスクマネジメント協会】{title}を受け付けました"
#: What the acknowledgement says happens next when the editor left the thank-you text empty.
NEXT_STEPS_DEFAULT = "内容を確認のうえ、協会事務局よりご連絡いたします。"


def form_submission_prepare(form) -> bool:
    """Make the valid `form`'s cleaned data what is stored: the honeypot dropped, the consent
    as the time it was given (Asia/Tokyo, ISO 8601). False when the honeypot was filled in,
    i.e. the submission is a robot's and is to be discarded (nothing stored, nobody told)."""
    data = form.cleaned_data
    if data.pop(HONEYPOT, ""):
        logger.info("Form submission with the honeypot filled in discarded (page %s)", form.page)
        return False
    if data.pop(CONSENT, False):
        data[CONSENT_STORED] = timezone.localtime().isoformat(timespec="seconds")
    return True


def submission_answers(form, *, only: set[str] | None = None) -> list[tuple[str, str]]:
    """(label, answer) for each answer stored from `form` (prepared), as e-mails show them;
    with `only`, the answers of the fields so named (and the consent)."""
    data = form.cleaned_data
    answers = []
    for field in form:
        if field.name not in data or (only is not None and field.name not in only):
            continue
        value = data[field.name]
        if isinstance(value, list):
            value = "、".join(value)
        elif isinstance(value, datetime.datetime):
            value = date_format(timezone.localtime(value), "Y年n月j日 H:i")
        elif isinstance(value, datetime.date):
            value = date_format(value, "Y年n月j日")
        elif isinstance(value, bool):
            value = "はい" if value else "いいえ"
        answers.append((field.label, "" if value is None else str(value)))
    if consented := data.get(CONSENT_STORED):
        at = datetime.datetime.fromisoformat(consented)
        answers.append(("個人情報の取扱い", f"同意する（{date_format(at, 'Y年n月j日 H:i')}）"))
    return answers


def request_acknowledge(*, page: FormPage, form) -> None:
    """After commit, e-mail the person who sent `form` (the address typed in its first e-mail
    field, if any) the association's own text: what they chose among the editor's choices and
    what happens next (the page's thank-you text). Nothing typed into the form goes into it, not
    even a name: the address may be anyone's, so the mail must carry no one else's words."""
    fields = page.get_form_fields()
    typed = [form.cleaned_data.get(f.clean_name) for f in fields if f.field_type == "email"]
    address = next(filter(None, typed), None)
    if address is None:
        return
    chosen = {f.clean_name for f in fields if f.field_type in CHOSEN_FIELD_TYPES}
    body = render_to_string(
        "cms_pages/email/request_received.txt",
        {
            "page": page,
            "answers": [
                (label, value) for label, value in submission_answers(form, only=chosen) if value
            ],
            "next_steps": _plain(page.thank_you_text) or NEXT_STEPS_DEFAULT,
            "contact_url": settings.SITE_URL + "/contact/",
        },
    )
    subject = ACKNOWLEDGEMENT_SUBJECT.format(title=page.title)
    transaction.on_commit(
        lambda: email_send.enqueue(to=[address], subject=subject, body=body), robust=True
    )


def _plain(html: str) -> str:
    """Rich text as e-mail text: one paragraph (or line) a line."""
    text = re.sub(r"</p>|<br\s*/?>", "\n", html or "")
    return "\n".join(
        line.strip() for line in unescape(strip_tags(text)).splitlines() if line.strip()
    )


class SafeSubmissionsListView(SafeSpreadsheetExportMixin, SubmissionsListView):
    """Wagtail's submissions listing with its CSV and XLSX made safe to open
    (casework.exports): anyone on the internet writes what is in them."""
