"""Settings for bench/search.py: bench.settings, on PostgreSQL when DATABASE_URL is set, with the
Elasticsearch backend when ELASTICSEARCH_URL is set.

bench.settings always uses the SQLite file named by BENCH_DB; here DATABASE_URL (a dj-database-url
URL, as in config.settings.integrations.database_settings) takes precedence when it is set. On
Elasticsearch the bench writes to its own alias (BENCH_ELASTICSEARCH_INDEX) without waiting for
each batch to become searchable, as a rebuild does; it refreshes once after indexing.
"""

import os

os.environ.setdefault("BENCH_DB", os.devnull)  # unused when DATABASE_URL is set

from bench.settings import *  # noqa: E402, F403

if os.environ.get("DATABASE_URL"):
    DATABASES = database_settings(os.environ["DATABASE_URL"], default_sqlite=None)  # noqa: F405
if os.environ.get("ELASTICSEARCH_URL"):
    PRECEDENT_SEARCH["default"].update(  # noqa: F405
        INDEX=os.environ.get("BENCH_ELASTICSEARCH_INDEX", "amrm-bench"), REFRESH=False
    )
