"""Every public page answers with the association's real content."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError

from cms_pages.blocks import LinkBlock
from cms_pages.content import association as content
from cms_pages.models import CommitteeMemberPage

from .reading import page_text

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/",
    "/committee/",
    "/faq/",
    "/request/",
    "/committee/tsuboi-ryoji/",
    "/search/?q=免責",
]


def test_home_page_carries_the_associations_message_points_courses_and_calls_to_action(client):
    html = page_text(client.get("/"))
    for expected in [
        "美容医療に精通した",
        "「日本国内で、保険のない医療なんてありえない」",
        "2002年の設立(共済会として設立)",
        "美容医療に特化した医師賠償責任保険",
        "美容医療に精通したベテラン医師と弁護士のチームで医療過誤審査",
        "困ったときの苦情クレーム相談対応",
        "賠償責任保険普通保険約款+医師特別約款+美容医療に関する特約条項",
        "美容外科",
        "美容皮膚科",
        "美容内科",
        "ボツリヌストキシン注射",
        "デトックス、点滴治療など",
        "開設者コース",
        "施術医コース",
        "加入中のご利用回数は無制限です",
        "うつ病の患者さんから",
        "まずは協会までご一報を",
        "審査委員会にて過失の有無を審査し",
        "日本美容外科学会(JSAPS)",
        "医師A様",
        "医師B様",
        "スタッフH様",
        "今すぐ資料請求",
        "オンライン加入はこちら",
    ]:
        assert expected in html, expected


def test_home_page_lists_the_five_payout_limits_and_the_deductible(client):
    html = page_text(client.get("/"))
    for limit in ["100万円", "200万円", "500万円", "1,000万円", "2,000万円"]:
        assert limit in html
    assert "10万円" in html


def test_calls_to_action_lead_to_the_request_form_and_the_online_application(client, site_pages):
    html = page_text(client.get("/"))
    assert 'href="/request/"' in html
    assert '<a class="button" href="/join/">オンライン加入はこちら</a>' in html
    assert client.get("/join/").status_code == 200


def test_a_button_names_either_a_page_or_a_path():
    block = LinkBlock()
    assert block.clean(block.to_python({"label": "加入", "url": "/join/"}))["url"] == "/join/"
    for value in ({"label": "どこへも"}, {"label": "外部", "url": "https://example.com/"}):
        with pytest.raises(ValidationError):
            block.clean(block.to_python(value))


def test_committee_index_lists_every_member_grouped_by_role_in_the_sources_order(client):
    html = page_text(client.get("/committee/"))
    for member in content.COMMITTEE_MEMBERS:
        assert member["name"] in html
        assert member["name_kana"] in html
    headings = [
        html.index(f">{role}<") for role in ["代表理事", "会長理事", "専務理事", "理事", "監事"]
    ]
    assert headings == sorted(headings)
    # Members of one role keep the source's order.
    directors = [m["name"] for m in content.COMMITTEE_MEMBERS if m["role"] == "director"]
    positions = [html.index(name) for name in directors]
    assert positions == sorted(positions)


def test_each_member_has_a_page_with_role_title_reading_affiliations_and_qualifications(client):
    for member in content.COMMITTEE_MEMBERS:
        page = CommitteeMemberPage.objects.get(slug=member["slug"])
        response = client.get(page.url)
        assert response.status_code == 200
        html = page_text(response)
        assert member["name"] in html and member["name_kana"] in html
        assert page.get_role_display() in html
        if page.honorific_title:
            assert page.get_honorific_title_display() in html
        for line in member["affiliations"] + member.get("qualifications", []):
            assert line in html


def test_names_are_normalised_and_specialties_are_filterable():
    assert CommitteeMemberPage.objects.count() == 14
    assert not CommitteeMemberPage.objects.filter(title__contains="  ").exists()
    assert CommitteeMemberPage.objects.get(slug="suga-yasushi").title == "須賀 康"
    dermatologists = set(
        CommitteeMemberPage.objects.filter(specialty="dermatology").values_list("slug", flat=True)
    )
    assert {"tsuboi-ryoji", "suga-yasushi", "nogita-toshitatsu"} <= dermatologists
    assert CommitteeMemberPage.objects.get(specialty="law").title == "河合 弘之"


def test_faq_shows_every_question_and_answer_with_its_own_anchor(client):
    html = page_text(client.get("/faq/"))
    for category, questions in content.FAQ_CATEGORIES:
        assert category in html
        for _key, question, _answer in questions:
            assert question in html
    assert "全額損金計上が可能です" in html
    anchors = re.findall(r'id="(q-[0-9a-f]{8})"', html)
    assert len(anchors) == len(set(anchors)) == 13


def test_faq_publishes_schema_org_faqpage_json_ld(client):
    html = page_text(client.get("/faq/"))
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(match.group(1))
    assert data["@type"] == "FAQPage"
    assert len(data["mainEntity"]) == 13
    first = data["mainEntity"][0]
    assert first["name"] == "加入の条件を教えて下さい。"
    assert "正会員" in first["acceptedAnswer"]["text"]


def test_faq_json_ld_gives_the_answer_as_read_not_its_html_entities(client):
    from cms_pages.models import FaqPage

    faq = FaqPage.objects.get()
    raw = faq.body.raw_data
    raw[0]["value"]["questions"][0]["value"]["answer"] = (
        "<p>A&amp;B社の保険料は&lt;税別&gt;です。</p>"
    )
    faq.body = raw
    faq.save_revision().publish()
    html = page_text(client.get("/faq/"))
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    answer = json.loads(match.group(1))["mainEntity"][0]["acceptedAnswer"]["text"]
    assert answer == "A&B社の保険料は<税別>です。"


class _AssetCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.images_without_alt, self.h1_count, self.lang = [], 0, 0, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "h1":
            self.h1_count += 1
        if tag in ("script", "img", "iframe") and attrs.get("src"):
            self.urls.append(attrs["src"])
        # rel=canonical names the page's own public address; it loads nothing.
        if tag == "link" and attrs.get("href") and attrs.get("rel") != "canonical":
            self.urls.append(attrs["href"])
        if tag == "img" and not attrs.get("alt"):
            self.images_without_alt += 1


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_are_japanese_accessible_and_load_nothing_from_another_host(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = _AssetCollector()
    parser.feed(page_text(response))
    assert parser.lang == "ja"
    assert parser.h1_count == 1
    assert parser.images_without_alt == 0
    assert [u for u in parser.urls if re.match(r"^(https?:)?//", u)] == []


def test_unknown_page_answers_404_in_japanese(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in page_text(response)


def test_a_refusal_answers_403_in_japanese(rf):
    """Django's handler renders the project's 403 page, with the reason when one is given."""
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/somewhere/")
    request.user = AnonymousUser()
    plain = permission_denied(request, PermissionDenied()).content.decode()
    assert "このページを表示する権限がありません" in plain and "Forbidden" not in plain
    given = permission_denied(request, PermissionDenied("会員の方だけがご覧になれます。"))
    assert given.status_code == 403 and "会員の方だけがご覧になれます。" in given.content.decode()


@pytest.mark.parametrize("url", ["/committee/", "/faq/"])
def test_committee_and_faq_pages_close_with_the_calls_to_action(client, url):
    html = page_text(client.get(url))
    assert 'href="/request/"' in html.split("page-closing", 1)[1]
    assert "オンライン加入はこちら" in html
