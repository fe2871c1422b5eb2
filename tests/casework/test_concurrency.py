"""Two people taking transitions on the same case at once: exactly one succeeds."""

import threading

import pytest
from django.db import connection, connections
from django_fsm import ConcurrentTransition

from casework.models import Case, CaseTransition
from casework.services import case_transition, opinion_save


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


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real row-level races need PostgreSQL"
)
def test_two_reviewers_submitting_at_once_make_the_case_ready_for_the_chair(
    report, support, surgeon, lawyer
):
    case = report()  # 二重瞼: the plastic surgeon's and any second opinion suffice
    for name in ("start_triage", "refer_to_review"):
        case = case_transition(case=case, name=name, by=support)
    barrier = threading.Barrier(2)
    errors = []

    def submit(reviewer):
        copy = Case.objects.get(pk=case.pk)
        barrier.wait()
        try:
            opinion_save(
                case=copy, reviewer=reviewer, conclusion="liable", text="所見", submit=True
            )
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(r,)) for r in (surgeon, lawyer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    # Each submission saw the other's: the chair's 判定待ち lists the case.
    assert Case.objects.get(pk=case.pk).opinions_complete
