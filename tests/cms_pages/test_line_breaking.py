"""Japanese line breaking: headings break only between BudouX phrases, never mid-word."""

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
