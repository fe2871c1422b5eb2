"""Filters in the full-text index: each entry's filter tokens are indexed with its terms; and
each entry's number of terms, for ranking."""

from django.db import migrations, models

from search.documents import PrecedentDocument



def _postgresql_tsv(expression: str) -> list[str]:
    return [
        "DROP INDEX IF EXISTS search_precedent_tsv_gin",
        "ALTER TABLE search_precedententry DROP COLUMN IF EXISTS tsv",
        "ALTER TABLE search_precedententry ADD COLUMN tsv tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('simple', {expression})) STORED",
        "CREATE INDEX search_precedent_tsv_gin ON search_precedententry USING gin (tsv)",
    ]


def index_filters(apps, schema_editor):
    entry = apps.get_model("search", "PrecedentEntry")
    for row in entry.objects.iterator():
        row.filter_terms = PrecedentDocument(
            key=row.key, label=row.label, claim_date=row.claim_date,
            procedure_field=row.procedure_field, procedure=row.procedure,
            complaint_types=tuple(row.complaint_codes.split()), outcome=row.outcome,
            payout_yen=row.payout_yen, is_open=row.is_open, text=row.text,
        ).filter_terms  # fmt: skip
        row.term_count = len(row.terms.split())
        row.save(update_fields=["filter_terms", "term_count"])
    _index(schema_editor, "terms || ' ' || filter_terms")


def index_terms_only(apps, schema_editor):
    _index(schema_editor, "terms")


def _index(schema_editor, expression: str) -> None:
    """Make the full-text index hold `expression` of every entry."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "INSERT OR REPLACE INTO search_precedent_fts(rowid, terms) "
            f"SELECT id, {expression} FROM search_precedententry"
        )
    elif vendor == "postgresql":
        for sql in _postgresql_tsv(expression):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_term_stat")]

    operations = [
        migrations.AddField(
            model_name="precedententry",
            name="filter_terms",
            field=models.TextField(default=""),
        ),
        migrations.AddField(
            model_name="precedententry",
            name="term_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddIndex(
            model_name="precedententry",
            index=models.Index(fields=["term_count", "id"], name="search_precedent_length"),
        ),
        migrations.RunPython(index_filters, index_terms_only),
    ]
