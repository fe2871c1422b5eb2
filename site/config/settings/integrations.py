"""One function per integration, each switched on by a single environment variable."""

from pathlib import Path

import dj_database_url


def database_settings(url: str | None, *, default_sqlite: Path) -> dict:
    """PostgreSQL (or any dj-database-url URL) when DATABASE_URL is set, else a local SQLite file."""
    if url:
        return {"default": dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)}
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": default_sqlite,
            # WAL lets readers (gunicorn workers) run beside a writer.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }


def cache_settings(redis_url: str | None) -> dict:
    """Redis when REDIS_URL is set; otherwise a per-process local-memory cache."""
    if redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "amrm",
            }
        }
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def search_settings(elasticsearch_url: str | None) -> dict:
    """The precedent search on Elasticsearch when ELASTICSEARCH_URL is set; otherwise in the
    project's own database (search.backends.database), which needs no server."""
    if elasticsearch_url:
        return {"default": {"BACKEND": "search.backends.elasticsearch", "URL": elasticsearch_url}}
    return {"default": {"BACKEND": "search.backends.database"}}


def email_settings(env) -> dict:
    """SMTP when EMAIL_HOST is set; the console backend otherwise (development)."""
    settings = {
        "DEFAULT_FROM_EMAIL": env.get("DEFAULT_FROM_EMAIL", "no-reply@amrm.example.jp"),
        "SERVER_EMAIL": env.get("SERVER_EMAIL", "no-reply@amrm.example.jp"),
    }
    if env.get("EMAIL_HOST"):
        settings.update(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST=env["EMAIL_HOST"],
            EMAIL_PORT=int(env.get("EMAIL_PORT", 587)),
            EMAIL_HOST_USER=env.get("EMAIL_HOST_USER", ""),
            EMAIL_HOST_PASSWORD=env.get("EMAIL_HOST_PASSWORD", ""),
            EMAIL_USE_TLS=env.get("EMAIL_USE_TLS", "true").lower() == "true",
        )
    else:
        settings["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    return settings
