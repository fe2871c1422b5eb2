from django.apps import AppConfig
from django.db.models.signals import post_delete


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "案件管理"

    def ready(self):
        from search.signals import unindex_on_delete

        from .precedents import precedent_key

        post_delete.connect(
            unindex_on_delete(lambda case: precedent_key(case.pk)),
            sender=self.get_model("Case"),
            weak=False,
            dispatch_uid="casework.unindex_case",
        )
