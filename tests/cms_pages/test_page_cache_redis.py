"""Publishing purges the page cache for every process when the cache is Redis.

Production runs several gunicorn workers on one Redis (README, Production). Here a second Python
process (page_cache_worker.py) stands in for another worker: it caches a page, this process
publishes, and the worker's next request must be rendered afresh. Needs REDIS_URL
(scripts/services starts Redis); skipped without it, failed when REQUIRE_SERVICES is set (CI).
"""

import json
import os
import select
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from django.test import RequestFactory

from cms_pages.cache import PublicPageCacheMiddleware
from config.settings.integrations import cache_settings

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL")
WORKER = Path(__file__).with_name("page_cache_worker.py")
# Seconds the worker may take to answer; generous, since its first answer waits for Django setup.
ANSWER_TIMEOUT = 60


@pytest.fixture
def redis_caches(settings):
    """The production cache configuration on REDIS_URL, under a key prefix of this test's own."""
    if not REDIS_URL:
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail("REDIS_URL is required (REQUIRE_SERVICES is set): run scripts/services")
        pytest.skip("REDIS_URL is not set (scripts/services starts Redis and prints it)")
    prefix = f"amrm-test-{uuid.uuid4().hex}"
    caches = cache_settings(REDIS_URL)
    caches["default"]["KEY_PREFIX"] = prefix
    settings.CACHES = caches
    yield caches
    # Only this test's keys (never cache.clear(), which empties the whole Redis database): a
    # running site or another test run may share it.
    with redis.Redis.from_url(REDIS_URL) as client:
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)


@pytest.fixture
def other_worker(redis_caches):
    """Ask the other process for a path; it answers with the body the page cache gave it."""
    process = subprocess.Popen(
        [sys.executable, str(WORKER)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PAGE_CACHE_SETTINGS": json.dumps(redis_caches)},
    )

    def get(path: str, body: str) -> str:
        process.stdin.write(f"{path} {body}\n")
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], ANSWER_TIMEOUT)
        assert ready, f"the other worker did not answer within {ANSWER_TIMEOUT}s"
        return process.stdout.readline().strip()

    yield get
    process.stdin.close()
    process.wait(timeout=ANSWER_TIMEOUT)


def _served_here(path: str) -> str:
    def render(request):
        pytest.fail(f"{path} was rendered in this process instead of read from Redis")

    return PublicPageCacheMiddleware(render)(RequestFactory().get(path)).content.decode()


def test_publishing_in_one_process_purges_the_page_another_process_cached(site_pages, other_worker):
    assert other_worker("/faq/", "rendered-before-publish") == "rendered-before-publish"
    # Cached: the worker does not render again, and this process reads the worker's copy.
    assert other_worker("/faq/", "rendered-again") == "rendered-before-publish"
    assert _served_here("/faq/") == "rendered-before-publish"

    faq = site_pages["faq"]
    faq.title = "公開したタイトル"
    faq.save_revision().publish()

    assert other_worker("/faq/", "rendered-after-publish") == "rendered-after-publish"
