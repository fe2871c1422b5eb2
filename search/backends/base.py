"""What every precedent-search backend shares, and the little each supplies.

The base runs the steps that make the backends behave alike, once: the query's words (synonym
groups, at most MAX_QUERY_TERMS), which of them the index knows, the relaxation ladder by word
frequency and the choice of its level, the results' words (optional, unknown) and snippets, and
the end of similar() (search.similarity). A backend supplies only what differs, as Wagtail's
search backends do: how many documents have each word (count_words), how many documents a level
finds (count), the page of a level's matches with their total and facets (find), a document by
key (fetch) and a level's best candidates for similar cases (candidates); and writing.
"""

import logging
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import islice

from .. import similarity
from ..documents import PrecedentDocument
from ..highlight import snippet
from ..synonyms import SynonymSet

logger = logging.getLogger(__name__)

# Filters a search accepts, by name; `include_open` shows open cases (staff only).
FILTERS = ("procedure_field", "procedure", "complaint_type", "outcome", "payout_band", "year")
FACETS = ("procedure_field", "procedure", "complaint_type", "outcome", "payout_band", "year")
SORTS = ("relevance", "newest", "oldest")

# More words than this add nothing (and nest too deeply in SQL).
MAX_QUERY_TERMS = 32
# Fewer cases than this with every word (a page, as a reviewer reads): relax the search.
ENOUGH = 10
# A word in more than this share of the cases tells little; "any word" leaves it out...
COMMON_SHARE = 0.2
# ...once it is in this many: scanning fewer cases costs a few milliseconds, not worth a word.
COMMON_MIN_CASES = 1000


class SearchUnavailable(Exception):
    """The backend could not be reached or refused a request. Pages say so and show the rest;
    a change already saved stays saved, and rebuild_precedent_index brings the index back."""


def batches(items: Iterable, size: int) -> Iterable[list]:
    """`items` in lists of `size` (itertools.batched needs Python 3.12)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@dataclass(frozen=True)
class Hit:
    key: str
    label: str
    score: float
    snippet: str  # HTML: escaped text with <mark> around the matched words
    procedure_field: str
    procedure: str
    outcome: str
    claim_date: date | None
    payout_yen: int | None
    is_open: bool
    reason: str = ""  # for similar cases: why this one (shared terms, same procedure)

    @classmethod
    def from_record(cls, record, score: float, words: list[str], reason: str = "") -> "Hit":
        """A hit from what a backend stored (an entry row, an Elasticsearch document), with
        the snippet marking `words`."""
        return cls(
            key=record.key,
            label=record.label,
            score=round(float(score), 4),
            snippet=snippet(record.text, words),
            procedure_field=record.procedure_field,
            procedure=record.procedure,
            outcome=record.outcome,
            claim_date=record.claim_date,
            payout_yen=record.payout_yen,
            is_open=record.is_open,
            reason=reason,
        )


@dataclass(frozen=True)
class SearchResults:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    facets_estimated: bool = False  # counted over a sample of many matches: shown as 約
    # False: no case has every word of the query; the results have some of them.
    matched_all: bool = True
    # Words of the query that results may lack (the search was relaxed to find enough cases);
    # any_word: results have at least one of the words, not all the others.
    optional_words: tuple[str, ...] = ()
    any_word: bool = False
    # Words of the query that no indexed case has (left out of the search).
    unknown_words: tuple[str, ...] = ()

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)


@dataclass(frozen=True)
class WordCounts:
    """What a backend's index says of some words: how many documents have each, how many there
    are, and (for a backend that computes BM25 itself) how many terms a document has on
    average."""

    counts: dict[str, int]
    cases: int
    average_length: float = 1.0


@dataclass(frozen=True)
class Words:
    """A query's terms as the index knows them."""

    known: tuple[str, ...]  # in at least the minimum number of cases, rarest first
    unknown: tuple[str, ...]  # in no case
    common: frozenset[str]  # in so many cases that they tell little
    index: WordCounts

    @classmethod
    def of(cls, terms: list[str], index: WordCounts, min_cases: int = 1) -> "Words":
        counts = index.counts
        known = sorted((t for t in terms if counts.get(t, 0) >= min_cases), key=counts.get)
        common = max(COMMON_SHARE * index.cases, COMMON_MIN_CASES)
        return cls(
            known=tuple(known),
            unknown=tuple(t for t in terms if not counts.get(t)),
            common=frozenset(t for t in known if counts[t] > common),
            index=index,
        )

    def estimate(self, level: "Level") -> int:
        """At most how many cases `level` finds (filters aside), from the counts alone."""
        counts = [self.index.counts[t] for t in level.required]
        return min(sum(counts), self.index.cases) if level.any_of else min(counts)


@dataclass(frozen=True)
class Level:
    """One step of the relaxation: the cases with all the `required` words (any of them when
    `any_of`). Every known word of the query still scores: a case with more of them ranks
    higher."""

    required: tuple[str, ...]
    any_of: bool = False


def ladder(words: Words) -> list[Level]:
    """From strictest to loosest: every word; then without the commonest words, one at a time;
    then any word that is not common."""
    known = words.known
    levels = [Level(known[:k]) for k in range(len(known), 0, -1)]
    uncommon = tuple(t for t in known if t not in words.common)
    if len(uncommon) > 1:
        levels.append(Level(uncommon, any_of=True))
    return levels


@dataclass(frozen=True)
class Scope:
    """Which documents a search may return at all, whatever its words."""

    filters: dict  # FILTERS names with a value
    include_open: bool = False
    exclude_owners: frozenset[str] = frozenset()
    # similar(): the source document as fetch() returned it, never a candidate of its own.
    source: object = None
    # Analysed words every document must have, besides the level's (similar(): the procedure).
    terms: tuple[str, ...] = ()

    @classmethod
    def of(cls, filters: dict | None, **kwargs) -> "Scope":
        chosen = {n: v for n, v in (filters or {}).items() if n in FILTERS and v not in (None, "")}
        return cls(filters=chosen, **kwargs)


@dataclass(frozen=True)
class Found:
    """A page of a level's matches, as a backend found them."""

    records: list[tuple[object, float]]  # (what the backend stored, its score), best first
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    facets_estimated: bool = False


class BaseSearchBackend:
    # Errors that mean the backend cannot answer now (SearchUnavailable), rather than a bug.
    unavailable_errors: tuple[type[Exception], ...] = ()
    # Above this many matches a backend may count facets over a sample (facets_estimated);
    # None: it always counts them exactly.
    facet_sample: int | None = None

    def __init__(self, params: dict | None = None):
        self.params = params or {}

    @contextmanager
    def _reported(self, action: str):
        try:
            yield
        except self.unavailable_errors as error:
            logger.error("Precedent %s on %s failed: %s", action, type(self).__module__, error)
            raise SearchUnavailable(f"precedent {action} failed") from error

    # --- what each backend supplies -----------------------------------------------------------

    def index(self, documents: Iterable[PrecedentDocument]) -> int:
        """Add or replace documents; returns how many were written."""
        raise NotImplementedError("index() is not implemented by this backend")

    def delete(self, keys: Iterable[str]) -> None:
        raise NotImplementedError("delete() is not implemented by this backend")

    def reset_index(self) -> None:
        raise NotImplementedError("reset_index() is not implemented by this backend")

    def rebuild(
        self,
        documents: Iterable[PrecedentDocument],
        *,
        batch_size: int = 500,
        progress: Callable[[int], None] = lambda done: None,
    ) -> int:
        """Replace the whole index with `documents` without taking search offline: searches
        see the old index until the new one is complete, and a failed rebuild leaves it. Returns
        how many were written."""
        raise NotImplementedError("rebuild() is not implemented by this backend")

    def count_words(self, terms: list[str]) -> WordCounts:
        """How many documents have each of `terms` (open ones too), and how many there are."""
        raise NotImplementedError("count_words() is not implemented by this backend")

    def count(self, words: Words, level: Level, scope: Scope, enough: int) -> int:
        """How many documents of `scope` `level` finds, counting no further than `enough`."""
        raise NotImplementedError("count() is not implemented by this backend")

    def find(
        self,
        words: Words,
        every: Level | None,
        level: Level,
        scope: Scope,
        *,
        sort: str,
        offset: int,
        limit: int,
    ) -> Found:
        """The matches of `level` in `scope` from `offset`, with their total and facets. By
        relevance (and within each group by date), those that `every` also finds come first."""
        raise NotImplementedError("find() is not implemented by this backend")

    def fetch(self, key: str):
        """The stored document `key` (with .key, .procedure and the analysed .terms), or None."""
        raise NotImplementedError("fetch() is not implemented by this backend")

    def candidates(self, words: Words, level: Level, scope: Scope, limit: int) -> list:
        """The best `limit` matches of `level` in `scope`, as (stored document, score)."""
        raise NotImplementedError("candidates() is not implemented by this backend")

    # --- the steps every backend shares -------------------------------------------------------

    def _words(self, terms: list[str], min_cases: int = 1) -> Words:
        counts = self.count_words(terms) if terms else WordCounts({}, 0)
        return Words.of(terms, counts, min_cases)

    def _choose(
        self, words: Words, levels: list[Level], scope: Scope, enough: int
    ) -> tuple[Level | None, int]:
        """The strictest level with at least `enough` cases, else the loosest; and how many
        cases (up to `enough`) have every word. The levels widen, so the dropping steps are
        searched by halves: a few probes even for a long sentence. None: no case at all."""

        def found(level: Level) -> int:
            return self.count(words, level, scope, enough)

        found_all = found(levels[0])
        if found_all >= enough or len(levels) == 1:
            return (levels[0] if found_all else None), found_all
        low, high = 1, len(levels) - 1  # levels[high] is the loosest
        loosest = found(levels[high])
        if loosest < enough:
            return (levels[high] if loosest else None), found_all
        while low < high:  # the first level from `low` with enough cases
            middle = (low + high) // 2
            if found(levels[middle]) >= enough:
                high = middle
            else:
                low = middle + 1
        return levels[low], found_all

    def search(
        self,
        query: str,
        *,
        filters: dict | None = None,
        page: int = 1,
        per_page: int = 10,
        sort: str = "relevance",
        include_open: bool = False,
        exclude_owners: frozenset[str] = frozenset(),
    ) -> SearchResults:
        """Cases with every word of `query` first. When fewer than ENOUGH have every word, the
        search is relaxed step by step (see ladder()), and the results name the words they may
        lack and those no case has. `exclude_owners`: documents of these owners
        (PrecedentDocument.owner), and those whose owner is unrecorded, are left out by the
        query itself, so hits, total, facets and pages never count them."""
        synonyms = SynonymSet.load()
        typed = synonyms.query_words(query)
        page = max(int(page), 1)
        with self._reported("search"):
            words = self._words(list(typed)[:MAX_QUERY_TERMS])
            empty = SearchResults(
                hits=[], total=0, page=1, per_page=per_page, matched_all=False,
                unknown_words=tuple(typed[t] for t in words.unknown),
            )  # fmt: skip
            if not words.known:
                return empty
            levels = ladder(words)
            scope = Scope.of(filters, include_open=include_open, exclude_owners=exclude_owners)
            level, found_all = self._choose(words, levels, scope, ENOUGH)
            if level is None:
                return empty
            found = self.find(
                words,
                levels[0] if found_all and level != levels[0] else None,
                level,
                scope,
                sort=sort if sort in SORTS else "relevance",
                offset=(page - 1) * per_page,
                limit=per_page,
            )
        marks = synonyms.highlight_words(query)
        return SearchResults(
            hits=[Hit.from_record(record, score, marks) for record, score in found.records],
            total=found.total,
            page=page,
            per_page=per_page,
            facets=found.facets,
            facets_estimated=found.facets_estimated,
            matched_all=found_all > 0,
            optional_words=tuple(typed[t] for t in words.known if t not in level.required),
            any_word=level.any_of,
            unknown_words=empty.unknown_words,
        )

    def similar(
        self,
        key: str,
        *,
        limit: int = 5,
        include_open: bool = False,
        exclude_owners: frozenset[str] = frozenset(),
    ) -> list[Hit]:
        """Cases like the one indexed under `key`: its most telling words (similarity.
        query_terms), relaxed as a search is until there are similarity.CANDIDATES, then
        ordered and explained by similarity.rank(); `exclude_owners` as for search().

        A reviewer compares a case with others of its procedure first, but in a large index the
        procedure is a common word, the first the relaxation drops: so the candidates come
        first from the cases of the same procedure (scored by the other words), and only when
        those are too few from all cases as well."""
        with self._reported("similar"):
            source = self.fetch(key)
            if source is None:
                return []
            chosen = similarity.query_terms(source.terms)
            # A word only this case has cannot find another.
            words = self._words(chosen, min_cases=2)
            if not words.known:
                return []
            taxonomy = similarity.Taxonomy.load()
            scope = Scope(
                filters={}, include_open=include_open, exclude_owners=exclude_owners,
                source=source,
            )  # fmt: skip
            found: dict[str, tuple] = {}
            procedure = taxonomy.broadest_procedure_group(source.procedure)
            scopes = [replace(scope, terms=(procedure,)), scope] if procedure else [scope]
            for narrowed in scopes:
                level, _ = self._choose(words, ladder(words), narrowed, similarity.CANDIDATES)
                if level is not None:
                    for record, score in self.candidates(
                        words, level, narrowed, similarity.CANDIDATES
                    ):
                        found.setdefault(record.key, (record, score))
                if len(found) >= similarity.CANDIDATES:
                    break
        candidates = [
            similarity.Candidate(
                key=record.key, procedure=record.procedure, terms=record.terms, score=score
            )
            for record, score in found.values()
        ]
        return [
            Hit.from_record(found[r.candidate.key][0], r.candidate.score, r.words, r.reason)
            for r in similarity.rank(
                chosen, source.procedure, candidates, limit=limit, taxonomy=taxonomy
            )
        ]
