"""The Elasticsearch backend against the contract every backend owes the precedent page, on the
server ELASTICSEARCH_URL names (`scripts/elasticsearch start`; skipped when it is unset), and
what only it has: the alias a rebuild moves, the mapping, the settings. Each test uses an alias
of its own and deletes its indices afterwards."""

import dataclasses
import logging
import os
from uuid import uuid4

import pytest

from config.settings.integrations import search_settings
from search.backends import elasticsearch, get_search_backend
from search.backends.base import SearchUnavailable
from search.documents import PrecedentDocument

from .contract import CORPUS, BackendContract, labels

pytestmark = pytest.mark.django_db

URL = os.environ.get("ELASTICSEARCH_URL")
needs_server = pytest.mark.skipif(not URL, reason="ELASTICSEARCH_URL is not set")
# Nothing listens here: connections are refused at once.
UNREACHABLE = "http://127.0.0.1:9"


@pytest.fixture
def empty_backend():
    backend = elasticsearch.SearchBackend({"URL": URL, "INDEX": f"amrm-test-{uuid4().hex}"})
    yield backend
    indices = list(backend.client.indices.get(index=f"{backend.alias}-*"))
    if indices:
        backend.client.indices.delete(index=indices)


@pytest.fixture
def unreachable():
    return elasticsearch.SearchBackend({"URL": UNREACHABLE, "INDEX": "amrm-test-unreachable"})


@needs_server
class TestElasticsearchBackend(BackendContract):
    def test_rebuild_swaps_the_alias_to_a_new_index_and_drops_the_old(self, backend):
        (old,) = backend.client.indices.get_alias(name=backend.alias)
        assert backend.rebuild(CORPUS[:2]) == 2
        (new,) = backend.client.indices.get_alias(name=backend.alias)
        assert new != old and not backend.client.indices.exists(index=old)


# Without a server


def test_the_index_splits_analysed_terms_on_whitespace_only():
    """No Japanese analyser, no filter: the terms come from search.synonyms; the built-in
    `whitespace` analyzer is in the server core, so any Elasticsearch 9 node has it."""
    body = elasticsearch.Precedent._index.to_dict()
    assert body["settings"] == {"number_of_shards": 1}
    mapping = body["mappings"]
    fields = mapping["properties"]
    assert fields["terms"] == {"type": "text", "analyzer": "whitespace"}
    assert fields["text"] == {"type": "text", "index": False}
    # The server refuses a field the mapping lacks: a new document field needs a mapping first.
    assert mapping["dynamic"] == "strict"
    document_fields = {f.name for f in dataclasses.fields(PrecedentDocument)}
    assert set(fields) == document_fields | {"claim_year", "payout_band", "terms"}


def test_connection_errors_are_logged_and_raised_as_search_unavailable(unreachable, caplog):
    with caplog.at_level(logging.ERROR, logger="search"), pytest.raises(SearchUnavailable):
        unreachable.search("しこり")
    assert "Precedent search" in caplog.text and "failed" in caplog.text
    assert labels(unreachable.search("　")) == []  # no words: no request


def test_search_settings_choose_the_backend_from_the_url(settings):
    assert search_settings(None) == {"default": {"BACKEND": "search.backends.database"}}
    assert search_settings("") == search_settings(None)
    settings.PRECEDENT_SEARCH = search_settings("http://search.internal:9200")
    assert settings.PRECEDENT_SEARCH["default"] == {
        "BACKEND": "search.backends.elasticsearch",
        "URL": "http://search.internal:9200",
    }
    backend = get_search_backend()
    assert isinstance(backend, elasticsearch.SearchBackend)
    assert backend.alias == "amrm-precedents" and backend.refresh == "wait_for"
    (node,) = backend.client.transport.node_pool.all()
    assert node.base_url == "http://search.internal:9200"
    assert get_search_backend().client is backend.client  # one connection pool per process
