"""Consent to the handling of personal data: the one checkbox every form that takes personal data
asks (資料請求, オンライン加入), linking to the privacy policy.

The Act on the Protection of Personal Information asks for the purposes of use to be published
(the policy at PRIVACY_URL says them) and the consent to be kept: each form stores when it was
given with what it was given for.
"""

from django import forms
from django.utils.html import format_html

#: Where the privacy policy (個人情報保護方針・個人情報の取扱いについて) is published.
PRIVACY_URL = "/privacy/"
CONSENT_LABEL = "個人情報の取扱いに同意する"


def privacy_policy_link(text: str = "個人情報の取扱い（プライバシーポリシー）") -> str:
    """The link to the policy, opening in the same tab (the form keeps what was typed on Back)."""
    return format_html('<a href="{}">{}</a>', PRIVACY_URL, text)


def privacy_consent_field(*, required_message: str) -> forms.BooleanField:
    """The required consent checkbox; the link is in the help text, which the page shows next to
    the box and the box is described by (a link inside the label would be a link inside the
    error summary's link)."""
    return forms.BooleanField(
        label=CONSENT_LABEL,
        help_text=format_html(
            "{}をお読みのうえ、同意いただける場合はチェックを入れてください。",
            privacy_policy_link(),
        ),
        error_messages={"required": required_message},
    )


# 苦情相談: a member reporting a complaint gives the association the patient's information, medical
# information among it (要配慮個人情報), which may be given to a third party only with the patient's
# consent or where the Act allows it without (法令に基づく場合 and the like).
PATIENT_DATA_UNCONFIRMED = "患者さんの情報の提供について確認のうえ、チェックを入れてください。"


def patient_data_confirmation_field() -> forms.BooleanField:
    """The member's required confirmation, on the report form, that the patient's information is
    handled under the privacy policy and given with the patient's consent or a lawful basis."""
    return forms.BooleanField(
        label=(
            "患者さんの情報を協会へ提供することについて、患者さんの同意を得ている"
            "（または法令により同意が不要な場合にあたる）ことを確認しました"
        ),
        help_text=format_html(
            "患者さんの情報（病状などの要配慮個人情報を含みます）は、{}に従って取り扱います。",
            privacy_policy_link(),
        ),
        error_messages={"required": PATIENT_DATA_UNCONFIRMED},
    )
