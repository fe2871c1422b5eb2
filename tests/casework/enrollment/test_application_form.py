"""The public application at /join/: steps, eligibility messages, nothing typed is ever lost."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from casework.enrollment.eligibility import NO_SOCIETY, NOT_A_DOCTOR, NOT_A_MEMBER
from casework.enrollment.models import Application
from casework.enrollment.services import DUPLICATE
from casework.rules import coverage_start, policy_end

pytestmark = pytest.mark.django_db

COURSE = {"course": "facility", "payout_limit": "10000000", "is_member": "yes",
          "membership_number": "A-12345"}  # fmt: skip
APPLICANT = {"applicant_role": "chair", "applicant_name": "鈴木 一郎",
             "applicant_name_kana": "すずき いちろう", "email": "suzuki@example.jp",
             "phone": "03-1234-5678"}  # fmt: skip
FACILITY = {"facility_name": "あおば美容クリニック", "corporation_name": "医療法人あおば会",
            "prefecture": "東京都", "is_main_clinic": "yes"}  # fmt: skip
DOCTOR = {"qualifying_role": "responsible", "doctor_name": "高橋 花子",
          "doctor_name_kana": "たかはし はなこ", "doctor_is_doctor": "yes",
          "societies": ["jsaps"]}  # fmt: skip
CONFIRM = {"agree": "on", "privacy_consent": "on"}


def _text(response) -> str:
    return response.content.decode()


def _fill(client, *steps):
    for name, data in steps:
        response = client.post(f"/join/{name}/", data)
        assert response.status_code == 302, _text(response)
    return response


def _fill_all(client, **overrides):
    steps = [
        ("course", COURSE),
        ("applicant", APPLICANT),
        ("facility", FACILITY),
        ("doctor", DOCTOR),
    ]
    return _fill(client, *[(name, {**data, **overrides.get(name, {})}) for name, data in steps])


def test_the_first_step_shows_the_day_cover_would_start(client):
    response = client.get("/join/")
    assert response.status_code == 200
    starts_on = coverage_start(timezone.localdate())
    assert f"{starts_on.year}年{starts_on.month}月1日" in _text(response)
    assert 'href="/static/css/site.css"' in _text(response)


def test_a_facility_application_goes_through_every_step_and_is_confirmed(
    client, django_capture_on_commit_callbacks
):
    response = _fill_all(client)
    assert response["Location"] == "/join/confirm/"
    confirm = client.get("/join/confirm/")
    html = _text(confirm)
    starts_on = coverage_start(timezone.localdate())
    ends_on = policy_end(starts_on)
    assert f"補償開始日：<strong>{starts_on.year}年{starts_on.month}月1日</strong>" in html
    assert f"{ends_on.year}年11月30日" in html
    assert "本院のため、出資金をお納めいただきます" in html
    assert "医療法人の理事長" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/join/confirm/", CONFIRM)
    assert response["Location"] == "/join/done/"
    application = Application.objects.get()
    assert application.state == "received"
    assert application.coverage_starts_on == starts_on
    done = _text(client.get("/join/done/"))
    assert application.reference in done
    assert f"{starts_on.year}年{starts_on.month}月1日" in done
    [email] = [m for m in mail.outbox if m.to == ["suzuki@example.jp"]]
    assert len(mail.outbox) == 2  # and the office is told (tests/casework/test_notifications.py)
    assert application.reference in email.subject
    assert f"補償開始日：{starts_on.year}年{starts_on.month}月1日" in email.body
    assert "出資金" in email.body
    # The wizard is emptied: a second application starts from a blank form.
    assert "鈴木" not in _text(client.get("/join/applicant/"))


def test_a_validation_error_keeps_everything_typed(client):
    _fill(client, ("course", COURSE))
    response = client.post("/join/applicant/", {**APPLICANT, "email": "not-an-email"})
    assert response.status_code == 200
    html = _text(response)
    assert "メールアドレスの形式が正しくありません。" in html
    assert 'value="鈴木 一郎"' in html
    assert 'value="not-an-email"' in html


def test_going_back_keeps_both_steps(client):
    _fill(client, ("course", COURSE), ("applicant", APPLICANT))
    # Half-typed and invalid, then 戻る: kept, without error messages.
    response = client.post("/join/facility/", {"facility_name": "あおば", "back": "1"})
    assert response["Location"] == "/join/applicant/"
    assert 'value="鈴木 一郎"' in _text(client.get("/join/applicant/"))
    html = _text(client.get("/join/facility/"))
    assert 'value="あおば"' in html
    assert "入力内容をご確認ください" not in html


def test_a_non_member_is_told_to_join_the_association_first(client):
    response = client.post("/join/course/", {**COURSE, "is_member": "no"})
    assert response.status_code == 200
    html = _text(response)
    assert NOT_A_MEMBER in html
    assert 'href="/request/"' in html
    response = client.post("/join/course/", {**COURSE, "membership_number": ""})
    assert "当協会の会員番号を入力してください。" in _text(response)


def test_society_membership_is_required(client):
    _fill(client, ("course", COURSE), ("applicant", APPLICANT), ("facility", FACILITY))
    response = client.post("/join/doctor/", {**DOCTOR, "societies": []})
    assert NO_SOCIETY["facility"] in _text(response)
    response = client.post("/join/doctor/", {**DOCTOR, "doctor_is_doctor": "no"})
    assert NOT_A_DOCTOR in _text(response)


def test_a_chair_must_name_the_corporation(client):
    _fill(client, ("course", COURSE), ("applicant", APPLICANT))
    response = client.post("/join/facility/", {**FACILITY, "corporation_name": ""})
    assert "法人名を入力してください" in _text(response)


def test_the_doctor_course_asks_neither_the_role_nor_the_capital(client):
    _fill(client, ("course", {**COURSE, "course": "doctor"}))
    applicant = _text(client.get("/join/applicant/"))
    assert "applicant_role" not in applicant
    _fill(client, ("applicant", {**APPLICANT, "applicant_role": ""}))
    facility = _text(client.get("/join/facility/"))
    assert "主たる勤務先の施設名" in facility
    assert "is_main_clinic" not in facility
    _fill(client, ("facility", FACILITY), ("doctor", {"societies": ["jda"]}))
    html = _text(client.get("/join/confirm/"))
    assert "施術医コース" in html
    assert "出資金" not in html


def test_a_branch_clinic_owes_no_capital(client):
    _fill_all(client, facility={"is_main_clinic": "no"})
    assert "分院のため不要です" in _text(client.get("/join/confirm/"))


def test_a_duplicate_application_is_refused_with_a_message(client):
    _fill_all(client)
    client.post("/join/confirm/", CONFIRM)
    # The same clinic again, written with full-width spaces and another applicant.
    _fill_all(client, facility={"facility_name": "あおば美容クリニック　"})
    response = client.post("/join/confirm/", CONFIRM)
    assert response.status_code == 200
    assert DUPLICATE in _text(response)
    assert Application.objects.count() == 1
    assert "あおば美容クリニック" in _text(response)  # still all there


def test_later_steps_cannot_be_reached_before_the_earlier_ones(client):
    assert client.get("/join/confirm/")["Location"] == "/join/course/"
    _fill(client, ("course", COURSE))
    assert client.get("/join/doctor/")["Location"] == "/join/applicant/"
    assert client.post("/join/confirm/", CONFIRM)["Location"] == "/join/applicant/"
    assert client.get("/join/done/")["Location"] == "/join/course/"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"course": "gold", "payout_limit": "999", "is_member": "maybe"},
        {"course": ["facility", "doctor"], "payout_limit": "１０００００００"},
        {"membership_number": "x" * 5000, "is_member": "yes"},
    ],
)
def test_bad_input_is_answered_in_japanese_never_with_an_error_page(client, data):
    response = client.post("/join/course/", data)
    assert response.status_code == 200
    assert "入力内容をご確認ください" in _text(response)


def test_tampered_later_steps_and_unknown_steps(client):
    assert client.get("/join/payment/").status_code == 404
    _fill_all(client)
    # Step 1 changed afterwards to something invalid: the confirmation sends the person back.
    client.post("/join/course/", {**COURSE, "course": "gold"})
    response = client.post("/join/confirm/", CONFIRM)
    assert response["Location"] == "/join/course/"
    assert not Application.objects.exists()


def test_the_confirmation_must_be_ticked(client):
    _fill_all(client)
    response = client.post("/join/confirm/", {})
    assert response.status_code == 200
    assert "チェックを入れてください" in _text(response)
    assert re.search(r"高橋 花子", _text(response))


LONGEST = [
    ("course", "membership_number", "会員番号", 32),
    ("applicant", "applicant_name", "氏名", 100),
    ("applicant", "applicant_name_kana", "氏名（よみがな）", 100),
    ("applicant", "phone", "電話番号", 32),
    ("facility", "facility_name", "施設名", 200),
    ("facility", "corporation_name", "法人名（医療法人の場合）", 200),
    ("doctor", "doctor_name", "医師の氏名", 100),
    ("doctor", "doctor_name_kana", "医師の氏名（よみがな）", 100),
]
STEP_DATA = {"course": COURSE, "applicant": APPLICANT, "facility": FACILITY, "doctor": DOCTOR}
EARLIER = ["course", "applicant", "facility", "doctor"]


def _reach(client, step):
    for name in EARLIER[: EARLIER.index(step)]:
        _fill(client, (name, STEP_DATA[name]))


@pytest.mark.parametrize(("step", "field", "label", "limit"), LONGEST)
def test_every_text_field_has_a_length_limit_with_a_japanese_message(
    client, step, field, label, limit
):
    _reach(client, step)
    form = _text(client.get(f"/join/{step}/"))
    assert re.search(rf'name="{field}"[^>]*maxlength="{limit}"', form)

    response = client.post(f"/join/{step}/", {**STEP_DATA[step], field: "あ" * (limit + 1)})
    assert response.status_code == 200
    assert f"{label}は{limit}文字以内で入力してください。" in _text(response)
    assert (
        client.post(f"/join/{step}/", {**STEP_DATA[step], field: "あ" * limit}).status_code == 302
    )


def test_the_email_address_has_a_length_limit_too(client):
    _reach(client, "applicant")
    address = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".jp"  # 312 characters
    response = client.post("/join/applicant/", {**APPLICANT, "email": address})
    assert "メールアドレスは254文字以内で入力してください。" in _text(response)


def test_the_limit_counts_the_text_as_it_will_be_saved(client):
    # ㍿ folds to 株式会社: 30 characters typed are 120 saved, over the 100 allowed.
    _reach(client, "applicant")
    response = client.post("/join/applicant/", {**APPLICANT, "applicant_name": "㍿" * 30})
    assert "氏名は100文字以内で入力してください。" in _text(response)


def test_an_enormous_value_is_not_kept_whole_in_the_session(client):
    response = client.post("/join/course/", {**COURSE, "membership_number": "x" * 100_000})
    assert "会員番号は32文字以内で入力してください。" in _text(response)
    [kept] = client.session["enrollment"]["course"]["membership_number"]
    assert 32 < len(kept) <= 1000
