"""People's names as Japanese writes them: family name first (日向 さやか), never 「さやか 日向」.

Django's User.get_full_name puts the given name first; everything that shows a person (Wagtail's
admin through get_user_display_name, the portal, e-mail salutations) goes through
User.get_full_name, so the accounts app points it here once (use_family_name_first). Wagtail's
sidebar is the one exception: its account menu reads `user.first_name` itself, so it is pointed
here at the same time.
"""


def family_name_first(user) -> str:
    """「姓 名」, either part alone when the other is empty, "" when both are."""
    return " ".join(part for part in (user.last_name.strip(), user.first_name.strip()) if part)


def display_name(user) -> str:
    """The name to show for `user`: family name first, else the login name; "" for nobody."""
    if user is None:
        return ""
    return family_name_first(user) or user.get_username()


def use_family_name_first() -> None:
    """Point Django's User and Wagtail's sidebar at display_name; called once, from
    AccountsConfig.ready. The project keeps Django's User (its table predates this rule), hence
    a patch rather than a method of its own."""
    from django.contrib.auth import get_user_model
    from wagtail.admin.ui.sidebar import MainMenuModule

    get_user_model().get_full_name = family_name_first
    wagtail_args = MainMenuModule.js_args

    def js_args(self):
        # Wagtail shows `first_name or username` under the avatar: 「さやか」 alone for 日向 さやか.
        menu_items, account_menu_items, account = wagtail_args(self)
        return [menu_items, account_menu_items, {**account, "name": display_name(self.user)}]

    MainMenuModule.js_args = js_args
