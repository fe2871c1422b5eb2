"""The precedent index follows the cases, and nothing identifying a patient ever reaches it."""

import pytest
from django.core.management import call_command

from casework.services import case_transition
from search.backends import get_search_backend
from search.models import PrecedentEntry

pytestmark = pytest.mark.django_db

PATIENT = {"name": "佐藤 花子", "phone": "090-1234-5678", "email": "hanako@example.jp"}
# A member who forgets the rule and writes identifying details into the narrative.
CARELESS = (
    "佐藤花子さん（090-1234-5678、hanako@example.jp、〒150-0001 渋谷区）から、"
    "ヒアルロン酸注入後のしこりについて苦情。花子さんは返金を求めている。"
)


@pytest.fixture
def indexed(report, django_capture_on_commit_callbacks):
    def make(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            return report(**fields)

    return make


def test_a_reported_case_is_indexed_as_open_and_found_by_staff(indexed, support):
    case = indexed()
    backend = get_search_backend()
    assert backend.search("左右差").hits == []  # reviewers see closed cases only
    hits = backend.search("左右差", include_open=True).hits
    assert [h.label for h in hits] == [case.reference] and hits[0].is_open


def test_the_index_follows_state_changes(indexed, support, django_capture_on_commit_callbacks):
    case = indexed()
    with django_capture_on_commit_callbacks(execute=True):
        case = case_transition(case=case, name="start_triage", by=support)
        case = case_transition(case=case, name="resolve", by=support)
    hit = get_search_backend().search("左右差").hits[0]
    assert hit.outcome == "resolved" and not hit.is_open


@pytest.mark.parametrize(
    "secret", ["佐藤", "花子", "090-1234-5678", "09012345678", "hanako@example.jp", "150-0001"]
)
def test_patient_data_never_reaches_the_index(indexed, secret):
    indexed(narrative=CARELESS, patient=PATIENT)
    backend = get_search_backend()
    assert backend.search(secret, include_open=True).hits == []
    stored = " ".join(PrecedentEntry.objects.values_list("text", "terms").get())
    assert secret not in stored
    assert backend.search("しこり", include_open=True).hits  # the medical content is there


def test_rebuild_recreates_the_index_with_a_progress_bar(indexed, capsys):
    indexed()
    indexed(narrative="レーザー脱毛の後に熱傷が残った。")
    PrecedentEntry.objects.all().delete()
    call_command("rebuild_precedent_index")
    out = capsys.readouterr().out
    assert "2/2" in out and "2 件を索引に登録しました" in out
    assert get_search_backend().search("やけど", include_open=True).hits


def test_the_case_page_shows_similar_past_cases_with_the_reason(
    client, indexed, support, django_capture_on_commit_callbacks
):
    past = indexed()
    with django_capture_on_commit_callbacks(execute=True):
        past = case_transition(case=past, name="start_triage", by=support)
        past = case_transition(case=past, name="resolve", by=support)
    new = indexed(narrative="二重まぶたの埋没法のあと、左右差が気になると言われている。")
    client.force_login(support)
    html = client.get(f"/admin/cases/{new.pk}/").content.decode()
    panel = html.split("類似の過去事例", 1)[1].split("経緯と患者さんの要求", 1)[0]
    assert past.reference in panel and "同じ施術" in panel


def test_a_deleted_case_leaves_the_index(indexed, django_capture_on_commit_callbacks):
    from casework.models import CaseTransition

    case = indexed()
    backend = get_search_backend()
    assert backend.search("左右差", include_open=True).hits
    with django_capture_on_commit_callbacks(execute=True):
        # The audit trail protects a case; only a deliberate purge (trail first) deletes one.
        CaseTransition.objects.filter(case=case)._raw_delete(CaseTransition.objects.db)
        case.delete()
    assert backend.search("左右差", include_open=True).hits == []


def test_with_search_down_a_case_is_still_saved_and_its_page_says_why(
    client, indexed, support, monkeypatch, caplog
):
    from search.backends import database
    from search.backends.base import SearchUnavailable

    def down(*args, **kwargs):
        raise SearchUnavailable("connection refused")

    monkeypatch.setattr(database.SearchBackend, "index", down)
    monkeypatch.setattr(database.SearchBackend, "similar", down)
    case = indexed()  # the report commits; indexing after it fails and is logged
    assert case.pk and "rebuild_precedent_index" in caplog.text
    client.force_login(support)
    response = client.get(f"/admin/cases/{case.pk}/")
    assert response.status_code == 200
    assert "類似の過去事例を表示できません" in response.content.decode()
