"""Issue 14 attacked as a hostile or careless user would: facility staff logins (スタッフ管理)
and the renewal (継続), through the pages with Django's test client.

A test marked xfail(strict=True) demonstrates a defect still in the code (its reason says which);
the others are attacks that held.
"""

import csv
import io
import re
import threading
from datetime import date, datetime, time
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client

from casework import facility_staff, roles
from casework.choices import Course, FacilityRole
from casework.enrollment.models import Application, RenewalReminder
from casework.enrollment.permissions import (
    renewal_round_permissions_sync,
    review_permissions_sync,
)
from casework.enrollment.reminders import reminders_send
from casework.enrollment.services import application_submit, application_transition
from casework.facility_staff import EMAIL_TAKEN
from casework.models import Case, Doctor, Facility, MemberProfile, Policy
from tests.casework.staff_logins import PASSWORD, invitation_link, invite, set_password

pytestmark = pytest.mark.django_db

User = get_user_model()
TOKYO = ZoneInfo("Asia/Tokyo")
# The policy of the `policy` fixture ends on 30 November 2026: its round's offer is open.
ROUND_OPEN = date(2026, 10, 20)


def on(day: date, at: time = time(12)):
    """`at` in Tokyo on `day`, frozen."""
    return time_machine.travel(datetime.combine(day, at, tzinfo=TOKYO), tick=False)


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture(autouse=True)
def _permissions(_reference_data):
    review_permissions_sync(apps)
    renewal_round_permissions_sync(apps)


@pytest.fixture
def login(make_user, facility):
    """A login of `facility_` (the member's facility by default) with `role`."""

    def make(username, role=FacilityRole.ADMIN, *, facility_=None, **fields):
        user = make_user(username, roles.MEMBERS, **fields)
        MemberProfile.objects.create(user=user, facility=facility_ or facility, role=role)
        return user

    return make


@pytest.fixture
def pending(member, client, django_capture_on_commit_callbacks):
    """A colleague the member (the facility's 管理者) invited, who has not set a password."""
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, email="pending@sakura.example.jp", role=FacilityRole.ADMIN)
    client.logout()
    return MemberProfile.objects.get(user__email="pending@sakura.example.jp")


def _logs_in(email, password=PASSWORD) -> bool:
    client = Client()
    response = client.post("/accounts/login/", {"username": email, "password": password})
    return response.status_code == 302 and client.get("/mypage/").status_code == 200


# --- A colleague whose role may not, posting directly -----------------------------------------


@pytest.mark.parametrize("role", [FacilityRole.REPORTER, FacilityRole.READER])
def test_a_reporter_or_reader_posting_every_admin_action_is_refused(
    client, login, member, pending, role
):
    me = login("desk", role)
    mine = me.member_profile
    client.force_login(me)
    attempts = [
        ("/mypage/staff/", {"last_name": "侵入", "email": "x@evil.example", "role": "admin"}),
        (f"/mypage/staff/{mine.pk}/role/", {"role": FacilityRole.ADMIN}),  # promote oneself
        (f"/mypage/staff/{member.member_profile.pk}/role/", {"role": FacilityRole.READER}),
        (f"/mypage/staff/{member.member_profile.pk}/remove/", {}),
        (f"/mypage/staff/{pending.pk}/resend/", {}),
        (f"/mypage/staff/{pending.pk}/cancel/", {}),
        (f"/mypage/staff/{pending.pk}/role/", {"role": FacilityRole.READER}),
    ]
    mail.outbox.clear()
    for url, data in attempts:
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert "スタッフの管理は、施設の管理者だけが行えます。" in text(response)
    assert client.get("/mypage/staff/").status_code == 403
    mine.refresh_from_db()
    member.member_profile.refresh_from_db()
    assert mine.role == role and member.member_profile.role == FacilityRole.ADMIN
    assert member.member_profile.removed_at is None
    assert MemberProfile.objects.filter(pk=pending.pk, role=FacilityRole.ADMIN).exists()
    assert not User.objects.filter(email="x@evil.example").exists()
    assert mail.outbox == []


def test_a_reader_posting_every_report_action_is_refused(client, login, report):
    case = report()
    reader = login("reader", FacilityRole.READER)
    client.force_login(reader)
    base = f"/mypage/cases/{case.reference}"
    before = (case.state, case.messages.count(), case.attachments.count(), Case.objects.count())
    for url, data in [
        ("/mypage/report/", {"narrative": "閲覧のみの報告"}),
        (f"{base}/messages/", {"body": "閲覧のみのメッセージ"}),
        (f"{base}/attachments/", {"kind": "other"}),
        (f"{base}/actions/withdraw/", {"note": "取り下げます"}),
        (f"{base}/actions/provide_info/", {"note": "回答します"}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert "閲覧のみ" in text(response)
    case.refresh_from_db()
    after = (case.state, case.messages.count(), case.attachments.count(), Case.objects.count())
    assert after == before
    # What a reader may do, they still can.
    assert client.get(f"{base}/").status_code == 200


def test_an_admin_cannot_take_the_associations_steps_by_naming_them(client, member, report):
    case = report()
    client.force_login(member)
    for name in ("start_triage", "refer_to_review", "close", "no-such-step"):
        response = client.post(f"/mypage/cases/{case.reference}/actions/{name}/", {"note": "x"})
        assert response.status_code == 403, name
    case.refresh_from_db()
    assert case.state == "received"


# --- Another facility's 管理者, guessing numbers ---------------------------------------------


def test_another_facilitys_admin_reaches_none_of_your_logins_or_policies(
    client, other_member, member, pending, policy
):
    client.force_login(other_member)
    yours = member.member_profile.pk
    for url, data in [
        (f"/mypage/staff/{yours}/role/", {"role": FacilityRole.READER}),
        (f"/mypage/staff/{yours}/remove/", {}),
        (f"/mypage/staff/{pending.pk}/resend/", {}),
        (f"/mypage/staff/{pending.pk}/cancel/", {}),
        (f"/mypage/staff/{pending.pk}/role/", {"role": FacilityRole.READER}),
    ]:
        assert client.post(url, data).status_code == 404, url
    with on(ROUND_OPEN):
        for url in (
            f"/mypage/renewal/{policy.number}/",
            f"/mypage/renewal/{policy.number}/received/",
        ):
            assert client.get(url).status_code == 404
            assert client.post(url, {"step": "submit", "agree": "on"}).status_code == 404
    staff_page = client.get("/mypage/staff/").content.decode()
    assert "pending@sakura.example.jp" not in staff_page and f">{member.email}<" not in staff_page
    member.member_profile.refresh_from_db()
    assert member.member_profile.role == FacilityRole.ADMIN
    assert MemberProfile.objects.filter(pk=pending.pk).exists()
    assert not Application.objects.exists()


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999999"])
def test_a_number_no_login_has_is_not_found_not_an_error(client, member, pk):
    client.force_login(member)
    for action in ("role", "remove", "resend", "cancel"):
        assert client.post(f"/mypage/staff/{pk}/{action}/", {"role": "admin"}).status_code == 404


# --- Links and sessions that should be dead ---------------------------------------------------


def test_the_link_of_a_cancelled_invitation_stays_dead_when_the_address_is_invited_again(
    client, member, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client)
    first = invitation_link(mail.outbox[-1])
    cancelled = MemberProfile.objects.get(user__email="hana@sakura.example.jp")
    client.post(f"/mypage/staff/{cancelled.pk}/cancel/")
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, role=FacilityRole.READER)
    second = invitation_link(mail.outbox[-1])
    assert first != second
    client.logout()
    assert "このリンクは無効です" in text(client.get(first, follow=True))
    set_password(client, second)
    assert _logs_in("hana@sakura.example.jp")
    # The second invitation's role, not the cancelled one's.
    assert MemberProfile.objects.get(user__email="hana@sakura.example.jp").role == "reader"


def test_a_reset_link_asked_for_before_removal_gives_no_access_after_it(
    client, member, login, django_capture_on_commit_callbacks
):
    desk = login("desk", FacilityRole.REPORTER)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": desk.email})
    link = invitation_link(mail.outbox[-1])
    client.force_login(member)
    client.post(f"/mypage/staff/{desk.member_profile.pk}/remove/")
    client.logout()
    set_password(client, link)
    assert not _logs_in(desk.email)
    # Nor does 「パスワードをお忘れの方」 send a removed login a new link.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": desk.email})
    assert mail.outbox == []


# --- Odd invitations ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [
        "MEMBER@EXAMPLE.JP",  # the inviter's own, upper-case
        "ｍｅｍｂｅｒ＠ｅｘａｍｐｌｅ．ｊｐ",  # full-width
        "  member@example.jp  ",
        "Ｓｕｐｐｏｒｔ@example.jp",  # the association's staff
        "other_member@example.jp",  # another facility's login
        "gone@example.jp",  # a removed login of this facility
    ],
)
def test_an_address_that_is_already_a_login_in_any_spelling_is_refused(
    client, member, support, other_member, login, email
):
    gone = login("gone")
    gone.member_profile.removed_at, gone.is_active = gone.date_joined, False
    gone.member_profile.save()
    gone.save()
    users = User.objects.count()
    client.force_login(member)
    response = invite(client, email=email)
    assert response.status_code == 200
    assert EMAIL_TAKEN in text(response)
    assert User.objects.count() == users
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("last_name", "長" * 10_000, "姓は150文字以内で入力してください。"),
        ("first_name", "長" * 10_000, "名は150文字以内で入力してください。"),
        ("email", "a" * 10_000 + "@example.jp", "メールアドレス"),
        ("last_name", "受付\x00", "姓："),  # Django's own wording, in Japanese
        (
            "email",
            "hana@sakura.example.jp\nBcc: all@example.jp",
            "メールアドレスの形式が正しくありません。",
        ),
        ("role", "superadmin", "役割は一覧から選んでください。"),
    ],
)
def test_absurd_invitation_input_is_refused_in_japanese_and_kept(
    client, member, field, value, message
):
    client.force_login(member)
    response = invite(client, **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MemberProfile.objects.filter(invited_at__isnull=False).exists()
    assert mail.outbox == []


MARKUP = "<img src=x onerror=alert(1)>'\");//"


def test_markup_in_a_colleagues_name_is_text_on_every_page_and_plain_in_the_email(
    client, member, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, last_name=MARKUP, first_name="</script>")
    (invitation,) = mail.outbox
    assert f"{MARKUP} </script> 様" in invitation.body  # plain text: as typed, not &lt;
    flash_and_list = client.get("/mypage/staff/").content.decode()
    assert "<img src=x" not in flash_and_list and "</script> 様" not in flash_and_list
    assert "&lt;img src=x onerror=alert(1)&gt;" in flash_and_list
    # The confirm() of 招待を取り消す: the name cannot close the JavaScript string.
    assert (
        "confirm('\\u003Cimg src\\u003Dx onerror\\u003Dalert(1)\\u003E\\u0027\\u0022)"
        in flash_and_list
    )
    client.logout()
    set_password(client, invitation_link(invitation))
    invitee = MemberProfile.objects.get(user__email="hana@sakura.example.jp")
    client.force_login(member)
    client.post(f"/mypage/staff/{invitee.pk}/remove/")
    removed = client.get("/mypage/staff/").content.decode()
    assert "<img src=x" not in removed and "削除したログイン（1人）" in removed


# --- The staff's round: CSV and hand-edited addresses -----------------------------------------


def _round_policy(number, *, facility_name, doctor_name=None) -> Policy:
    facility = Facility.objects.create(name=facility_name)
    doctor = None
    if doctor_name:
        doctor = Doctor.objects.create(name=doctor_name, societies=["jsaps"])
        doctor.workplaces.add(facility)
    return Policy.objects.create(
        number=number,
        course=Course.DOCTOR if doctor else Course.FACILITY,
        facility=facility,
        doctor=doctor,
        payout_limit=10_000_000,
        starts_on=date(2025, 12, 1),
        ends_on=date(2026, 11, 30),
    )


def test_no_name_in_the_round_csv_is_run_as_a_formula(client, support):
    names = {
        "F-2026-901": ('=HYPERLINK("http://evil.example","開く")', None),
        "F-2026-902": ("+1+1", None),
        "F-2026-903": ("\x01=cmd|' /C calc'!A0", None),  # a control character in front
        "D-2026-904": ("@SUM(1+1)", "-2+3"),
        "D-2026-905": ("\tみなと皮膚科", "\r=1"),
    }
    for number, (facility, doctor) in names.items():
        _round_policy(number, facility_name=facility, doctor_name=doctor)
    client.force_login(support)
    with on(ROUND_OPEN):
        response = client.get("/admin/renewals/csv/")
    body = b"".join(response.streaming_content).decode("utf-8")
    rows = {row[0]: row for row in csv.reader(io.StringIO(body.removeprefix("\ufeff")))}
    for number in names:
        facility_cell, doctor_cell = rows[number][2], rows[number][3]
        for cell in (facility_cell, doctor_cell):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (number, cell)
    assert rows["F-2026-903"][2] == "'=cmd|' /C calc'!A0"
    assert rows["F-2026-901"][2].startswith("'=HYPERLINK(")
    assert rows["D-2026-904"][3] == "'-2+3"


@pytest.mark.parametrize(
    "year",
    [
        "²",
        "２０２６",
        "2026 ",
        "-1",
        "99999999999999999999",
    ],
)
def test_a_hand_edited_year_falls_back_to_the_current_round(client, support, year):
    _round_policy("F-2026-001", facility_name="さくら美容クリニック")
    client.force_login(support)
    with on(ROUND_OPEN):
        page = client.get("/admin/renewals/", {"year": year})
        csv_response = client.get("/admin/renewals/csv/", {"year": year})
    assert page.status_code == 200 and "F-2026-001" in page.content.decode()
    assert csv_response.status_code == 200
    assert "F-2026-001" in b"".join(csv_response.streaming_content).decode()


# --- Renewal (継続) tampered with -------------------------------------------------------------


def _renewal_values(**overrides) -> dict:
    """Everything the renewal form of the `policy` fixture (開設者コース) posts, filled in."""
    return {
        "step": "confirm",
        "payout_limit": "10000000",
        "membership_number": "A-12345",
        "applicant_role": "opener",
        "applicant_name": "日向 さやか",
        "applicant_name_kana": "ひなた さやか",
        "email": "member@example.jp",
        "phone": "03-1234-5678",
        "facility_name": "さくら美容クリニック",
        "corporation_name": "医療法人さくら会",
        "prefecture": "東京都",
        "is_main_clinic": "yes",
        "qualifying_role": "opener",
        "doctor_name": "山田 太郎",
        "doctor_name_kana": "やまだ たろう",
        "doctor_is_doctor": "yes",
        "societies": ["jsaps"],
        **overrides,
    }


SUBMIT = {"step": "submit", "agree": "on", "privacy_consent": "on"}


class _HiddenValues(HTMLParser):
    """The hidden fields of a page's forms, as a browser would post them."""

    def __init__(self):
        super().__init__()
        self.values = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.values.setdefault(attrs["name"], []).append(attrs.get("value") or "")


def _agreed(confirmation, **tampered) -> dict:
    """What the confirmation page posts when its boxes are ticked (plus `tampered`)."""
    parser = _HiddenValues()
    parser.feed(confirmation.content.decode())
    values = {k: v for k, v in parser.values.items() if k != "csrfmiddlewaretoken"}
    return values | {"agree": "on", "privacy_consent": "on"} | tampered


@pytest.mark.parametrize("limit", ["999999999", "0", "-10000000", "1e7", "10000000.5", ""])
def test_a_limit_outside_the_list_is_refused_in_japanese(client, member, policy, limit):
    client.force_login(member)
    with on(ROUND_OPEN):
        for step in ({}, SUBMIT):
            response = client.post(
                f"/mypage/renewal/{policy.number}/", _renewal_values(payout_limit=limit) | step
            )
            assert response.status_code == 200
            assert "支払限度額を" in text(response)
    assert not Application.objects.exists()


def test_fields_the_form_does_not_offer_are_ignored(client, member, policy, other_facility):
    others = Policy.objects.create(
        number="F-2026-777", course=Course.FACILITY, facility=other_facility,
        payout_limit=20_000_000, starts_on=date(2025, 12, 1), ends_on=date(2026, 11, 30),
    )  # fmt: skip
    tampered = {
        "course": Course.DOCTOR,
        "renews": str(others.pk),
        "renews_id": str(others.pk),
        "member": "1",
        "state": "approved",
        "coverage_starts_on": "2026-01-01",
        "coverage_ends_on": "2030-11-30",
    }
    url = f"/mypage/renewal/{policy.number}/"
    client.force_login(member)
    with on(ROUND_OPEN):
        confirmation = client.post(url, _renewal_values(**tampered))
        response = client.post(url, _agreed(confirmation, **tampered))
    assert response.status_code == 302
    (renewal,) = Application.objects.all()
    assert renewal.renews == policy and renewal.course == Course.FACILITY
    assert renewal.state == "received" and renewal.member.user == member
    assert (renewal.coverage_starts_on, renewal.coverage_ends_on) == (
        date(2026, 12, 1),
        date(2027, 11, 30),
    )
    assert not Application.objects.filter(renews=others).exists()


def test_two_tabs_with_different_limits_make_one_renewal_the_first(client, member, policy):
    url = f"/mypage/renewal/{policy.number}/"
    client.force_login(member)
    with on(ROUND_OPEN):
        tab_one = client.post(url, _renewal_values(payout_limit="10000000"))
        tab_two = client.post(url, _renewal_values(payout_limit="20000000"))
        first, second = client.post(url, _agreed(tab_one)), client.post(url, _agreed(tab_two))
    assert first.status_code == 302
    assert second.status_code == 200 and "既に受け付けています" in text(second)
    (renewal,) = Application.objects.all()
    assert renewal.payout_limit == 10_000_000


@pytest.mark.parametrize(
    ("ends_on", "day", "message"),
    [
        (date(2026, 6, 30), ROUND_OPEN, "継続のお手続きの対象ではありません"),
        (date(2024, 11, 30), ROUND_OPEN, "継続のお手続きの期限（2025年5月31日）を過ぎています"),
        (date(2026, 11, 30), date(2026, 9, 30), "2026年10月1日から承ります"),
        (
            date(2025, 11, 30),
            date(2026, 6, 1),
            "継続のお手続きの期限（2026年5月31日）を過ぎています",
        ),
    ],
)
def test_a_policy_not_up_for_renewal_cannot_be_renewed_by_posting(
    client, member, facility, ends_on, day, message
):
    odd = Policy.objects.create(
        number="F-ODD-1", course=Course.FACILITY, facility=facility, payout_limit=10_000_000,
        starts_on=date(ends_on.year - 1, 12, 1), ends_on=ends_on,
    )  # fmt: skip
    client.force_login(member)
    with on(day):
        response = client.post(f"/mypage/renewal/{odd.number}/", _renewal_values() | SUBMIT)
    assert response.status_code == 200 and message in text(response)
    assert not Application.objects.exists()


def test_a_form_opened_on_31_may_and_sent_on_1_june_is_refused_with_the_reason(
    client, member, policy
):
    url = f"/mypage/renewal/{policy.number}/"
    with on(date(2027, 5, 31), time(23, 59)):
        client.force_login(member)
        confirm = client.post(url, _renewal_values())
    assert "2027年7月1日" in text(confirm)  # the later start of a lapsed policy, shown
    with on(date(2027, 6, 1), time(0, 1)):
        response = client.post(url, _agreed(confirm))
    assert "継続のお手続きの期限（2027年5月31日）を過ぎています" in text(response)
    assert not Application.objects.exists()


def test_a_confirmation_shown_before_the_deadline_and_sent_after_it_shows_the_new_period(
    client, member, policy
):
    url = f"/mypage/renewal/{policy.number}/"
    client.force_login(member)
    with on(date(2026, 11, 10), time(23, 58)):
        confirm = client.post(url, _renewal_values())
    assert "2026年12月1日" in text(confirm)
    with on(date(2026, 11, 11), time(0, 1)):
        response = client.post(url, _agreed(confirm))
    # What the member agreed to is no longer what would be saved: they are shown it first.
    assert not Application.objects.exists()
    assert response.status_code == 200 and "2027年1月1日" in text(response)


# --- 施術医コース: the doctor's own cover inside a facility's logins -------------------------


@pytest.fixture
def doctors_policy(doctor, facility):
    return Policy.objects.create(
        number="D-2026-001", course=Course.DOCTOR, facility=facility, doctor=doctor,
        payout_limit=5_000_000, starts_on=date(2025, 12, 1), ends_on=date(2026, 11, 30),
    )  # fmt: skip


@pytest.fixture
def doctors_login(login, doctor):
    """The insured doctor's own login at the facility, where the member is also 管理者."""
    user = login("dr-yamada", FacilityRole.ADMIN, last_name="山田", first_name="太郎")
    user.member_profile.doctor = doctor
    user.member_profile.save()
    return user


def test_a_facility_admin_not_tied_to_the_doctor_cannot_renew_the_doctors_cover(
    client, member, doctors_policy, doctors_login
):
    client.force_login(member)
    with on(ROUND_OPEN):
        for url in (
            f"/mypage/renewal/{doctors_policy.number}/",
            f"/mypage/renewal/{doctors_policy.number}/received/",
        ):
            assert client.get(url).status_code == 404
        response = client.post(
            f"/mypage/renewal/{doctors_policy.number}/", _renewal_values() | SUBMIT
        )
        assert response.status_code == 404
        assert "D-2026-001" not in client.get("/mypage/").content.decode()
        client.force_login(doctors_login)  # the doctor, 管理者 too, may
        assert (
            'name="step"'
            in client.get(f"/mypage/renewal/{doctors_policy.number}/").content.decode()
        )
    assert not Application.objects.exists()


def test_a_doctor_who_is_not_the_facilitys_admin_can_still_renew_their_own_cover(
    client, member, doctors_policy, doctors_login
):
    client.force_login(member)
    client.post(
        f"/mypage/staff/{doctors_login.member_profile.pk}/role/", {"role": FacilityRole.REPORTER}
    )
    url = f"/mypage/renewal/{doctors_policy.number}/"
    with on(ROUND_OPEN):
        assert client.get(url).status_code == 404  # the facility's 管理者 may not (not theirs)
        client.force_login(doctors_login)
        response = client.get(url)
    assert response.status_code == 200 and 'name="step"' in response.content.decode()


@pytest.fixture
def two_doctors(doctor_fields, support):
    """Two doctors of one clinic (みなと皮膚科), each with their own 施術医コース policy issued
    through /join/ (伊藤 first, 会員番号 B-777; then 佐々木, B-888)."""
    issued = []
    for fields in (
        doctor_fields,
        doctor_fields | {"applicant_name": "佐々木 恵", "applicant_name_kana": "ささき めぐみ",
                         "doctor_name": "佐々木 恵", "doctor_name_kana": "ささき めぐみ",
                         "email": "sasaki@example.jp", "phone": "090-2222-3333",
                         "membership_number": "B-888"},
    ):  # fmt: skip
        application = application_submit(fields=fields, applied_on=date(2025, 11, 1))
        application_transition(application=application, name="start_review", by=support)
        application_transition(application=application, name="approve", by=support)
        application.refresh_from_db()
        issued.append(application)
    assert issued[0].policy.facility == issued[1].policy.facility
    return issued


def test_a_doctors_renewal_is_prefilled_with_their_own_membership_number(client, two_doctors):
    ito, sasaki = two_doctors
    with on(ROUND_OPEN):
        client.force_login(ito.member.user)
        page = client.get(f"/mypage/renewal/{ito.policy.number}/").content.decode()
    assert 'value="B-888"' not in page  # another doctor's number, shown and sent unless noticed
    assert 'value="B-777"' in page


def test_a_colleague_who_renews_is_not_prefilled_with_the_openers_standing(client, login, support):
    fields = {
        "course": "facility", "payout_limit": 10_000_000, "membership_number": "A-12345",
        "applicant_role": "chair", "applicant_name": "鈴木 一郎",
        "applicant_name_kana": "すずき いちろう", "email": "suzuki@example.jp",
        "phone": "03-1234-5678", "facility_name": "あおば美容クリニック",
        "corporation_name": "医療法人あおば会", "prefecture": "東京都", "is_main_clinic": True,
        "qualifying_role": "responsible", "doctor_name": "高橋 花子",
        "doctor_name_kana": "たかはし はなこ", "doctor_is_doctor": True, "societies": ["jsaps"],
    }  # fmt: skip
    application = application_submit(fields=fields, applied_on=date(2025, 11, 1))
    application_transition(application=application, name="start_review", by=support)
    application_transition(application=application, name="approve", by=support)
    application.refresh_from_db()
    desk = login("desk", facility_=application.policy.facility, last_name="受付", first_name="はな")
    with on(ROUND_OPEN):
        client.force_login(desk)
        page = client.get(f"/mypage/renewal/{application.policy.number}/").content.decode()
    assert 'value="受付 はな"' in page  # the applicant is the colleague now
    assert not re.search(r'name="applicant_role" value="chair"[^>]*checked', page)


# --- Reminders: who is written to -------------------------------------------------------------

REMINDER_DAY = date(2026, 11, 5)  # the step 7 days before the 10 November deadline


def _reminded() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def test_reminders_go_to_no_reporter_reader_or_removed_login(member, policy, login, client):
    login("desk", FacilityRole.REPORTER)
    login("reader", FacilityRole.READER)
    gone = login("gone")
    client.force_login(member)
    client.post(f"/mypage/staff/{gone.member_profile.pk}/remove/")
    mail.outbox.clear()
    assert reminders_send(today=REMINDER_DAY) == 1
    assert _reminded() == {member.email}


def test_an_invited_admin_who_has_not_set_a_password_is_not_reminded(member, policy, pending):
    mail.outbox.clear()
    reminders_send(today=REMINDER_DAY)
    assert _reminded() == {member.email}


def test_a_removed_admin_reactivated_by_mistake_is_not_reminded(member, policy, login, client):
    gone = login("gone")
    client.force_login(member)
    client.post(f"/mypage/staff/{gone.member_profile.pk}/remove/")
    gone.refresh_from_db()
    gone.is_active = True  # in the admin, by mistake
    gone.save()
    client.force_login(gone)
    assert client.get("/mypage/").status_code == 403  # マイページ still refuses it
    mail.outbox.clear()
    reminders_send(today=REMINDER_DAY)
    assert _reminded() == {member.email}


def test_a_doctors_reminder_goes_only_to_a_login_that_can_renew_it(
    client, member, doctors_policy, doctors_login
):
    mail.outbox.clear()
    reminders_send(today=REMINDER_DAY)
    assert RenewalReminder.objects.filter(policy=doctors_policy).exists()
    with on(REMINDER_DAY):
        client.force_login(member)
        assert client.get(f"/mypage/renewal/{doctors_policy.number}/").status_code == 404
    assert _reminded() == {doctors_login.email}


# --- The last 管理者, and a 管理者 demoted with a page open -----------------------------------


def test_an_invited_admin_who_never_logged_in_does_not_let_the_last_admin_step_down(
    client, member, pending
):
    client.force_login(member)
    mine = member.member_profile.pk
    for url, data in [
        (f"/mypage/staff/{mine}/role/", {"role": FacilityRole.READER}),
        (f"/mypage/staff/{mine}/remove/", {}),
    ]:
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert "この操作はできません" in text(response) or "削除できません" in text(response)
    member.member_profile.refresh_from_db()
    assert member.member_profile.role == FacilityRole.ADMIN
    assert member.member_profile.removed_at is None and member.is_active


def test_a_renewal_confirmed_by_an_admin_demoted_meanwhile_is_refused(
    client, member, login, policy
):
    other_admin = login("boss")
    url = f"/mypage/renewal/{policy.number}/"
    with on(ROUND_OPEN):
        client.force_login(member)
        confirmation = client.post(url, _renewal_values())
        assert 'name="agree"' in confirmation.content.decode()
        boss = Client()
        boss.force_login(other_admin)
        boss.post(f"/mypage/staff/{member.member_profile.pk}/role/", {"role": "reporter"})
        response = client.post(url, _agreed(confirmation))
    assert response.status_code == 403
    assert not Application.objects.exists()


# --- One login per address, whichever way it was made ----------------------------------------


def test_an_application_with_a_colleague_s_address_is_not_approved_into_a_second_login(
    client, member, support, django_capture_on_commit_callbacks, doctor_fields
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, email="ito@example.jp", last_name="伊藤", first_name="健")
    client.logout()
    set_password(client, invitation_link(mail.outbox[-1]))
    assert _logs_in("ito@example.jp")
    # The same person applies for their own 施術医コース, at the other clinic where they work.
    application = application_submit(fields=doctor_fields, applied_on=date(2026, 11, 1))
    application_transition(application=application, name="start_review", by=support)
    with pytest.raises(ValidationError, match="別の施設のログインで既に使われています"):
        application_transition(application=application, name="approve", by=support)
    application.refresh_from_db()
    assert application.state == "in_review" and application.policy is None
    assert User.objects.filter(email__iexact="ito@example.jp").count() == 1
    assert _logs_in("ito@example.jp")


def test_markup_in_a_renewals_facility_name_is_text_on_the_confirmation_and_the_round(
    client, member, policy, support
):
    url = f"/mypage/renewal/{policy.number}/"
    with on(ROUND_OPEN):
        client.force_login(member)
        confirm = client.post(url, _renewal_values(facility_name=MARKUP))
        assert "<img src=x" not in confirm.content.decode()
        assert client.post(url, _agreed(confirm)).status_code == 302
        application = Application.objects.get()
        application_transition(application=application, name="start_review", by=support)
        application_transition(application=application, name="approve", by=support)
        client.force_login(support)
        round_page = client.get("/admin/renewals/").content.decode()
    policy.facility.refresh_from_db()
    assert policy.facility.name == MARKUP  # the correction was taken as typed
    assert "<img src=x" not in round_page and "&lt;img src=x" in round_page


def test_a_case_reference_with_a_nul_is_not_found_not_an_error(client, member):
    client.force_login(member)
    for url in ("/mypage/cases/%00/", "/mypage/cases/2026-0001%00/messages/"):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "number",
    [
        "x" * 10_000,
        "%00",
        "F-2026-001%00",
        "%E3%81%82",
    ],
)
def test_a_renewal_number_no_policy_has_is_not_found_not_an_error(client, member, policy, number):
    with on(ROUND_OPEN):
        client.force_login(member)
        for url in (f"/mypage/renewal/{number}/", f"/mypage/renewal/{number}/received/"):
            assert client.get(url).status_code == 404
            assert client.post(url, _renewal_values() | SUBMIT).status_code == 404
    assert not Application.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real row-level races need PostgreSQL"
)
def test_two_facilities_inviting_one_address_at_once_make_one_login(
    member, other_member, monkeypatch
):
    barrier = threading.Barrier(2)
    checked = facility_staff._email_taken_message

    def both_checked_before_either_saves(email, facility_id):
        problem = checked(email, facility_id)
        try:
            barrier.wait(timeout=5)
        except threading.BrokenBarrierError:
            pass  # one waits on a lock the other holds: taken one after the other
        return problem

    monkeypatch.setattr(facility_staff, "_email_taken_message", both_checked_before_either_saves)
    statuses = []

    def invite_as(user):
        client = Client()
        client.force_login(user)
        try:
            statuses.append(invite(client, email="shared@example.jp").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=invite_as, args=(user,)) for user in (member, other_member)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 302]  # one invited, the other told the address is taken
    assert User.objects.filter(email__iexact="shared@example.jp").count() == 1


def test_a_pending_invitation_in_another_spelling_is_pointed_to_resend(client, member, pending):
    client.force_login(member)
    response = invite(client, email="ＰＥＮＤＩＮＧ＠Sakura.Example.jp")
    assert "既に招待を送っています" in text(response)
    assert (
        MemberProfile.objects.filter(user__email__iexact="pending@sakura.example.jp").count() == 1
    )


def test_a_forged_cross_site_post_changes_nobody(member, login):
    desk = login("desk", FacilityRole.REPORTER)
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(member)
    for url, data in [
        (f"/mypage/staff/{desk.member_profile.pk}/role/", {"role": FacilityRole.ADMIN}),
        (f"/mypage/staff/{desk.member_profile.pk}/remove/", {}),
        ("/mypage/staff/", {"last_name": "x", "email": "x@evil.example", "role": "admin"}),
    ]:
        assert forged.post(url, data).status_code == 403
    desk.member_profile.refresh_from_db()
    assert desk.member_profile.role == FacilityRole.REPORTER
    assert desk.member_profile.removed_at is None
    assert not User.objects.filter(email="x@evil.example").exists()
