"""Rate limits on public forms (資料請求, /join/, password reset), per client address, and on
a facility's invitations of its colleagues, per facility.

Each scope allows ``settings.RATE_LIMITS[scope] = (posts, seconds)``: at most that many POSTs
from one client address in a fixed window of that many seconds, counted in Django's cache (Redis
in production, shared by every worker) with atomic increments. GETs are never counted, so a
refused visitor can still read every page. Over the limit the request is answered with the
Japanese page templates/429.html, status 429 and a Retry-After header, and the view never runs.

The client address is the one django-axes reads (``axes.helpers.get_client_ip_address``:
REMOTE_ADDR in development, the trusted X-Forwarded-For entry in production), so login
throttling and these limits always agree on who the client is. An IPv6 client is counted by
its /64 network: one subscriber is given a whole /64 and could otherwise change address on
every request.
"""

import ipaddress
import logging
import math
import time
from datetime import datetime
from functools import wraps

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

#: What the visitor was doing, for the 429 page.
ACTIONS = {
    "request_form": "資料請求",
    "enrollment": "オンライン加入のお申込み",
    "password_reset": "パスワード再設定メールのお申込み",
    "password_reset_confirm": "新しいパスワードの設定",
    "member_invitation": "スタッフへの招待メールの送信",
}


def client_key(request) -> str:
    """The client's address as django-axes reads it; an IPv6 address as its /64 network."""
    address = get_client_ip_address(request) or "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _count(scope: str, client: str, seconds: int, now: float) -> tuple[int, int]:
    """Count one request in the current window; return the count and the seconds left in it."""
    window_start = int(now // seconds) * seconds
    left = max(1, math.ceil(window_start + seconds - now))
    # The window is part of the key, so a new window starts from zero even if an old key lingers.
    key = f"rate-limit:{scope}:{window_start}:{client}"
    # add() then incr(): both atomic in Redis (SET NX, INCR) and in the local-memory cache.
    cache.add(key, 0, timeout=left + 1)
    try:
        return cache.incr(key), left
    except ValueError:
        # The key expired between add() and incr(): the window had just ended, count afresh.
        cache.add(key, 1, timeout=left + 1)
        return 1, left


def rate_limit_response(request, scope: str, *, client: str = "") -> HttpResponse | None:
    """Count a POST against `scope`'s limit; the 429 response if the client is over it, else None.

    The client is the request's address unless `client` names another key (e.g. a facility,
    whose logins share one limit wherever they are)."""
    if request.method != "POST":
        return None
    posts, seconds = settings.RATE_LIMITS[scope]
    counted_for, client = client, client or client_key(request)
    now = time.time()
    count, retry_after = _count(scope, client, seconds, now)
    if count <= posts:
        return None
    if count == posts + 1:
        logger.warning(
            "Rate limit %s exceeded by %s: more than %d POSTs in %d seconds",
            scope,
            client,
            posts,
            seconds,
        )
    response = TemplateResponse(
        request,
        "429.html",
        {
            "action": ACTIONS[scope],
            # Counted per facility (or another given key) rather than per address.
            "source": "この施設" if counted_for else "同じ接続元",
            "retry_minutes": math.ceil(retry_after / 60),
            "retry_at": datetime.fromtimestamp(
                now + retry_after, tz=timezone.get_current_timezone()
            ),
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response


def rate_limited(scope: str):
    """View decorator: refuse POSTs over `scope`'s limit (see rate_limit_response)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            refused = rate_limit_response(request, scope)
            if refused is not None:
                return refused
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
