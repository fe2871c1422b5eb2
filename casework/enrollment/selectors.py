"""Reads for enrolment: duplicates, and the renewals (継続) a member may send."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from .. import rules
from ..choices import Course
from ..member_roles import MemberAction, member_may
from ..models import Doctor, Policy
from ..selectors import policies_for_member
from .choices import ACTIVE_STATES, ApplicationState
from .models import Application, name_key
from .renewal_round import renewal_round_for


def application_is_duplicate(*, application: Application) -> bool:
    """Whether the same facility (and, for 施術医コース, the same doctor) already has an
    application under way or a policy for an overlapping period."""
    pending = Application.objects.filter(
        duplicate_key=application.compute_duplicate_key(),
        coverage_ends_on=application.coverage_ends_on,
        state__in=ACTIVE_STATES,
    ).exclude(pk=application.pk)
    if pending.exists():
        return True
    overlapping = Policy.objects.filter(
        course=application.course,
        starts_on__lte=application.coverage_ends_on,
        ends_on__gte=application.coverage_starts_on,
    ).select_related("facility", "doctor")
    # Names are compared folded (width, spaces), which the database cannot do portably; a
    # period's policies are few, so they are compared here.
    facility = name_key(application.facility_name)
    doctor = name_key(application.doctor_name)
    for policy in overlapping:
        if application.course == Course.FACILITY and name_key(policy.facility.name) == facility:
            return True
        if (
            application.course == Course.DOCTOR
            and policy.doctor is not None
            and name_key(policy.doctor.name) == doctor
            and any(name_key(f.name) == facility for f in policy.doctor.workplaces.all())
        ):
            return True
    return False


def application_transitions_for(*, application: Application, user) -> list:
    """The transitions `user` may take on `application` now."""
    return list(application.get_available_user_state_transitions(user))


# --- Renewal (継続) ---------------------------------------------------------------------------


def _japanese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def active_renewal(*, policy: Policy) -> Application | None:
    """The renewal of `policy` received, in review or approved, if any (at most one)."""
    return policy.renewals.filter(state__in=ACTIVE_STATES).order_by("-created_at").first()


def renewal_refusal(*, policy: Policy, today: date) -> str | None:
    """Why `policy` cannot be renewed on `today` (a message for the member), or None when it can.

    A policy is renewed from its round's offer date (the office's RenewalRound, by default
    1 October: enrollment.renewal_round.renewal_round_for) until 31 May after it
    ended (rules.renewal_offered_until; after its end with the later start and the gap), once: not
    while a renewal of it is under way or approved, nor when the same cover already continues.
    """
    try:
        rules.renewal_deadline(policy.ends_on)
    except ValueError:
        return (
            "この保険契約は継続のお手続きの対象ではありません。協会事務局までお問い合わせください。"
        )
    opens = renewal_round_for(ends_on=policy.ends_on).offer_opens_on
    if today < opens:
        return f"この保険契約の継続のお手続きは{_japanese_date(opens)}から承ります。"
    until = rules.renewal_offered_until(policy.ends_on)
    if today > until:
        return (
            f"この保険契約は{_japanese_date(policy.ends_on)}に満了し、継続のお手続きの期限"
            f"（{_japanese_date(until)}）を過ぎています。オンライン加入から新たにお申し込みください。"
        )
    renewal = active_renewal(policy=policy)
    if renewal is not None:
        return (
            f"この保険契約の継続のお申込みは既に受け付けています（申込番号 {renewal.reference}、"
            f"{renewal.get_state_display()}）。"
        )
    # The same insured: the facility, or for 施術医コース the doctor (wherever they now work).
    insured = (
        {"doctor_id": policy.doctor_id}
        if policy.course == Course.DOCTOR
        else {"facility_id": policy.facility_id}
    )
    later = Policy.objects.filter(course=policy.course, starts_on__gt=policy.ends_on, **insured)
    if later.exists():
        return "この保険契約に続く保険期間のご契約が既にあります。マイページの「ご加入の補償」をご確認ください。"
    return None


@dataclass(frozen=True)
class RenewalOffer:
    """A policy the member may renew, with the period the renewal would have if sent today."""

    policy: Policy
    starts_on: date
    ends_on: date
    deadline: date  # 10 November: sent by then, the cover is continuous
    offered_until: date  # the last day a lapsed policy may still be renewed
    gap: tuple[date, date] | None  # the days without cover when sent today
    lapsed: bool  # the policy has already ended


@dataclass(frozen=True)
class RenewalOffers:
    """What マイページ's renewal block shows: the offers, the renewals awaiting the association's
    decision or approved and not yet begun (`pending`), and which offers this login may renew
    (may_renew) rather than only see."""

    offers: list[RenewalOffer]
    pending: list[Application]
    renewable: frozenset[int]  # the pks of the offered policies this login may renew

    def __bool__(self) -> bool:
        return bool(self.offers or self.pending)


def renewal_offer(*, policy: Policy, today: date) -> RenewalOffer:
    starts_on = rules.renewal_start(current_ends_on=policy.ends_on, applied_on=today)
    return RenewalOffer(
        policy=policy,
        starts_on=starts_on,
        ends_on=rules.policy_end(starts_on),
        deadline=rules.renewal_deadline(policy.ends_on),
        offered_until=rules.renewal_offered_until(policy.ends_on),
        gap=rules.renewal_gap(current_ends_on=policy.ends_on, starts_on=starts_on),
        lapsed=policy.ends_on < today,
    )


def renewal_offers(*, user, today: date) -> RenewalOffers:
    """The member facility's policies (its 開設者コース and the login's doctor's 施術医コース, as
    casework.selectors.policies_for_member) that may be renewed on `today` (renewal_refusal):
    those ending on this year's 30 November once the round's offer opened, and last year's
    (lapsed) until 31 May. With the renewals of them awaiting a decision."""
    rounds = [date(today.year - 1, 11, 30), date(today.year, 11, 30)]
    policies = policies_for_member(user=user).filter(ends_on__in=rounds)
    offers = [
        renewal_offer(policy=policy, today=today)
        for policy in policies.select_related("facility", "doctor").order_by("ends_on", "number")
        if renewal_refusal(policy=policy, today=today) is None
    ]
    # Awaiting the association's decision, or approved with the new policy yet to start (the
    # member is told it was approved until the new period begins).
    pending = Application.objects.filter(
        Q(state__in=[ApplicationState.RECEIVED, ApplicationState.IN_REVIEW])
        | Q(state=ApplicationState.APPROVED, policy__starts_on__gt=today),
        renews__in=policies,
    ).select_related("renews", "policy")
    return RenewalOffers(
        offers=offers,
        pending=list(pending.order_by("created_at")),
        renewable=frozenset(o.policy.pk for o in offers if may_renew(user=user, policy=o.policy)),
    )


MANAGERS_ONLY = "継続のお手続きは、施設の管理者の方のみ行えます。施設の管理者の方にご依頼ください。"
DOCTOR_ONLY = "施術医コースの継続のお手続きは、被保険者の医師ご本人のみ行えます。"


def renewal_refused_to(policy: Policy) -> str:
    """Why someone of the facility other than who may renew `policy` is refused (may_renew)."""
    return DOCTOR_ONLY if policy.course == Course.DOCTOR else MANAGERS_ONLY


def may_renew(*, user, policy: Policy) -> bool:
    """Who renews a policy of their own facility (policies_for_member): its 開設者コース, the
    facility's 管理者; a 施術医コース policy, the insured doctor's own login, whatever its role
    in the facility — it is the doctor's own cover, which nobody else at the clinic renews."""
    if policy.course == Course.DOCTOR:
        profile = getattr(user, "member_profile", None)
        return member_may(user, MemberAction.READ) and profile.doctor_id == policy.doctor_id
    return member_may(user, MemberAction.MANAGE)


def renewal_initial(*, policy: Policy, user) -> dict:
    """The renewal form's values, so that the member retypes nothing: the facility and doctor
    as their records stand, the applicant from the login, and what only an application asked
    (会員番号, the applicant's role and reading, the phone, the qualifying doctor's role) from
    the latest approved application for the same cover (the facility's 開設者コース, or this
    doctor's 施術医コース: never another doctor's 会員番号), when there is one. The applicant's own
    details (their standing, reading and phone) only when the same person renews."""
    facility = policy.facility
    same_cover = Q(facility=facility, course=policy.course)
    if policy.course == Course.DOCTOR:
        same_cover &= Q(doctor_id=policy.doctor_id)
    previous = (
        Application.objects.filter(same_cover, state=ApplicationState.APPROVED)
        .select_related("doctor")
        .order_by("-created_at")
        .first()
    )
    initial = {
        "payout_limit": policy.payout_limit,
        "email": user.email,
        "applicant_name": user.get_full_name() or user.last_name,
        "facility_name": facility.name,
        "corporation_name": facility.corporation_name,
        "prefecture": facility.prefecture,
        "is_main_clinic": "yes" if facility.is_main_clinic else "no",
        "doctor_is_doctor": "yes",
    }
    if previous is not None:
        initial.update(
            membership_number=previous.membership_number,
            qualifying_role=previous.qualifying_role,
        )
        if previous.email.lower() == user.email.lower():
            initial.update(
                applicant_role=previous.applicant_role,
                applicant_name_kana=previous.applicant_name_kana,
                phone=previous.phone,
            )
    if policy.course == Course.DOCTOR:
        doctor = policy.doctor
        # The insured doctor applies in person (the login is theirs).
        initial.update(applicant_name=doctor.name, applicant_name_kana=doctor.name_kana)
    else:
        doctor = (previous.doctor if previous else None) or _only_doctor(facility)
    if doctor is not None:
        initial.update(
            doctor_name=doctor.name, doctor_name_kana=doctor.name_kana, societies=doctor.societies
        )
    return initial


def _only_doctor(facility) -> Doctor | None:
    doctors = list(facility.doctors.all()[:2])
    return doctors[0] if len(doctors) == 1 else None
