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


def render_rich(filter_name, html):
    return Template(f"{{% load budoux %}}{{{{ html|{filter_name} }}}}").render(
        Context({"html": mark_safe(html)})
    )


def test_headings_in_rich_text_are_phrased_inside_and_paragraphs_kept():
    html = render_rich(
        "budoux_headings",
        '<h3 id="x">補償：美容医療に特化した医師賠償責任保険</h3><p>本文は<a href="/faq/">ここ</a>です。</p>',
    )

    # The span sits inside the heading (a span may not hold a heading), and no break point
    # splits 「保険」: 「険」 can never end up alone.
    assert html.startswith('<h3 id="x"><span class="budoux">補償：')
    assert "</span></h3>" in html and "保<wbr>険" not in html and "<wbr>" in html
    assert html.endswith('<p>本文は<a href="/faq/">ここ</a>です。</p>')


def test_a_lead_is_phrased_paragraph_by_paragraph():
    html = render_rich("budoux_lead", "<p>審査会を構成するメンバーを</p><p>ご紹介いたします。</p>")

    assert re.fullmatch(
        r'<p><span class="budoux">[^<]*(<wbr>[^<]*)+</span></p>'
        r'<p><span class="budoux">[^<]*(<wbr>[^<]*)*</span></p>',
        html,
    )


def test_a_rich_text_blocks_value_keeps_its_markup():
    from wagtail.rich_text import RichText

    html = Template("{% load budoux %}{{ value|budoux_headings }}").render(
        Context({"value": RichText("<h3>個人情報の開示・訂正・利用停止などのご請求</h3>")})
    )

    assert html.startswith('<h3><span class="budoux">個人情報')
    assert "&lt;" not in html


def test_plain_text_given_to_the_rich_text_filters_is_escaped():
    assert render("<h3>x</h3>") == '<span class="budoux">&lt;h3&gt;x&lt;/h3&gt;</span>'
    html = Template("{% load budoux %}{{ text|budoux_headings }}").render(
        Context({"text": "<h3>x</h3>"})
    )
    assert html == "&lt;h3&gt;x&lt;/h3&gt;"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/faq/", "/about/", "/privacy/", "/contact/", "/news/", "/request/"]
)
def test_every_page_title_heading_and_intro_is_phrased(client, path):
    html = client.get(path).content.decode()
    main = html[html.index("<main") : html.index("</main>")]

    headings = re.findall(r"<h([1-4])\b[^>]*>(.*?)</h\1>", main, re.S)
    assert headings
    for _, inside in headings:
        text = re.sub(r"<[^>]+>|\s", "", inside)
        # Short literal headings (目次, 連絡先) need no break point; every other is phrased.
        if len(text) > 6:
            assert '<span class="budoux">' in inside, inside
    for intro in re.findall(r'<div class="rich-text page-intro">(.*?)</div>', main, re.S):
        for paragraph in re.findall(r"<p>(.*?)</p>", intro, re.S):
            assert paragraph.startswith('<span class="budoux">'), paragraph


@pytest.mark.django_db
def test_the_home_pages_rich_text_heading_keeps_its_last_word_whole(client):
    html = client.get("/").content.decode()

    heading = re.search(r"<h3><span class=\"budoux\">補償：(.*?)</span></h3>", html, re.S)
    assert heading and "保<wbr>険" not in heading[1]
