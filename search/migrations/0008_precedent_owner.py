"""Owners in the full-text index: each entry's owner (PrecedentDocument.owner) is one of its filter
tokens, so that a search can leave out the cases of given owners inside the index.

The search app cannot tell whose an existing entry is (the application knows, the index does
not), so every entry already indexed gets the owner documents.UNRECORDED_OWNER: a search that
leaves owners out leaves these out too, until `manage.py rebuild_precedent_index` writes each
entry's real owner. Nobody sees a case they should not meanwhile; searches without exclusions
are unchanged.
"""

from django.db import migrations, models

from search.documents import UNRECORDED_OWNER, PrecedentDocument


def _reindex(apps, schema_editor, owner: str) -> None:
    """Give every entry `owner` and make the full-text index hold its new filter tokens."""
    entry = apps.get_model("search", "PrecedentEntry")
    last = 0
    while rows := list(entry.objects.filter(pk__gt=last).order_by("pk")[:1000]):
        for row in rows:
            row.owner = owner
            row.filter_terms = PrecedentDocument(
                key=row.key, label=row.label, claim_date=row.claim_date,
                procedure_field=row.procedure_field, procedure=row.procedure,
                complaint_types=tuple(row.complaint_codes.split()), outcome=row.outcome,
                payout_yen=row.payout_yen, is_open=row.is_open, text=row.text, owner=owner,
            ).filter_terms  # fmt: skip
        entry.objects.bulk_update(rows, ["owner", "filter_terms"])
        last = rows[-1].pk
    # PostgreSQL's tsv is generated from terms and filter_terms: the update above refreshed it.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "INSERT OR REPLACE INTO search_precedent_fts(rowid, terms) "
            "SELECT id, terms || ' ' || filter_terms FROM search_precedententry"
        )


def mark_unrecorded(apps, schema_editor):
    _reindex(apps, schema_editor, UNRECORDED_OWNER)


def forget_owners(apps, schema_editor):
    _reindex(apps, schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [("search", "0007_filter_terms")]

    operations = [
        migrations.AddField(
            model_name="precedententry",
            name="owner",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(mark_unrecorded, forget_owners),
    ]
