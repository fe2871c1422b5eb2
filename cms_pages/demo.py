"""Demo news for development (``manage.py setup_demo``), never part of the association's content.

The source text has no news, so ``load_site_content`` creates the お知らせ index empty and the
home page hides its news section. A demo should show both working: one item, plainly about the
demo, published under the index, dated the day of the first run (Asia/Tokyo) and never
duplicated or redated by a later run (found again by its slug).
"""

import datetime

from .models import NewsIndexPage, NewsPage

DEMO_NEWS = [
    {
        "slug": "demo-site-opened",
        "title": "デモサイトを公開しました",
        "search_description": "このサイトは動作確認用のデモです。",
        "body": (
            "<p>このサイトは、一般社団法人 日本美容医療リスクマネジメント協会のウェブサイトの"
            "デモ（動作確認用）です。このお知らせと、マイページ・管理画面の案件、会員、加入申込、"
            "ログインは、すべて動作確認のための架空のものです。</p>"
            "<p>お知らせは、管理画面で編集者が作成し、公開承認を経て公開されます。"
            "新しいものから3件がトップページに表示され、RSSでも配信されます。</p>"
        ),
    },
]


def demo_news_ensure(*, today: datetime.date) -> int:
    """Publish the demo news missing under the お知らせ index, dated `today`; how many were
    published (0 when all exist, or when there is no index to put them under)."""
    index = NewsIndexPage.objects.first()
    if index is None:
        return 0
    made = 0
    for item in DEMO_NEWS:
        if index.get_children().filter(slug=item["slug"]).exists():
            continue
        page = NewsPage(date=today, **item)
        index.add_child(instance=page)
        page.save_revision().publish()
        made += 1
    return made
