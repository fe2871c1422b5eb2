"""A visitor walks the public site and requests the brochure, in a real browser."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.contrib.forms.models import FormSubmission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_walks_to_a_member_then_the_faq_and_requests_the_brochure(page, site_content):
    page.goto("/")
    expect(page.locator("h1")).to_contain_text("美容医療に精通した")

    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="審査会メンバー"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("審査会メンバーのご紹介")
    page.get_by_role("link", name=re.compile("坪井 良治")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("坪井 良治")
    expect(page.locator("main")).to_contain_text("日本皮膚科学会 認定皮膚科専門医")

    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="よくあるご質問"
    ).click()
    expect(page.locator("main")).to_contain_text("加入の条件を教えて下さい。")

    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="資料請求"
    ).click()
    # Sent empty first: the form comes back with Japanese messages.
    page.get_by_role("button", name="送信する").click()
    expect(page.locator("main")).to_contain_text("入力内容をご確認ください")

    page.get_by_label("医療機関名").fill("さくら美容クリニック")
    page.get_by_label("ご担当者名").fill("山田 花子")
    page.get_by_label("メールアドレス").fill("yamada@example.jp")
    page.get_by_label("電話番号").fill("03-1234-5678")
    page.get_by_label("郵便番号").fill("100-0001")
    page.get_by_label("ご住所").fill("東京都千代田区千代田1-1")
    page.get_by_label("ご希望のコース").select_option("開設者コース")
    page.get_by_label("個人情報の取扱いに同意する").check()
    page.get_by_role("button", name="送信する").click()

    expect(page.locator("main")).to_contain_text("資料請求を受け付けました")
    assert FormSubmission.objects.count() == 1


def test_keyboard_focus_is_visible(page, site_content):
    page.goto("/")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
