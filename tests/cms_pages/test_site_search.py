"""The public site search, as a visitor uses it: any common name of a procedure finds the FAQ
question (linked to its anchor) or the home-page section about it, with the words marked."""

import re
import time
import uuid

import pytest
from wagtail.models import Page

from cms_pages.models import FaqPage

pytestmark = pytest.mark.django_db

_RESULT = re.compile(
    r'<h2 class="search-result__title"><a href="(?P<url>[^"]+)">(?P<title>.*?)</a></h2>'
    r'(?:\s*<p class="search-result__snippet">(?P<snippet>.*?)</p>)?',
    re.S,
)


def _search(client, query) -> tuple[list[dict], str]:
    """The results (url, title HTML, snippet HTML), in order, and the whole results page."""
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    return [m.groupdict() for m in _RESULT.finditer(html)], html


def _urls(results) -> list[str]:
    return [r["url"] for r in results]


def _add_question(faq: FaqPage, question: str, answer: str) -> str:
    """An editor adds a question to the first category and publishes; returns its anchor."""
    block_id = str(uuid.uuid4())
    body = list(faq.body.raw_data)
    body[0]["value"]["questions"].append(
        {"type": "question", "value": {"question": question, "answer": answer}, "id": block_id}
    )
    faq.body = body
    faq.save_revision().publish()
    return f"/faq/#q-{block_id[:8]}"


@pytest.fixture
def botox_question(site_pages):
    return _add_question(
        site_pages["faq"],
        "ボツリヌストキシン注射の後に左右差が出たというクレームは補償の対象ですか?",
        "<p>医療ミスが原因であれば補償の対象となる可能性があります。</p>",
    )


@pytest.mark.parametrize(
    "query",
    ["ボトックス", "ボトックス注射", "ボツリヌス注射", "ﾎﾞﾄｯｸｽ", "ぼとっくす", "ボトックス "],
)
def test_any_name_of_botulinum_toxin_finds_the_question_with_its_anchor(
    client, botox_question, query
):
    results, _ = _search(client, query)

    assert results[0]["url"] == botox_question
    assert "<mark>ボツリヌストキシン注射</mark>" in results[0]["title"]
    # The home page's list of covered procedures names it too, linked to that section.
    assert any(re.fullmatch(r"/#b-[0-9a-f]{8}", url) for url in _urls(results))


def test_the_anchor_of_a_result_is_on_the_faq_page(client, botox_question):
    anchor = botox_question.split("#")[1]
    html = client.get("/faq/").content.decode()
    assert f'id="{anchor}"' in html


def test_deductible_links_to_the_question_that_answers_it(client):
    results, _ = _search(client, "免責")

    assert _urls(results) == [f"/faq/#q-{_anchor_of('unsatisfactory-result')}"]
    assert "<mark>免責</mark>金額10万円" in results[0]["snippet"]


def _anchor_of(key: str) -> str:
    from cms_pages.services import _block_id

    return _block_id(f"faq:{key}")[:8]


def test_hyaluronic_acid_finds_filler_questions_and_the_home_section(client, site_pages):
    anchor = _add_question(
        site_pages["faq"],
        "フィラー注入で血流障害が起きた場合の対応は?",
        "<p>まずは協会までご一報ください。</p>",
    )

    results, _ = _search(client, "ヒアルロン酸")

    assert anchor in _urls(results)
    hit = results[_urls(results).index(anchor)]
    assert "<mark>フィラー注入</mark>" in hit["title"]
    home = [r for r in results if r["url"].startswith("/#b-")]
    assert home and "<mark>ヒアルロン酸注射</mark>" in home[0]["snippet"]


def test_double_eyelid_finds_the_narrower_buried_suture_method(client, site_pages):
    anchor = _add_question(
        site_pages["faq"], "埋没法の糸が取れたというクレームには?", "<p>ご相談ください。</p>"
    )

    results, _ = _search(client, "二重まぶた")

    assert anchor in _urls(results)
    assert "<mark>埋没法</mark>" in results[_urls(results).index(anchor)]["title"]
    # The narrower term does not find the broader: 埋没法 is one way to make 二重瞼.
    assert not any(r["url"].startswith("/#b-") for r in _search(client, "埋没法")[0])


def test_a_word_in_a_question_ranks_it_before_sections_that_mention_it(client):
    results, _ = _search(client, "施術医")

    assert results[0]["url"] == f"/faq/#q-{_anchor_of('part-time-doctor')}"
    home = [r for r in results if r["url"].startswith("/#b-")]
    assert home and "<mark>施術医</mark>" in home[0]["snippet"]


def test_a_word_inside_a_sentence_is_found(client, site_pages):
    faq = site_pages["faq"]
    faq.intro = "<p>施術後に腫れが続く場合もご相談ください。</p>"
    faq.save_revision().publish()
    assert _urls(_search(client, "腫れ")[0]) == ["/faq/"]


def test_member_names_are_found(client):
    # The privacy policy names the representative too; the member's own page comes first.
    assert _urls(_search(client, "坪井")[0])[0] == "/committee/tsuboi-ryoji/"


def test_unpublished_pages_are_not_found(client, site_pages):
    assert _urls(_search(client, "損金")[0]) == [f"/faq/#q-{_anchor_of('tax-deductible')}"]
    site_pages["faq"].unpublish()
    assert _search(client, "損金")[0] == []


def test_private_pages_are_not_found(client, site_pages):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(
        page=site_pages["faq"], restriction_type=PageViewRestriction.LOGIN
    )
    assert _search(client, "損金")[0] == []


def _suggested_links(html: str) -> list[str]:
    section = html.split('class="search-suggestions"', 1)
    assert len(section) == 2, "no suggestions shown"
    return re.findall(r'class="search-suggestions__link" href="([^"]+)"', section[1])


@pytest.fixture
def contact_page(site_pages):
    # load_site_content publishes it; the suggestions leave it out while it is not live.
    return Page.objects.get(url_path="/home/contact/").specific


def test_nothing_found_suggests_the_faq_the_contact_page_and_the_request_form(client, contact_page):
    results, html = _search(client, "存在しない言葉ぴよぴよ")

    assert results == []
    assert "該当するページは見つかりませんでした" in html
    assert _suggested_links(html) == ["/faq/", "/contact/", "/request/"]


def test_an_empty_search_suggests_the_same_pages(client, contact_page):
    html = client.get("/search/").content.decode()
    assert _suggested_links(html) == ["/faq/", "/contact/", "/request/"]


def test_results_show_no_suggestions(client):
    _, html = _search(client, "免責")
    assert "search-suggestions" not in html


def test_markup_in_page_text_and_query_is_escaped(client, site_pages):
    _add_question(site_pages["faq"], "<script>alert(1)</script> & 豊胸", "<p>回答</p>")
    results, html = _search(client, "豊胸 <script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in html
    _, html = _search(client, "豊胸術")
    assert "&lt;script&gt;" in html and "<script>alert(1)</script>" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "免責", "page": "abc"},
        {"q": "免責", "page": "9999"},
        {"q": "、。！？"},
        {"q": "!!!???###@@@"},
        {"q": "免" * 10_000},
        {"q": "ボトックス" * 2_000},
        {"q": "ＢＯＴＯＸ　ﾋｱﾙﾛﾝ酸　ふたえ"},
        {"q": "<script>alert(1)</script>"},
        {"q": "\x00\u200b\ufeff"},
        {"q": ""},
    ],
)
def test_odd_queries_never_fail_and_stay_fast(client, params):
    client.get("/search/", {"q": "免責"})  # the units analysed once, as on a running site
    started = time.monotonic()
    response = client.get("/search/", params)
    assert response.status_code == 200
    assert time.monotonic() - started < 2
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_faq_is_indexed_with_analysed_text():
    assert "免責" in FaqPage.objects.get().search_text.split()
