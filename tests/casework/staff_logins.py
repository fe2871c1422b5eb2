"""What a facility's 管理者 and an invitee do in the tests of staff logins: invite through
スタッフ管理, read the one-time link from the e-mail, set the password through it."""

import re

from django.conf import settings

from casework.choices import FacilityRole

PASSWORD = "Sakura-Clinic-2026-desk"  # noqa: S105


def invite(client, **overrides):
    """POST スタッフ管理's invitation form as the logged-in 管理者 (a 報告者 by default)."""
    data = {
        "last_name": "受付",
        "first_name": "はな",
        "email": "hana@sakura.example.jp",
        "role": FacilityRole.REPORTER,
        **overrides,
    }
    return client.post("/mypage/staff/", data)


def invitation_link(message) -> str:
    """The one-time link of an invitation e-mail, as a path."""
    url = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)
    return url.removeprefix(settings.SITE_URL)


def set_password(client, link, password=PASSWORD):
    """Open the link as the invitee would and set a password; the final response."""
    form = client.get(link, follow=True)
    if form.redirect_chain:
        link = form.redirect_chain[-1][0]
    return client.post(link, {"new_password1": password, "new_password2": password}, follow=True)
