"""The staff workspace in the admin: lists, the case page as each role sees it, the actions taken
from it, their confirmation steps, and who may do what."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from casework import roles
from casework.choices import OPEN_STATES
from casework.models import Case, CaseTransition, Opinion, PatientDataAccess
from casework.services import assessment_compute, case_transition, opinion_save

pytestmark = pytest.mark.django_db


def _page(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    return response, response.content.decode()


def _case_url(case, suffix=""):
    return f"/admin/cases/{case.pk}/{suffix}"


def _panel(html: str) -> str:
    """The 「あなたの次の操作」 panel at the top of the case page."""
    start = html.index('id="next-step-heading"')
    return html[start : html.index("</section>", start)]


def _opinion(html: str) -> str:
    """A reviewer's opinion form, below the facts it judges (the panel links down to it)."""
    start = html.index('id="opinion-heading"')
    return html[start : html.index("</section>", start)]


def _refused(response) -> bool:
    """Wagtail's admin answers a refused action by sending the user back to the dashboard."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def _state(case) -> str:
    return Case.objects.get(pk=case.pk).state


@pytest.fixture
def under_review(report, support):
    def make(**overrides):
        case = report(**overrides)
        for name in ("start_triage", "refer_to_review"):
            case = case_transition(case=case, name=name, by=support)
        return case

    return make


@pytest.fixture
def named_chair(make_user):
    return make_user("chair_named", roles.CHAIR, last_name="東雲", first_name="隆")


@pytest.fixture
def two_opinions(surgeon, lawyer):
    def give(case):
        opinion_save(
            case=case, reviewer=surgeon, conclusion="liable", text="形成外科の所見です",
            advice="術前写真を残すこと", submit=True,
        )  # fmt: skip
        opinion_save(
            case=case, reviewer=lawyer, conclusion="not_liable", text="弁護士の所見です",
            submit=True,
        )  # fmt: skip
        return case

    return give


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


def test_support_finds_the_likely_step_at_the_top_and_takes_it(client, report, support):
    case = report()
    response, html = _page(client, support, _case_url(case))
    assert response.status_code == 200
    panel = _panel(html)
    assert "新しい相談です。内容を確かめ、会員に連絡して初期対応を開始してください。" in panel
    assert "初期対応を開始" in panel and "取下げ" in panel
    assert panel.index("初期対応を開始") < panel.index("その他の操作")  # the likely one first
    assert "有責と判定" not in html
    assert "佐藤 花子" in html  # support handles the patient hearing
    assert PatientDataAccess.objects.filter(case=case, by=support).exists()
    response = client.post(
        _case_url(case, "transition/start_triage/"), {"start_triage-note": "電話済"}
    )
    assert response.status_code == 302
    assert _state(case) == "triage"
    assert CaseTransition.objects.filter(case=case, name="start_triage", note="電話済").exists()


def test_an_action_the_user_may_not_take_is_refused(client, report, assessor):
    case = report()
    client.force_login(assessor)
    assert _refused(client.post(_case_url(case, "transition/start_triage/")))
    assert _state(case) == "received"


def test_a_stale_page_does_not_move_the_case_twice(client, report, support):
    case = report()
    client.force_login(support)
    client.post(_case_url(case, "transition/start_triage/"))
    assert _refused(client.post(_case_url(case, "transition/start_triage/")))  # no longer offered
    assert CaseTransition.objects.filter(case=case, name="start_triage").count() == 1


def test_every_transition_that_ends_a_case_asks_for_confirmation():
    ending = {
        t.name: t.custom
        for t in Case._meta.get_field("state").get_all_transitions(Case)
        if t.target not in OPEN_STATES
    }
    assert set(ending) >= {"resolve", "close", "withdraw", "mark_not_covered", "approve_payment"}
    assert all(custom.get("confirm") for custom in ending.values())


@pytest.mark.parametrize(("name", "new_state"), [("resolve", "円満解決"), ("withdraw", "取下げ")])
def test_ending_a_case_shows_what_will_happen_and_takes_it_only_once_confirmed(
    client, report, support, name, new_state
):
    case = case_transition(case=report(), name="start_triage", by=support)
    client.force_login(support)
    response = client.post(_case_url(case, f"transition/{name}/"), {f"{name}-note": "電話で確認"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "よろしいですか？" in html
    assert f"→ <strong>{new_state}</strong>" in html
    assert "この操作は取り消せません。" in html
    assert "報告した会員（member）に、状況が" in html and "メールでお知らせします" in html
    assert "電話で確認" in html  # the note given is repeated
    assert _state(case) == "triage"  # nothing done yet
    response = client.post(
        _case_url(case, f"transition/{name}/"), {f"{name}-note": "電話で確認", "confirm": "1"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.get_state_display() == new_state
    assert CaseTransition.objects.get(case=case, name=name).note == "電話で確認"


def test_closing_a_resolved_case_asks_first(client, report, support):
    case = report()
    for name in ("start_triage", "resolve"):
        case = case_transition(case=case, name=name, by=support)
    _, html = _page(client, support, _case_url(case))
    assert "案件を完了してください" in _panel(html)
    response = client.post(_case_url(case, "transition/close/"))
    assert "「完了」を行います" in response.content.decode()
    assert _state(case) == "resolved"
    client.post(_case_url(case, "transition/close/"), {"confirm": "1"})
    assert _state(case) == "closed"
    _, html = _page(client, support, _case_url(case))
    assert "この案件は終了しています（完了）。" in _panel(html)


def test_a_referral_asks_where_to_with_nothing_preselected(
    client, under_review, two_opinions, chair, support
):
    case = two_opinions(under_review())
    case_transition(case=case, name="decide_not_liable", by=chair, reasons="過失なし")
    _, html = _page(client, support, _case_url(case))
    form = html[html.index(f'action="{_case_url(case, "transition/refer/")}"') :]
    form = form[: form.index("</form>")]
    assert "弁護士" in form and "checked" not in form
    response = client.post(_case_url(case, "transition/refer/"), follow=True)
    assert "紹介先を選んでください。" in response.content.decode()
    assert _state(case) == "not_liable"


def test_a_reviewer_is_asked_for_their_opinion_with_no_verdict_chosen(
    client, under_review, report, surgeon, facility
):
    idle = report()
    case = under_review()
    _, html = _page(client, surgeon, "/admin/cases/")
    assert case.reference in html and idle.reference not in html
    assert client.get(_case_url(idle)).status_code == 404
    _, html = _page(client, surgeon, _case_url(case))
    panel = _panel(html)
    assert "この案件の意見書を書いて提出してください。" in panel
    assert 'href="#opinion"' in panel
    form = _opinion(html)
    assert "下書き保存" in form and "提出する" in form
    assert 'name="conclusion"' in form and "checked" not in form
    assert "現在、あなたが行える操作はありません。" not in html
    assert "佐藤 花子" not in html  # reviewers never see who the patient is
    assert not PatientDataAccess.objects.filter(case=case, by=surgeon).exists()
    surgeon.reviewer_profile.conflicted_facilities.add(facility)
    assert client.get(_case_url(case)).status_code == 404
    assert client.post(_case_url(case, "opinion/"), {"draft": "1", "text": "x"}).status_code == 404


def test_an_opinion_is_drafted_then_submitted_after_confirmation_and_then_locked(
    client, under_review, surgeon
):
    case = under_review()
    client.force_login(surgeon)
    url = _case_url(case, "opinion/")
    assert client.post(url, {"draft": "1", "text": "途中まで"}).status_code == 302
    draft = Opinion.objects.get(case=case, reviewer=surgeon)
    assert (draft.conclusion, draft.text, draft.submitted_at) == ("", "途中まで", None)
    _, html = _page(client, surgeon, _case_url(case))
    assert "意見書の下書きがあります。仕上げて提出してください。" in _panel(html)
    assert "途中まで" in _opinion(html)

    # 提出する without a conclusion: the form comes back with everything typed.
    response = client.post(url, {"submit": "1", "text": "所見の全文"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "結論を選んでから提出してください。" in html and "所見の全文" in html
    assert Opinion.objects.get(pk=draft.pk).submitted_at is None

    fields = {"conclusion": "not_liable", "text": "所見の全文", "advice": "記録を残すこと"}
    response = client.post(url, {"submit": "1", **fields})
    html = response.content.decode()
    assert "意見書を提出します。よろしいですか？" in html
    assert "過失なし（無責）" in html and "所見の全文" in html and "記録を残すこと" in html
    assert "提出した意見書は変更できません。" in html
    assert Opinion.objects.get(pk=draft.pk).submitted_at is None  # asked, not yet done

    response = client.post(url, {"edit": "1", **fields})  # 戻って直す keeps the text
    assert "所見の全文" in response.content.decode()
    assert Opinion.objects.get(pk=draft.pk).submitted_at is None

    assert client.post(url, {"confirm": "1", **fields}).status_code == 302
    submitted = Opinion.objects.get(pk=draft.pk)
    assert submitted.submitted_at is not None and submitted.conclusion == "not_liable"
    _, html = _page(client, surgeon, _case_url(case))
    panel = _panel(html)
    assert "意見書は提出済みです（" in panel and "下書き保存" not in panel
    assert "審査員の意見書を待っています（提出済み 1通）。" in panel
    assert _refused(client.post(url, {"confirm": "1", **fields, "text": "書き換え"}))
    assert Opinion.objects.get(pk=draft.pk).text == "所見の全文"


def test_a_reviewer_sees_other_opinions_only_after_submitting_their_own(
    client, under_review, surgeon, lawyer
):
    case = under_review()
    opinion_save(
        case=case, reviewer=lawyer, conclusion="liable", text="弁護士の所見です", submit=True
    )
    _, html = _page(client, surgeon, _case_url(case))
    assert "弁護士の所見です" not in html
    client.post(
        _case_url(case, "opinion/"),
        {"conclusion": "not_liable", "text": "形成外科の所見です", "confirm": "1"},
    )
    _, html = _page(client, surgeon, _case_url(case))
    assert "弁護士の所見です" in html and "形成外科の所見です" in html


def test_the_chair_reads_the_opinions_side_by_side_before_the_one_decision_form(
    client, under_review, two_opinions, named_chair
):
    case = two_opinions(under_review())
    _, html = _page(client, named_chair, _case_url(case))
    assert "意見書 2通を確認して判定してください。" in _panel(html)
    assert 'href="#opinions"' in _panel(html)
    table = html[html.index('class="casework-opinions__table"') :]
    table = table[: table.index("</table>")]
    header = table[: table.index("</thead>")]
    assert header.count('<th scope="col">') == 2  # one column per opinion
    assert "形成外科" in header and "法律" in header
    assert "過失あり（有責）" in table and "過失なし（無責）" in table
    assert "形成外科の所見です" in table and "術前写真を残すこと" in table
    form_at = html.index(f'action="{_case_url(case, "decision/")}"')
    assert html.index("形成外科の所見です") < form_at
    form = html[form_at : html.index("</form>", form_at)]
    assert 'name="decision"' in form and "checked" not in form
    assert html.count("<textarea") - html.count('name="body"') == 2  # reasons and dissent
    assert "有責と判定" not in html and "無責と判定" not in html


def test_the_decision_is_confirmed_then_shown_as_a_decision(
    client, under_review, two_opinions, named_chair, assessor
):
    case = two_opinions(under_review())
    client.force_login(named_chair)
    url = _case_url(case, "decision/")
    response = client.post(url, {"reasons": "術式の選択に過失がある"})
    html = response.content.decode()
    assert "判定（有責・無責）を選んでください。" in html and "術式の選択に過失がある" in html
    assert "形成外科の所見です" in html  # the opinions stay beside the form
    fields = {"decision": "liable", "reasons": "術式の選択に過失がある", "dissent": "説明は十分"}
    html = client.post(url, fields).content.decode()
    assert "判定「有責」を記録します。よろしいですか？" in html
    assert "審査中 → <strong>有責</strong>" in html and "説明は十分" in html
    assert _state(case) == "under_review"
    assert client.post(url, {**fields, "confirm": "1"}).status_code == 302
    case_transition(case=Case.objects.get(pk=case.pk), name="start_assessment", by=assessor)
    _, html = _page(client, assessor, _case_url(case))
    assert "判定：有責" in html and "判定：査定中" not in html
    assert "東雲 隆" in html  # who decided, family name first
    assert "術式の選択に過失がある" in html and "説明は十分" in html


def test_a_decision_is_never_taken_without_its_form(client, under_review, two_opinions, chair):
    case = two_opinions(under_review())
    client.force_login(chair)
    assert _refused(
        client.post(_case_url(case, "transition/decide_liable/"), {"decide_liable-note": "x"})
    )
    response = client.post(_case_url(case, "decision/"), {"decision": "liable"})
    assert "判定理由を入力してください。" in response.content.decode()
    assert _state(case) == "under_review"


def test_while_opinions_are_missing_everyone_is_told_who_has_the_ball(
    client, under_review, lawyer, chair, support
):
    case = under_review()
    opinion_save(case=case, reviewer=lawyer, conclusion="liable", text="所見", submit=True)
    for user in (chair, support):
        _, html = _page(client, user, _case_url(case))
        assert "審査員の意見書を待っています（提出済み 1通）。" in _panel(html)
    assert "提出済みの意見書が2通以上" in _panel(html)
    assert _refused(client.post(_case_url(case, "decision/"), {"decision": "liable"}))


def test_the_assessor_computes_then_recomputes_from_the_current_figures(
    client, in_assessment, assessor
):
    case = in_assessment()
    _, html = _page(client, assessor, _case_url(case))
    panel = _panel(html)
    assert "支払額を計算してください" in panel and "計算して保存" in panel
    assert "支払限度額 1,000万円" in panel
    assert "意見書を書いて" not in html and "他の審査員の意見書は" not in html
    response = client.post(
        _case_url(case, "assessment/"),
        {
            "damages": "15000000",
            "legal_costs": "1500000",
            "other_insurance_paid": "",
            "revision": "0",
        },
    )
    assert response.status_code == 302
    _, html = _page(client, assessor, _case_url(case))
    assert "損害賠償金" in html and "争訟費用の按分" in html
    assert "1,100万円" in html  # 1,000万円 (limit) + 100万円 of legal costs (1,000/1,500)
    panel = _panel(html)
    assert "査定済みです（支払総額 11,000,000円）" in panel and "示談手続きへ" in panel
    assert 'name="damages" value="15000000"' in panel
    assert 'name="revision" value="1"' in panel
    assert 'name="legal_costs" value="1500000"' in panel


def test_bad_amounts_are_refused_in_japanese_and_nothing_is_saved(client, in_assessment, assessor):
    case = in_assessment()
    client.force_login(assessor)
    response = client.post(
        _case_url(case, "assessment/"), {"damages": "1.5", "revision": "0"}, follow=True
    )
    assert "金額は半角数字（円・整数）で入力してください。" in response.content.decode()
    assert not Case.objects.get(pk=case.pk).has_assessment()


def test_the_insurer_asks_for_payment_and_another_approves_it_each_after_confirming(
    client, in_assessment, assessor, insurer, make_user
):
    case = in_assessment()
    assessment_compute(case=case, by=assessor, damages=1_000_000)
    case_transition(case=case, name="start_settlement", by=assessor)
    _, html = _page(client, insurer, _case_url(case))
    assert "支払承認を依頼" in _panel(html)
    url = _case_url(case, "transition/request_payment/")
    assert "「支払承認を依頼」を行います" in client.post(url).content.decode()
    assert _state(case) == "settlement"
    client.post(url, {"confirm": "1"})
    assert _state(case) == "payment_approval"
    _, html = _page(client, insurer, _case_url(case))
    assert "支払承認を依頼済みです。保険会社の別の担当者の承認を待っています。" in _panel(html)
    approver = make_user("insurer_b", roles.INSURER)
    _, html = _page(client, approver, _case_url(case))
    assert "支払を承認" in _panel(html)
    url = _case_url(case, "transition/approve_payment/")
    html = client.post(url).content.decode()
    assert "支払承認待ち → <strong>支払済</strong>" in html
    assert _state(case) == "payment_approval"
    client.post(url, {"confirm": "1"})
    assert _state(case) == "paid"


def test_roles_without_the_right_are_refused_every_action(
    client, under_review, two_opinions, report, assessor, surgeon, lawyer, member, other_member
):
    case = two_opinions(under_review())
    received = report()
    actions = [
        (case, "decision/", {"decision": "liable", "reasons": "x", "confirm": "1"}),
        (case, "opinion/", {"conclusion": "liable", "text": "x", "confirm": "1"}),
        (received, "transition/withdraw/", {"confirm": "1"}),
    ]
    for user in (assessor, surgeon):  # no decision, no more opinion, no support steps
        client.force_login(user)
        for target, suffix, data in actions:
            assert _refused(client.post(_case_url(target, suffix), data)), (user, suffix)
    for user in (member, other_member):  # members never reach the workspace
        client.force_login(user)
        for target, suffix, data in actions:
            assert client.post(_case_url(target, suffix), data).status_code in (302, 403)
        assert client.get(_case_url(case)).status_code in (302, 403)
    assert _state(case) == "under_review" and _state(received) == "received"
    assert Opinion.objects.filter(case=case).count() == 2


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


def test_a_request_for_documents_needs_the_request_the_member_will_read(client, report, support):
    case = case_transition(case=report(), name="start_triage", by=support)
    _, html = _page(client, support, _case_url(case))
    assert "会員へのご依頼（マイページに表示されます）" in html
    response = client.post(_case_url(case, "transition/request_info/"), follow=True)
    assert response.status_code == 200
    assert _state(case) == "triage"
    client.post(
        _case_url(case, "transition/request_info/"),
        {"request_info-note": "術前の写真をお送りください。"},
    )
    assert _state(case) == "awaiting_info"
