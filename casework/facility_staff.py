"""A member facility's own staff logins (スタッフ管理): its 管理者 invites colleagues by e-mail,
changes their role (casework.member_roles) and removes them.

A colleague's login is made at once, with a random password nobody knows, and the invitation is
the accounts app's one-time password link (the one enrolment sends a new member): it works once,
expires after PASSWORD_RESET_TIMEOUT, and dies when the invitation is resent or cancelled (both
change the password it was made for). Until the colleague sets their password the invitation is
pending (MemberProfile.is_pending); if the link expires, 「パスワードをお忘れの方」 works too.

Every change to a facility's logins locks the facility's row first, so two of its 管理者 acting at
once are taken one after the other, and each is checked again (still a 管理者? still one left?)
under that lock: the facility always keeps at least one 管理者 who can log in.
"""

import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from . import notifications
from .accounts.addresses import address_lock, address_taken
from .accounts.names import display_name
from .choices import FacilityRole
from .enrollment.services import member_invitation_url
from .member_roles import MemberAction, member_may
from .models import Facility, MemberProfile
from .roles import MEMBERS

logger = logging.getLogger(__name__)

EMAIL_TAKEN = (
    "このメールアドレスは既に別のログインに登録されています。"
    "同じ方のログインは1つだけです。別のメールアドレスを入力してください。"
)
ALREADY_INVITED = (
    "このメールアドレスには既に招待を送っています。"
    "届いていない場合は、一覧の「招待メールを再送」を押してください。"
)
NOT_ADMIN = "スタッフの管理は、施設の管理者だけが行えます。"
LAST_ADMIN = "管理者が1人もいなくなるため、この操作はできません。先に別の方を管理者にしてください。"
NOT_PENDING = "この方は既にパスワードを設定しています。招待の再送・取り消しはできません。"
SELF_REMOVAL = "ご自身のログインは削除できません。別の管理者に依頼してください。"


def facility_colleagues(*, user) -> QuerySet[MemberProfile]:
    """The logins of `user`'s own facility that have not been removed; none for anyone else.
    Whoever of them is named by id in a URL is looked up here, so another facility's login is
    simply not found."""
    profile = getattr(user, "member_profile", None)
    if profile is None:
        return MemberProfile.objects.none()
    return (
        MemberProfile.objects.filter(facility_id=profile.facility_id, removed_at__isnull=True)
        .select_related("user", "invited_by")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def facility_removed_colleagues(*, user) -> QuerySet[MemberProfile]:
    """The logins of `user`'s facility its 管理者 removed, the latest first (who and when)."""
    profile = getattr(user, "member_profile", None)
    if profile is None:
        return MemberProfile.objects.none()
    return (
        MemberProfile.objects.filter(facility_id=profile.facility_id, removed_at__isnull=False)
        .select_related("user", "removed_by")
        .order_by("-removed_at", "-pk")
    )


def logins_who_can_act() -> QuerySet[MemberProfile]:
    """Member logins that can act now: not removed, not deactivated, and not an invitee who has
    yet to set a password (who cannot log in)."""
    return MemberProfile.objects.filter(removed_at__isnull=True, user__is_active=True).filter(
        Q(invited_at__isnull=True) | Q(password_set_at__isnull=False)
    )


def facility_admins(*, facility_ids) -> QuerySet[MemberProfile]:
    """The 管理者 logins of the facilities `facility_ids` who can act now (an invitee who has
    not set a password does not keep a facility managed). Also whom to write to about the
    facility as a whole."""
    return logins_who_can_act().filter(facility_id__in=facility_ids, role=FacilityRole.ADMIN)


def _locked(*, by, profile_id: int | None = None) -> tuple[MemberProfile, MemberProfile | None]:
    """Lock `by`'s facility, then read `by` and the colleague `profile_id` afresh: a 管理者 who
    was demoted or removed a moment ago is refused, and a colleague removed meanwhile (or of
    another facility) is not found (MemberProfile.DoesNotExist). Call inside a transaction."""
    facility_id = by.member_profile.facility_id
    Facility.objects.select_for_update().only("pk").get(pk=facility_id)
    actor = MemberProfile.objects.select_related("user").get(pk=by.member_profile.pk)
    if not member_may(actor.user, MemberAction.MANAGE):
        raise PermissionDenied(NOT_ADMIN)
    if profile_id is None:
        return actor, None
    colleague = MemberProfile.objects.select_related("user").get(
        pk=profile_id, facility_id=facility_id, removed_at__isnull=True
    )
    return actor, colleague


def _email_taken_message(email: str, facility_id: int) -> str | None:
    """Why `email` cannot be given to a new login, or None. Any login counts, staff included:
    login by e-mail address needs the password to fit exactly one account (accounts.backends)."""
    owners = MemberProfile.objects.filter(user__email__iexact=email)
    if (
        owners.filter(facility_id=facility_id, removed_at__isnull=True)
        .filter(invited_at__isnull=False, password_set_at__isnull=True)
        .exists()
    ):
        return ALREADY_INVITED
    if address_taken(email):
        return EMAIL_TAKEN
    return None


def colleague_invite(
    *, by, email: str, last_name: str, first_name: str, role: str
) -> MemberProfile:
    """Make a login for a colleague of `by`'s facility with `role`, and e-mail them the link
    that sets their password. Raises PermissionDenied unless `by` is its 管理者, ValidationError
    (Japanese) when the e-mail address already belongs to a login."""
    with transaction.atomic():
        actor, _ = _locked(by=by)
        address_lock(email)
        problem = _email_taken_message(email, actor.facility_id)
        if problem:
            raise ValidationError(problem, code="email_taken")
        user = get_user_model().objects.create_user(
            username=f"member-f{actor.facility_id}-{secrets.token_hex(6)}",
            email=email,
            password=secrets.token_urlsafe(32),
            last_name=last_name,
            first_name=first_name,
        )
        user.groups.add(*Group.objects.filter(name=MEMBERS))
        profile = MemberProfile.objects.create(
            user=user,
            facility_id=actor.facility_id,
            role=role,
            invited_by=by,
            invited_at=timezone.now(),
        )
        transaction.on_commit(lambda: _invitation_send(profile), robust=True)
    logger.info(
        "Facility %s: user %s invited user %s as %s", actor.facility_id, by.pk, user.pk, role
    )
    return profile


def _locked_invitation(*, by, profile_id: int) -> MemberProfile:
    """The pending invitation `profile_id`, read under the lock (see _locked)."""
    _, colleague = _locked(by=by, profile_id=profile_id)
    if not colleague.is_pending:
        raise ValidationError(NOT_PENDING, code="not_pending")
    return colleague


def invitation_resend(*, by, profile_id: int) -> MemberProfile:
    """Send a pending invitation again with a new link; the old link stops working."""
    with transaction.atomic():
        colleague = _locked_invitation(by=by, profile_id=profile_id)
        # A new random password: the old link was made for the old one and no longer fits.
        colleague.user.set_password(secrets.token_urlsafe(32))
        colleague.user.save(update_fields=["password"])
        colleague.invited_by = by
        colleague.invited_at = timezone.now()
        colleague.save(update_fields=["invited_by", "invited_at"])
        transaction.on_commit(lambda: _invitation_send(colleague), robust=True)
    logger.info("Facility %s: user %s resent an invitation", colleague.facility_id, by.pk)
    return colleague


def invitation_cancel(*, by, profile_id: int) -> None:
    """Withdraw a pending invitation: its login never acted, so it is deleted with its link."""
    with transaction.atomic():
        colleague = _locked_invitation(by=by, profile_id=profile_id)
        colleague.user.delete()  # and the profile with it (CASCADE)
    logger.info("Facility %s: user %s cancelled an invitation", colleague.facility_id, by.pk)


def colleague_role_change(*, by, profile_id: int, role: str) -> MemberProfile:
    """Give a colleague (or oneself) another role; the facility keeps at least one 管理者."""
    with transaction.atomic():
        _, colleague = _locked(by=by, profile_id=profile_id)
        colleague.role = role
        colleague.full_clean(validate_unique=False)
        colleague.save(update_fields=["role"])
        if not facility_admins(facility_ids=[colleague.facility_id]).exists():
            raise ValidationError(LAST_ADMIN, code="last_admin")
    logger.info(
        "Facility %s: user %s gave user %s the role %s",
        colleague.facility_id,
        by.pk,
        colleague.user_id,
        role,
    )
    return colleague


def colleague_remove(*, by, profile_id: int) -> MemberProfile:
    """End a colleague's access at once: the login is deactivated (Django refuses a deactivated
    user's session on its next request) and marked removed; what it reported stays named."""
    with transaction.atomic():
        _, colleague = _locked(by=by, profile_id=profile_id)
        if colleague.user_id == by.pk:
            raise ValidationError(SELF_REMOVAL, code="self_removal")
        if colleague.is_pending:
            raise ValidationError(
                "招待中の方は「招待を取り消す」で取り消してください。", code="pending"
            )
        colleague.removed_at = timezone.now()
        colleague.removed_by = by
        colleague.save(update_fields=["removed_at", "removed_by"])
        colleague.user.is_active = False
        colleague.user.save(update_fields=["is_active"])
        if not facility_admins(facility_ids=[colleague.facility_id]).exists():
            raise ValidationError(LAST_ADMIN, code="last_admin")
    logger.info(
        "Facility %s: user %s removed user %s", colleague.facility_id, by.pk, colleague.user_id
    )
    return colleague


def password_set_record(*, user) -> None:
    """Stamp the first time a member login sets its own password through an e-mailed link (an
    invitation is no longer pending). Called by the accounts app's password page."""
    MemberProfile.objects.filter(user=user, password_set_at__isnull=True).update(
        password_set_at=timezone.now()
    )


def _invitation_send(profile: MemberProfile) -> None:
    """The invitation e-mail: who invited them to which facility, their role and the link; no
    case or patient is named."""
    notifications.email_enqueue(
        to=[profile.user.email],
        subject="【日本美容医療リスクマネジメント協会】マイページへのご招待",
        template="casework/email/member_invitation.txt",
        name=display_name(profile.user),
        facility=profile.facility,
        inviter=display_name(profile.invited_by),
        role=profile.get_role_display(),
        set_password_url=member_invitation_url(user=profile.user),
        login_url=notifications.absolute_url(reverse("accounts:login")),
        reset_url=notifications.absolute_url(reverse("accounts:password_reset")),
        valid_hours=max(1, settings.PASSWORD_RESET_TIMEOUT // 3600),
    )
