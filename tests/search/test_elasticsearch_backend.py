"""The Elasticsearch backend without a server: the real client talks to a fake node that records
each request and answers with a canned response shaped like Elasticsearch 9's. The same tests
against a server are in test_elasticsearch_live.py."""

import dataclasses
import json
import logging
import re
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatch
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node import NodeApiResponse
from elasticsearch import BadRequestError, Elasticsearch
from elasticsearch.helpers import BulkIndexError

from config.settings.integrations import search_settings
from search import similarity
from search.backends import elasticsearch as es_backend
from search.backends import get_search_backend
from search.backends.base import FACETS, SearchUnavailable
from search.documents import PrecedentDocument
from search.synonyms import SynonymSet
from tests.search.test_precedent_search import CORPUS

pytestmark = pytest.mark.django_db

ALIAS = "precedents-test"
OLD = f"{ALIAS}-20250101000000000000"
ACK = {"acknowledged": True}


@dataclass
class Request:
    method: str
    path: str
    params: dict
    body: object  # the JSON body; a list of lines for a bulk request


class FakeServer:
    def __init__(self):
        self.requests: list[Request] = []
        self.answers: dict[tuple[str, str], tuple[int, object]] = {}
        self.missing: set[str] = set()  # ids a bulk delete does not find (404)
        self.rejected: set[str] = set()  # ids a bulk write refuses (400)

    def answer(self, method: str, path: str, body=None, status: int = 200) -> None:
        """Answer requests whose path matches `path` (fnmatch pattern)."""
        self.answers[(method, path)] = (status, body)

    def to(self, method: str, pattern: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and fnmatch(r.path, pattern)]

    def handle(self, method: str, target: str, body: bytes | None) -> tuple[int, object]:
        url = urlsplit(target)
        path = unquote(url.path)
        text = body.decode() if body else ""
        lines = [json.loads(line) for line in text.splitlines() if line.strip()]
        payload = lines if path.endswith("/_bulk") else (lines[0] if lines else None)
        self.requests.append(Request(method, path, dict(parse_qsl(url.query)), payload))
        if path.endswith("/_bulk"):
            return 200, self._bulk(path.split("/")[1], lines)
        for (answer_method, pattern), answer in self.answers.items():
            if answer_method == method and fnmatch(path, pattern):
                return answer
        raise AssertionError(f"unexpected request {method} {path}")

    def _bulk(self, index: str, lines: list[dict]) -> dict:
        items, actions = [], iter(lines)
        for action in actions:
            ((operation, meta),) = action.items()
            if operation != "delete":
                next(actions)  # the document
            item = {"_index": index, "_id": meta["_id"], "status": 200, "result": "updated"}
            if operation == "delete" and meta["_id"] in self.missing:
                item.update(status=404, result="not_found")
            if meta["_id"] in self.rejected:
                item = {
                    "_index": index,
                    "_id": meta["_id"],
                    "status": 400,
                    "error": {"type": "document_parsing_exception", "reason": "rejected"},
                }
            items.append({operation: item})
        return {
            "errors": any("error" in i[op] for i in items for op in i),
            "took": 1,
            "items": items,
        }


@pytest.fixture
def server():
    return FakeServer()


@pytest.fixture
def backend(server):
    class Node(BaseNode):
        def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
            status, payload = server.handle(method, target, body)
            meta = ApiResponseMeta(
                status=status,
                http_version="1.1",
                headers=HttpHeaders(
                    {"content-type": "application/json", "x-elastic-product": "Elasticsearch"}
                ),
                duration=0.0,
                node=self.config,
            )
            raw = b"" if method == "HEAD" else json.dumps(payload, ensure_ascii=False).encode()
            return NodeApiResponse(meta, raw)

    client = Elasticsearch("http://elasticsearch.test:9200", node_class=Node)
    return es_backend.SearchBackend({"CLIENT": client, "INDEX": ALIAS})


def _terms(text: str) -> str:
    return SynonymSet.load().analyse_document(text)


def _source(key, procedure, text, **fields):
    return {
        "key": f"import:{key}",
        "label": key,
        "claim_date": "2024-04-01",
        "claim_year": 2024,
        "procedure_field": "cosmetic_dermatology",
        "procedure": procedure,
        "complaint_types": ["complication"],
        "outcome": "referred",
        "payout_band": "支払なし",
        "is_open": False,
        "text": text,
        **fields,
    }


def _response(hits: list[tuple[float, dict]], *, every_word: int = 1, aggregations=None) -> dict:
    """A search response as Elasticsearch 9 sends it."""

    def terms(*buckets):
        return {
            "doc_count_error_upper_bound": 0,
            "sum_other_doc_count": 0,
            "buckets": [{"key": key, "doc_count": count} for key, count in buckets],
        }

    return {
        "took": 2,
        "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {
            "total": {"value": len(hits), "relation": "eq"},
            "max_score": max((score for score, _ in hits), default=None),
            "hits": [
                {"_index": OLD, "_id": source["key"], "_score": score, "_source": source}
                for score, source in hits
            ],
        },
        "aggregations": aggregations
        or {
            "every_word": {"doc_count": every_word},
            "procedure_field": terms(("cosmetic_dermatology", 2)),
            "procedure": terms(("ヒアルロン酸注射", 2)),
            "complaint_type": terms(("complication", 2), ("repeated_contact", 1)),
            "outcome": terms(("liable", 1), ("referred", 1)),
            "payout_band": terms(("500万円超〜1,000万円", 1), ("支払なし", 1)),
            "year": terms((2023, 1), (2024, 1)),
        },
    }


# The index


def test_the_index_splits_analysed_terms_on_whitespace_only(backend, server):
    server.answer("PUT", f"/{ALIAS}-*", {**ACK, "shards_acknowledged": True})
    server.answer("GET", f"/_alias/{ALIAS}", {"error": "alias missing", "status": 404}, 404)
    server.answer("POST", "/_aliases", ACK)
    backend.reset_index()

    (created,) = server.to("PUT", f"/{ALIAS}-*")
    assert re.fullmatch(rf"/{ALIAS}-\d{{20}}", created.path)
    settings, mapping = created.body["settings"], created.body["mappings"]
    assert settings["analysis"]["analyzer"]["precedent_terms"] == {
        "type": "custom",
        "tokenizer": "whitespace",
    }  # no Japanese analyser, no filter: the terms come from search.synonyms
    assert settings["number_of_shards"] == 1
    fields = mapping["properties"]
    assert fields["terms"] == {"type": "text", "analyzer": "precedent_terms"}
    assert fields["text"] == {"type": "text", "index": False}
    for name in ("procedure_field", "procedure", "complaint_types", "outcome", "payout_band"):
        assert fields[name] == {"type": "keyword"}
    assert fields["claim_year"]["type"] == "integer" and fields["payout_yen"]["type"] == "long"
    assert fields["is_open"]["type"] == "boolean"
    assert fields["owner"] == {"type": "keyword"}  # exact values, left out by exclude_owners
    assert fields["claim_date"] == {"type": "date", "format": "yyyy-MM-dd"}
    # The index document is a PrecedentDocument plus what is derived from it; the server refuses
    # any other field, so a new document field needs a mapping first.
    assert mapping["dynamic"] == "strict"
    document_fields = {f.name for f in dataclasses.fields(PrecedentDocument)}
    assert set(fields) == document_fields | {"claim_year", "payout_band", "terms"}
    # reset_index: the alias now points at the new, empty index
    (aliases,) = server.to("POST", "/_aliases")
    assert aliases.body["actions"] == [{"add": {"index": created.path[1:], "alias": ALIAS}}]


def test_index_creates_the_first_index_with_its_alias_and_writes_through_the_alias(backend, server):
    server.answer("HEAD", f"/_alias/{ALIAS}", status=404)
    server.answer("PUT", f"/{ALIAS}-*", ACK)
    assert backend.index(CORPUS[:3]) == 3

    (created,) = server.to("PUT", f"/{ALIAS}-*")
    assert created.body["aliases"] == {ALIAS: {}}  # index and alias in one step
    (written,) = server.to("PUT", f"/{ALIAS}/_bulk")
    assert written.params == {"refresh": "wait_for", "require_alias": "true"}
    header, source = written.body[:2]
    assert header == {"index": {"_id": "import:P1"}}
    assert source["terms"] == _terms(f"{CORPUS[0].procedure}\n{CORPUS[0].text}")
    assert source["payout_band"] == CORPUS[0].payout_band and source["claim_year"] == 2024
    assert source["claim_date"] == "2024-04-01"
    assert source["complaint_types"] == ["complication", "refund"]
    assert source["payout_yen"] == 800_000
    assert "payout_yen" not in written.body[5]  # P3: no payout, left out
    assert source["owner"] == ""  # nobody's: found whatever a search excludes

    server.answer("HEAD", f"/_alias/{ALIAS}", status=200)
    backend.index(CORPUS[3:4])
    assert len(server.to("PUT", f"/{ALIAS}-*")) == 1  # the alias exists: no new index


def test_delete_ignores_keys_that_are_not_indexed(backend, server):
    server.missing = {"import:GONE"}
    backend.delete(["import:P1", "import:GONE"])
    (request,) = server.to("PUT", f"/{ALIAS}/_bulk")
    assert request.body == [{"delete": {"_id": "import:P1"}}, {"delete": {"_id": "import:GONE"}}]
    assert request.params["refresh"] == "wait_for"

    server.rejected = {"import:P2"}  # any other failure is not ignored
    with pytest.raises(BulkIndexError):
        backend.delete(["import:P2"])


def test_rebuild_fills_a_new_index_then_swaps_the_alias_in_one_call(backend, server):
    server.answer("PUT", f"/{ALIAS}-*", ACK)
    server.answer("POST", f"/{ALIAS}-*/_refresh", {"_shards": {"total": 1, "successful": 1}})
    server.answer("GET", f"/_alias/{ALIAS}", {OLD: {"aliases": {ALIAS: {}}}})
    server.answer("POST", "/_aliases", ACK)
    server.answer("DELETE", f"/{OLD}", ACK)
    progress = []

    assert backend.rebuild(CORPUS[:3], batch_size=2, progress=progress.append) == 3

    assert progress == [2, 3]
    new = server.to("PUT", f"/{ALIAS}-*")[0].path[1:]
    assert new != OLD
    steps = [(r.method, r.path) for r in server.requests]
    assert steps == [
        ("PUT", f"/{new}"),
        ("PUT", f"/{new}/_bulk"),  # into the new index, not the alias
        ("PUT", f"/{new}/_bulk"),
        ("POST", f"/{new}/_refresh"),
        ("GET", f"/_alias/{ALIAS}"),
        ("POST", "/_aliases"),  # searches move from the old index to the new one here
        ("DELETE", f"/{OLD}"),
    ]
    assert [len(r.body) // 2 for r in server.to("PUT", "*/_bulk")] == [2, 1]
    assert server.to("POST", "/_aliases")[0].body["actions"] == [
        {"remove": {"index": OLD, "alias": ALIAS}},
        {"add": {"index": new, "alias": ALIAS}},
    ]


def test_a_failed_rebuild_deletes_its_index_and_leaves_the_alias(backend, server):
    server.answer("PUT", f"/{ALIAS}-*", ACK)
    server.answer("DELETE", f"/{ALIAS}-*", ACK)
    server.rejected = {"import:P2"}
    with pytest.raises(BulkIndexError):
        backend.rebuild(CORPUS[:3])
    new = server.to("PUT", f"/{ALIAS}-*")[0].path
    assert [r.path for r in server.to("DELETE", "*")] == [new]
    assert server.to("POST", "/_aliases") == []


# Searching


def _request_body(server) -> dict:
    (request,) = server.to("POST", f"/{ALIAS}/_search")
    return request.body


def test_the_search_request(backend, server):
    server.answer("POST", f"/{ALIAS}/_search", _response([]))
    backend.search(
        "ヒアルロン酸 しこり",
        filters={"outcome": "liable", "year": "2023", "complaint_type": "refund", "procedure": ""},
        page=3,
        per_page=5,
        sort="newest",
    )
    body = _request_body(server)
    terms = " ".join(SynonymSet.load().analyse_query("ヒアルロン酸 しこり").split())
    query = body["query"]["bool"]
    assert sorted(query["filter"], key=str) == sorted(
        [
            {"term": {"outcome": "liable"}},
            {"term": {"claim_year": 2023}},
            {"term": {"complaint_types": "refund"}},
            {"term": {"is_open": False}},  # open cases only with include_open
        ],
        key=str,
    )  # an empty filter (procedure) is no filter
    assert "must_not" not in query  # no owner left out
    every = {"match": {"terms": {"query": terms, "operator": "and"}}}
    some = {"match": {"terms": {"query": terms, "operator": "or"}}}
    assert query["should"] == [
        {"constant_score": {"filter": every, "boost": es_backend.EVERY_WORD}},
        {"constant_score": {"filter": some, "boost": 1}},  # by date: the score only groups
    ]
    assert query["minimum_should_match"] == 1
    assert body["sort"] == ["_score", {"claim_date": {"order": "desc"}}, "key"]
    assert body["from"] == 10 and body["size"] == 5 and body["track_total_hits"] is True
    assert body["_source"] == {"excludes": ["terms"]}
    aggregations = body["aggs"]
    assert aggregations["every_word"] == {"filter": every}
    assert {name: aggregations[name]["terms"]["field"] for name in FACETS} == {
        "procedure_field": "procedure_field",
        "procedure": "procedure",
        "complaint_type": "complaint_types",
        "outcome": "outcome",
        "payout_band": "payout_band",
        "year": "claim_year",
    }


def test_excluded_owners_are_left_out_by_the_query_itself(backend, server):
    server.answer("POST", f"/{ALIAS}/_search", _response([]))
    backend.search("しこり", exclude_owners=frozenset({"f:2", "f:1"}), page=2)
    body = _request_body(server)
    query = body["query"]["bool"]
    # The owners, and the unrecorded one; a document without the field (written before the
    # index had it) is nobody knows whose: left out as well.
    assert query["must_not"] == [{"terms": {"owner": ["?", "f:1", "f:2"]}}]
    assert {"exists": {"field": "owner"}} in query["filter"]
    # Hits, the total, the every-word count and the facets all come from this one query.
    assert body["track_total_hits"] is True and set(body["aggs"]) == {"every_word", *FACETS}
    assert "post_filter" not in body


def test_an_indexed_owner_is_written(backend, server):
    server.answer("HEAD", f"/_alias/{ALIAS}", status=200)
    backend.index([dataclasses.replace(CORPUS[0], owner="f:7")])
    (written,) = server.to("PUT", f"/{ALIAS}/_bulk")
    assert written.body[1]["owner"] == "f:7"


def test_by_relevance_cases_with_every_word_score_above_the_rest(backend, server):
    server.answer("POST", f"/{ALIAS}/_search", _response([]))
    backend.search("しこり", include_open=True)
    body = _request_body(server)
    query = body["query"]["bool"]
    terms = SynonymSet.load().analyse_query("しこり")  # a synonym group: syn…
    assert query["should"][1] == {"match": {"terms": {"query": terms, "operator": "or"}}}
    assert "filter" not in query  # staff: open cases too, and no other filter
    assert body["sort"] == ["_score", "key"]
    assert body["from"] == 0 and body["size"] == 10


def test_the_response_becomes_search_results(backend, server):
    p5 = _source("P5", "ヒアルロン酸注射", "注入部位のしこりが消えないと毎日電話がある。")
    p2 = _source(
        "P2",
        "ヒアルロン酸注射",
        "鼻への注入後に<血流障害>が起き、皮膚が黒く変色した。",
        outcome="liable",
        payout_yen=6_000_000,
        claim_date="2023-04-01",
    )
    server.answer("POST", f"/{ALIAS}/_search", _response([(1003.21456, p5), (2.5, p2)]))
    results = backend.search("ヒアルロン酸 しこり", per_page=1, page=2)

    assert [h.label for h in results.hits] == ["P5", "P2"]
    first, second = results.hits
    assert first.key == "import:P5" and first.score == 1003.2146
    assert first.claim_date == date(2024, 4, 1) and first.payout_yen is None
    assert "<mark>しこり</mark>" in first.snippet
    assert second.payout_yen == 6_000_000 and second.outcome == "liable"
    assert "&lt;血流障害&gt;" in second.snippet  # escaped by search.highlight
    assert results.total == 2 and results.page == 2 and results.pages == 2
    assert results.matched_all and results.any_word  # one of the two has every word
    assert results.facets["year"] == [("2023", 1), ("2024", 1)]  # strings, as the database's
    assert results.facets["complaint_type"] == [("complication", 2), ("repeated_contact", 1)]
    assert set(results.facets) == set(FACETS)


def test_no_case_with_every_word(backend, server):
    p1 = _source("P1", "ボツリヌストキシン注射", "眉間への注射後に眼瞼下垂が生じた。")
    server.answer("POST", f"/{ALIAS}/_search", _response([(1.2, p1)], every_word=0))
    results = backend.search("ボトックス 脂肪吸引")
    assert not results.matched_all and results.any_word


def test_every_case_with_every_word(backend, server):
    p1 = _source("P1", "ボツリヌストキシン注射", "眉間への注射後に眼瞼下垂が生じた。")
    server.answer("POST", f"/{ALIAS}/_search", _response([(1001.2, p1)], every_word=1))
    results = backend.search("ボトックス")
    assert results.matched_all and not results.any_word


def test_a_query_without_words_asks_nothing(backend, server):
    results = backend.search("　")
    assert results.hits == [] and results.total == 0 and not results.matched_all
    assert server.requests == []


def test_errors_are_logged_and_raised_as_search_unavailable(backend, server, caplog):
    error = {
        "error": {
            "root_cause": [{"type": "query_shard_exception", "reason": "failed"}],
            "type": "search_phase_execution_exception",
            "reason": "all shards failed",
        },
        "status": 400,
    }
    server.answer("POST", f"/{ALIAS}/_search", error, 400)
    with (
        caplog.at_level(logging.ERROR, logger="search"),
        pytest.raises(SearchUnavailable) as raised,
    ):
        backend.search("しこり")
    assert isinstance(raised.value.__cause__, BadRequestError)
    assert f"Elasticsearch search on '{ALIAS}' failed" in caplog.text


# Similar cases


def test_similar_asks_for_the_cases_words_and_reorders_by_similarity(backend, server):
    source = _source("P5", "ヒアルロン酸注射", "注入部位のしこりが消えない。")
    source["terms"] = _terms("ヒアルロン酸注射\n注入部位のしこりが消えない。")
    server.answer(
        "GET",
        f"/{ALIAS}/_doc/import:P5",
        {"_index": OLD, "_id": "import:P5", "_version": 1, "found": True, "_source": source},
    )
    # Elasticsearch ranks another procedure first; the same procedure has the same words.
    other = _source("P6", "脂肪吸引", "注入部位のしこり。", terms="注入 部位 しこり")
    same = _source(
        "P2", "ヒアルロン酸注射", "鼻への注入。", terms=_terms("ヒアルロン酸注射\n鼻への注入。")
    )
    server.answer("POST", f"/{ALIAS}/_search", _response([(9.0, other), (3.0, same)]))

    similar = backend.similar("import:P5")

    chosen = similarity.query_terms(source["terms"])
    body = _request_body(server)
    query = body["query"]["bool"]
    assert query["must"] == [
        {
            "more_like_this": {
                "fields": ["terms"],
                "like": " ".join(chosen),
                "min_term_freq": 1,
                "min_doc_freq": 1,
                "max_query_terms": len(chosen),
                "minimum_should_match": 1,
            }
        }
    ]
    assert query["must_not"] == [{"ids": {"values": ["import:P5"]}}]  # not itself
    assert query["filter"] == [{"term": {"is_open": False}}]
    assert body["size"] == similarity.CANDIDATES
    assert [h.label for h in similar] == ["P2", "P6"]
    assert similar[0].reason.startswith("同じ施術（ヒアルロン酸注射）／共通する語: ")
    assert similar[0].score == 3.0 and "<mark>" in similar[0].snippet


def test_similar_leaves_out_excluded_owners(backend, server):
    source = _source("P5", "ヒアルロン酸注射", "注入部位のしこりが消えない。", owner="f:2")
    source["terms"] = _terms("ヒアルロン酸注射\n注入部位のしこりが消えない。")
    server.answer(
        "GET",
        f"/{ALIAS}/_doc/import:P5",
        {"_index": OLD, "_id": "import:P5", "_version": 1, "found": True, "_source": source},
    )
    server.answer("POST", f"/{ALIAS}/_search", _response([]))
    backend.similar("import:P5", exclude_owners=frozenset({"f:1"}))
    query = _request_body(server)["query"]["bool"]
    assert query["must_not"] == [
        {"ids": {"values": ["import:P5"]}},
        {"terms": {"owner": ["?", "f:1"]}},
    ]
    assert query["filter"] == [{"term": {"is_open": False}}, {"exists": {"field": "owner"}}]


def test_similar_to_an_unknown_case_is_nothing(backend, server):
    server.answer(
        "GET",
        f"/{ALIAS}/_doc/import:NONE",
        {"_index": OLD, "_id": "import:NONE", "found": False},
        404,
    )
    assert backend.similar("import:NONE", include_open=True) == []
    assert server.to("POST", "*/_search") == []


# Settings


def test_search_settings_choose_the_backend_from_the_url(settings):
    assert search_settings(None) == {"default": {"BACKEND": "search.backends.database"}}
    assert search_settings("") == search_settings(None)
    settings.PRECEDENT_SEARCH = search_settings("http://search.internal:9200")
    assert settings.PRECEDENT_SEARCH["default"] == {
        "BACKEND": "search.backends.elasticsearch",
        "URL": "http://search.internal:9200",
    }
    backend = get_search_backend()
    assert isinstance(backend, es_backend.SearchBackend)
    assert backend.alias == "amrm-precedents" and backend.refresh == "wait_for"
    (node,) = backend.client.transport.node_pool.all()
    assert node.base_url == "http://search.internal:9200"
    assert get_search_backend().client is backend.client  # one connection pool per process
