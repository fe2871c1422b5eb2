"""The public site search finds Japanese words inside unspaced sentences."""

import re

import pytest

from cms_pages.models import FaqPage

pytestmark = pytest.mark.django_db


def _search(client, query) -> tuple[list[str], str]:
    """The result links, in order, and the whole results page."""
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    return re.findall(r'class="search-result__title"><a href="([^"]+)"', html), html


def test_deductible_finds_the_faq_answer_about_the_10man_yen_deductible(client):
    urls, html = _search(client, "免責")
    assert urls == ["/faq/"]
    assert "免責金額10万円" in html  # the snippet shows where it matched


def test_doctor_course_finds_the_course_text(client):
    urls, html = _search(client, "施術医")
    assert "/" in urls
    assert "施術医コース" in html


def test_a_word_inside_a_sentence_is_found(client, site_pages):
    faq = site_pages["faq"]
    faq.intro = "<p>施術後に腫れが続く場合もご相談ください。</p>"
    faq.save_revision().publish()
    assert _search(client, "腫れ")[0] == ["/faq/"]
    assert _search(client, "ヒアルロン酸")[0] == ["/"]


def test_nothing_found_says_so_in_japanese(client):
    urls, html = _search(client, "存在しない言葉ぴよぴよ")
    assert urls == []
    assert "該当するページは見つかりませんでした" in html


def test_unpublished_pages_are_not_found(client, site_pages):
    assert _search(client, "損金")[0] == ["/faq/"]
    site_pages["faq"].unpublish()
    assert _search(client, "損金")[0] == []


def test_member_names_are_found(client):
    assert _search(client, "坪井")[0] == ["/committee/tsuboi-ryoji/"]


def test_faq_is_indexed_with_analysed_text():
    assert "免責" in FaqPage.objects.get().search_text.split()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "免責", "page": "abc"},
        {"q": "免責", "page": "9999"},
        {"q": "、。！？"},
        {"q": "免" * 5000},
        {"q": "<script>alert(1)</script>"},
        {"q": ""},
    ],
)
def test_odd_queries_never_fail(client, params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
