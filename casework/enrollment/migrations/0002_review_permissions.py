from django.db import migrations


def grant(apps, schema_editor):
    from casework.enrollment.permissions import review_permissions_sync

    review_permissions_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("enrollment", "0001_initial"),
        ("casework", "0002_seed_procedures_and_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
