"""Two people taking transitions on the same case at once: exactly one succeeds."""

import threading

import pytest
from django.db import connection, connections
from django_fsm import ConcurrentTransition

from casework.models import Case, CaseTransition
from casework.services import case_transition


@pytest.mark.django_db
def test_a_stale_copy_of_the_case_cannot_be_moved(report, support, member):
    case = report()
    mine, theirs = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    case_transition(case=mine, name="start_triage", by=support)
    with pytest.raises(ConcurrentTransition):
        case_transition(case=theirs, name="withdraw", by=member)
    assert Case.objects.get(pk=case.pk).state == "triage"
    # The failed attempt left no trace in the audit trail.
    assert CaseTransition.objects.filter(case=case, name="withdraw").count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real row-level races need PostgreSQL"
)
def test_simultaneous_transitions_from_two_connections(report, support, member):
    case = report()
    barrier = threading.Barrier(2)
    outcomes = []

    def act(name, user):
        copy = Case.objects.get(pk=case.pk)
        barrier.wait()
        try:
            case_transition(case=copy, name=name, by=user)
            outcomes.append(name)
        except ConcurrentTransition:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=("start_triage", support)),
        threading.Thread(target=act, args=("withdraw", member)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes).count("refused") == 1
    winner = next(o for o in outcomes if o != "refused")
    assert CaseTransition.objects.filter(case=case).exclude(name="report").count() == 1
    assert (
        Case.objects.get(pk=case.pk).state
        == {"start_triage": "triage", "withdraw": "withdrawn"}[winner]
    )
