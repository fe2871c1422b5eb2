"""申込受付 → 審査中 → 承認 / 差戻し / 却下: who may take each step, audited append-only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed, can_proceed, has_transition_perm

from casework import roles
from casework.enrollment.models import Application, ApplicationTransition
from casework.enrollment.services import REASON_REQUIRED, application_transition

pytestmark = pytest.mark.django_db

TARGETS = {
    "start_review": ("received", "in_review"),
    "approve": ("in_review", "approved"),
    "send_back": ("in_review", "returned"),
    "reject": ("in_review", "rejected"),
}


@pytest.fixture
def application(submit, facility_fields):
    return submit(facility_fields)


@pytest.fixture
def reviewer(make_user):
    """Reviews cases, not applications."""
    return make_user("reviewer", roles.REVIEWERS)


def _move(application, name, by, note="理由"):
    return application_transition(application=application, name=name, by=by, note=note)


@pytest.mark.parametrize("state", ["received", "in_review", "approved", "returned", "rejected"])
@pytest.mark.parametrize("name", list(TARGETS))
def test_state_by_transition_matrix(application, state, name):
    Application.objects.filter(pk=application.pk).update(state=state)
    application = Application.objects.get(pk=application.pk)
    method = getattr(application, name)
    source = TARGETS[name][0]
    assert can_proceed(method, check_conditions=False) == (state == source)
    if state != source:
        extra = {"policy": None, "doctor": None, "member": None} if name == "approve" else {}
        with pytest.raises(TransitionNotAllowed):
            method(by=None, **extra)


def test_only_the_support_team_and_the_office_may_review(
    application, support, make_user, reviewer, member, chair, assessor, insurer
):
    office = make_user("office", roles.ADMINS)
    for user in (support, office):
        assert has_transition_perm(application.start_review, user)
    for user in (reviewer, member, chair, assessor, insurer):
        assert not has_transition_perm(application.start_review, user)
        with pytest.raises(PermissionDenied):
            _move(application, "start_review", user)
    assert application.state == "received"


def test_every_transition_is_audited(application, support):
    _move(application, "start_review", support, note="")
    _move(application, "reject", support, note="会員番号が確認できませんでした。")
    trail = list(application.transitions.values_list("name", "from_state", "to_state", "by"))
    assert trail == [
        ("submit", "received", "received", None),
        ("start_review", "received", "in_review", support.pk),
        ("reject", "in_review", "rejected", support.pk),
    ]
    entry = ApplicationTransition.objects.last()
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


def test_sending_back_or_rejecting_needs_a_reason(application, support):
    _move(application, "start_review", support)
    for name in ("send_back", "reject"):
        with pytest.raises(ValidationError) as error:
            _move(application, name, support, note="  ")
        assert error.value.messages == [REASON_REQUIRED]
    assert application.state == "in_review"


def test_a_transition_from_the_wrong_state_is_refused_in_japanese(application, support):
    with pytest.raises(ValidationError) as error:
        _move(application, "approve", support)
    assert error.value.messages == ["「申込受付」の加入申込にはこの操作はできません。"]


def test_an_application_that_no_longer_meets_the_conditions_cannot_be_approved(
    application, support
):
    _move(application, "start_review", support)
    type(application).objects.filter(pk=application.pk).update(societies=[])
    application.refresh_from_db()
    with pytest.raises(ValidationError, match="加入の条件を満たしていません"):
        _move(application, "approve", support)
