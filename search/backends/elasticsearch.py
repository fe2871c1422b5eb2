"""The Elasticsearch backend: the same words, relaxation, order, filters, facets and snippets as
the database backend (base.py runs the steps they share), on a search server.

The text is analysed in Python by search.synonyms (the project's one Japanese analyser plus the
synonym-group tokens), exactly as the database backend stores it; Elasticsearch only splits the
stored terms on whitespace (the built-in `whitespace` analyzer, which the server core has), so
both backends match the same words. Searches and writes go through an alias; a rebuild fills a
new versioned index (`<alias>-<UTC timestamp>`) and then moves the alias in one step, so
searches never see a half-built index.
"""

from collections.abc import Iterable
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
)
from elasticsearch.helpers import bulk

from ..documents import PrecedentDocument, owners_left_out
from ..synonyms import SynonymSet
from .base import FACETS, BaseSearchBackend, Found, Level, Scope, WordCounts, Words, batches


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
    # The terms arrive analysed and lower-cased: Elasticsearch must only split them.
    terms = Text(analyzer="whitespace")

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
# Facets list every value, as the database backend's do (counted exactly: a terms aggregation
# over the matches costs Elasticsearch little).
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

    unavailable_errors = (ApiError, TransportError)

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

    @staticmethod
    def _having(terms, any_of: bool = False) -> Q:
        """Documents with every one of `terms` (any of them), each term as it is stored."""
        clauses = [Q("term", terms=t) for t in terms]
        return (
            Q("bool", should=clauses, minimum_should_match=1)
            if any_of
            else Q("bool", filter=clauses)
        )

    def _query(self, level: Level, scope: Scope, should=()) -> Q:
        """`level`'s matches in `scope`, scored by `should`."""
        clauses = [
            Q("term", **{_FIELDS[name]: int(value) if name == "year" else value})
            for name, value in scope.filters.items()
        ]
        clauses += [Q("term", terms=t) for t in scope.terms]
        if not scope.include_open:
            clauses.append(Q("term", is_open=False))
        not_owned = []
        if scope.exclude_owners:
            # A document written before the index had an owner field has none: nobody can tell
            # whose it is, so it is left out as well (`exists`) until rebuild_precedent_index.
            clauses.append(Q("exists", field="owner"))
            not_owned.append(Q("terms", owner=sorted(owners_left_out(scope.exclude_owners))))
        if scope.source is not None:
            not_owned.append(Q("ids", values=[scope.source.key]))
        return Q(
            "bool",
            filter=[self._having(level.required, level.any_of), *clauses],
            should=list(should),
            must_not=not_owned,
        )

    @staticmethod
    def _scoring(words: Words) -> Q:
        """A case with more of the query's known words, and rarer ones, scores higher (BM25)."""
        return Q("bool", should=[Q("term", terms=t) for t in words.known])

    def count_words(self, terms: list[str]) -> WordCounts:
        aggregation = {
            "filters": {"filters": {str(i): {"term": {"terms": t}} for i, t in enumerate(terms)}}
        }
        # No index yet (nothing written): no word is known.
        response = self.client.search(
            index=self.alias, size=0, track_total_hits=True, ignore_unavailable=True,
            aggs={"words": aggregation},
        )  # fmt: skip
        buckets = response["aggregations"]["words"]["buckets"]
        counts = {t: buckets[str(i)]["doc_count"] for i, t in enumerate(terms)}
        return WordCounts(
            {t: n for t, n in counts.items() if n}, response["hits"]["total"]["value"]
        )

    def count(self, words, level, scope, enough) -> int:
        search = (
            self._search().query(self._query(level, scope)).extra(size=0, track_total_hits=enough)
        )
        return search.execute().hits.total.value

    def find(self, words, every, level, scope, *, sort, offset, limit) -> Found:
        should, order = [], ["_score", "key"]
        if every is not None:
            should.append(
                Q("constant_score", filter=self._having(every.required), boost=EVERY_WORD)
            )
        if sort in _DATE_ORDER:
            # The score only puts the cases with every word first; the date orders each group.
            order.insert(1, {"claim_date": {"order": _DATE_ORDER[sort]}})
        else:
            should.append(self._scoring(words))
        search = (
            self._search()
            .query(self._query(level, scope, should))
            .sort(*order)
            .source(excludes=["terms"])
            .extra(track_total_hits=True)[offset : offset + limit]
        )
        for name in FACETS:
            search.aggs.bucket(name, "terms", field=_FIELDS[name], size=FACET_SIZE)
        response = search.execute()
        aggregations = response.aggregations
        return Found(
            records=[(doc, doc.meta.score or 0.0) for doc in response],
            total=response.hits.total.value,
            facets={
                name: [(str(b.key), b.doc_count) for b in aggregations[name].buckets]
                for name in FACETS
            },
        )

    def fetch(self, key: str) -> Precedent | None:
        return Precedent.get(id=key, index=self.alias, using=self.client.options(ignore_status=404))

    def candidates(self, words, level, scope, limit) -> list[tuple[Precedent, float]]:
        search = self._search().query(self._query(level, scope, [self._scoring(words)]))
        response = search.sort("_score", "key")[:limit].execute()
        return [(doc, doc.meta.score) for doc in response]
