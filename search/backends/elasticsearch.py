"""The Elasticsearch backend: the same words, order, filters, facets and snippets as the database
backend, on a search server.

The text is analysed in Python by search.synonyms (the project's one Japanese analyser plus the
synonym-group tokens), exactly as the database backend stores it; Elasticsearch only splits the
stored terms on whitespace, so both backends match the same words. Searches and writes go through
an alias; a rebuild fills a new versioned index (`<alias>-<UTC timestamp>`) and then moves the
alias in one step, so searches never see a half-built index.
"""

import logging
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from functools import cache

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Integer,
    Keyword,
    Long,
    MetaField,
    Q,
    Search,
    Text,
    analyzer,
)
from elasticsearch.helpers import bulk

from .. import similarity
from ..documents import PrecedentDocument, owners_left_out
from ..synonyms import SynonymSet
from .base import FACETS, BaseSearchBackend, Hit, SearchResults, SearchUnavailable, batches

logger = logging.getLogger(__name__)

# The terms arrive analysed and lower-cased: Elasticsearch must only split them.
terms_analyzer = analyzer("precedent_terms", tokenizer="whitespace")


class Precedent(Document):
    """One past case in the index; its key is the document _id."""

    key = Keyword()  # sorts break ties on it (sorting on _id is disabled in Elasticsearch)
    label = Keyword()
    claim_date = Date(format="yyyy-MM-dd")  # read back as a date, not a datetime
    claim_year = Integer()
    procedure_field = Keyword()
    procedure = Keyword()
    complaint_types = Keyword(multi=True)
    outcome = Keyword()
    payout_yen = Long()
    payout_band = Keyword()
    is_open = Boolean()
    owner = Keyword()  # PrecedentDocument.owner, opaque: only ever left out (exclude_owners)
    text = Text(index=False)  # only shown: search.highlight marks the words, as for the database
    terms = Text(analyzer=terms_analyzer)

    class Meta:
        dynamic = MetaField("strict")  # a field the mapping lacks is an error, never a guess

    class Index:
        # One shard: every case is scored with the same term statistics (the corpus is small).
        settings = {"number_of_shards": 1}


# Filter and facet names (base.FILTERS, base.FACETS) to the fields that hold them.
_FIELDS = {
    "procedure_field": "procedure_field",
    "procedure": "procedure",
    "complaint_type": "complaint_types",
    "outcome": "outcome",
    "payout_band": "payout_band",
    "year": "claim_year",
}
_DATE_ORDER = {"newest": "desc", "oldest": "asc"}
# Added to the BM25 score of a case with every word, so that those come first: Lucene's BM25
# gives a word less than its idf (< 14 with a million cases), and a query has at most 32 words.
EVERY_WORD = 1000
# Facets list every value, as the database backend's do.
FACET_SIZE = 500


@cache
def _client(hosts: tuple[str, ...]) -> Elasticsearch:
    """One client, so one connection pool, per process and server (backends are per call)."""
    return Elasticsearch(list(hosts))


def _source(document: PrecedentDocument, synonyms: SynonymSet) -> dict:
    return Precedent(
        **asdict(document),
        claim_year=document.claim_year,
        payout_band=document.payout_band,
        terms=synonyms.analyse_document(document.searchable_text),
    ).to_dict()


class SearchBackend(BaseSearchBackend):
    """Params: URL (or HOSTS, a list), INDEX (the alias, default "amrm-precedents"), REFRESH,
    CLIENT (an Elasticsearch client, for tests)."""

    def __init__(self, params: dict | None = None):
        super().__init__(params)
        self.alias = self.params.get("INDEX", "amrm-precedents")
        # Elasticsearch makes a write searchable at its next refresh (each second). "wait_for"
        # returns once it is: the case page and the tests see a change at once, without forcing
        # a refresh per write as refresh=true would.
        self.refresh = self.params.get("REFRESH", "wait_for")
        self.client = self.params.get("CLIENT") or _client(
            tuple(self.params.get("HOSTS") or [self.params["URL"]])
        )

    @contextmanager
    def _reported(self, action: str):
        try:
            yield
        except (ApiError, TransportError) as error:
            logger.error("Elasticsearch %s on %r failed: %s", action, self.alias, error)
            raise SearchUnavailable(f"Elasticsearch {action} failed") from error

    def _search(self) -> Search:
        return Search(using=self.client, index=self.alias, doc_type=[Precedent])

    # Writing

    def _create_index(self, *, aliased: bool = False) -> str:
        """A new empty versioned index; `aliased`: the alias points at it from the start."""
        name = f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
        index = Precedent._index.clone(name=name)
        if aliased:
            index.aliases(**{self.alias: {}})
        index.create(using=self.client)
        return name

    def _move_alias(self, new: str) -> None:
        """Point the alias at `new` and delete the indices it pointed at."""
        try:
            old = list(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            old = []
        # One call: every search sees either the old index or the new one, never neither.
        self.client.indices.update_aliases(
            actions=[
                *({"remove": {"index": name, "alias": self.alias}} for name in old),
                {"add": {"index": new, "alias": self.alias}},
            ]
        )
        if old:
            self.client.indices.delete(index=old)

    def _write(self, index: str, documents: Iterable[PrecedentDocument], **params) -> int:
        synonyms = SynonymSet.load()
        actions = ({"_id": d.key, "_source": _source(d, synonyms)} for d in documents)
        written, _ = bulk(self.client, actions, index=index, **params)
        return written

    def index(self, documents: Iterable[PrecedentDocument]) -> int:
        with self._reported("index"):
            if not self.client.indices.exists_alias(name=self.alias):
                self._create_index(aliased=True)
            # require_alias: a write never auto-creates a plain index under the alias's name.
            return self._write(self.alias, documents, refresh=self.refresh, require_alias=True)

    def delete(self, keys: Iterable[str]) -> None:
        # 404: the key is not indexed, or nothing is yet (a delete creates no index); either
        # way it is gone.
        with self._reported("delete"):
            bulk(
                self.client,
                ({"_op_type": "delete", "_id": key} for key in keys),
                index=self.alias,
                refresh=self.refresh,
                ignore_status=404,
            )

    def reset_index(self) -> None:
        self._move_alias(self._create_index())

    def rebuild(self, documents, *, batch_size=500, progress=lambda done: None) -> int:
        new = self._create_index()
        try:
            done = 0
            for batch in batches(documents, batch_size):
                done += self._write(new, batch, chunk_size=batch_size)
                progress(done)
            self.client.indices.refresh(index=new)
        except Exception:
            self.client.indices.delete(index=new)  # no search ever saw it
            raise
        self._move_alias(new)
        return done

    # Reading

    def _filters(self, filters: dict, include_open: bool) -> list[Q]:
        clauses = [
            Q("term", **{_FIELDS[name]: int(value) if name == "year" else value})
            for name, value in (filters or {}).items()
            if name in _FIELDS and value not in (None, "")
        ]
        if not include_open:
            clauses.append(Q("term", is_open=False))
        return clauses

    @staticmethod
    def _left_out(owners) -> tuple[list[Q], list[Q]]:
        """(filter, must_not) clauses that leave out the documents of `owners`. A document
        written before the index had an owner field has none: nobody can tell whose it is, so
        it is left out as well (`exists`) until rebuild_precedent_index."""
        if not owners:
            return [], []
        return [Q("exists", field="owner")], [Q("terms", owner=sorted(owners_left_out(owners)))]

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
        terms = synonyms.analyse_query(query).split()[:32]
        if not terms:
            return SearchResults(hits=[], total=0, page=1, per_page=per_page, matched_all=False)
        page = max(int(page), 1)
        every = Q("match", terms={"query": " ".join(terms), "operator": "and"})
        some = Q("match", terms={"query": " ".join(terms), "operator": "or"})
        order = ["_score", "key"]
        if sort in _DATE_ORDER:
            # The score only puts the cases with every word first; the date orders each group.
            some = Q("constant_score", filter=some, boost=1)
            order.insert(1, {"claim_date": {"order": _DATE_ORDER[sort]}})
        owned, not_owned = self._left_out(exclude_owners)
        search = (
            self._search()
            .query(
                "bool",
                filter=[*self._filters(filters, include_open), *owned],
                should=[Q("constant_score", filter=every, boost=EVERY_WORD), some],
                minimum_should_match=1,
                must_not=not_owned,
            )
            .sort(*order)
            .source(excludes=["terms"])
            .extra(track_total_hits=True)[(page - 1) * per_page : page * per_page]
        )
        # Whether any case has every word: a count, right on every page (the top hit of page 2
        # cannot tell).
        search.aggs.bucket("every_word", "filter", filter=every)
        for name in FACETS:
            search.aggs.bucket(name, "terms", field=_FIELDS[name], size=FACET_SIZE)
        with self._reported("search"):
            response = search.execute()
        words = synonyms.highlight_words(query)
        aggregations = response.aggregations
        total, every_word = response.hits.total.value, aggregations.every_word.doc_count
        return SearchResults(
            hits=[Hit.from_record(doc, doc.meta.score, words) for doc in response],
            total=total,
            page=page,
            per_page=per_page,
            facets={
                name: [(str(b.key), b.doc_count) for b in aggregations[name].buckets]
                for name in FACETS
            },
            matched_all=every_word > 0,
            any_word=total > every_word,  # some results lack some of the words
        )

    def similar(
        self, key: str, *, limit: int = 5, include_open: bool = False, exclude_owners=frozenset()
    ) -> list[Hit]:
        with self._reported("similar"):
            source = Precedent.get(
                id=key, index=self.alias, using=self.client.options(ignore_status=404)
            )
            if source is None:
                return []
            chosen = similarity.query_terms(source.terms)
            if not chosen:
                return []
            # Like these words rather than like the document: the candidates are found with the
            # very words similarity.rank() then compares them on, as in the database backend.
            like = Q(
                "more_like_this",
                fields=["terms"],
                like=" ".join(chosen),
                min_term_freq=1,
                min_doc_freq=1,
                max_query_terms=len(chosen),
                minimum_should_match=1,  # any shared word, as the database backend's OR
            )
            owned, not_owned = self._left_out(exclude_owners)
            response = (
                self._search()
                .query(
                    "bool",
                    must=[like],
                    must_not=[Q("ids", values=[key]), *not_owned],
                    filter=[*self._filters({}, include_open), *owned],
                )[: similarity.CANDIDATES]
                .execute()
            )
        found = {doc.key: doc for doc in response}
        candidates = [
            similarity.Candidate(
                key=doc.key, procedure=doc.procedure, terms=doc.terms, score=doc.meta.score
            )
            for doc in found.values()
        ]
        return [
            Hit.from_record(found[r.candidate.key], r.candidate.score, r.words, r.reason)
            for r in similarity.rank(chosen, source.procedure, candidates, limit=limit)
        ]
