"""Production: every secret comes from the environment, with no default, so a missing one fails."""

import ipaddress
import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = os.environ["ALLOWED_HOSTS"].split(",")
DATABASES = database_settings(os.environ["DATABASE_URL"], default_sqlite=None)  # noqa: F405
# Page-cache purges must reach every gunicorn worker, so the cache is shared (Redis).
CACHES = cache_settings(os.environ["REDIS_URL"])  # noqa: F405
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = os.environ["SITE_URL"].rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL


def _names_this_machine(url: str) -> bool:
    host = urlsplit(url).hostname or "localhost"
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


# Links in e-mails must reach people outside this machine.
if _names_this_machine(SITE_URL):
    raise ImproperlyConfigured(f"SITE_URL must be the site's public address, not {SITE_URL!r}")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Sessions: shared clinic PCs. A login lasts at most 8 hours and ends when the browser closes
# (Wagtail's "remember me" keeps it for SESSION_COOKIE_AGE). No script reads the CSRF cookie:
# Wagtail's admin takes the token from the page, Django's admin and our forms post it.
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True

# django-axes: behind the TLS-terminating proxy every request comes from the proxy's address, so
# the client's address is read from X-Forwarded-For (falling back to REMOTE_ADDR when absent).
# The proxy must append the address it saw (nginx: proxy_add_x_forwarded_for). The client is the
# entry AXES_IPWARE_PROXY_COUNT places before the right-hand end: 0 = the last entry, which our
# proxy wrote (one proxy); 1 when another proxy (a CDN or load balancer) sits in front of it.
# Entries a client forges are further left and are ignored (IPWARE_STRICT = False: extra
# entries do not invalidate the header, only the trusted position is read).
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_IPWARE_PROXY_COUNT", "0"))
IPWARE_STRICT = False
