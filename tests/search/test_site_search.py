"""The public site search finds Japanese words inside unspaced sentences."""

import pytest

from cms_pages.models import FaqPage

pytestmark = pytest.mark.django_db


def _titles(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_deductible_finds_the_faq_answer_about_the_10man_yen_deductible(client):
    html = _titles(client, "免責")
    assert 'href="/faq/"' in html
    assert "免責金額10万円" in html  # the snippet shows where it matched


def test_doctor_course_finds_the_course_text(client):
    html = _titles(client, "施術医")
    assert 'href="/"' in html
    assert "施術医" in html


def test_a_word_inside_a_sentence_is_found(client, site_pages):
    faq = site_pages["faq"]
    faq.intro = "<p>施術後に腫れが続く場合もご相談ください。</p>"
    faq.save_revision().publish()
    assert 'href="/faq/"' in _titles(client, "腫れ")
    assert 'href="/"' in _titles(client, "ヒアルロン酸")


def test_nothing_found_says_so_in_japanese(client):
    assert "該当するページは見つかりませんでした" in _titles(client, "存在しない言葉ぴよぴよ")


def test_unpublished_pages_are_not_found(client, site_pages):
    site_pages["faq"].unpublish()
    assert 'href="/faq/"' not in _titles(client, "損金")


def test_member_names_are_found(client):
    assert 'href="/committee/tsuboi-ryoji/"' in _titles(client, "坪井")


def test_faq_is_indexed_with_analysed_text():
    assert "免責" in FaqPage.objects.get().search_text.split()
