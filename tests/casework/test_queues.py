"""Each role's queues: who finds which case where, on the home page, in the list and the menu."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from casework import roles
from casework.models import Case
from casework.selectors import QUEUES, queue_cases, queue_work_count, queues_for
from casework.services import assessment_compute, case_transition, message_post, opinion_save

pytestmark = pytest.mark.django_db


def _refs(queue_key, user):
    return {c.reference for c in queue_cases(queue=QUEUES[queue_key], user=user)}


def _home(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def _panel(html, key):
    """The home's panel of one queue (its heading, rows and link)."""
    start = html.index(f'id="casework-queue-{key}')
    return html[start : html.index("</section>", start)]


def _listed(client, user, **params):
    client.force_login(user)
    html = client.get("/admin/cases/", params).content.decode()
    return set(re.findall(r"\d{4}-\d{4}", html))


def _under_review(report, support, **overrides):
    case = report(**overrides)
    for name in ("start_triage", "refer_to_review"):
        case = case_transition(case=case, name=name, by=support)
    return case


@pytest.fixture
def approver(make_user):
    return make_user("insurer2", roles.INSURER)


# --- サポート ----------------------------------------------------------------------------------


def test_support_finds_a_new_case_until_someone_takes_it(report, support):
    case = report()
    assert case.reference in _refs("new_unassigned", support)
    case_transition(case=case, name="start_triage", by=support)
    assert case.reference not in _refs("new_unassigned", support)


def test_a_request_for_documents_waits_on_the_member_then_the_answer_on_support(
    report, support, member
):
    case = case_transition(case=report(), name="start_triage", by=support)
    case = case_transition(case=case, name="request_info", by=support, note="領収書を")
    assert case.reference in _refs("awaiting_member", support)
    assert case.reference not in _refs("member_answered", support)
    case = case_transition(case=case, name="provide_info", by=member)
    assert case.reference in _refs("member_answered", support)
    assert case.reference not in _refs("awaiting_member", support)
    message_post(case=case, author=support, body="確認しました。")
    assert case.reference not in _refs("member_answered", support)


def test_an_unanswered_case_past_its_due_time_is_overdue_and_an_internal_note_does_not_answer(
    report, support
):
    case = report()
    Case.objects.filter(pk=case.pk).update(response_due_at=timezone.now() - timedelta(minutes=1))
    assert case.reference in _refs("overdue", support)
    message_post(case=case, author=support, body="折り返し待ち", internal=True)
    assert case.reference in _refs("overdue", support)
    message_post(case=case, author=support, body="お電話しました。")
    assert case.reference not in _refs("overdue", support)


# --- 審査員 -----------------------------------------------------------------------------------


def test_a_reviewer_finds_the_cases_awaiting_their_opinion_with_their_drafts(
    client, report, support, surgeon, lawyer
):
    drafted, untouched = _under_review(report, support), _under_review(report, support)
    opinion_save(case=drafted, reviewer=surgeon, conclusion="liable", text="下書き", submit=False)
    assert _refs("my_opinion", surgeon) == {drafted.reference, untouched.reference}
    panel = _panel(_home(client, surgeon), "my_opinion")
    assert "意見書の提出待ち（下書きを含む）（2件）" in panel
    assert drafted.reference in panel and "下書きあり" in panel
    opinion_save(case=drafted, reviewer=surgeon, conclusion="liable", text="所見", submit=True)
    assert _refs("my_opinion", surgeon) == {untouched.reference}
    assert drafted.reference in _refs("my_opinion", lawyer)  # another reviewer still owes one


def test_a_reviewer_never_finds_a_case_of_a_conflicted_facility(
    client, report, support, surgeon, facility
):
    case = _under_review(report, support)
    surgeon.reviewer_profile.conflicted_facilities.add(facility)
    assert case.reference not in _refs("my_opinion", surgeon)
    assert case.reference not in _home(client, surgeon)
    assert case.reference not in _listed(client, surgeon, queue="my_opinion")


# --- 審査会長 ---------------------------------------------------------------------------------


def test_a_case_is_ready_for_decision_exactly_when_the_decision_may_be_taken(
    report, support, chair, surgeon, dermatologist, lawyer
):
    case = _under_review(report, support)  # 二重瞼: a plastic surgeon's opinion is required
    for reviewer in (dermatologist, lawyer):
        opinion_save(case=case, reviewer=reviewer, conclusion="liable", text="所見", submit=True)
    assert not Case.objects.get(pk=case.pk).has_enough_opinions()
    assert case.reference not in _refs("ready_for_decision", chair)
    opinion_save(case=case, reviewer=surgeon, conclusion="liable", text="所見", submit=False)
    assert case.reference not in _refs("ready_for_decision", chair)  # a draft does not count
    opinion_save(case=case, reviewer=surgeon, conclusion="liable", text="所見", submit=True)
    assert Case.objects.get(pk=case.pk).has_enough_opinions()
    assert case.reference in _refs("ready_for_decision", chair)


def test_opinions_are_overdue_after_ten_business_days_under_review(report, support, chair):
    case = _under_review(report, support)
    assert case.reference not in _refs("opinions_overdue", chair)
    Case.objects.filter(pk=case.pk).update(state_since=timezone.now() - timedelta(days=20))
    assert case.reference in _refs("opinions_overdue", chair)


def test_the_opinion_queues_list_shows_the_opinions_deadline_as_the_home_does(
    client, report, support, chair
):
    case = _under_review(report, support)
    Case.objects.filter(pk=case.pk).update(state_since=timezone.now() - timedelta(days=20))
    client.force_login(chair)
    listing = client.get("/admin/cases/", {"queue": "opinions_overdue"}).content.decode()
    header = re.compile(r"<th[^>]*>\s*(意見書の期限|対応期限)\s*</th>")
    assert header.findall(listing) == ["意見書の期限"]
    row = listing[listing.index(case.reference) :]
    assert "期限超過" in row[: row.index("</tr>")]
    assert header.findall(client.get("/admin/cases/").content.decode()) == ["対応期限"]


def test_an_unassigned_case_reads_as_such_in_the_list(client, report, support):
    case = report()
    client.force_login(support)
    listing = client.get("/admin/cases/").content.decode()
    row = listing[listing.index(case.reference) :]
    assert "<td>未定</td>" in row[: row.index("</tr>")]


# --- 査定員・保険会社担当 ------------------------------------------------------------------------


def test_the_assessor_then_the_insurer_find_the_money_steps(
    in_assessment, assessor, insurer, approver
):
    case = in_assessment()
    assert case.reference in _refs("awaiting_assessment", assessor)
    assessment_compute(case=case, by=assessor, damages=300_000)
    case = case_transition(case=case, name="start_settlement", by=assessor)
    assert case.reference not in _refs("awaiting_assessment", assessor)
    assert case.reference in _refs("settlement", insurer)
    case = case_transition(case=case, name="go_to_court", by=insurer)
    assert case.reference in _refs("litigation", insurer)
    case = case_transition(case=case, name="request_payment", by=insurer)
    # Separation of duties: never one's own request.
    assert case.reference not in _refs("payment_approval", insurer)
    assert case.reference in _refs("payment_approval", approver)


# --- the home, the list and the menu ---------------------------------------------------------


def test_each_role_sees_its_own_queues_and_no_one_elses(
    client, make_user, support, surgeon, chair, assessor, insurer
):
    office = make_user("office", roles.ADMINS)
    expected = {
        support: ["new_unassigned", "overdue", "member_answered", "awaiting_member"],
        surgeon: ["my_opinion"],
        chair: ["ready_for_decision", "opinions_overdue"],
        assessor: ["awaiting_assessment"],
        insurer: ["payment_approval", "settlement", "litigation"],
        office: [k for k in QUEUES if k != "my_opinion"],  # no opinions of their own to write
    }
    for user, keys in expected.items():
        assert [q.key for q in queues_for(user=user)] == keys
        html = _home(client, user)
        shown = list(dict.fromkeys(re.findall(r'id="casework-queue-([a-z_]+)', html)))
        assert shown == keys, user.username


def test_the_homes_link_lists_the_same_cases_as_its_count(client, report, support):
    cases = [report() for _ in range(9)]
    case_transition(case=cases[0], name="start_triage", by=support)
    panel = _panel(_home(client, support), "new_unassigned")
    assert "新規・担当者未定（8件）" in panel
    assert "すべて表示（8件）" in panel and "?queue=new_unassigned" in panel
    assert panel.count("/admin/cases/") - 1 == 7  # the first seven rows, then the link
    assert _listed(client, support, queue="new_unassigned") == {c.reference for c in cases[1:]}


def test_another_roles_queue_shows_nothing_in_the_list(client, report, support, assessor):
    report()
    assert _listed(client, assessor, queue="new_unassigned") == set()


def test_the_menu_counts_the_work_waiting_on_each_person(client, report, support, assessor):
    for _ in range(3):
        report()
    assert queue_work_count(user=support) == 3
    client.force_login(support)
    html = client.get("/admin/").content.decode()
    assert json.dumps("案件 (3)")[1:-1] in html  # the sidebar's props are JSON
    assert queue_work_count(user=assessor) == 0


def test_the_home_and_the_list_cost_the_same_few_queries_however_many_cases(
    client, report, support, make_user, django_assert_max_num_queries
):
    office = make_user("office", roles.ADMINS)
    for _ in range(12):
        report()
    client.force_login(office)
    with django_assert_max_num_queries(45):
        assert client.get("/admin/").status_code == 200
    for params in ({}, {"queue": "new_unassigned"}, {"overdue": "true"}):
        with django_assert_max_num_queries(25):
            assert client.get("/admin/cases/", params).status_code == 200


def test_the_age_filter_counts_days_on_the_tokyo_calendar(client, report, support):
    """「7日以内」 ends at the Tokyo midnight seven days back: a case received 00:30 that day is in
    it, one received 23:30 the day before belongs to 「8〜30日」."""
    today = timezone.localdate()
    tokyo = timezone.get_current_timezone()
    inside = report()
    outside = report()
    moments = {
        inside: timezone.datetime.combine(today - timedelta(7), timezone.datetime.min.time())
        + timedelta(minutes=30),
        outside: timezone.datetime.combine(today - timedelta(8), timezone.datetime.min.time())
        + timedelta(hours=23, minutes=30),
    }
    for case, moment in moments.items():
        Case.objects.filter(pk=case.pk).update(received_at=moment.replace(tzinfo=tokyo))
    week = _listed(client, support, age="7")
    month = _listed(client, support, age="30")
    assert inside.reference in week and outside.reference not in week
    assert outside.reference in month and inside.reference not in month


def test_the_office_overview_counts_every_queue_and_links_each_list(
    client, make_user, report, support
):
    cases = [report() for _ in range(5)]
    office = make_user("office", roles.ADMINS)
    html = _home(client, office)
    row = html[html.index('id="casework-queue-new_unassigned"') :]
    row = row[: row.index("</tr>")]
    assert "?queue=new_unassigned" in row and "5件" in row
    assert not any(case.reference in html for case in cases)  # counts; the list has the rows
    own = _panel(_home(client, support), "new_unassigned")
    assert all(case.reference in own for case in cases)  # support's own queue lists them
