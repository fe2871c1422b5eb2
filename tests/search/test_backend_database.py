"""The database backend (SQLite or PostgreSQL, whichever DATABASE_URL the run uses) against the
contract every backend owes the precedent page, and what only it has: the word counts."""

from collections import Counter

import pytest
from django.core.management import call_command

from search.backends import database
from search.models import PrecedentEntry, TermStat

from .contract import CORPUS, BackendContract, _doc, labels

pytestmark = pytest.mark.django_db


class TestDatabaseBackend(BackendContract):
    @pytest.fixture
    def empty_backend(self):
        return database.SearchBackend()

    @pytest.fixture
    def unreachable(self):
        pytest.skip("the database backend has no server of its own: its database is the site's")


@pytest.fixture
def backend():
    backend = database.SearchBackend()
    backend.index(CORPUS)
    return backend


def test_word_counts_follow_indexing_reindexing_and_deletion(backend):
    """The counts that tell common words from telling ones stay equal to a fresh count."""
    backend.index([_doc("P4", "レーザー脱毛", "照射部位に水疱ができた。", outcome="resolved")])
    backend.delete(["import:P6"])
    recount = Counter(t for terms in PrecedentEntry.objects.values_list("terms", flat=True)
                      for t in terms.split())  # fmt: skip
    stats = dict(TermStat.objects.values_list())
    assert stats.pop("") == PrecedentEntry.objects.count() == 6  # the number of cases
    assert stats.pop(" ") == recount.total()  # and of their terms
    assert stats == dict(recount)


def test_the_command_prints_the_same_results(backend, capsys):
    call_command("search_precedents", "ボトックス")
    out = capsys.readouterr().out
    assert out.startswith("P1\t") and "眼瞼下垂" in out
    call_command("search_precedents", "--similar-to", "P5", "--json")
    assert '"label": "P2"' in capsys.readouterr().out


def test_an_index_row_whose_entry_is_gone_is_skipped_not_a_500(backend):
    # As after a table emptied behind the index's back (SQLite's full-text table is no model).
    PrecedentEntry.objects.filter(key="import:P2").delete()
    assert labels(backend.search("ヒアルロン酸")) == ["P5"]
    assert "P2" not in labels(backend.similar("import:P5"))
