"""Writes for enrolment: submitting an application, reviewing it, issuing the policy, emails."""

import logging
import secrets
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .. import notifications, rules
from ..choices import Course
from ..models import Doctor, Facility, MemberProfile, Policy
from ..roles import MEMBERS
from ..transitions import transition_allowed
from .models import Application, ApplicationTransition, name_key
from .selectors import application_is_duplicate

logger = logging.getLogger(__name__)

DUPLICATE = (
    "この施設（施術医コースでは、この医師）の同じ保険期間のお申込みは既に受け付けています。"
    "内容の変更は協会事務局までご連絡ください。"
)
REASON_REQUIRED = "理由を入力してください（申込者へのメールに記載されます）。"


def application_preview(*, fields: dict, applied_on: date | None = None) -> Application:
    """The application as it would be submitted today (Asia/Tokyo), with its dates of cover;
    not saved. The confirmation step shows this."""
    applied_on = applied_on or timezone.localdate()
    starts_on = rules.coverage_start(applied_on)
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
    logger.info("Application %s submitted (course %s)", application.pk, application.course)
    return application


def application_transition(*, application: Application, name: str, by, note: str = ""):
    """Take transition `name` as `by`, audit it, and email the applicant after commit.

    Approval issues the policy (and the facility, doctor and member login it needs) and invites
    the member to set a password. 差戻し and 却下 need a reason, which the email quotes. Raises
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
    if application.state == "approved":
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
    """Create or reuse the facility, the doctor and the member login; issue the policy."""
    facility = _facility_for(application)
    doctor = _doctor_for(application, facility)
    member = _member_for(application, facility, doctor)
    course_letter = "F" if application.course == Course.FACILITY else "D"
    policy = Policy(
        number=f"{course_letter}-{application.coverage_starts_on:%Y}-W{application.pk:06d}",
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
    user = get_user_model().objects.create_user(
        username=f"member-w{application.pk:06d}",
        email=application.email,
        password=secrets.token_urlsafe(32),
        last_name=application.applicant_name,
    )
    user.groups.add(*Group.objects.filter(name=MEMBERS))
    return MemberProfile.objects.create(user=user, facility=facility, doctor=member_doctor)
