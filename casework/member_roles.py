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


def member_actions(user) -> frozenset[MemberAction]:
    """Everything `user` may do for their facility: nothing for anyone but an active login of a
    member facility that its 管理者 has not removed (a removed login is also deactivated; either
    alone refuses it, so a login reactivated by mistake in the admin stays refused)."""
    profile = getattr(user, "member_profile", None)
    if profile is None or not user.is_active or profile.removed_at is not None:
        return frozenset()
    return ALLOWED.get(profile.role, frozenset())


def member_may(user, action: MemberAction) -> bool:
    """Whether `user` is an active login of a member facility whose role allows `action`."""
    return action in member_actions(user)
