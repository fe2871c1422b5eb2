"""HistoricalPrecedent belongs to casework now (casework 0010 takes it over): it leaves the search
app's state only. Its table, search_historicalprecedent, and every imported row stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0008_precedent_owner")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="HistoricalPrecedent")],
        )
    ]
