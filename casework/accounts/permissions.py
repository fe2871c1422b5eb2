"""Who counts as staff for the login redirect and for two-factor authentication."""

from casework.roles import STAFF_GROUPS


def is_staff_user(user) -> bool:
    """Superusers and members of a casework staff group (サポート, 審査員, …, 事務局管理者).

    Also anyone else who can enter an admin site at all (Django's ``is_staff`` or Wagtail's
    ``access_admin`` permission, e.g. the CMS groups 編集者 and 公開承認): the admin shows
    personal data (資料請求 submissions, cases), so nobody reaches it on a password alone.
    Members (会員) hold none of these.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return True
    if user.groups.filter(name__in=STAFF_GROUPS).exists():
        return True
    return user.has_perm("wagtailadmin.access_admin")
