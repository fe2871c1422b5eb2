"""Playwright driving Debian's chromium (never a browser downloaded by Playwright)."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium's background services would try the internet, which this machine cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # The interface language of a Japanese user: date fields, the file picker's button.
    "--lang=ja",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("chromium is required (REQUIRE_BROWSER is set) but not installed")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test's
    # own fixtures are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """Open a page in a fresh browser context (its own cookies: one person each).

    Contexts are closed before the live server stops, so no request outlives the test.
    """
    contexts = []

    def open_():
        context = browser.new_context(base_url=live_server.url, locale="ja-JP")
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture
def site_content(transactional_db):
    """live_server runs on a flushed database: load the content into it."""
    from django.core.management import call_command

    call_command("load_site_content", verbosity=0)


@pytest.fixture
def open_page_as(open_page, live_server):
    """Open a page as `user`, already logged in, on a desktop's first screen (1280×800).

    The session comes from Client.force_login: the login forms have tests of their own, and a
    day's test then spends its time on the work itself.
    """
    from django.conf import settings
    from django.test import Client

    def open_as(user):
        client = Client()
        client.force_login(user)
        page = open_page()
        page.set_viewport_size({"width": 1280, "height": 800})
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )
        return page

    return open_as
