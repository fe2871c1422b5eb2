"""Production-like settings for benchmarks: DEBUG off, whitenoise, local-memory page cache."""

import os

from config.settings.base import *  # noqa: F403

SECRET_KEY = "bench-only-key"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
DATABASES = database_settings(None, default_sqlite=os.environ["BENCH_DB"])  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
WHITENOISE_AUTOREFRESH = True
