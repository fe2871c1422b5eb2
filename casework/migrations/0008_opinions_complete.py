from django.db import migrations, models
from django.db.models import Count, Q

# The rule of Case.has_enough_opinions as it stood when the field was added (a migration keeps
# its own copy: the app's may change later). Procedure field -> the specialty a decision needs.
REQUIRED_SPECIALTY = {
    "cosmetic_surgery": "plastic_surgery",
    "cosmetic_dermatology": "dermatology",
    "cosmetic_internal": None,
    "other": None,
}


def opinions_complete_from_opinions(apps, schema_editor):
    Case = apps.get_model("casework", "Case")
    Opinion = apps.get_model("casework", "Opinion")
    candidates = (
        Case.objects.annotate(n=Count("opinions", filter=Q(opinions__submitted_at__isnull=False)))
        .filter(n__gte=2)
        .values_list("pk", "procedure__field")
    )
    complete = []
    for pk, field in candidates.iterator():
        specialties = Opinion.objects.filter(case_id=pk, submitted_at__isnull=False).values_list(
            "specialty", flat=True
        )
        required = REQUIRED_SPECIALTY[field]
        if any(s == required if required else s != "law" for s in specialties):
            complete.append(pk)
    for start in range(0, len(complete), 500):
        Case.objects.filter(pk__in=complete[start : start + 500]).update(opinions_complete=True)


class Migration(migrations.Migration):
    dependencies = [("casework", "0007_notification_failures")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="opinions_complete",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="意見書がそろった"
            ),
        ),
        migrations.RunPython(opinions_complete_from_opinions, migrations.RunPython.noop),
    ]
