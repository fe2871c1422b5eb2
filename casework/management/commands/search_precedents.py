import json
import re

from django.core.management.base import BaseCommand, CommandError

from casework.models import Case
from casework.precedents import historical_precedent_key, precedent_key
from search.backends import get_search_backend


def _key(label: str) -> str:
    """The index key of a case's reference number, else of a historical case's external id
    (not read from any one backend's tables, so it works with every backend)."""
    case_pk = Case.objects.filter(reference=label).values_list("pk", flat=True).first()
    return precedent_key(case_pk) if case_pk is not None else historical_precedent_key(label)


def _plain(snippet: str) -> str:
    return re.sub(r"</?mark>", "", snippet)


class Command(BaseCommand):
    help = "Search past cases as the reviewers' page does; prints label, score and snippet."

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="?", default="")
        parser.add_argument("--similar-to", metavar="REF", help="受付番号 or external id")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="one JSON object per result"
        )
        parser.add_argument("--include-open", action="store_true", help="open cases too")
        parser.add_argument("--limit", type=int, default=10)

    def handle(self, *args, query, similar_to, as_json, include_open, limit, **options):
        backend = get_search_backend()
        if similar_to:
            hits = backend.similar(_key(similar_to), limit=limit, include_open=include_open)
            if not hits:
                raise CommandError(f"No similar indexed case for {similar_to!r}")
        elif query:
            hits = backend.search(query, per_page=limit, include_open=include_open).hits
        else:
            raise CommandError("Give a QUERY or --similar-to REF")
        for hit in hits:
            row = {
                "label": hit.label,
                "score": hit.score,
                "snippet": _plain(hit.snippet),
                "procedure": hit.procedure,
                "outcome": hit.outcome,
                "reason": hit.reason,
            }
            if as_json:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                extra = f"  [{hit.reason}]" if hit.reason else ""
                self.stdout.write(f"{hit.label}\t{hit.score:.3f}\t{row['snippet']}{extra}")
