"""Settings for bench/search.py: bench.settings, on PostgreSQL when DATABASE_URL is set.

bench.settings always uses the SQLite file named by BENCH_DB; here DATABASE_URL (a dj-database-url
URL, as in config.settings.integrations.database_settings) takes precedence when it is set.
"""

import os

os.environ.setdefault("BENCH_DB", os.devnull)  # unused when DATABASE_URL is set

from bench.settings import *  # noqa: E402, F403

if os.environ.get("DATABASE_URL"):
    DATABASES = database_settings(os.environ["DATABASE_URL"], default_sqlite=None)  # noqa: F405
