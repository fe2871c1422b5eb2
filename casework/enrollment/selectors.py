"""Reads for enrolment."""

from ..choices import Course
from ..models import Policy
from .choices import ACTIVE_STATES
from .models import Application, name_key


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
