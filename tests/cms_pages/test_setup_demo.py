"""setup_demo as ./scripts/run runs it: the logins on screen and nothing else, nothing duplicated
when run again, and run on a later day, the demo member's cover renewed into the new period; one
demo news item on the home page and /news/, dated the first run's day in Tokyo."""

import logging
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from casework.enrollment.models import Application
from casework.models import Case, Facility, Policy
from cms_pages.demo import demo_news_ensure
from cms_pages.models import NewsPage

# Real commits: the services send their emails and index cases only after commit.
pytestmark = pytest.mark.django_db(transaction=True)

TOKYO = ZoneInfo("Asia/Tokyo")
PROJECT_LOGGERS = ("cms_pages", "casework", "search", "accounts")


def _counts() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "applications": Application.objects.count(),
        "users": get_user_model().objects.count(),
        "facilities": Facility.objects.count(),
        "news": NewsPage.objects.count(),
    }


def _setup_on(day: datetime, capsys) -> str:
    with time_machine.travel(day):
        call_command("setup_demo")
    printed = capsys.readouterr()
    assert not printed.err
    return printed.out


def test_the_logins_are_printed_and_a_later_day_only_renews_the_cover(
    settings, capsys, caplog, client
):
    settings.DEBUG = True
    # As in development: the console backend would print every email the demo's steps send.
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    caplog.set_level(logging.INFO)

    first = _setup_on(datetime(2026, 11, 30, 10, tzinfo=TOKYO), capsys)
    assert "デモ案件を60件追加しました" in first
    assert "お知らせのデモを1件公開しました（/news/）。" in first
    made, policies = _counts(), Policy.objects.count()
    assert made["cases"] == 60 and made["applications"] == 2 and made["news"] == 1

    later = _setup_on(datetime(2026, 12, 1, 10, tzinfo=TOKYO), capsys)
    renewed = Policy.objects.count() - policies
    assert renewed > 0 and f"デモの保険契約を{renewed}件追加しました" in later
    assert _counts() == made

    again = _setup_on(datetime(2026, 12, 1, 11, tzinfo=TOKYO), capsys)
    assert "保険契約" not in again and Policy.objects.count() == policies + renewed
    assert "お知らせ" not in later + again and _counts() == made

    for printed in (first, later, again):
        for login in ("member-1@example.jp", "support1", "insurer2", "amrm-admin-demo"):
            assert login in printed
        assert "MIME-Version" not in printed and "Subject:" not in printed
    assert not [
        r.getMessage()
        for r in caplog.records
        if r.levelno < logging.WARNING and r.name.split(".")[0] in PROJECT_LOGGERS
    ]

    with time_machine.travel(datetime(2026, 12, 1, 12, tzinfo=TOKYO)):
        client.force_login(get_user_model().objects.get(username="member-1"))
        html = client.get("/mypage/").content.decode()
    assert "現在ご加入中の補償が見つかりません" not in html
    assert "DEMO-F-2027-01" in html and "2026年12月1日〜2027年11月30日" in html

    # The demo's news: live on the home page's お知らせ and /news/, still dated the first run.
    news = NewsPage.objects.get()
    assert news.live and news.date == date(2026, 11, 30)
    for path in ("/", "/news/"):
        html = client.get(path).content.decode()
        assert "デモサイトを公開しました" in re.sub(r"<[^>]+>", "", html)
        assert '<time class="news-list__date" datetime="2026-11-30">2026年11月30日</time>' in html


def test_the_demo_news_is_dated_in_tokyo_and_published_once():
    call_command("load_site_content", verbosity=0)
    # Just after midnight in Tokyo, still the day before in UTC.
    with time_machine.travel(datetime(2026, 12, 1, 0, 30, tzinfo=TOKYO)):
        assert demo_news_ensure(today=timezone.localdate()) == 1
        assert demo_news_ensure(today=timezone.localdate()) == 0

    news = NewsPage.published().get()
    assert news.title == "デモサイトを公開しました" and news.date == date(2026, 12, 1)
    assert "デモ" in news.body and "架空" in news.body
    assert news.get_parent().url == "/news/"
