"""お知らせ: dated news, newest first, paginated, the latest three on the home page, an RSS feed,
and the same moderation as every page (an editor's news waits for 公開承認)."""

import json
from datetime import date, timedelta
from email.utils import parsedate_to_datetime
from xml.etree import ElementTree

import pytest
from django.conf import settings

from cms_pages.models import NewsIndexPage, NewsPage
from cms_pages.models.news import NEWS_PER_PAGE

from .reading import page_text

pytestmark = pytest.mark.django_db

DAY = date(2026, 4, 1)


@pytest.fixture
def index():
    return NewsIndexPage.objects.get()


def _publish(index, title, day, body="<p>お知らせの本文です。</p>"):
    page = NewsPage(title=title, slug=f"n{NewsPage.objects.count() + 1}", date=day, body=body)
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def _html(client, url) -> str:
    return page_text(client.get(url))


def _titles(html: str, titles) -> list[str]:
    """The given titles in the order the page shows them."""
    return sorted((t for t in titles if t in html), key=html.index)


def test_the_index_lists_published_news_newest_date_first(client, index):
    _publish(index, "総会開催のお知らせ", DAY)
    _publish(index, "年末年始休業のお知らせ", DAY + timedelta(days=30))
    _publish(index, "新しい資料のお知らせ", DAY - timedelta(days=30))
    html = _html(client, "/news/")
    assert _titles(
        html, ["総会開催のお知らせ", "年末年始休業のお知らせ", "新しい資料のお知らせ"]
    ) == [
        "年末年始休業のお知らせ",
        "総会開催のお知らせ",
        "新しい資料のお知らせ",
    ]
    assert "2026年5月1日" in html
    assert '<time class="news-list__date" datetime="2026-04-01">2026年4月1日</time>' in html


def test_a_news_page_shows_its_date_and_body(client, index):
    page = _publish(index, "総会開催のお知らせ", DAY, "<p>定時総会を開催いたします。</p>")
    html = _html(client, page.url)
    assert "総会開催のお知らせ" in html
    assert "2026年4月1日" in html
    assert "定時総会を開催いたします。" in html
    assert 'href="/news/"' in html


def test_the_index_is_paginated_newest_on_the_first_page(client, index):
    for n in range(NEWS_PER_PAGE + 2):
        _publish(index, f"お知らせ第{n:02d}号", DAY + timedelta(days=n))
    first = _html(client, "/news/")
    second = _html(client, "/news/?page=2")
    assert "お知らせ第11号" in first and "お知らせ第02号" in first
    assert "お知らせ第01号" not in first
    assert "お知らせ第01号" in second and "お知らせ第00号" in second
    assert "お知らせ第11号" not in second
    assert 'href="?page=2"' in first and "1 / 2 ページ" in first
    # A page number that is wrong or past the end never fails.
    assert "お知らせ第00号" in _html(client, "/news/?page=99")
    assert "お知らせ第11号" in _html(client, "/news/?page=abc")


def test_an_empty_index_says_so(client):
    assert "現在、お知らせはありません。" in _html(client, "/news/")


def test_the_home_page_shows_the_latest_three(client, index):
    for n, title in enumerate(["一番古いお知らせ", "二番目", "三番目", "一番新しいお知らせ"]):
        _publish(index, title, DAY + timedelta(days=n))
    html = _html(client, "/")
    assert 'id="home-news-heading"' in html
    assert _titles(html, ["一番新しいお知らせ", "三番目", "二番目"]) == [
        "一番新しいお知らせ",
        "三番目",
        "二番目",
    ]
    assert "一番古いお知らせ" not in html
    assert "お知らせ一覧へ" in html


def test_the_home_page_has_no_news_section_while_there_is_none(client):
    html = _html(client, "/")
    assert 'id="home-news-heading"' not in html
    assert "お知らせ一覧へ" not in html


def test_the_feed_is_valid_rss_with_absolute_links_newest_first(client, index):
    _publish(index, "古いお知らせ", DAY, "<p>古い本文</p>")
    _publish(index, "新しいお知らせ", DAY + timedelta(days=1), "<p>新しい本文</p>")
    # Asked through another of the site's host names: the links are still the public address.
    response = client.get("/news/feed/", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel.findtext("language") == "ja"
    assert "お知らせ" in channel.findtext("title")
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["新しいお知らせ", "古いお知らせ"]
    newest = items[0]
    assert newest.findtext("link").startswith(f"{settings.SITE_URL}/news/")
    assert channel.findtext("link") == f"{settings.SITE_URL}/news/"
    assert "新しい本文" in newest.findtext("description")
    published = parsedate_to_datetime(newest.findtext("pubDate"))
    assert (published.date(), published.utcoffset()) == (
        DAY + timedelta(days=1),
        timedelta(hours=9),
    )


def test_pages_announce_the_feed(client, index):
    _publish(index, "総会開催のお知らせ", DAY)
    link = '<link rel="alternate" type="application/rss+xml"'
    for url in ["/", "/news/", "/news/n1/"]:
        html = _html(client, url)
        assert link in html and 'href="/news/feed/"' in html, url


def test_an_unpublished_news_item_is_nowhere(client, index):
    page = _publish(index, "取り下げたお知らせ", DAY)
    page.unpublish()
    for url in ["/", "/news/", "/news/feed/"]:
        assert "取り下げたお知らせ" not in _html(client, url), url


# --- moderation ----------------------------------------------------------------------------


def _draftail(text: str) -> str:
    block = {
        "key": "a1b2c",
        "type": "unstyled",
        "depth": 0,
        "text": text,
        "inlineStyleRanges": [],
        "entityRanges": [],
    }
    return json.dumps({"blocks": [block], "entityMap": {}})


def test_an_editors_news_waits_for_approval(client, index, editor, approver):
    assert not index.permissions_for_user(editor).can_publish_subpage()
    client.force_login(editor)
    response = client.post(
        f"/admin/pages/add/cms_pages/newspage/{index.pk}/",
        {
            "title": "審査会開催のお知らせ",
            "slug": "review-meeting",
            "date": "2026-04-01",
            "body": _draftail("審査会を開催しました。"),
            "action-submit": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = NewsPage.objects.get(slug="review-meeting")
    assert not page.live
    client.logout()
    assert "審査会開催のお知らせ" not in _html(client, "/news/")
    assert "審査会開催のお知らせ" not in _html(client, "/")
    assert client.get("/news/review-meeting/").status_code == 404

    task_state = page.current_workflow_task_state
    assert [a[0] for a in task_state.task.specific.get_actions(page, editor)] == []
    task_state.task.specific.on_action(task_state, approver, "approve")

    assert "審査会開催のお知らせ" in _html(client, "/news/")
    assert "審査会開催のお知らせ" in _html(client, "/")
    assert "審査会を開催しました。" in _html(client, "/news/review-meeting/")
    assert "審査会開催のお知らせ" in _html(client, "/news/feed/")


def test_an_editor_previews_a_news_item_before_submitting_it(client, index, editor):
    client.force_login(editor)
    url = f"/admin/pages/add/cms_pages/newspage/{index.pk}/preview/"
    data = {
        "title": "プレビューのお知らせ",
        "slug": "preview",
        "date": "2026-04-01",
        "body": _draftail("プレビューの本文です。"),
    }
    assert client.post(url, data).json()["is_valid"]
    html = client.get(url).content.decode()
    assert "プレビューの本文です。" in html and "2026年4月1日" in html
    assert not NewsPage.objects.filter(slug="preview").exists()
