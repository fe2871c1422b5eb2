"""Who is told what, through the task queue: the office, the member, the applicant; links to the
right page; no patient data; retries, the failures the office administrators see."""

import os
import re
import subprocess
import sys
from smtplib import SMTPServerDisconnected

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from casework import roles, tasks
from casework.choices import ComplaintType, FacilityRole
from casework.enrollment.services import application_submit, application_transition
from casework.facility_staff import colleague_remove
from casework.models import MemberProfile, NotificationFailure, NotificationFailureKind
from casework.services import attachment_add, case_transition, message_post

pytestmark = pytest.mark.django_db

SITE = "https://amrm.example.jp"
OFFICE = ["office@amrm.example.jp", "support-desk@amrm.example.jp"]
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
# Patient data no e-mail may carry, each a string found nowhere else.
PATIENT = {
    "name": "漏洩禁止 花子",
    "name_kana": "ろうえいきんし はなこ",
    "phone": "099-8765-4321",
    "email": "leak-patient@example.org",
    "age": 87,
}
NARRATIVE = "経緯マーカー：術後の腫れについて長時間の電話があった。"
DEMANDS = "要求マーカー：慰謝料"


@pytest.fixture(autouse=True)
def _addresses(settings):
    settings.SITE_URL = SITE
    settings.ASSOCIATION_OFFICE_EMAILS = OFFICE


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run `action` as a request would (its commit runs the queued tasks) and return the
    e-mails it sent, by recipient: "office", "member" or the address."""

    def run(action, *args, **kwargs):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = action(*args, **kwargs)
        by_recipient = {}
        for message in mail.outbox:
            key = {tuple(OFFICE): "office", ("member@example.jp",): "member"}.get(
                tuple(message.to), ", ".join(message.to)
            )
            by_recipient.setdefault(key, []).append(message)
        return result, by_recipient

    return run


@pytest.fixture
def reported(report, member, sent):
    """A case reported by 日向 さやか with distinctive patient data; its e-mails."""
    member.last_name, member.first_name = "日向", "さやか"
    member.save()

    def make(**overrides):
        fields = {"patient": PATIENT, "narrative": NARRATIVE, "patient_demands": DEMANDS}
        return sent(report, **{**fields, **overrides})

    return make


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_a_new_complaint_tells_the_office_at_once_and_gives_the_member_a_receipt(reported):
    case, emails = reported()
    [office] = emails.pop("office")
    [receipt] = emails.pop("member")
    assert emails == {}

    assert office.subject == f"新しい苦情の報告（受付番号 {case.reference}）"
    assert _link(office) == f"{SITE}/admin/cases/{case.pk}/"
    assert "さくら美容クリニック" in office.body and "二重瞼" in office.body

    assert receipt.subject == f"【受付番号 {case.reference}】ご報告を受け付けました"
    assert receipt.body.startswith("日向 さやか 様")
    assert f"受付番号：{case.reference}" in receipt.body
    assert _link(receipt) == f"{SITE}/mypage/cases/{case.reference}/"


@pytest.mark.parametrize(
    ("complaint_types", "urgent"),
    [
        ([ComplaintType.SELF_HARM], True),
        ([ComplaintType.RESULT, ComplaintType.LAWSUIT], True),
        ([ComplaintType.ONLINE_POST, ComplaintType.REFUND], False),
    ],
)
def test_self_harm_or_a_lawsuit_marks_the_office_email_urgent(reported, complaint_types, urgent):
    case, emails = reported(complaint_types=complaint_types)
    [office] = emails["office"]
    assert office.subject.startswith("【至急】") is urgent
    assert ("【至急】" in office.body) is urgent
    assert "【至急】" not in emails["member"][0].subject  # the member's receipt is a receipt


def test_staff_state_changes_tell_the_member_and_the_member_s_answers_tell_the_office(
    reported, support, member, sent
):
    case, _ = reported()
    case, emails = sent(case_transition, case=case, name="start_triage", by=support)
    assert list(emails) == ["member"]
    [changed] = emails["member"]
    assert changed.subject == f"【受付番号 {case.reference}】状況が「初期対応」になりました"
    assert _link(changed) == f"{SITE}/mypage/cases/{case.reference}/"

    case, _ = sent(case_transition, case=case, name="request_info", by=support)
    case, emails = sent(
        case_transition, case=case, name="provide_info", by=member, note=PATIENT["name"]
    )
    [office] = emails["office"]
    assert office.subject == f"会員が「追加資料を提出」を行いました（受付番号 {case.reference}）"
    assert _link(office) == f"{SITE}/admin/cases/{case.pk}/"
    assert len(emails["member"]) == 1  # the state change, as for every other


def test_once_the_reporter_has_left_the_clinic_its_administrators_are_told_instead(
    reported, support, member, make_user, facility, sent
):
    receptionist = make_user("uketsuke", last_name="受付", first_name="花子")
    MemberProfile.objects.create(user=receptionist, facility=facility, role=FacilityRole.REPORTER)
    case, emails = reported(reporter=receptionist)
    assert emails["uketsuke@example.jp"][0].body.startswith("受付 花子 様")

    colleague_remove(by=member, profile_id=receptionist.member_profile.pk)
    _, emails = sent(case_transition, case=case, name="start_triage", by=support)
    [changed] = emails.pop("member")
    assert changed.body.startswith("さくら美容クリニック ご担当者様")
    assert emails == {}  # nothing to the colleague who left


def test_messages_reach_the_other_side_and_internal_notes_nobody(reported, support, member, sent):
    case, _ = reported()
    _, emails = sent(message_post, case=case, author=support, body="写真をお送りください。")
    assert list(emails) == ["member"]
    assert emails["member"][0].subject.endswith("協会からメッセージが届きました")
    assert _link(emails["member"][0]) == f"{SITE}/mypage/cases/{case.reference}/"

    _, emails = sent(message_post, case=case, author=member, body=f"{PATIENT['name']}様の写真")
    assert list(emails) == ["office"]
    assert (
        emails["office"][0].subject
        == f"会員からメッセージが届きました（受付番号 {case.reference}）"
    )
    assert _link(emails["office"][0]) == f"{SITE}/admin/cases/{case.pk}/"

    _, emails = sent(message_post, case=case, author=support, body="職員メモ", internal=True)
    assert emails == {}


def test_a_member_s_upload_tells_the_office_and_a_staff_upload_nobody(
    reported, support, member, sent
):
    case, _ = reported()
    upload = SimpleUploadedFile(f"{PATIENT['name']}.png", PNG)
    _, emails = sent(attachment_add, case=case, by=member, upload=upload, kind="photo")
    [office] = emails["office"]
    assert office.subject == f"会員がファイルを追加しました（受付番号 {case.reference}）"
    assert "写真" in office.body and _link(office) == f"{SITE}/admin/cases/{case.pk}/"

    upload = SimpleUploadedFile("説明資料.png", PNG)
    _, emails = sent(attachment_add, case=case, by=support, upload=upload, kind="document")
    assert emails == {}


def test_an_application_tells_the_office_and_gives_the_applicant_a_receipt(
    sent, doctor_fields, support
):
    application, emails = sent(application_submit, fields=doctor_fields)
    [office] = emails["office"]
    assert office.subject == f"新しい加入申込（申込番号 {application.reference}）"
    assert _link(office) == f"{SITE}/admin/applications/{application.pk}/"
    [receipt] = emails["ito@example.jp"]
    assert application.reference in receipt.subject and SITE in receipt.body

    sent(application_transition, application=application, name="start_review", by=support)
    _, emails = sent(
        application_transition, application=application, name="send_back", by=support, note="要確認"
    )
    assert list(emails) == ["ito@example.jp"]
    assert f"{SITE}/join/" in emails["ito@example.jp"][0].body


def test_no_email_of_a_whole_case_carries_patient_data(
    reported, support, surgeon, lawyer, chair, assessor, member, sent
):
    from casework.services import assessment_compute, opinion_save

    case, emails = reported(complaint_types=[ComplaintType.SELF_HARM, ComplaintType.LAWSUIT])
    everything = [m for messages in emails.values() for m in messages]

    def step(action, **kwargs):
        result, emails = sent(action, **kwargs)
        everything.extend(m for messages in emails.values() for m in messages)
        return result

    upload = SimpleUploadedFile(f"{PATIENT['name']}の写真.png", PNG)
    step(attachment_add, case=case, by=member, upload=upload, kind="photo")
    step(message_post, case=case, author=member, body=f"{PATIENT['name']}さんから電話")
    for name in ("start_triage", "refer_to_review"):
        case = step(case_transition, case=case, name=name, by=support)
    for reviewer in (surgeon, lawyer):
        opinion_save(case=case, reviewer=reviewer, conclusion="liable", text="所見", submit=True)
    case = step(case_transition, case=case, name="decide_liable", by=chair, reasons="過失あり")
    case = step(case_transition, case=case, name="start_assessment", by=assessor)
    step(assessment_compute, case=case, by=assessor, damages=500_000)

    assert len(everything) >= 8
    for message in everything:
        text = message.subject + message.body
        for value in [*map(str, PATIENT.values()), "漏洩禁止", NARRATIVE, DEMANDS, "87歳"]:
            assert value not in text, (value, message.subject)


def test_nothing_is_sent_when_the_transaction_rolls_back(report, support, sent):
    case = report()

    def rolled_back():
        with transaction.atomic():
            case_transition(case=case, name="start_triage", by=support)
            message_post(case=case, author=support, body="送られないメッセージ")
            transaction.set_rollback(True)

    _, emails = sent(rolled_back)
    assert emails == {}


@pytest.fixture
def mail_server_down(monkeypatch):
    attempts = []

    def refuse(**kwargs):
        attempts.append(kwargs["recipient_list"])
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(tasks, "send_mail", refuse)
    return attempts


def test_a_failing_email_is_retried_then_recorded_for_the_office_administrators(
    reported, mail_server_down, client, make_user, support, member, django_user_model
):
    case, emails = reported()
    assert emails == {}
    # The office's notice and the member's receipt, each tried MAX_ATTEMPTS times.
    assert len(mail_server_down) == 2 * tasks.MAX_ATTEMPTS
    failures = NotificationFailure.objects.order_by("recipients")
    assert [(f.kind, f.recipients, f.attempts) for f in failures] == [
        (NotificationFailureKind.EMAIL, "member@example.jp", tasks.MAX_ATTEMPTS),
        (NotificationFailureKind.EMAIL, ", ".join(OFFICE), tasks.MAX_ATTEMPTS),
    ]
    assert "SMTPServerDisconnected" in failures[0].error

    client.force_login(make_user("office", roles.ADMINS))
    listing = client.get("/admin/notification-failures/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert f"【受付番号 {case.reference}】ご報告を受け付けました" in html
    assert "member@example.jp" in html and "メール送信" in html and "試行回数" in html
    detail = client.get(f"/admin/notification-failures/{failures[0].pk}/")
    assert detail.status_code == 200 and "SMTPServerDisconnected" in detail.content.decode()

    for export in ("csv", "xlsx"):
        response = client.get("/admin/notification-failures/", {"export": export})
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        if export == "csv":
            assert "SMTPServerDisconnected" in content.decode("utf-8-sig")

    superuser = django_user_model.objects.create_superuser("root", "root@example.jp", "pw")
    client.force_login(superuser)
    assert client.get("/admin/notification-failures/").status_code == 200
    response = client.get(f"/admin/notification-failures/{failures[0].pk}/")
    assert response.status_code == 200

    # Wagtail refuses other staff by sending them back to the dashboard, members to the login.
    for user in (support, make_user("chair2", roles.CHAIR), make_user("ins2", roles.INSURER)):
        client.force_login(user)
        for url in (
            "/admin/notification-failures/",
            f"/admin/notification-failures/{failures[0].pk}/",
        ):
            response = client.get(url)
            assert (response.status_code, response["Location"]) == (302, "/admin/"), url
    client.force_login(member)
    response = client.get("/admin/notification-failures/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_a_failure_with_a_long_subject_and_error_is_recorded_cut_to_its_columns(monkeypatch):
    def refuse(**kwargs):
        raise SMTPServerDisconnected("拒否" * 600)

    monkeypatch.setattr(tasks, "send_mail", refuse)
    tasks.email_send.enqueue(to=["a@example.jp"], subject="件" * 300, body="本文")
    failure = NotificationFailure.objects.get()
    assert len(failure.about) == 255 and failure.about.endswith("…")
    assert len(failure.error) == 1000 and failure.error.endswith("…")


def _failures(count: int, **fields) -> list[NotificationFailure]:
    values = {
        "kind": NotificationFailureKind.EMAIL,
        "about": "【受付番号 2026-0001】ご報告を受け付けました",
        "recipients": "office@amrm.example.jp",
        "attempts": tasks.MAX_ATTEMPTS,
        "error": "SMTPServerDisconnected: Connection unexpectedly closed",
    }
    return NotificationFailure.objects.bulk_create(
        NotificationFailure(**{**values, **fields}) for _ in range(count)
    )


def failure_urls(failure) -> list[str]:
    from django.urls import reverse

    from casework.notification_viewsets import notification_failure_viewset as viewset

    return [
        reverse(viewset.get_url_name(p.name), args=[failure.pk] if "pk" in str(p.pattern) else [])
        for p in viewset.get_urlpatterns()
    ] + ["/admin/notification-failures/?export=csv", "/admin/notification-failures/?export=xlsx"]


@pytest.mark.parametrize("role", [roles.SUPPORT, roles.REVIEWERS, roles.MEMBERS, None])
def test_only_the_office_administrators_see_the_failures_or_export_them(client, make_user, role):
    [failure] = _failures(1)
    if role:
        client.force_login(make_user("someone", role))
    for url in failure_urls(failure):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (302, 403, 405), (url, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith(("/admin/", "/admin/login/")), url
    assert NotificationFailure.objects.count() == 1


def test_many_long_failures_list_in_pages_short_and_in_full_on_their_own_page(client, make_user):
    recipients = ", ".join(f"office{n}@amrm.example.jp" for n in range(8))
    _failures(
        250,
        about='=HYPERLINK("http://evil.example")' + "長" * 200,
        recipients=recipients,
        error="SMTPRecipientsRefused: " + "x" * 977,
    )
    client.force_login(make_user("office", roles.ADMINS))
    first = client.get("/admin/notification-failures/")
    assert first.status_code == 200
    assert first.context["paginator"].num_pages == 3
    html = first.content.decode()
    assert "office0@amrm.example.jp ほか7件" in html and "office7@" not in html
    assert "長" * 60 not in html  # the subject is cut short in the list
    assert client.get("/admin/notification-failures/", {"p": 3}).status_code == 200

    failure = NotificationFailure.objects.first()
    detail = client.get(f"/admin/notification-failures/{failure.pk}/").content.decode()
    assert "office7@amrm.example.jp" in detail and "x" * 977 in detail
    local = timezone.localtime(failure.at)
    assert f"{local:%Y年%-m月%-d日 %H:%M}" in detail  # Tokyo time, not UTC

    csv = b"".join(
        client.get("/admin/notification-failures/", {"export": "csv"}).streaming_content
    ).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "\n=HYPERLINK" not in csv
    assert "種類" in csv and "メール送信" in csv


def test_a_failing_index_update_is_retried_then_recorded(report, monkeypatch, sent):
    from search.backends import database
    from search.backends.base import SearchUnavailable

    calls = []

    def down(self, documents):
        calls.append(documents)
        raise SearchUnavailable("connection refused")

    monkeypatch.setattr(database.SearchBackend, "index", down)
    case, _ = sent(report)
    assert len(calls) == tasks.MAX_ATTEMPTS
    failure = NotificationFailure.objects.get()
    assert failure.kind == NotificationFailureKind.PRECEDENT_INDEX
    assert failure.about == f"受付番号 {case.reference}"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_with_the_database_backend_emails_wait_in_the_queue_for_the_worker(
    database_queue, reported
):
    case, emails = reported()
    assert emails == {}  # nothing sent in the request
    # Wagtail queues its own (the member's reference index); casework's are these.
    queued = DBTaskResult.objects.filter(task_path__startswith="casework.").order_by("task_path")
    paths = [result.task_path for result in queued]
    assert paths == [
        "casework.tasks.email_send",
        "casework.tasks.email_send",
        "casework.tasks.precedent_index_update",
    ]
    subjects = {result.args_kwargs["kwargs"]["subject"] for result in queued[:2]}
    assert f"【受付番号 {case.reference}】ご報告を受け付けました" in subjects

    # What the worker does with each: run it (here in the test's own process).
    for result in queued:
        result.task.call(**result.args_kwargs["kwargs"])
    assert sorted(m.to[0] for m in mail.outbox) == ["member@example.jp", OFFICE[0]]


def test_with_the_database_backend_a_failed_email_is_tried_again_later(
    database_queue, mail_server_down
):
    before = timezone.now()
    with pytest.raises(SMTPServerDisconnected):
        tasks.email_send.call(to=["member@example.jp"], subject="件名", body="本文")
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after >= before + tasks.RETRY_DELAYS[0]
    assert not NotificationFailure.objects.exists()

    with pytest.raises(SMTPServerDisconnected):
        tasks.email_send.call(
            to=["member@example.jp"], subject="件名", body="本文", attempt=tasks.MAX_ATTEMPTS
        )
    assert DBTaskResult.objects.count() == 1  # no more retries
    assert NotificationFailure.objects.get().attempts == tasks.MAX_ATTEMPTS


@pytest.mark.parametrize(
    ("site_url", "refused"),
    [
        ("https://amrm.example.jp", False),
        ("http://127.0.0.1:8000", True),
        ("http://localhost:8000", True),
        ("http://[::1]/", True),
    ],
)
def test_production_refuses_a_site_address_on_this_machine(site_url, refused):
    env = {
        **os.environ,
        "SECRET_KEY": "x",
        "ALLOWED_HOSTS": "amrm.example.jp",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "SITE_URL": site_url,
    }
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings.production"],
        cwd=settings.BASE_DIR / "site",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ("ImproperlyConfigured" in result.stderr) is refused, result.stderr
    assert (result.returncode != 0) is refused
