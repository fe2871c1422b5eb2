"""axe-core (from npm, see package.json) on every public and member-portal page, at a desktop's
and a phone's width: no violation of the WCAG 2.0 and 2.1 level A and AA rules.

The public pages are every live page of the site's content as `load_site_content` builds it (a
page added there is covered without touching this file) with one news item, 資料請求 empty and
sent, the site search with and without results, each step of the online application, login and
password reset; the portal's pages are those the demo's members see, the report form's error
state included.

Each page is opened once and checked at both widths (the viewport resized in place), so a walk
through a form is made once; one browser and one live server serve the whole file.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"1280×800": {"width": 1280, "height": 800}, "390×844": {"width": 390, "height": 844}}

# Runs in the page: each violating element as rule id, impact, its selector and axe's help text.
# Only violations are collected (axe then skips building the passes, a third of its time).
RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
  });
  const violations = results.violations.flatMap((rule) => rule.nodes.map((node) => ({
    id: rule.id, impact: node.impact || rule.impact, target: node.target.join(" "), help: rule.help,
  })));
  // Ids used twice: axe 4.11 leaves them to a person (WCAG 2.2 made 4.1.1 obsolete), but a label
  // or an aria-describedby then points at the wrong field.
  const ids = [...document.querySelectorAll("[id]")].map((el) => el.id);
  const twice = [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
  return violations.concat(twice.map((id) => ({
    id: "duplicate-id", impact: "serious", target: `#${id}`, help: "Ids must be unique",
  })));
}"""


@pytest.fixture(scope="module")
def axe_script():
    if not AXE.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{AXE} is missing: scripts/bootstrap --browser runs npm ci")
        pytest.skip("axe-core is not installed: run scripts/bootstrap --browser (it runs npm ci)")
    return AXE.read_text()


class Auditor:
    """A page in its own browser context, with axe-core loaded into every document it opens."""

    def __init__(self, page):
        self.page = page
        self.found: list[str] = []
        self.checked: list[str] = []

    def visit(self, url: str, status: int = 200) -> None:
        response = self.page.goto(url)
        assert response.status == status, f"{url}: HTTP {response.status}"
        self.check()

    def check(self, state: str = "") -> None:
        """Check the page as it is now, at each width."""
        name = self.page.evaluate("decodeURI(location.pathname + location.search)") + state
        for width, size in WIDTHS.items():
            self.page.set_viewport_size(size)
            self.checked.append(f"{name} {width}")
            for v in self.page.evaluate(RUN_AXE, RULE_TAGS):
                self.found.append(
                    f"{name} at {width}: {v['id']} ({v['impact']}) {v['target']}: {v['help']}"
                )

    def log_in(self, user, live_server) -> None:
        from django.test import Client

        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.clear_cookies()
        self.page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )

    def assert_no_violations(self) -> None:
        """Fail with every violation found, one per line."""
        assert self.checked
        assert not self.found, "WCAG 2.1 A/AA violations:\n" + "\n".join(self.found)


@pytest.fixture
def audit(browser, live_server, axe_script):
    context = browser.new_context(base_url=live_server.url, locale="ja-JP")
    context.add_init_script(axe_script + "\naxe.configure({noHtml: true});")
    yield Auditor(context.new_page())
    context.close()


def test_public_pages(audit, site_content):
    from wagtail.models import Page

    from cms_pages.models import NewsIndexPage, NewsPage

    # The content has no news yet: one item, for its page and the lists that show it.
    news = NewsPage(title="ウェブサイトを公開しました", body="<p>お知らせの本文です。</p>")
    NewsIndexPage.objects.get().add_child(instance=news)
    news.save_revision().publish()
    pages = Page.objects.live().public().filter(depth__gt=1).specific().order_by("path")
    urls = [page.get_url() for page in pages]
    assert "/" in urls and "/faq/" in urls, urls
    for url in urls:
        audit.visit(url)
    audit.visit("/search/?q=ボトックス")
    audit.visit("/search/?q=該当のない言葉")
    audit.visit("/search/")
    audit.visit("/no-such-page/", status=404)

    page = audit.page
    audit.visit("/request/")
    page.get_by_role("button", name="送信する").click()
    expect(page.locator("main")).to_contain_text("入力内容をご確認ください")
    audit.check("（空のまま送信）")
    for label, text in [
        ("医療機関名", "さくら美容クリニック"), ("ご担当者名", "山田 花子"),
        ("メールアドレス", "yamada@example.jp"), ("電話番号", "03-1234-5678"),
        ("郵便番号", "100-0001"), ("ご住所", "東京都千代田区千代田1-1"),
    ]:  # fmt: skip
        page.get_by_label(label).fill(text)
    page.get_by_label("ご希望のコース").select_option("開設者コース")
    page.get_by_label("個人情報の取扱いに同意する").check()
    page.get_by_role("button", name="送信する").click()
    expect(page.locator("main")).to_contain_text("資料請求を受け付けました")
    audit.check()

    audit.visit("/accounts/login/")
    page.get_by_role("button", name="ログイン").click()
    expect(page.locator("main form")).to_be_visible()
    audit.check("（空のまま送信）")
    audit.visit("/accounts/password-reset/")
    page.get_by_label("メールアドレス").fill("nobody@example.jp")
    page.get_by_role("button", name="再設定メールを送信する").click()
    page.wait_for_url("**/password-reset/done/")
    audit.check()
    audit.visit("/accounts/reset/MQ/expired-token/")
    audit.assert_no_violations()


def test_online_application(audit, site_content):
    page = audit.page
    audit.visit("/join/")
    page.get_by_role("button", name="次へ").click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check("（空のまま送信）")
    page.get_by_label("施術医コース").check()
    page.get_by_label("1事故 500万円").check()
    page.get_by_label("はい、正会員です").check()
    page.get_by_label("会員番号").fill("B-777")
    page.get_by_role("button", name="次へ").click()
    audit.check()
    page.get_by_label("氏名（被保険者となる医師）").fill("伊藤 健")
    page.get_by_label("氏名（よみがな）").fill("いとう けん")
    page.get_by_label("メールアドレス").fill("ito@example.jp")
    page.get_by_label("電話番号").fill("090-0000-1111")
    page.get_by_role("button", name="次へ").click()
    audit.check()
    page.get_by_label("主たる勤務先の施設名").fill("みなと皮膚科")
    page.get_by_label("都道府県").select_option("大阪府")
    page.get_by_role("button", name="次へ").click()
    audit.check()
    page.get_by_label("日本皮膚科学会").check()
    page.get_by_role("button", name="次へ").click()
    expect(page.locator("#coverage-start")).to_be_visible()
    audit.check()
    # Every box the confirmation asks for (that the entries are right, and the consent).
    boxes = page.locator("main form input[type=checkbox]:visible")
    for index in range(boxes.count()):
        boxes.nth(index).check()
    page.get_by_role("button", name="この内容で申し込む").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("お申込みを受け付けました")
    audit.check()
    audit.assert_no_violations()


# The demo cases whose page differs most: a request for documents with its answer form, a
# decision with the payout still being computed, a payout with its lines, a case just received.
PORTAL_STATES = ["awaiting_info", "assessment", "paid", "received"]


@pytest.fixture
def demo_cases(site_content):
    from django.apps import apps

    from casework.choices import CaseState
    from casework.demo import demo_cases_generate
    from casework.models import Case
    from casework.reference_data import roles_sync_all

    roles_sync_all(apps)  # an earlier transactional test may have emptied the database
    report = demo_cases_generate(count=len(CaseState), seed=3)  # one case in every state
    return Case.objects.filter(reference__in=[c.reference for c in report.cases])


def test_member_portal(audit, demo_cases, live_server):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    page = audit.page
    cases = {case.state: case for case in demo_cases.order_by("-pk")}
    assert set(PORTAL_STATES) <= set(cases), sorted(cases)
    for state in PORTAL_STATES:
        audit.log_in(cases[state].reporter, live_server)
        audit.visit(f"/mypage/cases/{cases[state].reference}/")

    member = cases["awaiting_info"].reporter
    audit.log_in(member, live_server)
    audit.visit("/mypage/")
    audit.visit("/mypage/report/")
    page.get_by_role("button", name="相談内容を送信する").click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check("（空のまま送信）")
    page.goto("/mypage/")
    page.get_by_role("button", name="ログアウト").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit.check("（ログアウト後）")

    uid = urlsafe_base64_encode(force_bytes(member.pk))
    page.goto(f"/accounts/reset/{uid}/{default_token_generator.make_token(member)}/")
    audit.check()
    audit.assert_no_violations()
