"""People's names as Japanese writes them: family name first (日向 さやか), never 「さやか 日向」.

Django's User.get_full_name puts the given name first; everything that shows a person (Wagtail's
admin through get_user_display_name, the portal, e-mail salutations) goes through
User.get_full_name, so the accounts app points it here once.
"""


def family_name_first(user) -> str:
    """「姓 名」, either part alone when the other is empty, "" when both are."""
    return " ".join(part for part in (user.last_name.strip(), user.first_name.strip()) if part)


def display_name(user) -> str:
    """The name to show for `user`: family name first, else the login name; "" for nobody."""
    if user is None:
        return ""
    return family_name_first(user) or user.get_username()
