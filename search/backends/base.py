"""The one small interface every precedent-search backend implements."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from ..documents import PrecedentDocument
from ..highlight import snippet

# Filters a search accepts, by name; `include_open` shows open cases (staff only).
FILTERS = ("procedure_field", "procedure", "complaint_type", "outcome", "payout_band", "year")
FACETS = ("procedure_field", "procedure", "complaint_type", "outcome", "payout_band", "year")
SORTS = ("relevance", "newest", "oldest")


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


class BaseSearchBackend:
    def __init__(self, params: dict | None = None):
        self.params = params or {}

    def index(self, documents: Iterable[PrecedentDocument]) -> int:
        """Add or replace documents; returns how many were written."""
        raise NotImplementedError("index() is not implemented by this backend")

    def delete(self, keys: Iterable[str]) -> None:
        raise NotImplementedError("delete() is not implemented by this backend")

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
        """`exclude_owners`: documents of these owners (PrecedentDocument.owner), and those
        whose owner is unrecorded, are left out by the query itself, so hits, total, facets and
        pages never count them."""
        raise NotImplementedError("search() is not implemented by this backend")

    def similar(
        self,
        key: str,
        *,
        limit: int = 5,
        include_open: bool = False,
        exclude_owners: frozenset[str] = frozenset(),
    ) -> list[Hit]:
        """Cases like the one indexed under `key`; `exclude_owners` as for search()."""
        raise NotImplementedError("similar() is not implemented by this backend")

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
        see the old index until the new one is complete. Returns how many were written."""
        raise NotImplementedError("rebuild() is not implemented by this backend")
