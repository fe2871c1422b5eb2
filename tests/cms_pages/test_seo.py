"""What search engines and link previews see: sitemap.xml, robots.txt, canonical and share tags."""

import re
from html import unescape

import pytest
from django.contrib.staticfiles import finders
from PIL import Image
from wagtail.models import Page, PageViewRestriction

from cms_pages.seo import DEFAULT_IMAGE

pytestmark = pytest.mark.django_db

SITE = "https://www.example.jp"


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.SITE_URL = SITE


def _meta(html: str) -> dict[str, str]:
    """property/name → content of every <meta>, and "canonical" → the canonical link."""
    tags = {
        m[1]: unescape(m[2])
        for m in re.finditer(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', html)
    }
    tags |= {m[1]: m[2] for m in re.finditer(r'<link rel="(canonical)" href="([^"]+)"', html)}
    return tags


def _locations(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def test_sitemap_lists_every_live_public_page_on_the_public_address(client):
    pages = Page.objects.live().public().filter(depth__gt=1)
    expected = {f"{SITE}{page.url}" for page in pages}

    locations = _locations(client)

    assert expected <= set(locations)
    assert f"{SITE}/" in locations and f"{SITE}/faq/" in locations
    assert f"{SITE}/join/" in locations
    assert all(location.startswith(f"{SITE}/") for location in locations)
    assert len(locations) == len(set(locations))


def test_sitemap_leaves_out_drafts_and_private_pages(client, site_pages):
    draft = Page(title="下書きのお知らせ", slug="draft-news", live=False)
    site_pages["home"].add_child(instance=draft)
    PageViewRestriction.objects.create(
        page=site_pages["committee"], restriction_type=PageViewRestriction.LOGIN
    )

    locations = _locations(client)

    assert f"{SITE}/draft-news/" not in locations
    assert not any("/committee/" in location for location in locations)  # and its members
    assert f"{SITE}/faq/" in locations


def test_robots_txt_allows_the_site_and_keeps_crawlers_out_of_private_areas(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    for path in ("/admin/", "/mypage/", "/accounts/", "/django-admin/"):
        assert f"Disallow: {path}" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


def test_robots_txt_and_the_favicon_answer_head_as_well_as_get(client):
    assert client.head("/robots.txt").status_code == 200
    for method in (client.get, client.head):
        icon = method("/favicon.ico")
        assert icon.status_code == 301 and icon["Location"].endswith("cms_pages/mark.svg")


def test_home_page_has_canonical_open_graph_and_twitter_tags(client, site_pages):
    tags = _meta(client.get("/").content.decode())

    assert tags["canonical"] == f"{SITE}/"
    assert tags["og:url"] == f"{SITE}/"
    assert tags["og:type"] == "website"
    assert tags["og:title"] == site_pages["home"].seo_title
    assert tags["og:description"] == site_pages["home"].search_description
    assert tags["description"] == site_pages["home"].search_description
    assert tags["og:site_name"] == "日本美容医療リスクマネジメント協会"
    assert tags["og:locale"] == "ja_JP"
    assert tags["og:image"].startswith(f"{SITE}/static/") and tags["og:image"].endswith(".png")
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:image"] == tags["og:image"]


def test_faq_page_tags_name_the_faq(client, site_pages):
    tags = _meta(client.get("/faq/", {"utm_source": "x"}).content.decode())

    assert tags["canonical"] == f"{SITE}/faq/"  # never the query string
    assert tags["og:type"] == "article"
    assert tags["og:title"] == tags["twitter:title"] == "よくあるご質問"
    assert tags["og:description"] == site_pages["faq"].search_description


def test_without_a_search_description_the_lead_describes_the_page(client, site_pages):
    faq = site_pages["faq"]
    faq.search_description = ""
    faq.save_revision().publish()

    tags = _meta(client.get("/faq/").content.decode())

    assert tags["og:description"] == "Q&A よくあるご質問にお答えします"
    assert tags["description"] == tags["og:description"]


def test_pages_that_are_not_wagtail_pages_have_a_canonical_url_too(client):
    tags = _meta(client.get("/search/", {"q": "免責"}).content.decode())
    assert tags["canonical"] == f"{SITE}/search/"
    assert tags["og:title"] == "日本美容医療リスクマネジメント協会"


def test_the_default_share_image_is_1200_by_630():
    with Image.open(finders.find(DEFAULT_IMAGE)) as image:
        assert image.size == (1200, 630)
        assert image.format == "PNG"
