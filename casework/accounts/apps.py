from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "casework.accounts"
    label = "accounts"
    verbose_name = "ログインと二段階認証"

    def ready(self):
        from django.contrib.auth import get_user_model

        from .names import family_name_first

        # The project keeps Django's User (its table predates this rule); family name first is
        # set here once instead of in every template and e-mail that names a person.
        get_user_model().get_full_name = family_name_first
