"""Writes for enrolment: submitting an application or a renewal (継続), reviewing it, issuing the
policy, emails."""

import logging
import secrets
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .. import notifications, rules
from ..accounts.addresses import address_lock, address_taken
from ..choices import Course
from ..models import Doctor, Facility, MemberProfile, Policy
from ..roles import MEMBERS
from ..selectors import policies_for_member
from ..transitions import transition_allowed
from .models import Application, ApplicationTransition, name_key
from .selectors import application_is_duplicate, may_renew, renewal_refusal, renewal_refused_to

logger = logging.getLogger(__name__)

DUPLICATE = (
    "この施設（施術医コースでは、この医師）の同じ保険期間のお申込みは既に受け付けています。"
    "内容の変更は協会事務局までご連絡ください。"
)
REASON_REQUIRED = "理由を入力してください（申込者へのメールに記載されます）。"


def application_preview(*, fields: dict, applied_on: date | None = None) -> Application:
    """The application as it would be submitted today (Asia/Tokyo), with its dates of cover;
    not saved. The confirmation step shows this. A renewal (`fields["renews"]`, the policy it
    continues) starts by rules.renewal_start, a new application by rules.coverage_start."""
    applied_on = applied_on or timezone.localdate()
    renews = fields.get("renews")
    if renews is None:
        starts_on = rules.coverage_start(applied_on)
    else:
        starts_on = rules.renewal_start(current_ends_on=renews.ends_on, applied_on=applied_on)
    return Application(
        **fields,
        applied_on=applied_on,
        coverage_starts_on=starts_on,
        coverage_ends_on=rules.policy_end(starts_on),
    )


@transaction.atomic
def application_submit(*, fields: dict, applied_on: date | None = None) -> Application:
    """Record an application in 申込受付 with its dates of cover and confirm it by email.

    `fields` are Application's fields as the form cleaned them. Raises ValidationError (Japanese)
    when a condition of enrolment is not met or the facility already applied for the period.
    """
    application = application_preview(fields=fields, applied_on=applied_on)
    problems = application.eligibility_problems()
    if problems:
        raise ValidationError(problems)
    application.duplicate_key = application.compute_duplicate_key()
    if application_is_duplicate(application=application):
        raise ValidationError(DUPLICATE, code="duplicate")
    application.full_clean(exclude=["state"])  # protected: only transitions change it
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:  # the same facility submitted at the same moment
        raise ValidationError(DUPLICATE, code="duplicate") from error
    ApplicationTransition.objects.create(
        application=application,
        name="submit",
        from_state=application.state,
        to_state=application.state,
        note="オンラインで申込",
    )
    transaction.on_commit(
        lambda: notifications.application_submitted(application=application), robust=True
    )
    logger.info(
        "Application %s submitted (course %s, renews policy %s)",
        application.pk,
        application.course,
        application.renews_id,
    )
    return application


def renewal_submit(*, policy: Policy, by, fields: dict, applied_on: date | None = None):
    """Record `by`'s renewal (継続) of `policy` as an application that `renews` it, with the
    renewal's dates, through application_submit (the same conditions, duplicate check and
    receipt).

    Only its own facility's policies, and only who may renew them (selectors.may_renew:
    the 管理者, or the insured doctor for 施術医コース; PermissionDenied otherwise); a policy that is not up for renewal today, or already renewed, is refused with
    the reason (ValidationError, Japanese). Two renewals of one policy at the same moment meet
    the constraint on active applications: one is recorded, the other refused as a duplicate.
    """
    applied_on = applied_on or timezone.localdate()
    if not policies_for_member(user=by).filter(pk=policy.pk).exists():
        raise PermissionDenied
    if not may_renew(user=by, policy=policy):
        raise PermissionDenied(renewal_refused_to(policy))
    refusal = renewal_refusal(policy=policy, today=applied_on)
    if refusal:
        raise ValidationError(refusal, code="not_offered")
    return application_submit(
        fields={**fields, "renews": policy, "member": by.member_profile}, applied_on=applied_on
    )


def application_transition(*, application: Application, name: str, by, note: str = ""):
    """Take transition `name` as `by`, audit it, and email the applicant after commit.

    Approval issues the policy (and the facility, doctor and member login it needs) and invites
    the member to set a password; approving a renewal issues the new policy to the facility and
    doctor of the policy it continues (with their corrected details) and invites nobody.
    差戻し and 却下 need a reason, which the email quotes. Raises
    PermissionDenied, ValidationError (Japanese) or django_fsm.ConcurrentTransition.
    """
    method = transition_allowed(instance=application, name=name, by=by)
    note = note.strip()
    if method._django_fsm.get_transition(application.state).custom.get("needs_reason") and not note:
        raise ValidationError(REASON_REQUIRED)
    with transaction.atomic():
        from_state = application.state
        if name == "approve":
            method(by=by, **_issue_policy(application))
        else:
            method(by=by)
        application.full_clean(exclude=["state"])
        application.save()
        ApplicationTransition.objects.create(
            application=application,
            name=name,
            from_state=from_state,
            to_state=application.state,
            by=by,
            note=note,
        )
        transaction.on_commit(lambda: _notify(application, note), robust=True)
    logger.info(
        "Application %s: %s -> %s by user %s", application.pk, from_state, application.state, by.pk
    )
    return application


def _notify(application: Application, note: str) -> None:
    invitation = ""
    if application.state == "approved" and application.renews_id is None:
        invitation = member_invitation_url(user=application.member.user)
    notifications.application_decided(
        application=application, note=note, set_password_url=invitation
    )


def member_invitation_url(*, user) -> str:
    """The password-reset link (Django's token machinery, the accounts app's page) by which a
    new member sets their first password. Valid for PASSWORD_RESET_TIMEOUT, once."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return notifications.absolute_url(path)


def _issue_policy(application: Application) -> dict:
    """Create or reuse the facility, the doctor and the member login; issue the policy.

    Numbers: course letter, year of the start, then W and the application's number for a new
    application (F-2027-W000123), R and the renewal's for a renewal (F-2027-R000124), which the
    application links to the policy it continues (`renews`).
    """
    if application.renews_id is None:
        facility = _facility_for(application)
        doctor = _doctor_for(application, facility)
        member = _member_for(application, facility, doctor)
    else:
        facility, doctor = _renewed_records(application)
        member = application.member
    course_letter = "F" if application.course == Course.FACILITY else "D"
    kind_letter = "R" if application.renews_id else "W"
    policy = Policy(
        number=f"{course_letter}-{application.coverage_starts_on:%Y}-{kind_letter}{application.pk:06d}",
        course=application.course,
        facility=facility,
        doctor=doctor if application.course == Course.DOCTOR else None,
        payout_limit=application.payout_limit,
        starts_on=application.coverage_starts_on,
        ends_on=application.coverage_ends_on,
    )
    policy.full_clean()
    policy.save()
    return {"policy": policy, "doctor": doctor, "member": member}


def _renewed_records(application: Application) -> tuple[Facility, Doctor]:
    """The facility and doctor of the renewed policy, with the details the member confirmed or
    corrected on the renewal form.

    The facility is the old policy's. 施術医コース: the doctor is the insured one, renamed if
    corrected. 開設者コース: the facility's doctor of the name given (a different name is a
    different doctor, added to the facility as a new application would). The society
    memberships become the ones confirmed: the member corrected them knowingly, and staff saw
    them before approving.
    """
    facility = application.renews.facility
    facility.name = application.facility_name
    facility.corporation_name = application.corporation_name
    facility.prefecture = application.prefecture
    if application.course == Course.FACILITY:
        facility.is_main_clinic = application.is_main_clinic
    facility.full_clean()
    facility.save()
    if application.course == Course.DOCTOR:
        doctor = application.renews.doctor
        doctor.name = application.doctor_name
    else:
        doctor = _doctor_for(application, facility)
    doctor.name_kana = application.doctor_name_kana
    doctor.societies = sorted(set(application.societies))
    doctor.full_clean()
    doctor.save()
    return facility, doctor


def _facility_for(application: Application) -> Facility:
    key = name_key(application.facility_name)
    candidates = Facility.objects.filter(corporation_name=application.corporation_name)
    facility = next((f for f in candidates if name_key(f.name) == key), None)
    if facility is None:
        facility = Facility.objects.create(
            name=application.facility_name,
            corporation_name=application.corporation_name,
            is_main_clinic=application.is_main_clinic,
            prefecture=application.prefecture,
        )
    return facility


def _doctor_for(application: Application, facility: Facility) -> Doctor:
    key = name_key(application.doctor_name)
    doctor = next((d for d in facility.doctors.all() if name_key(d.name) == key), None)
    if doctor is None:
        doctor = Doctor.objects.create(
            name=application.doctor_name, name_kana=application.doctor_name_kana
        )
        doctor.workplaces.add(facility)
    # Memberships only grow here: a society left is recorded by staff, not by an application.
    doctor.societies = sorted(set(doctor.societies) | set(application.societies))
    doctor.save(update_fields=["societies"])
    return doctor


ADDRESS_TAKEN = (
    "申込みのメールアドレスは、別の施設のログインで既に使われています。"
    "申込者に別のメールアドレスを確認し、差戻してください。"
)


def _member_for(application: Application, facility: Facility, doctor: Doctor) -> MemberProfile:
    """The applicant's existing login for this facility, or a new one.

    A new login gets a random password nobody knows: the emailed link sets the real one, and if
    the link expires the ordinary 「パスワードをお忘れの方」 page works (it ignores accounts without
    a usable password).
    """
    member_doctor = doctor if application.course == Course.DOCTOR else None
    profile = (
        MemberProfile.objects.filter(user__email__iexact=application.email, facility=facility)
        .select_related("user")
        .first()
    )
    if profile is not None:
        if member_doctor and profile.doctor_id is None:
            profile.doctor = member_doctor
            profile.save(update_fields=["doctor"])
        return profile
    # A login belongs to one facility, and members log in by e-mail: a second login with the
    # address would lock its owner out of both.
    address_lock(application.email)
    if address_taken(application.email):
        raise ValidationError(ADDRESS_TAKEN, code="address_taken")
    user = get_user_model().objects.create_user(
        username=f"member-w{application.pk:06d}",
        email=application.email,
        password=secrets.token_urlsafe(32),
        last_name=application.applicant_name,
    )
    user.groups.add(*Group.objects.filter(name=MEMBERS))
    return MemberProfile.objects.create(user=user, facility=facility, doctor=member_doctor)
