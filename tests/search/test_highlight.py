"""Highlighting in precedent snippets: whole query words and their synonyms, nothing smaller."""

import re

import pytest

from search.highlight import snippet
from search.synonyms import SynonymSet

from .contract import _doc

pytestmark = pytest.mark.django_db

TEXT = "埋没法で二重瞼の形成を実施。術後23日目、二重まぶたの左右差と腫れを訴え、2回目の施術を希望した。"


def _marks(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


def test_a_word_is_marked_with_its_synonyms_but_no_digit_or_character_out_of_it():
    marks = _marks(snippet(TEXT, SynonymSet.load().highlight_words("二重まぶた"), radius=200))
    assert marks == ["二重瞼", "二重まぶた"]


def test_words_the_analyser_splits_off_are_marked_only_as_typed():
    words = SynonymSet.load().highlight_words("ヒアルロン酸 しこり")
    html = snippet("ヒアルロン酸の注入後に硬結。酸素を吸入し、しこりは消えた。", words, radius=200)
    assert _marks(html) == ["ヒアルロン酸", "硬結", "しこり"]  # not the 酸 of 酸素


def test_numbers_and_latin_words_are_marked_whole():
    assert _marks(snippet(TEXT, ["2回目"], radius=200)) == ["2回目"]
    assert _marks(snippet("12回目ではなく2回目", ["2回目"])) == ["2回目"]
    assert _marks(snippet("HIFU照射、hifuxx", ["hifu"])) == ["HIFU"]


def test_marking_never_breaks_the_escaping():
    html = snippet("<b>腫れ</b> & amp", ["amp", "腫れ"])
    assert html == "&lt;b&gt;<mark>腫れ</mark>&lt;/b&gt; &amp; <mark>amp</mark>"


def test_the_search_page_marks_the_words_not_the_digits(client, django_user_model):
    from django.contrib.auth.models import Group

    from casework import roles
    from search.backends import get_search_backend

    get_search_backend().index([_doc("E1", "二重瞼", TEXT, field="cosmetic_surgery")])
    reviewer = django_user_model.objects.create_user("reviewer", password="pw")
    reviewer.groups.add(Group.objects.get(name=roles.REVIEWERS))
    client.force_login(reviewer)
    html = client.get("/admin/precedents/", {"q": "二重まぶた"}).content.decode()
    assert "「二重まぶた」の検索結果 1件" in html
    assert set(_marks(html)) == {"二重瞼", "二重まぶた"}
