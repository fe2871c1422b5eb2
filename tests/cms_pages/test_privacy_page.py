"""プライバシーポリシー: the policy and the handling of personal data, linked from every public page,
a draft that says it awaits the association's review and invents no contact details."""

import re

import pytest

from .reading import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def html(client) -> str:
    response = client.get("/privacy/")
    assert response.status_code == 200
    return page_text(response)


def _headings(html: str) -> list[str]:
    """The text of every h2 (headings may carry line-breaking markup)."""
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html)]


def test_the_policy_and_the_handling_of_personal_data_are_both_there(html):
    headings = _headings(html)
    for heading in [
        "個人情報保護方針",
        "個人情報の取扱いについて",
        "取得する個人情報と利用目的",
        "第三者への提供と業務の委託",
        "保存期間",
        "安全管理措置",
        "開示・訂正・利用停止などのご請求",
        "お問い合わせ窓口",
    ]:
        assert heading in headings, heading


def test_each_kind_of_data_the_site_collects_has_its_purposes(html):
    for expected in [
        "資料請求フォーム",
        "オンライン加入（加入申込）",
        "苦情・クレームのご相談",
        "要配慮個人情報",
        "患者さまからの状況聴取",
        "引受保険会社",
        "審査会",
    ]:
        assert expected in html, expected


def test_the_security_measures_are_the_ones_in_place(html):
    for expected in ["二要素認証", "誰がいつ行ったかを記録", "取り除いた文章だけを登録", "HTTPS"]:
        assert expected in html, expected


def test_the_draft_says_it_awaits_the_associations_review(html):
    assert "本方針は協会（顧問弁護士）の確認を経て確定します" in html
    assert "（協会確認待ち）" in html


def test_it_invents_no_address_or_telephone(html):
    assert not re.search(r"\d{2,4}-\d{2,4}-\d{4}", html)
    assert "〒" not in html
    assert 'href="/contact/"' in html


def test_it_has_a_table_of_contents_pointing_at_its_sections(html):
    anchors = re.findall(r'<a href="#(b-[0-9a-f]{8})">', html)
    assert len(anchors) >= 8
    for anchor in anchors:
        assert f'id="{anchor}"' in html


@pytest.mark.parametrize("url", ["/", "/faq/", "/request/", "/about/", "/news/", "/search/?q=保険"])
def test_every_public_page_links_to_it_from_the_footer(client, url):
    html = client.get(url).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert '<a href="/privacy/">プライバシーポリシー</a>' in footer
