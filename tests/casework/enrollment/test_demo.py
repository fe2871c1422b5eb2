"""The demo set-up leaves applications for staff to review, once."""

import pytest

from casework.enrollment.demo import demo_applications
from casework.enrollment.models import Application

pytestmark = pytest.mark.django_db


def test_demo_applications_wait_for_review_and_are_made_once(make_user):
    from casework import roles

    make_user("support1", roles.SUPPORT)
    assert demo_applications() == 2
    assert sorted(Application.objects.values_list("state", flat=True)) == [
        "in_review",
        "received",
    ]
    assert all(a.coverage_starts_on.day == 1 for a in Application.objects.all())
    assert demo_applications() == 0 and Application.objects.count() == 2
