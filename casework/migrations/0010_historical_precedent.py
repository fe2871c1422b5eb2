"""HistoricalPrecedent moves from the search app to casework, in the migration state only: the
table keeps its name (search_historicalprecedent) and its rows. Its content type follows it, so
the permissions already given on it stay given."""

import django.db.models.deletion
from django.db import migrations, models


def content_type_to(app_label: str):
    def move(apps, schema_editor):
        other = "search" if app_label == "casework" else "casework"
        content_type = apps.get_model("contenttypes", "ContentType")
        content_type.objects.using(schema_editor.connection.alias).filter(
            app_label=other, model="historicalprecedent"
        ).update(app_label=app_label)

    return move


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0009_case_list_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("search", "0009_historical_precedent_to_casework"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalPrecedent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("external_id", models.CharField(max_length=64, unique=True, verbose_name="事例番号")),
                        ("claim_date", models.DateField(verbose_name="クレーム申し出日")),
                        ("complaint_types", models.JSONField(blank=True, default=list, verbose_name="苦情の種類")),
                        ("narrative", models.TextField(verbose_name="概要")),
                        ("outcome", models.CharField(max_length=32, verbose_name="結果")),
                        ("payout_yen", models.PositiveBigIntegerField(blank=True, null=True, verbose_name="支払額（円）")),
                        ("closed_on", models.DateField(verbose_name="終結日")),
                        ("imported_at", models.DateTimeField(auto_now=True, verbose_name="取込日時")),
                        ("procedure", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="casework.procedure", verbose_name="施術")),
                    ],
                    options={
                        "verbose_name": "過去事例（取込）",
                        "verbose_name_plural": "過去事例（取込）",
                        "db_table": "search_historicalprecedent",
                        "ordering": ["claim_date", "external_id"],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_type_to("casework"), content_type_to("search")),
    ]
