"""Reads for casework: who may see and do what. Views read only through here."""

from django.db.models import Q, Sum

from .choices import CaseState, Course
from .models import Case, Opinion, Policy


def policy_for_claim(*, facility, doctor, claim_date) -> Policy | None:
    """The facility's or the doctor's policy covering `claim_date`, else their latest one.

    A latest-but-not-covering policy is still returned so that the case can be judged
    補償対象外 against it.
    """
    scope = Q(course=Course.FACILITY, facility=facility)
    if doctor is not None:
        scope |= Q(course=Course.DOCTOR, doctor=doctor)
    policies = Policy.objects.filter(scope).order_by("-starts_on")
    covering = policies.filter(starts_on__lte=claim_date, ends_on__gte=claim_date).first()
    return covering or policies.first()


def aggregate_remaining(*, policy: Policy, excluding: Case | None = None) -> int:
    """What remains of the policy period's aggregate limit after payouts on its other cases."""
    paid = (
        Case.objects.filter(policy=policy, assessment__isnull=False)
        .exclude(state__in=[CaseState.WITHDRAWN])
        .exclude(pk=getattr(excluding, "pk", None))
        .aggregate(total=Sum("assessment__total"))["total"]
        or 0
    )
    return max(policy.aggregate_limit - paid, 0)


def case_transitions_for(*, case: Case, user) -> list:
    """The transitions `user` may take on `case` now (conditions met, permission held)."""
    return list(case.get_available_user_state_transitions(user))


def opinions_visible_to(*, case: Case, user) -> list[Opinion]:
    """Submitted opinions, shown to a reviewer only once they have submitted their own.

    The chair and the support team see every submitted opinion; a reviewer sees their own draft.
    """
    opinions = list(case.opinions.select_related("reviewer").order_by("submitted_at", "pk"))
    own = next((o for o in opinions if o.reviewer_id == user.pk), None)
    sees_all = user.has_perm("casework.decide_case") or user.has_perm("casework.handle_case")
    if not sees_all and (own is None or own.submitted_at is None):
        return [own] if own else []
    return [o for o in opinions if o.submitted_at or o.reviewer_id == user.pk]


def reviewer_conflicted(*, case: Case, user) -> bool:
    profile = getattr(user, "reviewer_profile", None)
    return (
        profile is not None and profile.conflicted_facilities.filter(pk=case.facility_id).exists()
    )
