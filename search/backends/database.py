"""The embedded backend: full text in the project's own database, no server needed.

SQLite: an FTS5 table keyed by the entry id, ranked by bm25. PostgreSQL: a stored
to_tsvector('simple', terms) column with a GIN index, ranked by ts_rank_cd. Both index the analyser's space-separated
tokens, so Japanese words and synonym groups match whole.
"""

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction

from .. import similarity
from ..documents import PrecedentDocument
from ..highlight import snippet
from ..models import PrecedentEntry
from ..synonyms import SynonymSet
from .base import FACETS, BaseSearchBackend, Hit, SearchResults, batches

_FACET_COLUMNS = {
    "procedure_field": "procedure_field",
    "procedure": "procedure",
    "outcome": "outcome",
    "payout_band": "payout_band",
    "year": "claim_year",
}
_ORDER = {"newest": "e.claim_date DESC", "oldest": "e.claim_date ASC"}


def _entry(document: PrecedentDocument, synonyms: SynonymSet) -> PrecedentEntry:
    return PrecedentEntry(
        key=document.key,
        label=document.label,
        claim_date=document.claim_date,
        claim_year=document.claim_year,
        procedure_field=document.procedure_field,
        procedure=document.procedure,
        complaint_codes=f" {' '.join(document.complaint_types)} ",
        outcome=document.outcome,
        payout_yen=document.payout_yen,
        payout_band=document.payout_band,
        is_open=document.is_open,
        text=document.text,
        terms=synonyms.analyse_document(f"{document.procedure}\n{document.text}"),
    )


class _Vendor:
    """The full-text SQL of one database: how to match, rank and keep the index."""

    def __init__(self):
        self.sqlite = connection.vendor == "sqlite"

    def match(self, terms: list[str], *, any_term: bool) -> tuple[str, str, list]:
        """(join clause, score expression where higher is better, params)."""
        if self.sqlite:
            quoted = [f'"{t.replace(chr(34), chr(34) * 2)}"' for t in terms]
            expression = (" OR " if any_term else " ").join(quoted)
            return (
                "JOIN search_precedent_fts f ON f.rowid = e.id AND search_precedent_fts MATCH %s",
                "-bm25(search_precedent_fts)",
                [expression],
            )
        quoted = ["'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in terms]
        expression = (" | " if any_term else " & ").join(quoted)
        return (
            "CROSS JOIN to_tsquery('simple', %s) q",
            "ts_rank_cd(e.tsv, q)",
            [expression],
        )

    def where_match(self) -> str:
        return "" if self.sqlite else "e.tsv @@ q"

    def write(self, entries: list[PrecedentEntry]) -> None:
        if self.sqlite:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT OR REPLACE INTO search_precedent_fts(rowid, terms) VALUES (%s, %s)",
                    [(entry.pk, entry.terms) for entry in entries],
                )

    def remove(self, ids: list[int]) -> None:
        if self.sqlite and ids:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "DELETE FROM search_precedent_fts WHERE rowid = %s", [(i,) for i in ids]
                )

    def clear(self) -> None:
        if self.sqlite:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_precedent_fts")


class SearchBackend(BaseSearchBackend):
    def index(self, documents: Iterable[PrecedentDocument]) -> int:
        synonyms = SynonymSet.load()
        entries = [_entry(document, synonyms) for document in documents]
        with transaction.atomic():
            existing = dict(
                PrecedentEntry.objects.filter(key__in=[e.key for e in entries]).values_list(
                    "key", "pk"
                )
            )
            for entry in entries:
                entry.pk = existing.get(entry.key)
            updates = [e for e in entries if e.pk]
            PrecedentEntry.objects.bulk_update(
                updates,
                [f.name for f in PrecedentEntry._meta.fields if f.name not in ("id", "key")],
                batch_size=500,
            )
            created = PrecedentEntry.objects.bulk_create(
                [e for e in entries if not e.pk], batch_size=500
            )
            if connection.vendor == "sqlite" and any(e.pk is None for e in created):
                # SQLite returns ids from bulk_create; other databases do too, but be sure.
                created = list(PrecedentEntry.objects.filter(key__in=[e.key for e in created]))
            _Vendor().write(updates + list(created))
        return len(entries)

    def delete(self, keys: Iterable[str]) -> None:
        entries = PrecedentEntry.objects.filter(key__in=list(keys))
        with transaction.atomic():
            _Vendor().remove(list(entries.values_list("pk", flat=True)))
            entries.delete()

    def reset_index(self) -> None:
        with transaction.atomic():
            _Vendor().clear()
            PrecedentEntry.objects.all().delete()

    def rebuild(self, documents, *, batch_size=500, progress=lambda done: None) -> int:
        # One transaction: other connections keep searching the old index until it commits.
        done = 0
        with transaction.atomic():
            self.reset_index()
            for batch in batches(documents, batch_size):
                done += self.index(batch)
                progress(done)
        return done

    def _where(self, filters: dict, include_open: bool) -> tuple[list[str], list]:
        clauses, params = [], []
        for name, value in (filters or {}).items():
            if value in (None, ""):
                continue
            if name == "complaint_type":
                clauses.append("e.complaint_codes LIKE %s")
                params.append(f"% {value} %")
            elif name in _FACET_COLUMNS:
                clauses.append(f"e.{_FACET_COLUMNS[name]} = %s")
                params.append(int(value) if name == "year" else value)
        if not include_open:
            clauses.append("e.is_open = %s")
            params.append(False)
        return clauses, params

    def _query(self, terms, filters, include_open, *, any_term=False):
        """(FROM…WHERE SQL, params, score expression) for the matching entries."""
        vendor = _Vendor()
        join, score, match_params = vendor.match(terms, any_term=any_term)
        clauses, params = self._where(filters, include_open)
        if vendor.where_match():
            clauses.insert(0, vendor.where_match())
        where = " AND ".join(clauses) or "1=1"
        return f"FROM search_precedententry e {join} WHERE {where}", match_params + params, score

    def search(
        self, query, *, filters=None, page=1, per_page=10, sort="relevance", include_open=False
    ) -> SearchResults:
        synonyms = SynonymSet.load()
        terms = synonyms.analyse_query(query).split()[:32]
        if not terms:
            return SearchResults(hits=[], total=0, page=1, per_page=per_page)
        page = max(int(page), 1)
        wanted = page * per_page
        with connection.cursor() as cursor:
            # Cases with every word come first, then cases with some of them, best first.
            ranked, seen = [], set()
            for any_term in (False, True):
                body, params, score = self._query(terms, filters, include_open, any_term=any_term)
                order = _ORDER.get(sort, "score DESC")
                cursor.execute(
                    f"SELECT e.id, {score} AS score {body} ORDER BY {order}, e.id LIMIT %s",
                    [*params, wanted + len(seen)],
                )
                for pk, score_value in cursor.fetchall():
                    if pk not in seen:
                        seen.add(pk)
                        ranked.append((pk, score_value, not any_term))
            total, facets = self._count_and_facets(cursor, body, params)
        matched_all = bool(ranked) and ranked[0][2]
        ranked = ranked[(page - 1) * per_page : wanted]
        words = synonyms.highlight_words(query)
        entries = PrecedentEntry.objects.in_bulk([pk for pk, _, _ in ranked])
        hits = [self._hit(entries[pk], score_value, words) for pk, score_value, _ in ranked]
        return SearchResults(
            hits=hits,
            total=total,
            page=page,
            per_page=per_page,
            facets=facets,
            matched_all=matched_all,
        )

    def _count_and_facets(self, cursor, body, params) -> tuple[int, dict]:
        """The number of matches and the facet counts, from one pass over the matches
        (one full-text evaluation instead of one per facet)."""
        columns = [_FACET_COLUMNS[name] for name in _FACET_COLUMNS]
        cursor.execute(
            f"SELECT {', '.join(f'e.{c}' for c in columns)}, e.complaint_codes {body}", params
        )
        counters = {name: Counter() for name in FACETS}
        total = 0
        for row in cursor.fetchall():
            total += 1
            for name, value in zip(_FACET_COLUMNS, row, strict=False):
                if value is not None:
                    counters[name][str(value)] += 1
            counters["complaint_type"].update(row[-1].split())
        return total, {name: counter.most_common() for name, counter in counters.items()}

    @staticmethod
    def _hit(entry: PrecedentEntry, score: float, words: list[str], reason: str = "") -> Hit:
        return Hit(
            key=entry.key,
            label=entry.label,
            score=round(float(score), 4),
            snippet=snippet(entry.text, words),
            procedure_field=entry.procedure_field,
            procedure=entry.procedure,
            outcome=entry.outcome,
            claim_date=entry.claim_date,
            payout_yen=entry.payout_yen,
            is_open=entry.is_open,
            reason=reason,
        )

    def similar(self, key: str, *, limit: int = 5, include_open: bool = False) -> list[Hit]:
        source = PrecedentEntry.objects.filter(key=key).first()
        if source is None:
            return []
        chosen = similarity.query_terms(source.terms)
        if not chosen:
            return []
        body, params, score = self._query(chosen, {}, include_open, any_term=True)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.id, {score} AS score {body} AND e.key <> %s "
                f"ORDER BY score DESC, e.id LIMIT %s",
                [*params, key, similarity.CANDIDATES],
            )
            scores = dict(cursor.fetchall())
        entries = PrecedentEntry.objects.in_bulk(list(scores))
        candidates = [
            similarity.Candidate(
                key=str(pk), procedure=e.procedure, terms=e.terms, score=scores[pk]
            )
            for pk, e in entries.items()
        ]
        return [
            self._hit(entries[int(r.candidate.key)], r.candidate.score, r.words, r.reason)
            for r in similarity.rank(chosen, source.procedure, candidates, limit=limit)
        ]
