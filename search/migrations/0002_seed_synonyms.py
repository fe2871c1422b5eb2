from django.db import migrations


def seed(apps, schema_editor):
    from search.synonym_seed import synonym_seed_load

    synonym_seed_load(apps.get_model("search", "SynonymGroup"))


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
