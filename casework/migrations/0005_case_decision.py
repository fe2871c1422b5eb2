from django.db import migrations, models


def decisions_from_history(apps, schema_editor):
    """Cases decided before the field existed: the decision is the decide_* transition taken."""
    Case = apps.get_model("casework", "Case")
    CaseTransition = apps.get_model("casework", "CaseTransition")
    for name, decision in (("decide_liable", "liable"), ("decide_not_liable", "not_liable")):
        decided = CaseTransition.objects.filter(name=name).values("case_id")
        Case.objects.filter(pk__in=decided).update(decision=decision)


class Migration(migrations.Migration):
    dependencies = [("casework", "0004_money_reservations_access_log")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="decision",
            field=models.CharField(
                blank=True,
                choices=[("liable", "有責"), ("not_liable", "無責")],
                max_length=16,
                verbose_name="判定",
            ),
        ),
        migrations.RunPython(decisions_from_history, migrations.RunPython.noop),
    ]
