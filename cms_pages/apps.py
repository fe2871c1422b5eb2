from django.apps import AppConfig


class CmsPagesConfig(AppConfig):
    name = "cms_pages"
    verbose_name = "公開サイト"

    def ready(self):
        from . import cache  # noqa: F401  (connects the purge-on-publish receivers)
