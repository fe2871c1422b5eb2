"""The groups that review applications and keep the renewal rounds (casework.roles)."""

from ..reference_data import permissions_sync
from ..roles import APPLICATION_GROUP_PERMISSIONS, RENEWAL_ROUND_GROUP_PERMISSIONS


def review_permissions_sync(apps) -> None:
    """Grant the reviewing groups their permissions on Application (idempotent); `apps` is a
    migration's app registry or django.apps.apps, as for casework.reference_data."""
    permissions_sync(apps, "enrollment", "Application", table=APPLICATION_GROUP_PERMISSIONS)


def renewal_round_permissions_sync(apps) -> None:
    """Grant the office's administrators the renewal round's settings (idempotent)."""
    permissions_sync(apps, "enrollment", "RenewalRound", table=RENEWAL_ROUND_GROUP_PERMISSIONS)
