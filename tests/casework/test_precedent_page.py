"""The reviewers' search page in the admin: query in the URL, facets, sorting, paging, access."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group

from casework import roles
from search.backends import get_search_backend
from tests.search.contract import CORPUS

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user("reviewer", password="pw")
    user.groups.add(Group.objects.get(name=roles.REVIEWERS))
    return user


@pytest.fixture
def indexed():
    get_search_backend().index(CORPUS)


def _get(client, user, url="/admin/precedents/", **params):
    client.force_login(user)
    response = client.get(url, params)
    return response, response.content.decode()


def _labels(html) -> list[str]:
    results = html.split('class="precedent-results"', 1)[-1].split("</ol>", 1)[0]
    return re.findall(r'<h2 class="w-h3">(?:<a [^>]*>)?([^<\s]+)', results)


def test_a_reviewer_finds_cases_by_another_name_with_highlights(client, reviewer, indexed):
    response, html = _get(client, reviewer, q="ボトックス")
    assert response.status_code == 200
    assert _labels(html) == ["P1"]
    assert "「ボトックス」の検索結果 1件" in html
    _, html = _get(client, reviewer, q="眼瞼下垂")
    assert "<mark>眼瞼下垂</mark>" in html


def test_facets_filter_and_the_link_keeps_the_query(client, reviewer, indexed):
    _, html = _get(client, reviewer, q="ヒアルロン酸")
    link = re.search(r'href="(\?[^"]*outcome=liable[^"]*)"', html).group(1)
    assert "q=%E3%83%92" in link  # the query travels with the facet link
    _, filtered = _get(client, reviewer, url="/admin/precedents/" + unescape(link))
    assert _labels(filtered) == ["P2"]
    assert "結果: 有責" in filtered


def test_sorting_and_paging(client, reviewer, indexed, monkeypatch):
    from casework.precedents import views

    monkeypatch.setattr(views.PrecedentSearchView, "per_page", 1)
    _, html = _get(client, reviewer, q="ヒアルロン酸", sort="newest")
    assert _labels(html) == ["P5"] and "1 / 2 ページ" in html
    _, page_two = _get(client, reviewer, q="ヒアルロン酸", sort="newest", page="2")
    assert _labels(page_two) == ["P2"]


def test_open_cases_are_shown_to_support_only(client, reviewer, indexed, django_user_model):
    support = django_user_model.objects.create_user("support", password="pw")
    support.groups.add(Group.objects.get(name=roles.SUPPORT))
    _, reviewer_html = _get(client, reviewer, q="ヒアルロン酸")
    _, support_html = _get(client, support, q="ヒアルロン酸")
    assert "OPEN" not in _labels(reviewer_html)
    assert "OPEN" in _labels(support_html) and "対応中" in support_html


def test_members_and_the_public_have_no_access(client, django_user_model, indexed):
    member = django_user_model.objects.create_user("member", password="pw")
    member.groups.add(Group.objects.get(name=roles.MEMBERS))
    assert client.get("/admin/precedents/", {"q": "ボトックス"}).status_code == 302
    client.force_login(member)
    response = client.get("/admin/precedents/", {"q": "ボトックス"})
    assert response.status_code in (302, 403) and "P1" not in response.content.decode()


def test_odd_input_never_fails(client, reviewer, indexed):
    for params in (
        {"q": "、、、"},
        {"q": "x" * 5000},
        {"q": "腫れ", "page": "abc"},
        {"q": "腫れ", "year": "not-a-year"},
        {"q": "腫れ", "sort": "DROP TABLE"},
    ):
        assert _get(client, reviewer, **params)[0].status_code == 200


def test_the_page_says_which_words_the_results_may_lack(client, reviewer, indexed, monkeypatch):
    _, html = _get(client, reviewer, q="ボトックス 脂肪吸引 ｘｙｚ")
    assert sorted(_labels(html)) == ["P1", "P6"]
    assert "「xyz」を含む事例はないため、この語を除いて検索しました。" in html
    assert "すべての語を含む事例がないため、いずれかの語を含む事例を表示しています。" in html
    from search.backends import base

    monkeypatch.setattr(base, "COMMON_MIN_CASES", 0)  # as in a large index
    _, html = _get(client, reviewer, q="ヒアルロン酸 しこり")
    assert _labels(html) == ["P5"]
    assert "「ヒアルロン酸」を含まない事例も表示しています。" in html


def test_an_unavailable_backend_gets_a_message_not_an_error(client, reviewer, monkeypatch):
    from search.backends import database
    from search.backends.base import SearchUnavailable

    def down(*args, **kwargs):
        raise SearchUnavailable("connection refused")

    monkeypatch.setattr(database.SearchBackend, "search", down)
    response, html = _get(client, reviewer, q="ボトックス")
    assert response.status_code == 200
    assert "事例検索に接続できないため、検索できませんでした。" in html
    assert 'value="ボトックス"' in html  # the query stays in the form


def test_the_page_is_headed_precedent_search_not_home(client, reviewer):
    _, html = _get(client, reviewer)
    assert re.search(r"<title>事例検索 - ", html)
    assert re.search(r"<h1[^>]*>\s*事例検索\s*</h1>", html)
    crumbs = re.findall(r"<li[^>]*>(.*?)</li>", html.split('class="w-breadcrumbs', 1)[1], re.S)
    last = re.sub(r"<[^>]+>|\s", "", crumbs[-1])
    assert last == "事例検索"
