"""Data every installation has: the procedure taxonomy and the casework groups.

The data migration calls `reference_data_sync` with historical models; tests that empty the
database call it with the live ones. Idempotent.
"""

from datetime import date

from django.contrib.auth.management import create_permissions

from .roles import (
    ACCESS_LOG_GROUP_PERMISSIONS,
    APPLICATION_GROUP_PERMISSIONS,
    CALENDAR_GROUP_PERMISSIONS,
    NOTIFICATION_FAILURE_GROUP_PERMISSIONS,
    RENEWAL_ROUND_GROUP_PERMISSIONS,
    roles_sync,
)

# The procedures named on the association's site, by field, plus その他 (order kept).
PROCEDURES = [
    (
        "cosmetic_surgery",
        ["二重瞼", "隆鼻", "豊胸", "脂肪吸引", "リフトアップ手術", "その他（美容外科）"],
    ),
    (
        "cosmetic_dermatology",
        [
            "シミ治療",
            "美肌・肌質改善",
            "レーザー脱毛",
            "たるみ改善",
            "光治療",
            "レーザー治療",
            "ピーリング",
            "ヒアルロン酸注射",
            "ボツリヌストキシン注射",
            "その他（美容皮膚科）",
        ],
    ),
    ("cosmetic_internal", ["デトックス", "点滴治療", "その他（美容内科）"]),
    ("other", ["その他"]),
]


def reference_data_sync(apps) -> None:
    """Seed procedures and groups; `apps` is a migration's app registry or django.apps.apps."""
    Procedure = apps.get_model("casework", "Procedure")
    order = 0
    for field, names in PROCEDURES:
        for name in names:
            order += 1
            Procedure.objects.get_or_create(field=field, name=name, defaults={"sort_order": order})

    permissions_sync(apps, "casework", "Case")


def roles_sync_all(apps) -> None:
    """Everything the data migrations seed for casework's roles, for a database a transactional
    test emptied (each migration seeds only the models that existed when it ran)."""
    reference_data_sync(apps)
    permissions_sync(apps, "enrollment", "Application", table=APPLICATION_GROUP_PERMISSIONS)
    permissions_sync(apps, "enrollment", "RenewalRound", table=RENEWAL_ROUND_GROUP_PERMISSIONS)
    permissions_sync(apps, "casework", "PatientDataAccess", table=ACCESS_LOG_GROUP_PERMISSIONS)
    permissions_sync(apps, "casework", "ClosingPeriod", table=CALENDAR_GROUP_PERMISSIONS)
    permissions_sync(
        apps, "casework", "NotificationFailure", table=NOTIFICATION_FAILURE_GROUP_PERMISSIONS
    )
    closing_periods_seed(apps)


def closing_periods_seed(apps) -> None:
    """The association's default closing days (年末年始), unless any are set already."""
    ClosingPeriod = apps.get_model("casework", "ClosingPeriod")
    if not ClosingPeriod.objects.exists():
        ClosingPeriod.objects.create(
            name="年末年始",
            starts_on=date(2000, 12, 29),
            ends_on=date(2001, 1, 3),
            yearly=True,
        )


def permissions_sync(apps, app_label: str, model_name: str, **table) -> None:
    """Create the groups and grant them their permissions on one model (roles_sync, `table`
    optional), from a migration: custom permissions are normally created after all
    migrations, and the groups need them now."""
    app_config = apps.get_app_config(app_label)
    if getattr(app_config, "models_module", None) is None:
        app_config.models_module = True  # a migration's stub: create_permissions needs it set
    create_permissions(app_config, apps=apps, verbosity=0)
    ContentType = apps.get_model("contenttypes", "ContentType")
    roles_sync(
        apps.get_model("auth", "Group"),
        apps.get_model("auth", "Permission"),
        ContentType.objects.get_for_model(apps.get_model(app_label, model_name)),
        **table,
    )
