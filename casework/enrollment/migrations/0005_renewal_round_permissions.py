from django.db import migrations


def grant(apps, schema_editor):
    from casework.enrollment.permissions import renewal_round_permissions_sync

    renewal_round_permissions_sync(apps)


class Migration(migrations.Migration):
    dependencies = [("enrollment", "0004_renewals")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
