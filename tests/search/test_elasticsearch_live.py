"""The Elasticsearch backend against a server, when ELASTICSEARCH_URL names one: the database
backend's own tests must give the same results. Each test uses an alias of its own and deletes
its indices afterwards."""

import os
from uuid import uuid4

import pytest

from search.backends.elasticsearch import SearchBackend
from tests.search import test_precedent_search as database_tests

URL = os.environ.get("ELASTICSEARCH_URL")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not URL, reason="ELASTICSEARCH_URL is not set"),
]


@pytest.fixture
def backend():
    backend = SearchBackend({"URL": URL, "INDEX": f"amrm-test-{uuid4().hex}"})
    backend.index(database_tests.CORPUS)
    yield backend
    indices = list(backend.client.indices.get(index=f"{backend.alias}-*"))
    if indices:
        backend.client.indices.delete(index=indices)


# The database backend's tests, collected here again: pytest gives them this module's `backend`.
# Not the command's (it reads the configured backend), nor those of the database's relaxing by
# word frequency and its word counts (optional_words, unknown_words), which this backend lacks.
test_any_name_finds_the_case = database_tests.test_any_name_finds_the_case
test_cases_with_every_word_come_first_then_those_with_some = (
    database_tests.test_cases_with_every_word_come_first_then_those_with_some
)
test_no_case_with_every_word_falls_back_to_any_word = (
    database_tests.test_no_case_with_every_word_falls_back_to_any_word
)
test_open_cases_are_for_staff_and_marked = database_tests.test_open_cases_are_for_staff_and_marked
test_filters_and_facets = database_tests.test_filters_and_facets
test_sorting_paging_and_highlights = database_tests.test_sorting_paging_and_highlights
test_snippets_are_escaped = database_tests.test_snippets_are_escaped
test_reindexing_replaces_and_delete_removes = (
    database_tests.test_reindexing_replaces_and_delete_removes
)
test_similar_cases_share_the_procedure_or_the_problem = (
    database_tests.test_similar_cases_share_the_procedure_or_the_problem
)


def _labels(results):
    return [hit.label for hit in results.hits]


def test_rebuild_swaps_the_alias_to_a_new_index_and_drops_the_old(backend):
    (old,) = backend.client.indices.get_alias(name=backend.alias)
    without_p6 = [d for d in database_tests.CORPUS if d.label != "P6"]
    assert backend.rebuild(without_p6, batch_size=2) == len(without_p6)

    (new,) = backend.client.indices.get_alias(name=backend.alias)
    assert new != old and not backend.client.indices.exists(index=old)
    assert _labels(backend.search("脂肪吸引")) == []
    assert _labels(backend.search("ボトックス")) == ["P1"]


def test_reset_index_empties_it(backend):
    backend.reset_index()
    assert backend.search("ボトックス").total == 0
    assert backend.similar("import:P5") == []
