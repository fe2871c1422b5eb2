from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "casework.accounts"
    label = "accounts"
    verbose_name = "ログインと二段階認証"

    def ready(self):
        from .names import use_family_name_first

        # Family name first, set here once instead of in every template and e-mail that names
        # a person.
        use_family_name_first()
