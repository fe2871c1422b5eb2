"""Japanese line breaking: headings break only between BudouX phrases, never mid-word."""

import re

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe


def render(text):
    return Template("{% load budoux %}{{ text|budoux }}").render(Context({"text": text}))


def test_phrases_are_joined_with_wbr_inside_a_keep_all_span():
    html = render("苦情相談サービスのメリットは、中立な審査です。")

    assert html.startswith('<span class="budoux">') and html.endswith("</span>")
    assert "メリットは、<wbr>" in html
    # 「は、」 stays attached to the word before it: no break point in front of it.
    assert "<wbr>は、" not in html


def test_markup_in_plain_text_is_escaped():
    html = render("<script>alert(1)</script> & 審査")

    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp; " in html


def test_safe_markup_is_kept_and_phrased():
    html = render(mark_safe("<mark>ボトックス</mark>注射の後遺症について"))

    assert html.startswith('<span class="budoux"><mark>ボトックス</mark>')
    assert "<wbr>" in html


def test_empty_values_render_nothing():
    assert render("") == ""
    assert render(None) == ""


def test_hand_typed_line_ends_give_way_to_phrase_breaks():
    html = render("保険無しで美容の診療をするのは、\n不安ですよね。")

    assert "\n" not in html and "<br" not in html
    assert "するのは、<wbr>不安" in html
    assert render("Point 1\nfor doctors") == '<span class="budoux">Point 1 for doctors</span>'


@pytest.mark.django_db
def test_home_headings_break_between_phrases_and_have_content_under_them(client):
    html = client.get("/").content.decode()
    sections = re.findall(r'<section class="section[^"]*"[^>]*>(.*?)</section>', html, re.S)

    headings = [re.search(r"<h2[^>]*>(.*?)</h2>", s, re.S) for s in sections]
    assert all(headings)
    for section, heading in zip(sections, headings, strict=True):
        assert '<span class="budoux">' in heading[1] and "<br" not in heading[1]
        after = re.sub(r"<[^>]+>|\s", "", section[heading.end() :])
        assert after, f"nothing under {heading[1]}"


@pytest.mark.django_db
def test_the_merits_of_the_complaint_service_carry_the_whole_source_text(client):
    html = client.get("/").content.decode()
    texts = [
        re.sub(r"<[^>]+>", "", section)
        for section in re.findall(r'<section class="section[^"]*"[^>]*>(.*?)</section>', html, re.S)
    ]
    text = next(t for t in texts if t.strip().startswith("苦情相談サービスのメリット"))

    for words in (
        "当協会と保険会社が一体となって解決策を模索します",
        "セカンドオピニオン",
        "査定委員会にて補償額を算定",
        "円満解決に至るお手伝いをいたします",
    ):
        assert words in text
