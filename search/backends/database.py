"""The embedded backend: full text in the project's own database, no server needed.

Matching follows how a reviewer reads results: cases with every word of the query first. When
fewer than a page of cases have every word, the search is relaxed step by step, dropping the
commonest word first (how common: search_termstat, kept in step with the index), and at last
to any of the words that are not common. So a long sentence never scans most of the index for
words that most narratives share (患者, 説明), and the page says which words were left out.
"""

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from .. import similarity
from ..documents import PrecedentDocument, filter_token, owners_left_out
from ..models import PrecedentEntry, TermStat
from ..synonyms import SynonymSet
from .base import FACETS, FILTERS, BaseSearchBackend, Hit, SearchResults, batches
from .sql import FACET_COLUMNS, Dialect, Match, Query, count_terms

_ORDER = {"newest": "e.claim_date DESC", "oldest": "e.claim_date ASC"}
# More words than this add nothing and nest too deeply in the SQL.
MAX_QUERY_TERMS = 32
# Fewer cases than this with every word (a page, as a reviewer reads): relax the search.
ENOUGH = 10
# A word in more than this share of the cases tells little; "any word" leaves it out...
COMMON_SHARE = 0.2
# ...once it is in this many: scanning fewer cases costs a few milliseconds, not worth a word.
COMMON_MIN_CASES = 1000
# Above this many matches, facet counts are estimated from a sample of this size.
FACET_SAMPLE = 2000
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


@dataclass(frozen=True)
class _Terms:
    """A query's terms as the index knows them."""

    known: list[str]  # in at least the minimum number of cases, rarest first
    unknown: list[str]  # in no case
    common: set[str]  # in so many cases that they tell little
    weights: tuple[float, ...]  # of `known`: BM25's inverse document frequency
    average_length: float  # terms per case
    counts: dict[str, int]  # cases per term
    cases: int

    def estimate(self, match: Match) -> int:
        """At most how many cases `match` finds (filters aside), from the counts alone."""
        counts = [self.counts[t] for t in match.required]
        return min(sum(counts), self.cases) if match.any_of else min(counts)


def _terms(terms: list[str], min_cases: int = 1) -> _Terms:
    counts = dict(TermStat.objects.filter(term__in=[*terms, _ALL_CASES, _ALL_TERMS]).values_list())
    cases, length = counts.pop(_ALL_CASES, 0), counts.pop(_ALL_TERMS, 0)
    known = sorted((t for t in terms if counts.get(t, 0) >= min_cases), key=counts.get)
    return _Terms(
        known=known,
        unknown=[t for t in terms if not counts.get(t)],
        common={t for t in known if counts[t] > max(COMMON_SHARE * cases, COMMON_MIN_CASES)},
        # As SQLite's bm25() weighs words, so that both databases rank alike.
        weights=tuple(
            max(math.log((cases - counts[t] + 0.5) / (counts[t] + 0.5)), 1e-6) for t in known
        ),
        average_length=length / cases if cases else 1.0,
        counts=counts,
        cases=cases,
    )


def _levels(terms: _Terms, filters: tuple, include_open: bool, excluded: tuple) -> list[Match]:
    """From strictest to loosest: every word; then without the commonest words, one at a time;
    then any word that is not common."""
    known = terms.known
    same = {
        "scoring": tuple(known),
        "weights": terms.weights,
        "average_length": terms.average_length,
        "filters": filters,
        "include_open": include_open,
        "excluded": excluded,
    }
    levels = [Match(tuple(known[:k]), False, **same) for k in range(len(known), 0, -1)]
    uncommon = tuple(t for t in known if t not in terms.common)
    if len(uncommon) > 1:
        levels.append(Match(uncommon, True, **same))
    return levels


class SearchBackend(BaseSearchBackend):
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

    @staticmethod
    def _filter_tokens(filters: dict | None) -> tuple[str, ...]:
        return tuple(
            filter_token(name, value)
            for name, value in (filters or {}).items()
            if name in FILTERS and value not in (None, "")
        )

    @staticmethod
    def _excluded_tokens(owners) -> tuple[str, ...]:
        return tuple(sorted(filter_token("owner", owner) for owner in owners_left_out(owners)))

    @staticmethod
    def _found(cursor, match: Match, enough: int, extra: str = "", extra_params=()) -> int:
        """How many cases `match` finds, counting no further than `enough`."""
        query = Dialect().query(match)
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 {query.ids}{extra} LIMIT %s) x",
            [*query.params, *extra_params, enough],
        )
        return cursor.fetchone()[0]

    def _choose(
        self, cursor, levels: list[Match], enough: int, **extra
    ) -> tuple[Match | None, int]:
        """The strictest level with at least `enough` cases, else the loosest; and how many
        cases (up to `enough`) have every word. The levels widen, so the dropping steps are
        searched by halves: a few probes even for a long sentence. None: no case at all."""
        found_all = self._found(cursor, levels[0], enough, **extra)
        if found_all >= enough or len(levels) == 1:
            return (levels[0] if found_all else None), found_all
        low, high = 1, len(levels) - 1  # levels[high] is the loosest
        found = self._found(cursor, levels[high], enough, **extra)
        if found < enough:
            return (levels[high] if found else None), found_all
        while low < high:  # the first level from `low` with enough cases
            middle = (low + high) // 2
            if self._found(cursor, levels[middle], enough, **extra) >= enough:
                high = middle
            else:
                low = middle + 1
        return levels[low], found_all

    def search(
        self,
        query,
        *,
        filters=None,
        page=1,
        per_page=10,
        sort="relevance",
        include_open=False,
        exclude_owners=frozenset(),
    ) -> SearchResults:
        synonyms = SynonymSet.load()
        words = synonyms.query_words(query)
        terms = _terms(list(words)[:MAX_QUERY_TERMS])
        page = max(int(page), 1)
        empty = SearchResults(
            hits=[], total=0, page=1, per_page=per_page, matched_all=False,
            unknown_words=tuple(words[t] for t in terms.unknown),
        )  # fmt: skip
        if not terms.known:
            return empty
        levels = _levels(
            terms, self._filter_tokens(filters), include_open, self._excluded_tokens(exclude_owners)
        )
        wanted = page * per_page
        with connection.cursor() as cursor:
            level, found_all = self._choose(cursor, levels, ENOUGH)
            if level is None:
                return empty
            matched_all = found_all > 0
            # Cases with every word come first, then the rest of the chosen level.
            ranked, seen = [], set()
            for match in dict.fromkeys([levels[0], level] if matched_all else [level]):
                for pk, score_value in self._ranked(cursor, match, sort, wanted + len(seen)):
                    if pk not in seen:
                        seen.add(pk)
                        ranked.append((pk, score_value))
            total, facets, estimated = self._facets(
                cursor, Dialect().query(level), terms.estimate(level)
            )
        ranked = ranked[(page - 1) * per_page : wanted]
        marks = synonyms.highlight_words(query)
        entries = PrecedentEntry.objects.in_bulk([pk for pk, _ in ranked])
        return SearchResults(
            hits=[Hit.from_record(entries[pk], score_value, marks) for pk, score_value in ranked],
            total=total,
            page=page,
            per_page=per_page,
            facets=facets,
            facets_estimated=estimated,
            matched_all=matched_all,
            optional_words=tuple(words[t] for t in terms.known if t not in level.required),
            any_word=level.any_of,
            unknown_words=empty.unknown_words,
        )

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

    @staticmethod
    def _facets(cursor, query: Query, estimate: int) -> tuple[int, dict, bool]:
        """(number of matches, facet counts, whether the counts are estimates).

        When the word counts say there may be more than FACET_SAMPLE matches, the facets are
        counted over an even sample (every k-th case by id; ids follow indexing order, so the
        sample spans years and procedures) and scaled: reading 30,000 rows to count them costs
        more than the rest of a search."""
        dialect = Dialect()
        step = max(-(-estimate // FACET_SAMPLE), 1)
        total, rows = dialect.count_and_sample(cursor, query, step)
        if step > 1 and (total <= FACET_SAMPLE or not rows):
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

    def similar(
        self, key: str, *, limit: int = 5, include_open: bool = False, exclude_owners=frozenset()
    ) -> list[Hit]:
        source = PrecedentEntry.objects.filter(key=key).first()
        if source is None:
            return []
        chosen = similarity.query_terms(source.terms)
        # A word only this case has cannot find another.
        terms = _terms(chosen, min_cases=2)
        if not terms.known:
            return []
        levels = _levels(terms, (), include_open, self._excluded_tokens(exclude_owners))
        dialect = Dialect()
        with connection.cursor() as cursor:
            not_itself = {"extra": f" AND {dialect.query(levels[0]).id} <> %s",
                          "extra_params": [source.pk]}  # fmt: skip
            level, _ = self._choose(cursor, levels, similarity.CANDIDATES, **not_itself)
            if level is None:
                return []
            query = dialect.query(level)
            cursor.execute(
                f"SELECT {query.id}, {query.score} AS score {query.ids}{not_itself['extra']} "
                f"ORDER BY score DESC, {query.id} LIMIT %s",
                [*query.params, source.pk, similarity.CANDIDATES],
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
            Hit.from_record(entries[int(r.candidate.key)], r.candidate.score, r.words, r.reason)
            for r in similarity.rank(chosen, source.procedure, candidates, limit=limit)
        ]
