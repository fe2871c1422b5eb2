"""The embedded backend: full text in the project's own database, no server needed.

The steps every backend shares (the query's words, the relaxation by word frequency, similar
cases) are in base.py; here: how many cases have a word (search_termstat, kept in step with the
index in the same transaction), and the SQL that counts, ranks and facets a level's matches
(sql.py, one dialect per database).
"""

import logging
import math
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction

from ..documents import PrecedentDocument, filter_token, owners_left_out
from ..models import PrecedentEntry, TermStat
from ..synonyms import SynonymSet
from .base import FACETS, BaseSearchBackend, Found, Level, Scope, WordCounts, Words, batches
from .sql import FACET_COLUMNS, Dialect, Match, Query, count_terms

logger = logging.getLogger(__name__)

_ORDER = {"newest": "e.claim_date DESC", "oldest": "e.claim_date ASC"}
# TermStat's row for the number of indexed cases (no analysed term is empty).
_ALL_CASES = ""
# ...and its row for the number of terms of all of them (" " is no term either).
_ALL_TERMS = " "


def _entry(document: PrecedentDocument, synonyms: SynonymSet) -> PrecedentEntry:
    terms = synonyms.analyse_document(document.searchable_text)
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
        owner=document.owner,
        terms=terms,
        term_count=len(terms.split()),
        filter_terms=document.filter_terms,
    )


def _term_changes(added: Iterable[str], removed: Iterable[str]) -> Counter:
    """Per-term case counts to add: +1 for every entry's terms written, -1 for those replaced."""
    changes = Counter()
    for terms in added:
        changes.update([*terms.split(), _ALL_CASES])
        changes[_ALL_TERMS] += len(terms.split())
    for terms in removed:
        changes.subtract([*terms.split(), _ALL_CASES])
        changes[_ALL_TERMS] -= len(terms.split())
    return changes


class SearchBackend(BaseSearchBackend):
    # Above this many matches, facet counts are estimated from a sample of this size.
    facet_sample = 2000

    def index(self, documents: Iterable[PrecedentDocument]) -> int:
        synonyms = SynonymSet.load()
        entries = [_entry(document, synonyms) for document in documents]
        with transaction.atomic():
            existing = {
                key: (pk, terms)
                for key, pk, terms in PrecedentEntry.objects.filter(
                    key__in=[e.key for e in entries]
                ).values_list("key", "pk", "terms")
            }
            for entry in entries:
                entry.pk = existing.get(entry.key, (None,))[0]
            updates = [e for e in entries if e.pk]
            PrecedentEntry.objects.bulk_update(
                updates,
                [f.name for f in PrecedentEntry._meta.fields if f.name not in ("id", "key")],
                batch_size=500,
            )
            created = PrecedentEntry.objects.bulk_create(
                [e for e in entries if not e.pk], batch_size=500
            )
            if any(e.pk is None for e in created):
                # Every supported database returns the ids; be sure before writing the index.
                created = list(PrecedentEntry.objects.filter(key__in=[e.key for e in created]))
            Dialect().write(updates + list(created))
            count_terms(
                _term_changes((e.terms for e in entries), (terms for _, terms in existing.values()))
            )
        return len(entries)

    def delete(self, keys: Iterable[str]) -> None:
        entries = PrecedentEntry.objects.filter(key__in=list(keys))
        with transaction.atomic():
            rows = list(entries.values_list("pk", "terms"))
            Dialect().remove([pk for pk, _ in rows])
            count_terms(_term_changes((), (terms for _, terms in rows)))
            entries.delete()

    def reset_index(self) -> None:
        with transaction.atomic():
            Dialect().clear()
            PrecedentEntry.objects.all().delete()
            TermStat.objects.all().delete()

    def rebuild(self, documents, *, batch_size=500, progress=lambda done: None) -> int:
        # One transaction: other connections keep searching the old index until it commits.
        done = 0
        with transaction.atomic():
            self.reset_index()
            for batch in batches(documents, batch_size):
                done += self.index(batch)
                progress(done)
        return done

    # --- reading ------------------------------------------------------------------------------

    def count_words(self, terms: list[str]) -> WordCounts:
        counts = dict(
            TermStat.objects.filter(term__in=[*terms, _ALL_CASES, _ALL_TERMS]).values_list()
        )
        cases, length = counts.pop(_ALL_CASES, 0), counts.pop(_ALL_TERMS, 0)
        return WordCounts(counts, cases, length / cases if cases else 1.0)

    @staticmethod
    def _match(words: Words, level: Level, scope: Scope) -> Match:
        cases, counts = words.index.cases, words.index.counts
        return Match(
            level.required,
            level.any_of,
            scoring=words.known,
            # As SQLite's bm25() weighs words, so that both databases rank alike.
            weights=tuple(
                max(math.log((cases - counts[t] + 0.5) / (counts[t] + 0.5)), 1e-6)
                for t in words.known
            ),
            average_length=words.index.average_length,
            # The scope's words are whole tokens of the same index, as the filters' are.
            filters=(
                *(filter_token(name, value) for name, value in scope.filters.items()),
                *scope.terms,
            ),
            include_open=scope.include_open,
            excluded=tuple(
                sorted(filter_token("owner", o) for o in owners_left_out(scope.exclude_owners))
            ),
            leave_out=scope.source.pk if scope.source else None,
        )

    def count(self, words, level, scope, enough) -> int:
        query = Dialect().query(self._match(words, level, scope))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT 1 {query.ids} LIMIT %s) x", [*query.params, enough]
            )
            return cursor.fetchone()[0]

    def find(self, words, every, level, scope, *, sort, offset, limit) -> Found:
        match = self._match(words, level, scope)
        # Cases with every word come first, then the rest of the level.
        ranked, seen = [], set()
        with connection.cursor() as cursor:
            groups = [self._match(words, every, scope), match] if every else [match]
            for group in groups:
                for pk, score in self._ranked(cursor, group, sort, offset + limit + len(seen)):
                    if pk not in seen:
                        seen.add(pk)
                        ranked.append((pk, score))
            total, facets, estimated = self._facets(
                cursor, Dialect().query(match), words.estimate(level)
            )
        ranked = ranked[offset : offset + limit]
        return Found(_entries(ranked), total, facets, estimated)

    @staticmethod
    def _ranked(cursor, match: Match, sort: str, limit: int) -> list[tuple[int, float]]:
        """(id, score) of the best `limit` matches."""
        query = Dialect().query(match)
        if sort in _ORDER:  # by date: the entry's column is needed
            body, order, pk = query.rows, f"{_ORDER[sort]}, e.id", "e.id"
        else:
            body, order, pk = query.ids, f"{query.relevance}, {query.id}", query.id
        cursor.execute(
            f"SELECT {pk}, {query.score} AS score {body} ORDER BY {order} LIMIT %s",
            [*query.params, limit],
        )
        return cursor.fetchall()

    def _facets(self, cursor, query: Query, estimate: int) -> tuple[int, dict, bool]:
        """(number of matches, facet counts, whether the counts are estimates).

        When the word counts say there may be more than facet_sample matches, the facets are
        counted over an even sample (every k-th case by id; ids follow indexing order, so the
        sample spans years and procedures) and scaled: reading 30,000 rows to count them costs
        more than the rest of a search."""
        dialect = Dialect()
        step = max(-(-estimate // self.facet_sample), 1)
        total, rows = dialect.count_and_sample(cursor, query, step)
        if step > 1 and (total <= self.facet_sample or not rows):
            # Filters left few matches (or the ids missed every k-th): count them all.
            total, rows = dialect.count_and_sample(cursor, query, 1)
            step = 1
        counters = {name: Counter() for name in FACETS}
        for row in rows:
            for name, value in zip(FACET_COLUMNS, row, strict=False):
                if value is not None:
                    counters[name][str(value)] += 1
            counters["complaint_type"].update(row[-1].split())
        scale = total / len(rows) if rows else 1
        facets = {
            name: [(value, max(round(n * scale), 1)) for value, n in counter.most_common()]
            for name, counter in counters.items()
        }
        return total, facets, step > 1

    def fetch(self, key: str) -> PrecedentEntry | None:
        return PrecedentEntry.objects.filter(key=key).first()

    def candidates(self, words, level, scope, limit) -> list[tuple[PrecedentEntry, float]]:
        query = Dialect().query(self._match(words, level, scope))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {query.id}, {query.score} AS score {query.ids} "
                f"ORDER BY score DESC, {query.id} LIMIT %s",
                [*query.params, limit],
            )
            return _entries(cursor.fetchall())


def _entries(ranked: list[tuple[int, float]]) -> list[tuple[PrecedentEntry, float]]:
    """The entries of (id, score) pairs, in order. An id the full-text index still holds for an
    entry that is gone (the table emptied behind the index's back) is skipped and logged, not a
    500 on the case page; rebuild_precedent_index brings the two in step again."""
    entries = PrecedentEntry.objects.in_bulk([pk for pk, _ in ranked])
    missing = [pk for pk, _ in ranked if pk not in entries]
    if missing:
        logger.warning("Precedent index rows without an entry %s; rebuild the index", missing)
    return [(entries[pk], score) for pk, score in ranked if pk in entries]
