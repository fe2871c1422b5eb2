from django.apps import AppConfig
from django.db.models.signals import post_delete


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "案件管理"

    def ready(self):
        from search.signals import unindex_on_delete

        from .precedents import precedent_key_of

        for model in ("Case", "HistoricalPrecedent"):
            post_delete.connect(
                unindex_on_delete(precedent_key_of),
                sender=self.get_model(model),
                weak=False,
                dispatch_uid=f"casework.unindex_{model}",
            )
