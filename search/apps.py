from django.apps import AppConfig
from django.db.models.signals import post_delete


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "事例検索"

    def ready(self):
        from .importer import precedent_key
        from .signals import unindex_on_delete

        post_delete.connect(
            unindex_on_delete(lambda historical: precedent_key(historical.external_id)),
            sender=self.get_model("HistoricalPrecedent"),
            weak=False,
            dispatch_uid="search.unindex_historical_precedent",
        )
