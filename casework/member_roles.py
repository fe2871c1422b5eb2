"""What each login of a member facility may do on マイページ, by its role in the facility.

One table, read by every portal view and by the templates (which offer only what is allowed):
the facility's 管理者 decides who of its staff may report complaints and who may only read.
"""

from enum import StrEnum

from .choices import FacilityRole


class MemberAction(StrEnum):
    READ = "read"  # see the facility's cases, policies and messages
    REPORT = "report"  # report a complaint, answer the association, upload, withdraw
    MANAGE = "manage"  # invite and remove colleagues, renew the facility's cover


ALLOWED = {
    FacilityRole.ADMIN: frozenset(MemberAction),
    FacilityRole.REPORTER: frozenset({MemberAction.READ, MemberAction.REPORT}),
    FacilityRole.READER: frozenset({MemberAction.READ}),
}


def member_may(user, action: MemberAction) -> bool:
    """Whether `user` is an active login of a member facility whose role allows `action`."""
    profile = getattr(user, "member_profile", None)
    if profile is None or not user.is_active:
        return False
    return action in ALLOWED.get(profile.role, frozenset())
