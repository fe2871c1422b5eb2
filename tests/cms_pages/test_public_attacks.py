"""The public site tried as a hostile visitor, a robot or a curious member would: what they
typed or asked never becomes markup, never reaches someone else's mailbox, and never shows them
a draft, a private page or another person's request."""

import re
import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils.safestring import mark_safe
from wagtail.contrib.forms.models import FormSubmission

from cms_pages.models.forms import FormField

from .test_request_form import THANKS, _fields, _valid_data

pytestmark = pytest.mark.django_db

_RESULT = re.compile(
    r'<h2 class="search-result__title"><a href="(?P<url>[^"]+)">(?P<title>.*?)</a></h2>'
    r'(?:\s*<p class="search-result__snippet">(?P<snippet>.*?)</p>)?',
    re.S,
)


def _search(client, query) -> list[dict]:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return [m.groupdict() for m in _RESULT.finditer(response.content.decode())]


def _anchor_of(key: str) -> str:
    from cms_pages.services import _block_id

    return _block_id(f"faq:{key}")[:8]


# --- Site search -------------------------------------------------------------------------------


def test_a_faq_answer_with_angle_brackets_reads_as_the_editor_wrote_it_in_the_snippet(client):
    """The FAQ answer 「<他の保険契約がある場合>」 is stored as rich text (&lt;…&gt;); its
    snippet shows the brackets, not the entity's letters escaped a second time."""
    other_insurance = f"/faq/#q-{_anchor_of('other-insurance')}"
    results = _search(client, "重複する保険契約")
    hit = next(r for r in results if r["url"] == other_insurance)
    assert "&amp;lt;" not in hit["snippet"] and "&amp;gt;" not in hit["snippet"]
    assert "&lt;他の保険契約がある場合&gt;" in re.sub(r"</?mark>", "", hit["snippet"])


@pytest.mark.parametrize("query", ["lt", "gt", "amp", "nbsp", "quot"])
def test_the_letters_of_an_html_entity_find_nothing(client, site_pages, query):
    """A search for the letters of an entity never matches (nor marks) the entity's markup."""
    faq = site_pages["faq"]
    body = list(faq.body.raw_data)
    body[0]["value"]["questions"].append(
        {
            "type": "question",
            "value": {
                "question": "施術の記録はどこまで残すべきですか?",
                "answer": "<p>&lt;記録&gt; &amp; &quot;同意書&quot;&nbsp;の保管をお勧めします。</p>",
            },
            "id": str(uuid.uuid4()),
        }
    )
    faq.body = body
    faq.save_revision().publish()
    assert _search(client, query) == []


def test_a_saved_draft_of_a_live_page_is_not_searched(client, site_pages):
    faq = site_pages["faq"]
    body = list(faq.body.raw_data)
    body[0]["value"]["questions"].append(
        {
            "type": "question",
            "value": {"question": "未公開のしつもんぴよぴよ", "answer": "<p>下書きの回答</p>"},
            "id": str(uuid.uuid4()),
        }
    )
    faq.body = body
    faq.save_revision()  # saved, not published: still the live text
    assert _search(client, "ぴよぴよ") == []


@pytest.mark.parametrize(
    "query",
    [
        '"><script>alert(1)</script>',
        "&lt;mark&gt;免責&lt;/mark&gt;",
        "<mark>免責</mark>",
        "免責 ' \" ` <img src=x onerror=alert(1)>",
        "class 免責",
    ],
)
def test_queries_never_become_markup(client, query):
    response = client.get("/search/", {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    # The only <mark>s are those the search put around words of the results.
    outside = re.sub(r'<li class="search-result">.*?</li>', "", html, flags=re.S)
    assert "<mark" not in outside and "<mark><mark>" not in html


def test_undecodable_bytes_and_nul_in_the_query_do_not_fail(client):
    for raw in ["q=%ED%A0%80", "q=%00%00", "q=%FF%FE", "q=%E5%85%8D%E8%B2%AC%00"]:
        response = client.get(f"/search/?{raw}")
        assert response.status_code == 200, raw


def test_a_member_page_restricted_to_logged_in_users_is_not_named_on_the_public_board(client):
    from wagtail.models import PageViewRestriction

    from cms_pages.models import CommitteeMemberPage

    member = CommitteeMemberPage.objects.get(slug="kawai-hiroyuki")
    PageViewRestriction.objects.create(page=member, restriction_type=PageViewRestriction.LOGIN)
    assert "河合 弘之" not in client.get("/about/").content.decode()


@pytest.mark.parametrize("restriction", ["login", "password"])
def test_a_page_made_private_is_no_longer_served_from_the_page_cache(
    client, restriction, django_capture_on_commit_callbacks
):
    from wagtail.models import Page, PageViewRestriction

    assert client.get("/faq/").status_code == 200  # cached for anonymous visitors
    faq = Page.objects.get(url_path="/home/faq/")
    with django_capture_on_commit_callbacks(execute=True):
        made = PageViewRestriction.objects.create(
            page=faq, restriction_type=restriction, password="secret-0123"
        )
    response = client.get("/faq/")
    assert response.status_code in (200, 302)
    assert "損金" not in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        made.delete()  # public again: the page itself, not the cached login or password page
    assert "損金" in client.get("/faq/").content.decode()


# --- Contact setting, news feed, share tags -------------------------------------------------


def test_contact_lines_are_escaped_and_the_tel_link_carries_digits_only(client):
    from wagtail.models import Site

    from cms_pages.models import ContactSettings

    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.address = '<script>alert(1)</script>"東京都'
    contact.phone = '0312345678"onclick=x'  # the column's 20 characters (PostgreSQL holds it)
    contact.hours = "平日 & 土曜 <b>"
    contact.save()
    html = client.get("/contact/").content.decode()
    assert "<script>alert(1)" not in html and "<b>" not in html.split("site-footer")[0][-2000:]
    assert '<a href="tel:0312345678">' in html
    assert '"onclick=x' not in html  # the quote escaped: no attribute of its own


def test_the_feed_and_share_tags_escape_a_title_with_markup(client, settings):
    from datetime import date

    from cms_pages.models import NewsIndexPage, NewsPage

    index = NewsIndexPage.objects.get()
    title = '<script>alert(1)</script> & "総会" ]]>'
    page = NewsPage(title=title, slug="escaped", date=date(2026, 11, 30), body="<p>本文</p>")
    index.add_child(instance=page)
    page.save_revision().publish()
    feed = client.get("/news/feed/").content.decode()
    assert "<script>" not in feed and "&lt;script&gt;" in feed
    html = client.get(page.url).content.decode()
    head = html.split("</head>")[0]
    assert "<script>alert(1)" not in html
    assert 'content="&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;総会&quot; ]]&gt;"' in head
    # The canonical and og:url are on the public address whatever Host the request named.
    html = client.get(page.url, HTTP_HOST="localhost").content.decode()
    assert f'<link rel="canonical" href="{settings.SITE_URL}{page.url}">' in html


# --- BudouX ------------------------------------------------------------------------------------


def _budoux(value) -> str:
    return Template("{% load budoux %}{{ value|budoux }}").render(Context({"value": value}))


def test_escaped_markup_in_safe_html_stays_escaped_through_budoux():
    html = _budoux(mark_safe('&lt;script&gt;alert(1)&lt;/script&gt; と<mark>"審査"</mark>'))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_attributes_of_safe_html_stay_quoted_through_budoux():
    html = _budoux(mark_safe('<a href="/faq/" title="&quot;&gt;&lt;script&gt;">よくある質問</a>'))
    assert "<script>" not in html
    assert re.search(r'title="&quot;&gt;&lt;script&gt;"', html)


# --- 資料請求 ----------------------------------------------------------------------------------


def test_the_thank_you_page_shows_no_ones_answers_and_stores_nothing(client, site_pages):
    page = site_pages["request"]
    # Someone else's request.
    client.post(page.url, _valid_data(page))
    other = client.__class__()
    html = other.get(THANKS).content.decode()
    assert "送信が完了しました" in html
    for typed in ("さくら美容クリニック", "山田", "yamada@example.jp", "03-1234-5678"):
        assert typed not in html
    assert other.post(THANKS, _valid_data(page)).status_code in (200, 302)
    assert FormSubmission.objects.filter(page=page).count() == 1


def _request_with_address(client, page, address, capture_on_commit):
    """資料請求 sent with `address` as the e-mail; a refusal answers 200 with the form."""
    data = {**_valid_data(page), _fields(page)["メールアドレス"]: address}
    with capture_on_commit(execute=True):
        response = client.post(page.url, data)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    "address",
    [
        "山田 <yamada@example.jp>",
        "yamada@example.jp\nBcc: victim@example.com",
        "yamada@example.jp\r\nSubject: 当選",
        "yamada@example.jp, victim@example.com",
    ],
)
def test_an_address_with_a_display_name_or_more_headers_is_refused(
    client, site_pages, address, django_capture_on_commit_callbacks
):
    _request_with_address(
        client, site_pages["request"], address, django_capture_on_commit_callbacks
    )
    assert not FormSubmission.objects.filter(page=site_pages["request"]).exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "address",
    [
        # A quoted local part carries any text (a link) into the acknowledgement's To: line.
        '"http://spam.example/win"@example.com',
        '"激安\\ 当選"@example.com',
        # A host by its IP address, or the mail server's own machine: the acknowledgement would
        # have the association's mail server connect to internal hosts or mail itself.
        "info@[127.0.0.1]",
        "info@[10.0.0.5]",
        "root@localhost",
    ],
)
def test_the_acknowledgement_goes_only_to_an_ordinary_address_on_a_public_domain(
    client, site_pages, address, django_capture_on_commit_callbacks
):
    response = _request_with_address(
        client, site_pages["request"], address, django_capture_on_commit_callbacks
    )
    assert "有効なメールアドレスを入力してください。" in response.content.decode()
    assert not FormSubmission.objects.filter(page=site_pages["request"]).exists()
    assert mail.outbox == []


def test_an_ordinary_address_is_still_accepted(client, site_pages):
    page = site_pages["request"]
    for address in ("yamada.hanako+request@mail.example.co.jp", "info@さくら.jp"):
        data = {**_valid_data(page), _fields(page)["メールアドレス"]: address}
        assert client.post(page.url, data).status_code == 302, address


@pytest.mark.parametrize(
    "phone",
    [
        "090-1234-5678📞",
        "0" * 10_000,
        "０９０" * 3_000,
        "090-1234-5678\x00",
        "\u202e8765-4321-090",
        "090-1234-5678\nBcc: victim@example.com",
        "<script>alert(1)</script>",
    ],
)
def test_a_phone_number_with_anything_else_in_it_is_refused(client, site_pages, phone):
    page = site_pages["request"]
    data = {**_valid_data(page), _fields(page)["電話番号"]: phone}
    response = client.post(page.url, data)
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()
    assert not FormSubmission.objects.filter(page=page).exists()


def test_password_managers_are_told_to_leave_the_honeypot_alone(client, site_pages):
    """A person's password manager filling the hidden field would have their request discarded
    without a word: 1Password's identities have a "website" field. 1Password and LastPass skip
    fields marked with their documented opt-outs."""
    html = client.get(site_pages["request"].url).content.decode()
    honeypot = re.search(r'<input type="text" name="website"[^>]*>', html)[0]
    assert "data-1p-ignore" in honeypot and 'data-lpignore="true"' in honeypot


def test_a_choice_the_editor_did_not_write_is_refused(client, site_pages):
    page = site_pages["request"]
    course = _fields(page)["ご希望のコース"]
    data = {**_valid_data(page), course: "激安 https://spam.example/"}
    response = client.post(page.url, data)
    assert response.status_code == 200
    assert not FormSubmission.objects.filter(page=page).exists()


def test_a_posted_consent_time_is_ignored(client, site_pages):
    page = site_pages["request"]
    data = {**_valid_data(page), "privacy_consented_at": "2000-01-01T00:00:00+09:00"}
    assert client.post(page.url, data).status_code == 302
    stored = FormSubmission.objects.get(page=page).get_data()["privacy_consented_at"]
    assert not stored.startswith("2000-")


@pytest.mark.parametrize("label", ["Website", "website", "Privacy consent"])
def test_an_editor_cannot_add_a_field_the_form_uses_for_itself(site_pages, label):
    """A field named like the honeypot (or the consent) would be replaced by it, hidden from
    everyone, its answers never collected: the editor is told to choose another label."""
    field = FormField(page=site_pages["request"], label=label, field_type="singleline")
    with pytest.raises(ValidationError) as error:
        field.full_clean()
    assert "label" in error.value.message_dict
