"""The groups that review applications (casework.roles.APPLICATION_GROUP_PERMISSIONS)."""

from django.contrib.auth.management import create_permissions

from ..roles import APPLICATION_GROUP_PERMISSIONS, roles_sync


def review_permissions_sync(apps) -> None:
    """Grant the reviewing groups their permissions on Application (idempotent); `apps` is a
    migration's app registry or django.apps.apps, as for casework.reference_data."""
    app_config = apps.get_app_config("enrollment")
    if getattr(app_config, "models_module", None) is None:
        app_config.models_module = True  # a migration's stub: create_permissions needs it set
    # Permissions are normally created after all migrations; the groups need them now.
    create_permissions(app_config, apps=apps, verbosity=0)
    ContentType = apps.get_model("contenttypes", "ContentType")
    roles_sync(
        apps.get_model("auth", "Group"),
        apps.get_model("auth", "Permission"),
        ContentType.objects.get_for_model(apps.get_model("enrollment", "Application")),
        table=APPLICATION_GROUP_PERMISSIONS,
    )
