"""Approval issues the policy and invites the member; every decision is emailed."""

import re
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from casework.choices import Course
from casework.enrollment.services import DUPLICATE, application_transition
from casework.models import Doctor, Facility, MemberProfile, Policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def decide(support, django_capture_on_commit_callbacks):
    def run(application, name, note=""):
        with django_capture_on_commit_callbacks(execute=True):
            application_transition(application=application, name=name, by=support, note=note)
        return application

    return run


def _approve(application, decide):
    decide(application, "start_review")
    return decide(application, "approve")


def test_approving_a_doctor_application_issues_the_policy_and_invites_the_member(
    submit, doctor_fields, decide, client
):
    application = submit(doctor_fields, applied_on=date(2026, 11, 12))
    _approve(application, decide)

    policy = application.policy
    assert policy.course == Course.DOCTOR
    assert (policy.starts_on, policy.ends_on) == (date(2027, 1, 1), date(2027, 11, 30))
    assert policy.payout_limit == 5_000_000
    assert policy.number == f"D-2027-W{application.pk:06d}"
    assert policy.doctor.name == "伊藤 健"
    assert policy.doctor.societies == ["jda"]
    assert policy.facility.name == "みなと皮膚科"
    assert list(policy.doctor.workplaces.all()) == [policy.facility]
    profile = application.member
    assert (profile.facility, profile.doctor) == (policy.facility, policy.doctor)
    assert profile.user.email == "ito@example.jp"
    assert profile.user.groups.filter(name="会員").exists()

    invitation = mail.outbox[-1]
    assert invitation.to == ["ito@example.jp"]
    assert policy.number in invitation.subject
    assert "2027年1月1日〜2027年11月30日" in invitation.body
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", invitation.body).group(1)

    # The link is Django's password-reset link: it sets the first password once.
    response = client.get(link, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "aoba-clinic-2027", "new_password2": "aoba-clinic-2027"},
    )
    assert response.status_code == 302
    response = client.post(
        "/accounts/login/", {"username": "ito@example.jp", "password": "aoba-clinic-2027"}
    )
    assert response["Location"] == "/mypage/"
    my_page = client.get("/mypage/").content.decode()
    assert policy.number in my_page
    assert "2027年1月1日〜2027年11月30日" in my_page


def test_approval_reuses_the_facility_doctor_and_login_that_exist(submit, facility_fields, decide):
    facility = Facility.objects.create(
        name="あおば美容クリニック　新宿院", corporation_name="医療法人あおば会"
    )
    doctor = Doctor.objects.create(name="高橋　花子", societies=["jaam"])
    doctor.workplaces.add(facility)
    application = _approve(submit(facility_fields), decide)
    assert application.policy.facility == facility
    assert application.policy.doctor is None  # 開設者コース covers the facility
    assert application.doctor == doctor
    doctor.refresh_from_db()
    assert doctor.societies == ["jaam", "jsaps", "jsprs"]

    # The next year's application by the same person reuses the login.
    renewal = _approve(submit(facility_fields, applied_on=date(2027, 11, 1)), decide)
    assert renewal.member == application.member
    assert MemberProfile.objects.count() == 1
    assert Facility.objects.count() == 1
    assert Policy.objects.count() == 2


def test_the_applicant_is_emailed_on_submission_return_and_rejection(
    submit, facility_fields, doctor_fields, decide, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        returned = submit(facility_fields)
    [receipt] = [m for m in mail.outbox if m.to == [returned.email]]
    assert "お申込みを受け付けました" in receipt.subject
    decide(returned, "start_review")
    decide(returned, "send_back", note="会員番号をご確認ください。")
    email = mail.outbox[-1]
    assert "内容についてのお願い" in email.subject
    assert "会員番号をご確認ください。" in email.body
    assert "あらためてオンラインでお申し込みください" in email.body

    rejected = submit(doctor_fields)
    decide(rejected, "start_review")
    decide(rejected, "reject", note="所属学会が確認できませんでした。")
    email = mail.outbox[-1]
    assert "審査結果" in email.subject
    assert "所属学会が確認できませんでした。" in email.body
    # The first submission's receipt and office notice, the return, the rejection: start_review
    # emails nobody (the second submission ran outside the captured commit).
    assert len(mail.outbox) == 4


def test_duplicates_are_refused_until_the_first_is_sent_back(submit, facility_fields, decide):
    first = submit(facility_fields)
    with pytest.raises(ValidationError) as error:
        submit({**facility_fields, "applicant_name": "別の人"}, applied_on=date(2026, 11, 28))
    assert error.value.messages == [DUPLICATE]
    # Another clinic of the corporation, or the next period, is not a duplicate.
    submit(
        {**facility_fields, "facility_name": "あおば美容クリニック 渋谷院", "is_main_clinic": False}
    )
    submit(facility_fields, applied_on=date(2027, 12, 1))
    # 差戻し frees the facility and period: the corrected application is accepted.
    decide(first, "start_review")
    decide(first, "send_back", note="会員番号をご確認ください。")
    submit(facility_fields)


def test_a_policy_already_in_force_makes_an_application_a_duplicate(
    submit, facility_fields, doctor_fields
):
    facility = Facility.objects.create(name="あおば美容クリニック 新宿院")
    Policy.objects.create(
        number="F-1", course=Course.FACILITY, facility=facility, payout_limit=1_000_000,
        starts_on=date(2026, 12, 1), ends_on=date(2027, 11, 30),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        submit(facility_fields)
    assert error.value.messages == [DUPLICATE]
    # A doctor's own cover at that clinic is another matter.
    submit({**doctor_fields, "facility_name": "あおば美容クリニック 新宿院"})
