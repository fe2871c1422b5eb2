import django.utils.timezone
from django.db import migrations, models


def grant_notification_failures(apps, schema_editor):
    from casework.reference_data import permissions_sync
    from casework.roles import NOTIFICATION_FAILURE_GROUP_PERMISSIONS

    permissions_sync(
        apps, "casework", "NotificationFailure", table=NOTIFICATION_FAILURE_GROUP_PERMISSIONS
    )


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0006_service_levels_calendar'),
    ]

    operations = [
        migrations.CreateModel(
            name='NotificationFailure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='日時')),
                ('kind', models.CharField(choices=[('email', 'メール送信'), ('precedent_index', '事例検索の索引更新')], max_length=16, verbose_name='種類')),
                ('about', models.CharField(max_length=255, verbose_name='件名・対象')),
                ('recipients', models.TextField(blank=True, verbose_name='宛先')),
                ('attempts', models.PositiveSmallIntegerField(verbose_name='試行回数')),
                ('error', models.TextField(verbose_name='最後のエラー')),
            ],
            options={
                'verbose_name': '送信・更新の失敗',
                'verbose_name_plural': '送信・更新の失敗',
                'ordering': ['-at', '-pk'],
            },
        ),
        migrations.RunPython(grant_notification_failures, migrations.RunPython.noop),
    ]
