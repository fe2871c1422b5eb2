"""協会概要 from the source text, with the board linked to the committee's pages; the header and
footer reach every page a visitor looks for first."""

import pytest
from django.contrib.auth.models import Group

from cms_pages.content.association import FIVE_SOCIETIES
from cms_pages.models import (
    AboutPage,
    CommitteeMemberPage,
    ContactPage,
    ContentPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
)
from cms_pages.services import EDITORS_GROUP

from .test_admin_language import _pages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def about(client) -> str:
    response = client.get("/about/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_profile_names_the_association_its_founding_and_purpose(about):
    for expected in [
        "一般社団法人 日本美容医療リスクマネジメント協会",
        "2002年",
        "一般社団法人日本美容医療責任共済会",
        "医師自身が事故やクレームを一人で抱え込まず相談できる会員制のサービス体制",
        "苦情相談サービス",
        "審査会",
    ]:
        assert expected in about, expected


def test_the_profile_lists_the_five_societies(about):
    for society in FIVE_SOCIETIES:
        assert f"<li>{society}</li>" in about


def test_the_board_is_linked_to_the_committee_members_pages_by_role(about):
    board = about[about.index('id="board-heading"') :]
    for role in ["代表理事", "会長理事", "専務理事", "理事", "監事"]:
        assert f"<dt>{role}</dt>" in board
    assert '<a href="/committee/tsuboi-ryoji/">坪井 良治</a>' in board
    assert "（理事長）" in board
    assert '<a href="/committee/kawai-hiroyuki/">河合 弘之</a>' in board
    assert board.index("代表理事") < board.index("監事")


def test_a_member_taken_off_the_committee_leaves_the_board(client):
    member = CommitteeMemberPage.objects.get(slug="kawai-hiroyuki")
    member.unpublish()
    assert "河合 弘之" not in client.get("/about/").content.decode()


def test_the_profile_shows_no_contact_line_while_none_is_set(about):
    assert "<dt>所在地</dt>" not in about
    assert "<dt>連絡先</dt>" not in about


HEADER_LINKS = ["/about/", "/committee/", "/faq/", "/news/", "/request/", "/mypage/"]
FOOTER_LINKS = {
    "/mypage/": "マイページ",
    "/join/": "オンライン加入",
    "/request/": "資料請求",
    "/about/": "協会概要",
    "/privacy/": "プライバシーポリシー",
    "/contact/": "お問い合わせ",
    "/news/": "お知らせ",
}


def test_the_header_and_footer_links_lead_to_live_pages(client):
    html = client.get("/").content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    footer = html[html.index('<footer class="site-footer">') :]
    for url in HEADER_LINKS:
        assert f'<a href="{url}"' in header, url
    for url, label in FOOTER_LINKS.items():
        assert f'<a href="{url}">{label}</a>' in footer, url
    for url in set(HEADER_LINKS) | set(FOOTER_LINKS):
        assert client.get(url).status_code in (200, 302), url  # /mypage/ asks for a login


def test_the_header_marks_the_current_section(client):
    html = client.get("/about/").content.decode()
    assert '<a href="/about/" aria-current="page">協会概要</a>' in html


def test_the_new_pages_sit_under_the_home_page_once_each():
    allowed = HomePage.allowed_subpage_models()
    for model in [AboutPage, ContactPage, ContentPage, NewsIndexPage]:
        assert model in allowed
        assert HomePage in model.allowed_parent_page_models()
    assert NewsIndexPage.allowed_subpage_models() == [NewsPage]
    assert NewsPage.allowed_subpage_models() == []
    assert (AboutPage.max_count, ContactPage.max_count, NewsIndexPage.max_count) == (1, 1, 1)


def test_editors_edit_the_new_pages_in_japanese(client, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="pw")
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    client.force_login(editor)
    pages = [model.objects.get() for model in (AboutPage, ContactPage, NewsIndexPage)]
    pages.append(ContentPage.objects.get(slug="privacy"))
    urls = [f"/admin/pages/{page.pk}/edit/" for page in pages]
    urls.append(f"/admin/pages/add/cms_pages/newspage/{pages[2].pk}/")
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert _pages_of(client, urls) == {}
