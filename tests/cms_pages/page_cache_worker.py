"""A second web worker for test_page_cache_redis.py: serves requests through the page cache.

PAGE_CACHE_SETTINGS holds the CACHES setting (JSON) the test process uses. Each line on stdin is
"<path> <body>"; the answer on stdout is the body the page cache middleware returned: the cached
copy when there is one, otherwise a fresh page whose body is <body>. The process keeps running
between lines, as a gunicorn worker does between requests.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django
    from django.conf import settings

    # Before setup, so that no cache connection is ever made to the test settings' locmem cache.
    settings.CACHES = json.loads(os.environ["PAGE_CACHE_SETTINGS"])
    django.setup()

    from django.http import HttpResponse
    from django.test import RequestFactory

    from cms_pages.cache import PublicPageCacheMiddleware, _mark_cacheable

    for line in sys.stdin:
        path, body = line.split()

        def serve(request, body=body):
            # Wagtail's page serve calls this before_serve_page hook; there is no page (nor a
            # database) in this process.
            _mark_cacheable(None, request, (), {})
            return HttpResponse(body)

        response = PublicPageCacheMiddleware(serve)(RequestFactory().get(path))
        sys.stdout.write(response.content.decode() + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
