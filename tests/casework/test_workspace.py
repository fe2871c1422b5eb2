"""The staff workspace in the admin: lists, the case page, actions, and who sees what."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import Case, CaseTransition
from casework.services import case_transition, opinion_save

pytestmark = pytest.mark.django_db


def _page(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    return response, response.content.decode()


def _case_url(case, suffix=""):
    return f"/admin/cases/{case.pk}/{suffix}"


def _refused(response) -> bool:
    """Wagtail's admin answers a refused action by sending the user back to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def test_support_lists_cases_and_filters_them(client, report, support):
    triaged = case_transition(case=report(), name="start_triage", by=support)
    waiting = report(complaint_types=["self_harm"])
    response, html = _page(client, support, "/admin/cases/")
    assert response.status_code == 200
    assert triaged.reference in html and waiting.reference in html
    _, html = _page(client, support, "/admin/cases/", state="triage")
    assert triaged.reference in html and waiting.reference not in html
    _, html = _page(client, support, "/admin/cases/", risk="self_harm")
    assert waiting.reference in html and triaged.reference not in html


def test_the_case_page_offers_exactly_the_allowed_actions_and_takes_them(client, report, support):
    case = report()
    response, html = _page(client, support, _case_url(case))
    assert response.status_code == 200
    assert "初期対応を開始" in html and "取下げ" in html
    assert "有責と判定" not in html
    assert "佐藤 花子" in html  # support handles the patient hearing
    response = client.post(
        _case_url(case, "transition/start_triage/"), {"start_triage-note": "電話済"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.get_state_display() == "初期対応"
    assert CaseTransition.objects.filter(case=case, name="start_triage", note="電話済").exists()


def test_an_action_the_user_may_not_take_is_refused(client, report, member, support, assessor):
    case = report()
    client.force_login(assessor)
    assert _refused(client.post(_case_url(case, "transition/start_triage/")))
    case.refresh_from_db()
    assert case.state == "received"


def test_a_stale_page_does_not_move_the_case_twice(client, report, support):
    case = report()
    client.force_login(support)
    client.post(_case_url(case, "transition/start_triage/"))
    assert _refused(client.post(_case_url(case, "transition/start_triage/")))  # no longer offered
    assert CaseTransition.objects.filter(case=case, name="start_triage").count() == 1


def test_reviewers_see_only_cases_under_review_and_never_a_conflicted_one(
    client, report, support, surgeon, facility
):
    idle = report()
    under_review = report()
    case_transition(case=under_review, name="start_triage", by=support)
    case_transition(case=under_review, name="refer_to_review", by=support)
    _, html = _page(client, surgeon, "/admin/cases/")
    assert under_review.reference in html and idle.reference not in html
    assert client.get(_case_url(idle)).status_code == 404
    response, html = _page(client, surgeon, _case_url(under_review))
    assert "意見書を書く" in html
    assert "佐藤 花子" not in html  # reviewers never see who the patient is
    surgeon.reviewer_profile.conflicted_facilities.add(facility)
    assert client.get(_case_url(under_review)).status_code == 404


def test_a_reviewer_sees_other_opinions_only_after_submitting_their_own(
    client, report, support, surgeon, lawyer
):
    case = report()
    case_transition(case=case, name="start_triage", by=support)
    case_transition(case=case, name="refer_to_review", by=support)
    opinion_save(
        case=case, reviewer=lawyer, conclusion="liable", text="弁護士の所見です", submit=True
    )
    _, html = _page(client, surgeon, _case_url(case))
    assert "弁護士の所見です" not in html
    client.post(
        _case_url(case, "opinion/"),
        {"conclusion": "not_liable", "text": "形成外科の所見です", "submit": "on"},
    )
    _, html = _page(client, surgeon, _case_url(case))
    assert "弁護士の所見です" in html and "形成外科の所見です" in html


def test_the_assessor_computes_the_payout_and_sees_it_line_by_line(
    client, in_assessment, assessor
):
    case = in_assessment()
    client.force_login(assessor)
    response = client.post(
        _case_url(case, "assessment/"),
        {"damages": "15000000", "legal_costs": "1500000", "other_insurance_paid": "", "revision": "0"},
    )
    assert response.status_code == 302
    _, html = _page(client, assessor, _case_url(case))
    assert "損害賠償金" in html and "争訟費用の按分" in html
    assert "1,100万円" in html  # 1,000万円 (limit) + 100万円 of legal costs (1,000/1,500)


def test_bad_amounts_are_refused_in_japanese_and_nothing_is_saved(
    client, in_assessment, assessor
):
    case = in_assessment()
    client.force_login(assessor)
    response = client.post(_case_url(case, "assessment/"), {"damages": "1.5", "revision": "0"}, follow=True)
    assert "金額は半角数字（円・整数）で入力してください。" in response.content.decode()
    assert not Case.objects.get(pk=case.pk).has_assessment()


def test_a_decision_without_reasons_is_refused(client, report, support, surgeon, lawyer, chair):
    case = report()
    for name in ("start_triage", "refer_to_review"):
        case = case_transition(case=case, name=name, by=support)
    for reviewer in (surgeon, lawyer):
        opinion_save(case=case, reviewer=reviewer, conclusion="liable", text="所見", submit=True)
    client.force_login(chair)
    response = client.post(_case_url(case, "transition/decide_liable/"), {}, follow=True)
    assert "判定理由を入力してください。" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == "under_review"


def test_members_have_no_access_to_the_workspace(client, report, member):
    case = report()
    client.force_login(member)
    assert client.get(_case_url(case)).status_code in (302, 403)
    assert client.post(_case_url(case, "transition/withdraw/")).status_code in (302, 403)
    assert Case.objects.get(pk=case.pk).state == "received"


def test_the_dashboard_shows_open_cases_overdue_ones_and_the_monthly_chart(client, report, support):
    late = report(complaint_types=["self_harm"])
    Case.objects.filter(pk=late.pk).update(received_at=timezone.now() - timedelta(hours=3))
    CaseTransition.objects.filter(case=late).update(at=timezone.now() - timedelta(hours=3))
    Case.objects.filter(pk=late.pk).update(response_due_at=timezone.now() - timedelta(hours=1))
    response, html = _page(client, support, "/admin/")
    assert response.status_code == 200
    assert "対応中の案件（状態別）" in html
    overdue = html.split("対応期限を過ぎた案件", 1)[1]
    assert late.reference in overdue.split("</section>", 1)[0] or late.reference in overdue
    assert "<svg" in html and "新規案件の推移" in html
    _, listing = _page(client, support, "/admin/cases/", overdue="true")
    assert re.search(re.escape(late.reference), listing)
    assert "期限超過" in listing
