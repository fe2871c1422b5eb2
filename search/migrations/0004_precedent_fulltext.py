"""Full-text index on PrecedentEntry.terms, one per database vendor."""

from django.db import migrations

SQLITE = [
    # A plain FTS5 table keyed by the entry id; the backend keeps it in step.
    "CREATE VIRTUAL TABLE search_precedent_fts USING fts5(terms, tokenize='unicode61')",
]
POSTGRESQL = [
    # Stored, so ranking does not re-parse every matching row's text.
    "ALTER TABLE search_precedententry ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED",
    "CREATE INDEX search_precedent_tsv_gin ON search_precedententry USING gin (tsv)",
]
DROP = {
    "sqlite": ["DROP TABLE IF EXISTS search_precedent_fts"],
    "postgresql": [
        "DROP INDEX IF EXISTS search_precedent_tsv_gin",
        "ALTER TABLE search_precedententry DROP COLUMN IF EXISTS tsv",
    ],
}


def create(apps, schema_editor):
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for sql in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_precedent_entry")]

    operations = [migrations.RunPython(create, drop)]
