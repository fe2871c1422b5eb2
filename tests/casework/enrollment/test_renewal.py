"""Renewal (継続) as a member does it on マイページ, and its approval by staff.

Every date is fixed: the policy issued through /join/ runs from 1 December 2026 to 30 November
2027, and each test travels (time-machine) to the day it is about.
"""

import re
from datetime import date, datetime, time
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from casework import roles
from casework.choices import FacilityRole
from casework.enrollment import services
from casework.enrollment.models import Application, RenewalRound
from casework.enrollment.selectors import MANAGERS_ONLY, renewal_offers
from casework.enrollment.services import DUPLICATE, application_transition, renewal_submit
from casework.models import Doctor, MemberProfile, Policy
from casework.selectors import member_policies_by_period

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
ON_TIME = date(2027, 10, 20)  # the round's offer is open, the 10 November deadline ahead


def on(day: date):
    """Noon in Tokyo on `day`, frozen."""
    return time_machine.travel(datetime.combine(day, time(12), tzinfo=TOKYO), tick=False)


class _FormValues(HTMLParser):
    """What a browser would post from the page's renewal form (the one with a `step` field):
    text and hidden values, checked boxes and radios, selected options."""

    def __init__(self):
        super().__init__()
        self.forms, self._select = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({})
        if not self.forms or "name" not in attrs:
            if tag == "option" and self._select and "selected" in attrs:
                self.forms[-1].setdefault(self._select, []).append(attrs.get("value", ""))
            return
        values = self.forms[-1]
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    values.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in ("submit", "button"):
                values.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "select":
            self._select = name

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def form_values(response) -> dict[str, list[str]]:
    parser = _FormValues()
    parser.feed(response.content.decode())
    return next(form for form in parser.forms if "step" in form)


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def issued(submit, facility_fields, support):
    """The 開設者コース policy (1 Dec 2026 – 30 Nov 2027) issued through /join/, with its
    管理者 login."""
    application = submit(facility_fields, applied_on=date(2026, 11, 1))
    application_transition(application=application, name="start_review", by=support)
    application_transition(application=application, name="approve", by=support)
    return application


@pytest.fixture
def policy(issued):
    return issued.policy


@pytest.fixture
def admin(issued):
    return issued.member.user


@pytest.fixture
def colleague(make_user, policy):
    def make(role):
        user = make_user(f"colleague-{role}", roles.MEMBERS)
        MemberProfile.objects.create(user=user, facility=policy.facility, role=role)
        return user

    return make


@pytest.fixture
def decide(support, django_capture_on_commit_callbacks):
    def run(application, name, note=""):
        with django_capture_on_commit_callbacks(execute=True):
            application_transition(application=application, name=name, by=support, note=note)
        application.refresh_from_db()
        return application

    return run


@pytest.fixture
def renew(client, django_capture_on_commit_callbacks):
    """Renew `policy` as `user` on `day` through the pages, changing only `changes` on the
    form; returns the form page, the confirmation page and the final response."""

    def run(user, policy, day=ON_TIME, changes=None):
        with on(day):
            client.force_login(user)
            url = f"/mypage/renewal/{policy.number}/"
            form_page = client.get(url)
            values = form_values(form_page) | (changes or {})
            confirm_page = client.post(url, values)
            if confirm_page.status_code != 200 or "step" not in confirm_page.content.decode():
                return form_page, confirm_page, None
            values = form_values(confirm_page)
            if values.get("step") != ["submit"]:  # the form came back with errors
                return form_page, confirm_page, None
            values |= {"agree": ["on"], "privacy_consent": ["on"]}
            with django_capture_on_commit_callbacks(execute=True):
                done = client.post(url, values, follow=True)
        return form_page, confirm_page, done

    return run


# --- The offer on マイページ -------------------------------------------------------------------


def _offer_html(user, day) -> str:
    return render_to_string("enrollment/renewal_offer.html", {"renewal": _offers(user, day)})


def _offers(user, day):
    return renewal_offers(user=user, today=day)


def test_the_offer_opens_on_1_october_unless_the_office_set_another_day(admin, policy):
    assert not _offers(admin, date(2027, 9, 30))
    assert _offer_html(admin, date(2027, 9, 30)).strip() == ""

    [offer] = _offers(admin, date(2027, 10, 1)).offers
    assert offer.policy == policy
    assert (offer.starts_on, offer.ends_on, offer.gap) == (
        date(2027, 12, 1),
        date(2028, 11, 30),
        None,
    )
    html = _offer_html(admin, date(2027, 10, 1))
    assert f'href="/mypage/renewal/{policy.number}/"' in html
    assert "2027年11月10日まで" in html
    assert "2027年12月1日〜2028年11月30日" in html

    RenewalRound.objects.create(ends_on=date(2027, 11, 30), offer_opens_on=date(2027, 9, 15))
    assert not _offers(admin, date(2027, 9, 14))
    assert _offers(admin, date(2027, 9, 15)).offers


def test_a_late_offer_says_from_when_the_cover_starts_and_which_days_it_misses(admin):
    [offer] = _offers(admin, date(2027, 11, 11)).offers
    assert offer.gap == (date(2027, 12, 1), date(2027, 12, 31))
    html = _offer_html(admin, date(2027, 11, 11))
    assert "2028年1月1日〜2028年11月30日" in html
    assert "2027年12月1日〜2027年12月31日は補償の対象外" in html


def test_a_lapsed_policy_is_offered_until_31_may(admin, policy):
    [offer] = _offers(admin, date(2027, 12, 20)).offers
    assert offer.lapsed
    assert (offer.starts_on, offer.gap) == (
        date(2028, 2, 1),
        (date(2027, 12, 1), date(2028, 1, 31)),
    )
    assert "2027年11月30日に満了しました" in _offer_html(admin, date(2027, 12, 20))
    assert _offers(admin, date(2028, 5, 31)).offers
    assert not _offers(admin, date(2028, 6, 1))


def test_colleagues_who_may_not_renew_are_told_who_can(colleague):
    reader = colleague(FacilityRole.READER)
    html = _offer_html(reader, ON_TIME)
    assert "継続のお手続きは、施設の管理者の方が行えます。" in html
    assert "/mypage/renewal/" not in html


def test_another_facilitys_member_is_offered_nothing(other_member, policy):
    assert not _offers(other_member, ON_TIME)


# --- The form, end to end ---------------------------------------------------------------------


def test_the_prefilled_form_submits_unchanged_and_continues_the_cover(renew, admin, policy):
    form_page, confirm_page, done = renew(admin, policy)

    page = text(form_page)
    for prefilled in [
        "あおば美容クリニック 新宿院",
        "医療法人あおば会",
        "高橋 花子",
        "A-12345",
        "03-1234-5678",
    ]:
        assert prefilled in form_page.content.decode()
    assert "2027年12月1日〜2028年11月30日" in page
    confirm = text(confirm_page)
    assert "2027年12月1日〜2028年11月30日" in confirm
    assert "切れ目なく補償されます" in confirm
    assert "1事故 1,000万円（保険期間中 3,000万円）" in confirm
    assert "出資金" not in confirm  # paid once, on enrolment

    assert done.redirect_chain[-1][0] == f"/mypage/renewal/{policy.number}/received/"
    assert "継続のお申込みを受け付けました" in text(done)
    renewal = Application.objects.get(renews=policy)
    assert renewal.state == "received"
    assert (renewal.coverage_starts_on, renewal.coverage_ends_on) == (
        date(2027, 12, 1),
        date(2028, 11, 30),
    )
    assert renewal.payout_limit == policy.payout_limit
    assert (renewal.facility_name, renewal.doctor_name) == (
        "あおば美容クリニック 新宿院",
        "高橋 花子",
    )
    assert sorted(renewal.societies) == ["jsaps", "jsprs"]
    assert (renewal.email, renewal.applicant_name) == ("suzuki@example.jp", "鈴木 一郎")

    # The receipt to the member links to マイページ; the office is told it is a renewal.
    receipt = next(m for m in mail.outbox if m.to == ["suzuki@example.jp"])
    assert "継続のお申込みを受け付けました" in receipt.subject
    assert "2027年12月1日〜2028年11月30日" in receipt.body
    assert "切れ目なく補償されます" in receipt.body
    assert re.search(r"https?://\S+/mypage/", receipt.body)
    office = next(m for m in mail.outbox if m.to != ["suzuki@example.jp"])
    assert policy.number in office.subject and "継続" in office.subject
    assert renewal.reference in office.body


def test_the_limit_may_be_changed(renew, admin, policy):
    _, confirm_page, done = renew(admin, policy, changes={"payout_limit": ["20000000"]})
    assert "1事故 2,000万円（保険期間中 6,000万円）" in text(confirm_page)
    assert Application.objects.get(renews=policy).payout_limit == 20_000_000


def test_a_late_renewal_is_told_of_the_gap_before_it_is_sent(renew, admin, policy):
    _, confirm_page, done = renew(admin, policy, day=date(2027, 11, 20))
    confirm = text(confirm_page)
    assert "2028年1月1日〜2028年11月30日" in confirm
    assert "2027年12月1日〜2027年12月31日は補償の対象外" in confirm
    renewal = Application.objects.get(renews=policy)
    assert renewal.coverage_starts_on == date(2028, 1, 1)
    receipt = next(m for m in mail.outbox if m.to == ["suzuki@example.jp"])
    assert "2027年12月1日〜2027年12月31日は補償の対象外" in receipt.body


def test_a_lapsed_policy_is_renewed_with_the_later_start(renew, admin, policy):
    _, confirm_page, done = renew(admin, policy, day=date(2028, 1, 10))
    assert "2028年2月1日〜2028年11月30日" in text(confirm_page)
    assert Application.objects.get(renews=policy).coverage_starts_on == date(2028, 2, 1)


def test_a_correction_that_breaks_a_condition_comes_back_with_everything_typed(
    renew, admin, policy
):
    _, page, done = renew(
        admin, policy, changes={"societies": [], "corporation_name": ["医療法人あおば会（訂正）"]}
    )
    assert done is None
    assert "いずれかに所属していることが加入の条件です" in text(page)
    assert "医療法人あおば会（訂正）" in page.content.decode()
    assert not Application.objects.filter(renews=policy).exists()


def test_the_confirmation_needs_the_consent_and_back_keeps_the_changes(client, admin, policy):
    url = f"/mypage/renewal/{policy.number}/"
    with on(ON_TIME):
        client.force_login(admin)
        values = form_values(client.get(url)) | {"phone": ["03-9999-0000"]}
        values = form_values(client.post(url, values))
        refused = client.post(url, values)
        assert "チェックを入れてください" in text(refused)
        back = client.post(url, values | {"back": ["1"]})
        assert form_values(back)["phone"] == ["03-9999-0000"]
        assert form_values(back)["step"] == ["confirm"]
    assert not Application.objects.filter(renews=policy).exists()


# --- Who may renew what -----------------------------------------------------------------------


@pytest.mark.parametrize("role", [FacilityRole.REPORTER, FacilityRole.READER])
def test_reporters_and_readers_may_not_renew(client, colleague, admin, policy, role):
    url = f"/mypage/renewal/{policy.number}/"
    with on(ON_TIME):
        client.force_login(admin)
        values = form_values(client.post(url, form_values(client.get(url))))
        client.force_login(colleague(role))
        for response in (client.get(url), client.post(url, values | {"agree": ["on"]})):
            assert response.status_code == 403
            assert MANAGERS_ONLY in text(response)
        assert client.get(f"{url}received/").status_code == 403
    assert not Application.objects.filter(renews=policy).exists()


def test_staff_are_not_offered_the_members_renewal(client, support, policy):
    with on(ON_TIME):
        client.force_login(support)
        assert client.get(f"/mypage/renewal/{policy.number}/").status_code == 403


def test_another_facilitys_policy_is_not_found(client, other_member, policy):
    with on(ON_TIME):
        client.force_login(other_member)
        for number in (policy.number, "no-such-policy"):
            assert client.get(f"/mypage/renewal/{number}/").status_code == 404
            assert client.get(f"/mypage/renewal/{number}/received/").status_code == 404
    assert not Application.objects.filter(renews=policy).exists()


def test_an_anonymous_visitor_is_sent_to_login(client, policy):
    with on(ON_TIME):
        for url in (
            f"/mypage/renewal/{policy.number}/",
            f"/mypage/renewal/{policy.number}/received/",
        ):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2027, 9, 30), "この保険契約の継続のお手続きは2027年10月1日から承ります。"),
        (date(2028, 6, 1), "継続のお手続きの期限（2028年5月31日）を過ぎています。"),
    ],
)
def test_a_policy_not_up_for_renewal_says_why(client, admin, policy, day, message):
    with on(day):
        client.force_login(admin)
        response = client.get(f"/mypage/renewal/{policy.number}/")
    assert response.status_code == 200
    assert message in text(response)
    assert 'name="step"' not in response.content.decode()


# --- Once only --------------------------------------------------------------------------------


def test_a_second_submission_is_refused_with_the_first_ones_number(renew, client, admin, policy):
    renew(admin, policy)
    renewal = Application.objects.get(renews=policy)
    with on(ON_TIME):
        response = client.get(f"/mypage/renewal/{policy.number}/")
    assert f"既に受け付けています（申込番号 {renewal.reference}、申込受付）" in text(response)
    assert not renewal_offers(user=admin, today=ON_TIME).offers
    [pending] = renewal_offers(user=admin, today=ON_TIME).pending
    assert pending == renewal


def test_the_same_confirmation_posted_twice_makes_one_renewal(client, admin, policy):
    url = f"/mypage/renewal/{policy.number}/"
    with on(ON_TIME):
        client.force_login(admin)
        values = form_values(client.post(url, form_values(client.get(url))))
        values |= {"agree": ["on"], "privacy_consent": ["on"]}
        first, second = client.post(url, values), client.post(url, values)
    assert first.status_code == 302
    assert "既に受け付けています" in text(second)
    assert Application.objects.filter(renews=policy).count() == 1


def _fields(application) -> dict:
    names = [
        "course", "payout_limit", "membership_number", "applicant_role", "applicant_name",
        "applicant_name_kana", "email", "phone", "facility_name", "corporation_name",
        "prefecture", "is_main_clinic", "qualifying_role", "doctor_name", "doctor_name_kana",
        "doctor_is_doctor", "societies",
    ]  # fmt: skip
    return {name: getattr(application, name) for name in names}


def test_two_managers_renewing_at_the_same_moment_make_one_renewal(issued, colleague, monkeypatch):
    policy, other_admin = issued.policy, colleague(FacilityRole.ADMIN)
    renewal_submit(policy=policy, by=issued.member.user, fields=_fields(issued), applied_on=ON_TIME)
    # The second read before the first was saved: neither check saw the other renewal.
    monkeypatch.setattr(services, "renewal_refusal", lambda **kwargs: None)
    monkeypatch.setattr(services, "application_is_duplicate", lambda **kwargs: False)
    fields = _fields(issued) | {"facility_name": "あおば美容クリニック新宿院（訂正）"}
    with pytest.raises(ValidationError) as error:
        renewal_submit(policy=policy, by=other_admin, fields=fields, applied_on=ON_TIME)
    assert error.value.messages == [DUPLICATE]
    assert Application.objects.filter(renews=policy).count() == 1


# --- Staff review and approval ----------------------------------------------------------------


def test_approval_issues_a_continuous_policy_to_the_same_facility_and_login(
    renew, decide, client, admin, issued, policy
):
    users = get_user_model().objects.count()
    renew(
        admin,
        policy,
        changes={
            "corporation_name": ["医療法人社団あおば会"],
            "societies": ["jsaps"],
            "doctor_name_kana": ["たかはし はなえ"],
        },
    )
    renewal = Application.objects.get(renews=policy)
    assert renewal.kind == "継続"
    mail.outbox.clear()
    decide(renewal, "start_review")
    decide(renewal, "approve")

    new = renewal.policy
    assert new.number == f"F-2027-R{renewal.pk:06d}"
    assert (new.starts_on, new.ends_on) == (date(2027, 12, 1), date(2028, 11, 30))
    assert (new.course, new.payout_limit, new.facility) == ("facility", 10_000_000, policy.facility)
    assert renewal.renews == policy and renewal.member == issued.member
    assert get_user_model().objects.count() == users  # no new login
    # The corrected details are on the records.
    policy.facility.refresh_from_db()
    assert policy.facility.corporation_name == "医療法人社団あおば会"
    doctor = Doctor.objects.get(pk=issued.doctor.pk)
    assert renewal.doctor == doctor
    assert (doctor.name_kana, doctor.societies) == ("たかはし はなえ", ["jsaps"])
    # Reviewed by the same audited state machine as a new application.
    trail = renewal.transitions.order_by("pk").values_list("name", "by__username")
    assert list(trail) == [("submit", None), ("start_review", "support"), ("approve", "support")]

    [email] = mail.outbox
    assert email.to == ["suzuki@example.jp"]
    assert "継続を承認しました" in email.subject and new.number in email.subject
    assert "2027年12月1日〜2028年11月30日" in email.body
    assert "/accounts/reset/" not in email.body
    assert re.search(r"https?://\S+/mypage/", email.body)

    # The old policy stays in the member's history; the new one follows it.
    periods = member_policies_by_period(user=admin, today=date(2027, 12, 1))
    assert periods.current == [new] and periods.past == [policy]
    with on(date(2027, 12, 1)):
        client.force_login(admin)
        page = client.get("/mypage/").content.decode()
    assert new.number in page and policy.number in page
    # Renewed: nothing more to offer.
    assert not renewal_offers(user=admin, today=date(2027, 12, 1))


def test_the_member_is_told_of_the_approval_until_the_new_period_begins(
    renew, decide, admin, policy
):
    renew(admin, policy)
    renewal = decide(decide(Application.objects.get(renews=policy), "start_review"), "approve")
    assert "の継続を承認しました" in _offer_html(admin, date(2027, 11, 2))
    assert f"新しい証券番号 {renewal.policy.number}" in _offer_html(admin, date(2027, 11, 30))
    assert _offer_html(admin, date(2027, 12, 1)).strip() == ""  # the new policy is in force


def test_a_late_renewal_is_approved_with_its_gap(renew, decide, admin, policy):
    renew(admin, policy, day=date(2027, 12, 20))
    renewal = decide(decide(Application.objects.get(renews=policy), "start_review"), "approve")
    new = renewal.policy
    assert new.number == f"F-2028-R{renewal.pk:06d}"
    assert not new.covers(date(2028, 1, 15)) and not policy.covers(date(2028, 1, 15))
    assert new.covers(date(2028, 2, 1))
    assert "2027年12月1日〜2028年1月31日は補償の対象外" in mail.outbox[-1].body


def test_a_returned_renewal_is_emailed_with_the_link_to_renew_again(renew, decide, admin, policy):
    renew(admin, policy)
    renewal = decide(Application.objects.get(renews=policy), "start_review")
    decide(renewal, "send_back", note="会員番号をご確認ください。")
    email = mail.outbox[-1]
    assert "内容についてのお願い" in email.subject
    assert "会員番号をご確認ください。" in email.body
    assert f"/mypage/renewal/{policy.number}/" in email.body
    # 差戻し frees the policy: the renewal is offered again and may be sent again.
    assert renewal_offers(user=admin, today=ON_TIME).offers
    renew(admin, policy, changes={"membership_number": ["A-12346"]})
    assert Application.objects.filter(renews=policy, state="received").count() == 1


def test_a_rejected_renewal_is_emailed_with_the_reason(renew, decide, admin, policy):
    renew(admin, policy)
    renewal = decide(Application.objects.get(renews=policy), "start_review")
    decide(renewal, "reject", note="所属学会が確認できませんでした。")
    email = mail.outbox[-1]
    assert "審査結果" in email.subject
    assert "継続をお受けできない" in email.body
    assert "所属学会が確認できませんでした。" in email.body


def test_a_doctor_renews_their_own_policy(submit, doctor_fields, support, renew, decide, client):
    application = submit(doctor_fields, applied_on=date(2026, 11, 1))
    application_transition(application=application, name="start_review", by=support)
    application_transition(application=application, name="approve", by=support)
    policy, doctor = application.policy, application.doctor
    user = application.member.user

    form_page, _, done = renew(user, policy, changes={"applicant_name": ["伊藤 健一"]})
    assert "いとう けん" in form_page.content.decode()
    renewal = decide(decide(Application.objects.get(renews=policy), "start_review"), "approve")
    assert renewal.policy.number == f"D-2027-R{renewal.pk:06d}"
    assert renewal.policy.doctor == doctor
    doctor.refresh_from_db()
    assert doctor.name == "伊藤 健一"  # the insured doctor's name, corrected


def test_a_policy_issued_by_staff_asks_only_for_what_no_record_holds(
    client, make_user, facility, doctor, renew
):
    user = make_user("clinic-admin", roles.MEMBERS, last_name="佐藤 花")
    MemberProfile.objects.create(user=user, facility=facility)
    policy = Policy.objects.create(
        number="F-2026-S1", course="facility", facility=facility, payout_limit=5_000_000,
        starts_on=date(2026, 12, 1), ends_on=date(2027, 11, 30),
    )  # fmt: skip
    form_page, page, done = renew(user, policy)
    assert done is None
    assert "当協会の会員番号を入力してください。" in text(page)
    # What the records hold was kept, the rest is asked.
    values = form_values(page)
    assert values["facility_name"] == ["さくら美容クリニック"]
    assert values["doctor_name"] == ["山田 太郎"]
    assert values["applicant_name"] == ["佐藤 花"]


def test_cover_that_already_continues_is_not_offered_again(client, admin, policy):
    Policy.objects.create(
        number="F-2027-S9", course="facility", facility=policy.facility, payout_limit=1_000_000,
        starts_on=date(2027, 12, 1), ends_on=date(2028, 11, 30),
    )  # fmt: skip
    assert not renewal_offers(user=admin, today=ON_TIME)
    with on(ON_TIME):
        client.force_login(admin)
        response = client.get(f"/mypage/renewal/{policy.number}/")
    assert "続く保険期間のご契約が既にあります" in text(response)
