"""Keyboard only (Tab, Shift+Tab, arrow keys, Space, Enter; never the mouse): a visitor requests
the brochure and applies online. Every element that takes the focus shows it (an outline or a
shadow), the focus moves in the order the page reads, and every public page starts with a skip
link to its main content."""

import pytest
from django.core import mail
from playwright.sync_api import expect
from wagtail.contrib.forms.models import FormSubmission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The focused element as the visitor sees it: what it is, where it is on the page, whether the
# focus is drawn (an outline or a box shadow) and whether it lies within the viewport.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  return {
    what: `${el.tagName.toLowerCase()}${el.type ? "[" + el.type + "]" : ""} `
      + `${el.name || el.id || ""} 「${(label || el.innerText || "").trim().slice(0, 30)}」`,
    name: el.name || "",
    drawn: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
      || style.boxShadow !== "none",
    onScreen: rect.width > 1 && rect.height > 1 && rect.bottom > 0 && rect.right > 0
      && rect.top < innerHeight && rect.left < innerWidth,
    inMain: !!el.closest("main"),
    top: rect.top + scrollY, left: rect.left + scrollX,
  };
}"""


class Keyboard:
    """Moves the focus with the keys and checks every element it lands on."""

    def __init__(self, page):
        self.page = page
        self.trail: list[dict] = []

    def press(self, key: str) -> dict:
        self.page.keyboard.press(key)
        focused = self.page.evaluate(FOCUSED)
        assert focused["drawn"], f"no visible focus on {focused['what']} after {key}"
        assert focused["onScreen"], f"{focused['what']} has the focus out of sight after {key}"
        assert focused["name"] != "website", "the honeypot took the focus"
        if key == "Tab" and focused["inMain"] and self.trail and self.trail[-1]["inMain"]:
            self._assert_reading_order(self.trail[-1], focused)
        self.trail.append(focused)
        return focused

    @staticmethod
    def _assert_reading_order(before: dict, after: dict) -> None:
        # Down the page, or along the same line from left to right.
        same_line = abs(after["top"] - before["top"]) < 4
        assert (same_line and after["left"] > before["left"]) or (
            not same_line and after["top"] > before["top"]
        ), f"Tab went from {before['what']} back up to {after['what']}"

    def tab_to(self, locator, presses: int = 60) -> dict:
        """Tab until the focus is on `locator` (or on one of the elements it matches)."""
        for _ in range(presses):
            focused = self.press("Tab")
            if locator.evaluate_all("els => els.includes(document.activeElement)"):
                return focused
        raise AssertionError(
            f"Tab never reached {locator}: " + " → ".join(f["what"] for f in self.trail[-10:])
        )

    def type_into(self, locator, text: str) -> None:
        self.tab_to(locator)
        self.page.keyboard.type(text)

    def select(self, locator, value: str, presses: int = 60) -> None:
        """Tab to the <select> and go down its options with the arrow key to `value`."""
        self.tab_to(locator)
        for _ in range(presses):
            if locator.input_value() == value:
                return
            self.press("ArrowDown")
        raise AssertionError(f"the arrow key never selected {value} in {locator}")

    def check_radio(self, radio, presses: int = 20) -> None:
        """Tab to the radio group (one stop), then arrow keys or Space to tick `radio`."""
        self.tab_to(self.page.locator(f"input[name='{radio.get_attribute('name')}']"))
        for _ in range(presses):
            if radio.is_checked():
                return
            on_it = radio.evaluate("el => el === document.activeElement")
            self.press("Space" if on_it else "ArrowDown")
        raise AssertionError(f"the keys never ticked {radio}")

    def submit(self, button) -> None:
        self.tab_to(button)
        self.page.keyboard.press("Enter")  # the next page loads: nothing to look at here


def test_request_the_brochure_with_the_keyboard_only(page, site_content):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/request/")
    keys = Keyboard(page)
    keys.type_into(page.get_by_label("医療機関名"), "さくら美容クリニック")
    keys.type_into(page.get_by_label("ご担当者名"), "山田 花子")
    keys.type_into(page.get_by_label("メールアドレス"), "yamada@example.jp")
    keys.type_into(page.get_by_label("電話番号"), "03-1234-5678")
    keys.type_into(page.get_by_label("郵便番号"), "100-0001")
    keys.type_into(page.get_by_label("ご住所"), "東京都千代田区千代田1-1")
    keys.select(page.get_by_label("ご希望のコース"), "施術医コース")
    keys.type_into(page.get_by_label("ご質問・ご要望"), "資料を2部お送りください。")
    consent = page.get_by_label("個人情報の取扱いに同意する")
    on_consent = keys.tab_to(consent)
    keys.press("Space")
    expect(consent).to_be_checked()
    submit = page.get_by_role("button", name="送信する")
    on_submit = keys.tab_to(submit)
    # Shift+Tab goes back to the box, Tab forward to the button again.
    assert keys.press("Shift+Tab")["what"] == on_consent["what"]
    assert keys.press("Tab")["what"] == on_submit["what"]
    page.keyboard.press("Enter")

    expect(page.locator("main")).to_contain_text("資料請求を受け付けました")
    data = FormSubmission.objects.get().get_data()
    assert "施術医コース" in data.values() and "山田 花子" in data.values()


def test_apply_online_with_the_keyboard_only(page, site_content):
    page.set_viewport_size({"width": 390, "height": 844})  # a phone with a keyboard
    page.goto("/join/")
    keys = Keyboard(page)
    keys.check_radio(page.get_by_label("施術医コース"))
    keys.check_radio(page.get_by_label("1事故 500万円"))
    keys.check_radio(page.get_by_label("はい、正会員です"))
    keys.type_into(page.get_by_label("会員番号"), "B-777")
    keys.submit(page.get_by_role("button", name="次へ"))

    expect(page.get_by_label("氏名（被保険者となる医師）")).to_be_visible()
    keys = Keyboard(page)
    keys.type_into(page.get_by_label("氏名（被保険者となる医師）"), "伊藤 健")
    keys.type_into(page.get_by_label("氏名（よみがな）"), "いとう けん")
    keys.type_into(page.get_by_label("メールアドレス"), "ito@example.jp")
    keys.type_into(page.get_by_label("電話番号"), "090-0000-1111")
    # 次へ, then 戻る after it (in reading order too), and back to 次へ with Shift+Tab.
    on_next = keys.tab_to(page.get_by_role("button", name="次へ"))
    keys.tab_to(page.get_by_role("button", name="戻る"), presses=1)
    assert keys.press("Shift+Tab")["what"] == on_next["what"]
    page.keyboard.press("Enter")

    expect(page.get_by_label("主たる勤務先の施設名")).to_be_visible()
    keys = Keyboard(page)
    keys.type_into(page.get_by_label("主たる勤務先の施設名"), "みなと皮膚科")
    keys.select(page.get_by_label("都道府県"), "大阪府")
    keys.submit(page.get_by_role("button", name="次へ"))

    society = page.get_by_label("日本皮膚科学会")
    expect(society).to_be_visible()
    keys = Keyboard(page)
    keys.tab_to(society)
    keys.press("Space")
    keys.submit(page.get_by_role("button", name="次へ"))

    expect(page.locator("#coverage-start")).to_contain_text("補償開始日")
    keys = Keyboard(page)
    boxes = page.locator("main form input[type=checkbox]")
    for index in range(boxes.count()):
        keys.tab_to(boxes.nth(index))
        keys.press("Space")
        expect(boxes.nth(index)).to_be_checked()
    keys.submit(page.get_by_role("button", name="この内容で申し込む"))

    expect(page.get_by_role("heading", level=1)).to_have_text("お申込みを受け付けました")
    assert any(m.to == ["ito@example.jp"] for m in mail.outbox)


def test_every_public_page_starts_with_a_skip_link_to_its_main_content(page, site_content):
    from wagtail.models import Page

    urls = [p.get_url() for p in Page.objects.live().public().filter(depth__gt=1).specific()]
    urls += ["/search/?q=ボトックス", "/join/", "/accounts/login/", "/accounts/password-reset/"]
    page.set_viewport_size({"width": 390, "height": 844})
    for url in urls:
        page.goto(url)
        # From the top of the document, even where a field has the focus already (autofocus).
        page.evaluate(
            "document.body.tabIndex = -1; document.body.focus();"
            " document.body.removeAttribute('tabindex')"
        )
        keys = Keyboard(page)
        skip = keys.press("Tab")
        assert "本文へ移動" in skip["what"], f"{url}: the first Tab lands on {skip['what']}"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main", url
        after = keys.press("Tab")
        assert after["inMain"], f"{url}: after the skip link, Tab went to {after['what']}"
