from django.db import migrations


def seed(apps, schema_editor):
    from casework.reference_data import reference_data_sync

    reference_data_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
