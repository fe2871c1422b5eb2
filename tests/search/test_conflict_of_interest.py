"""Conflicts of interest in precedent search: the cases of owners a search leaves out
(exclude_owners) are in no hit, total, facet, page or similar case, on every backend; and the
reviewers' search page leaves out the facilities a reviewer is tied to.

The backend tests run on the database backend, and on Elasticsearch too when ELASTICSEARCH_URL
names a server (see test_backend_elasticsearch.py).
"""

import dataclasses
import os
import re
from datetime import date
from uuid import uuid4

import pytest
from django.contrib.auth.models import Group

from casework import roles
from casework.models import Facility, ReviewerProfile
from casework.precedents import precedent_owner, precedent_owners_hidden_from
from search.backends import database, get_search_backend
from search.documents import UNRECORDED_OWNER, PrecedentDocument

pytestmark = pytest.mark.django_db

URL = os.environ.get("ELASTICSEARCH_URL")
A, B = "f:A", "f:B"


def _doc(label, owner, text, *, outcome="referred", payout=None, year=2024):
    return PrecedentDocument(
        key=f"import:{label}", label=label, claim_date=date(year, 4, 1),
        procedure_field="cosmetic_dermatology", procedure="ヒアルロン酸注射",
        complaint_types=("complication",), outcome=outcome, payout_yen=payout, is_open=False,
        text=text, owner=owner,
    )  # fmt: skip


# Of owner A only: 有責, 2022, 2023, a payout, 血流障害. H1 is nobody's (an imported case).
CORPUS = [
    _doc("A1", A, "鼻への注入後に血流障害が起き、しこりが残った。", outcome="liable",
         payout=800_000, year=2023),
    _doc("A2", A, "注入部位のしこりが消えないと毎日電話がある。", outcome="resolved", year=2022),
    _doc("B1", B, "注入部位のしこりが消えないと訴えている。"),
    _doc("H1", "", "注入後のしこりについて相談があった。", outcome="not_liable"),
]  # fmt: skip


@pytest.fixture(params=["database", "elasticsearch"])
def backend(request):
    if request.param == "database":
        backend = get_search_backend()
        backend.index(CORPUS)
        yield backend
        return
    if not URL:
        pytest.skip("ELASTICSEARCH_URL is not set")
    from search.backends.elasticsearch import SearchBackend

    backend = SearchBackend({"URL": URL, "INDEX": f"amrm-test-{uuid4().hex}"})
    backend.index(CORPUS)
    yield backend
    backend.client.indices.delete(
        index=list(backend.client.indices.get(index=f"{backend.alias}-*"))
    )


def _labels(hits) -> set[str]:
    return {hit.label for hit in hits}


def test_without_exclusions_every_owner_is_found(backend):
    results = backend.search("ヒアルロン酸")
    assert _labels(results.hits) == {"A1", "A2", "B1", "H1"} and results.total == 4
    assert dict(results.facets["outcome"])["liable"] == 1


def test_an_excluded_owner_is_in_no_hit_total_or_facet(backend):
    results = backend.search("ヒアルロン酸", exclude_owners=frozenset({A}))
    assert _labels(results.hits) == {"B1", "H1"} and results.total == 2
    assert dict(results.facets["outcome"]) == {"referred": 1, "not_liable": 1}
    assert dict(results.facets["year"]) == {"2024": 2}
    assert dict(results.facets["payout_band"]) == {"支払なし": 2}
    assert sum(n for _, n in results.facets["procedure"]) == 2


def test_other_owners_are_excluded_alike(backend):
    results = backend.search("しこり", exclude_owners=frozenset({A, B}))
    assert _labels(results.hits) == {"H1"} and results.total == 1


def test_paging_and_sorting_count_only_what_is_shown(backend):
    excluded = frozenset({A})
    first = backend.search("しこり", exclude_owners=excluded, per_page=1, sort="oldest")
    second = backend.search("しこり", exclude_owners=excluded, per_page=1, page=2, sort="oldest")
    assert first.total == second.total == 2 and first.pages == 2
    assert _labels(first.hits) | _labels(second.hits) == {"B1", "H1"}


def test_a_case_with_every_word_of_an_excluded_owner_does_not_count(backend):
    """Only A1 has both words: left out, no case has every word, and the search is relaxed
    over what the reviewer may see (so the exclusion is in the query, not applied afterwards)."""
    assert backend.search("しこり 血流障害").hits[0].label == "A1"
    results = backend.search("しこり 血流障害", exclude_owners=frozenset({A}))
    assert not results.matched_all
    assert _labels(results.hits) == {"B1", "H1"} and results.total == 2


def test_similar_cases_leave_out_excluded_owners(backend):
    assert {"A1", "A2"} <= _labels(backend.similar("import:B1"))
    similar = backend.similar("import:B1", exclude_owners=frozenset({A}))
    assert _labels(similar) == {"H1"}


def test_cases_of_unrecorded_owner_are_left_out_of_any_exclusion(backend):
    """An entry indexed before owners were recorded (migration 0008) could be anyone's."""
    backend.index([_doc("U1", UNRECORDED_OWNER, "注入部位のしこりが硬い。")])
    assert "U1" in _labels(backend.search("しこり").hits)
    results = backend.search("しこり", exclude_owners=frozenset({B}))
    assert _labels(results.hits) == {"A1", "A2", "H1"} and results.total == 3


def test_estimated_facets_leave_out_excluded_owners(monkeypatch):
    backend = get_search_backend()
    backend.index(
        [_doc(f"A{i}", A, "術後に瘢痕拘縮が残った。", outcome="liable") for i in range(40)]
        + [_doc(f"B{i}", B, "術後に瘢痕拘縮が残った。", outcome="resolved") for i in range(40)]
    )
    monkeypatch.setattr(database.SearchBackend, "facet_sample", 10)  # as if forty matches were many
    results = backend.search("瘢痕拘縮", exclude_owners=frozenset({A}))
    assert results.facets_estimated and results.total == 40
    assert [value for value, _ in results.facets["outcome"]] == ["resolved"]


def test_migration_0008_leaves_existing_entries_out_of_every_exclusion():
    """Whose an entry indexed before owners is the search app cannot tell: left out of any
    search that excludes owners, until rebuild_precedent_index records its owner."""
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    from search.models import PrecedentEntry

    class Editor:  # what the migration uses of a schema editor
        def __init__(self):
            self.connection = connection

        def execute(self, sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)

    backend = get_search_backend()
    backend.index([dataclasses.replace(CORPUS[2], owner="")])
    import_module("search.migrations.0008_precedent_owner").mark_unrecorded(apps, Editor())
    assert PrecedentEntry.objects.get().owner == UNRECORDED_OWNER
    assert backend.search("しこり").total == 1
    assert backend.search("しこり", exclude_owners=frozenset({A})).total == 0


# The reviewers' search page


@pytest.fixture
def clinics():
    return Facility.objects.create(name="さくら美容クリニック"), Facility.objects.create(
        name="もみじ皮膚科クリニック"
    )


@pytest.fixture
def page_index(clinics):
    sakura, momiji = (precedent_owner(f.pk) for f in clinics)
    owners = {A: sakura, B: momiji, "": ""}
    get_search_backend().index([dataclasses.replace(d, owner=owners[d.owner]) for d in CORPUS])


@pytest.fixture
def make_reviewer(django_user_model):
    def make(username, *conflicts):
        user = django_user_model.objects.create_user(username, password="pw")
        user.groups.add(Group.objects.get(name=roles.REVIEWERS))
        profile = ReviewerProfile.objects.create(user=user, specialty="dermatology")
        profile.conflicted_facilities.add(*conflicts)
        return user

    return make


def _page(client, user, **params):
    client.force_login(user)
    response = client.get("/admin/precedents/", params)
    assert response.status_code == 200
    html = response.content.decode()
    results = html.split('class="precedent-results"', 1)[-1].split("</ol>", 1)[0]
    return html, set(re.findall(r'<h2 class="w-h3">(?:<a [^>]*>)?([^<\s]+)', results))


def test_the_page_leaves_out_the_facility_a_reviewer_is_tied_to(
    client, clinics, page_index, make_reviewer
):
    sakura, _ = clinics
    html, labels = _page(client, make_reviewer("tied", sakura), q="ヒアルロン酸")
    assert labels == {"B1", "H1"}
    assert "「ヒアルロン酸」の検索結果 2件" in html
    assert "有責</a>" not in html and "2023年</a>" not in html  # A1's outcome and year

    html, labels = _page(client, make_reviewer("free"), q="ヒアルロン酸")
    assert labels == {"A1", "A2", "B1", "H1"}
    assert "「ヒアルロン酸」の検索結果 4件" in html and "有責</a>（1）" in html


def test_the_exclusion_set_is_the_users_conflicts(clinics, make_reviewer, django_user_model):
    sakura, momiji = clinics
    assert precedent_owners_hidden_from(user=make_reviewer("tied", sakura, momiji)) == {
        precedent_owner(sakura.pk),
        precedent_owner(momiji.pk),
    }
    assert precedent_owners_hidden_from(user=make_reviewer("free")) == frozenset()
    staff = django_user_model.objects.create_user("support", password="pw")
    assert precedent_owners_hidden_from(user=staff) == frozenset()  # no reviewer profile
