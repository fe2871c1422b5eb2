from itertools import chain

from django.core.management.base import BaseCommand

from casework.models import Case, HistoricalPrecedent
from casework.precedents import historical_documents, precedent_documents
from search.backends import get_search_backend


class Command(BaseCommand):
    help = (
        "Rebuild the precedent index from scratch: every case (open ones marked as open) and "
        "every imported historical case."
    )

    def handle(self, *args, **options):
        cases = Case.objects.order_by("pk")
        total = cases.count() + HistoricalPrecedent.objects.count()
        done = get_search_backend().rebuild(
            chain(precedent_documents(cases), historical_documents()),
            progress=lambda done: self._progress(done, total),
        )
        self._progress(done, total)
        self.stdout.write(f"\n{done} 件を索引に登録しました。")

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stdout.flush()
