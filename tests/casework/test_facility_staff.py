"""A facility's own staff logins (スタッフ管理): its 管理者 invites colleagues by e-mail, gives
them a role, removes them; the invitee sets a password once and works in the same portal."""

import threading

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.test import Client
from django_tasks_db.models import DBTaskResult

from casework import roles
from casework.choices import FacilityRole
from casework.facility_staff import colleague_remove, colleague_role_change
from casework.models import MemberProfile
from casework.services import case_transition
from tests.casework.staff_logins import PASSWORD, invitation_link, invite, set_password

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def colleague(make_user, facility):
    """Another login of the facility, with a name and `role`."""

    def make(username, role, *, last_name="", first_name="", facility_=None):
        user = make_user(username, roles.MEMBERS, last_name=last_name, first_name=first_name)
        MemberProfile.objects.create(user=user, facility=facility_ or facility, role=role)
        return user

    return make


@pytest.fixture
def admin(member):
    member.last_name, member.first_name = "日向", "さやか"
    member.save()
    return member


@pytest.fixture
def as_admin(client, admin):
    client.force_login(admin)
    return client


def _profile(email) -> MemberProfile:
    return MemberProfile.objects.select_related("user").get(user__email=email)


# --- Invitations ---


def test_an_invitee_sets_a_password_once_and_logs_in_to_the_same_facility(
    as_admin, client, facility, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(as_admin)
    assert response.status_code == 302 and response["Location"] == "/mypage/staff/"
    page = client.get("/mypage/staff/").content.decode()
    assert "受付 はな 様（hana@sakura.example.jp）に招待メールを送りました。" in page
    assert "招待中（パスワード未設定）" in page and "日向 さやか" in page  # invited by
    (message,) = mail.outbox
    assert message.to == ["hana@sakura.example.jp"]
    assert "受付 はな 様" in message.body and "日向 さやか 様から" in message.body
    assert "役割：報告者" in message.body and facility.name in message.body
    link = invitation_link(message)

    client.logout()
    done = set_password(client, link)
    assert "accounts/reset/done" in done.redirect_chain[-1][0]
    # The link worked once: it is dead now.
    again = client.get(link, follow=True).content.decode()
    assert "このリンクは無効です" in again

    logged_in = client.post(
        "/accounts/login/",
        {"username": "HANA@sakura.example.jp", "password": PASSWORD},
        follow=True,
    )
    html = logged_in.content.decode()
    assert logged_in.redirect_chain[-1][0] == "/mypage/"
    assert "受付 はな 様" in html and facility.name in html
    assert "苦情・クレームを相談する" in html  # 報告者 reports
    assert "スタッフ管理" not in html  # and does not manage

    client.force_login(User.objects.get(email="hana@sakura.example.jp").member_profile.invited_by)
    page = client.get("/mypage/staff/").content.decode()
    assert "招待中" not in page and "利用中" in page


def test_the_invitation_goes_through_the_task_queue_with_a_link_and_no_patient_data(
    as_admin, settings, report, django_capture_on_commit_callbacks
):
    report()  # the facility has a case with a patient named 佐藤 花子
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_admin)
    queued = DBTaskResult.objects.get(task_path="casework.tasks.email_send")
    assert mail.outbox == []  # the page did not wait for the mail server
    kwargs = queued.args_kwargs["kwargs"]
    assert kwargs["to"] == ["hana@sakura.example.jp"]
    assert f"{settings.SITE_URL}/accounts/reset/" in kwargs["body"]
    for patient_data in ("佐藤", "花子", "090-1234-5678", "左右差", "返金"):
        assert patient_data not in kwargs["subject"] + kwargs["body"]
    queued.task.call(**kwargs)
    assert mail.outbox[0].subject == "【日本美容医療リスクマネジメント協会】マイページへのご招待"


@pytest.mark.parametrize(
    "email",
    [
        "support@example.jp",  # an association staff login
        "Other_Member@Example.JP",  # another facility's member, in other case
        "ｍｅｍｂｅｒ＠ｅｘａｍｐｌｅ．ｊｐ",  # the admin's own, typed full-width
    ],
)
def test_an_email_that_already_belongs_to_a_login_is_refused_in_japanese(
    as_admin, support, other_member, email
):
    before = User.objects.count()
    response = invite(as_admin, email=email)
    html = response.content.decode()
    assert response.status_code == 200
    assert "このメールアドレスは既に別のログインに登録されています。" in html
    assert 'value="受付"' in html  # what was typed is kept
    assert User.objects.count() == before and mail.outbox == []


def test_a_double_submission_invites_once(as_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, second = invite(as_admin), invite(as_admin)
    assert first.status_code == 302 and second.status_code == 200
    assert "このメールアドレスには既に招待を送っています。" in second.content.decode()
    assert MemberProfile.objects.filter(user__email="hana@sakura.example.jp").count() == 1
    assert len(mail.outbox) == 1


def test_full_width_input_is_folded_and_bad_input_refused_in_japanese(as_admin):
    response = invite(
        as_admin, email="ＨＡＮＡ＠ｓａｋｕｒａ．ｅｘａｍｐｌｅ．ｊｐ", last_name="受付　"
    )
    assert response.status_code == 302
    profile = _profile("HANA@sakura.example.jp")
    assert profile.user.last_name == "受付"

    cases = [
        ({"email": "〒150-0001"}, "メールアドレスの形式が正しくありません。"),
        ({"email": "a@b.jp\nBcc: x@y.jp"}, "メールアドレスの形式が正しくありません。"),
        ({"email": ""}, "メールアドレスを入力してください。"),
        ({"last_name": "長" * 151, "email": "long@sakura.example.jp"}, "姓は150文字以内"),
        ({"last_name": "", "email": "noname@sakura.example.jp"}, "姓を入力してください。"),
        (
            {"role": "superuser", "email": "role@sakura.example.jp"},
            "役割は一覧から選んでください。",
        ),
    ]
    for overrides, message in cases:
        response = invite(as_admin, **overrides)
        assert response.status_code == 200 and message in response.content.decode(), overrides
    assert MemberProfile.objects.count() == 2  # the admin and 受付


def test_a_name_with_markup_is_shown_as_text(as_admin):
    invite(as_admin, last_name="<script>alert(1)</script>")
    html = as_admin.get("/mypage/staff/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_a_resent_invitation_kills_the_old_link_and_a_cancelled_one_every_link(
    as_admin, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_admin)
        profile = _profile("hana@sakura.example.jp")
        as_admin.post(f"/mypage/staff/{profile.pk}/resend/")
    old, new = (invitation_link(m) for m in mail.outbox)
    assert old != new
    assert "このリンクは無効です" in client.get(old, follow=True).content.decode()

    as_admin.post(f"/mypage/staff/{profile.pk}/cancel/")
    assert not User.objects.filter(email="hana@sakura.example.jp").exists()
    assert "このリンクは無効です" in client.get(new, follow=True).content.decode()
    # The address is free again (a typo in the role is fixed by inviting anew).
    assert invite(as_admin, role=FacilityRole.READER).status_code == 302


def test_an_accepted_invitation_is_neither_resent_nor_cancelled(
    as_admin, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_admin)
    profile = _profile("hana@sakura.example.jp")
    set_password(client, invitation_link(mail.outbox[0]))
    for action in ("resend", "cancel"):
        page = as_admin.post(f"/mypage/staff/{profile.pk}/{action}/", follow=True)
        assert "既にパスワードを設定しています" in page.content.decode()
    assert User.objects.filter(pk=profile.user_id, is_active=True).exists()
    assert len(mail.outbox) == 1


def test_invitations_are_rate_limited_per_facility(as_admin, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "member_invitation": (2, 3600)}
    assert invite(as_admin, email="a@sakura.example.jp").status_code == 302
    profile = _profile("a@sakura.example.jp")
    assert as_admin.post(f"/mypage/staff/{profile.pk}/resend/").status_code == 302
    refused = invite(as_admin, email="b@sakura.example.jp")
    assert refused.status_code == 429
    assert "この施設から短い時間に多くの送信があったため、スタッフへの招待メールの送信" in (
        refused.content.decode()
    )
    assert not User.objects.filter(email="b@sakura.example.jp").exists()
    # A typo is not counted: the form comes back without a 429.
    assert invite(as_admin, email="not-an-address").status_code == 200


# --- Roles, removal, the last 管理者 ---


def test_the_staff_page_lists_the_facilitys_logins_family_name_first(
    as_admin, colleague, other_member
):
    colleague("desk", FacilityRole.READER, last_name="山本", first_name="花子")
    html = as_admin.get("/mypage/staff/").content.decode()
    assert "日向 さやか（あなた）" in html and "山本 花子" in html
    assert "花子 山本" not in html
    assert "other_member" not in html  # another facility's login


def test_a_role_change_takes_effect_on_the_colleagues_next_request(as_admin, colleague, report):
    desk = colleague("desk", FacilityRole.REPORTER, last_name="山本")
    case = report()
    desk_client = Client()
    desk_client.force_login(desk)
    assert desk_client.get("/mypage/report/").status_code == 200
    response = as_admin.post(
        f"/mypage/staff/{desk.member_profile.pk}/role/", {"role": FacilityRole.READER}, follow=True
    )
    assert "山本 様の役割を「閲覧のみ」にしました。" in response.content.decode()
    assert desk_client.get("/mypage/report/").status_code == 403
    refused = desk_client.post(f"/mypage/cases/{case.reference}/messages/", {"body": "送信"})
    assert refused.status_code == 403 and "閲覧のみ" in refused.content.decode()
    assert not case.messages.exists()


def test_a_removed_colleagues_live_session_is_refused_at_once(as_admin, colleague, report):
    desk = colleague("desk", FacilityRole.REPORTER, last_name="山本")
    case = report()
    desk_client = Client()
    desk_client.force_login(desk)
    assert desk_client.get(f"/mypage/cases/{case.reference}/").status_code == 200

    page = as_admin.post(f"/mypage/staff/{desk.member_profile.pk}/remove/", follow=True)
    assert "山本 様のログインを削除しました。" in page.content.decode()
    for response in (
        desk_client.get("/mypage/"),
        desk_client.get(f"/mypage/cases/{case.reference}/"),
        desk_client.post(f"/mypage/cases/{case.reference}/messages/", {"body": "まだ使える？"}),
    ):
        assert response.status_code == 302 and response["Location"].startswith(settings.LOGIN_URL)
    assert not case.messages.exists()
    # Nor can they log in again with their password.
    desk_client.logout()
    login = desk_client.post("/accounts/login/", {"username": "desk@example.jp", "password": "pw"})
    assert login.status_code == 200 and "_auth_user_id" not in desk_client.session
    # The staff page lists them apart, with who removed them; a second click says so.
    staff_page = as_admin.get("/mypage/staff/").content.decode()
    assert "削除したログイン（1人）" in staff_page and "（日向 さやか）" in staff_page
    again = as_admin.post(f"/mypage/staff/{desk.member_profile.pk}/remove/", follow=True)
    assert "既に削除されています" in again.content.decode()


def test_a_removed_login_reactivated_by_mistake_stays_refused(client, colleague):
    desk = colleague("desk", FacilityRole.ADMIN)
    MemberProfile.objects.filter(user=desk).update(removed_at="2026-01-01T00:00:00+09:00")
    client.force_login(desk)
    response = client.get("/mypage/")
    assert response.status_code == 403
    assert "このログインは現在ご利用いただけません" in response.content.decode()


def test_the_last_admin_can_neither_be_demoted_nor_removed(as_admin, admin, colleague):
    pk = admin.member_profile.pk
    page = as_admin.post(f"/mypage/staff/{pk}/role/", {"role": FacilityRole.READER}, follow=True)
    assert "管理者が1人もいなくなるため、この操作はできません。" in page.content.decode()
    page = as_admin.post(f"/mypage/staff/{pk}/remove/", follow=True)
    assert "ご自身のログインは削除できません。" in page.content.decode()
    admin.member_profile.refresh_from_db()
    assert admin.member_profile.role == FacilityRole.ADMIN
    assert User.objects.get(pk=admin.pk).is_active

    # A second 管理者 who has not set a password yet does not count: they cannot log in.
    invite(as_admin, role=FacilityRole.ADMIN)
    page = as_admin.post(f"/mypage/staff/{pk}/role/", {"role": FacilityRole.READER}, follow=True)
    assert "管理者が1人もいなくなるため" in page.content.decode()

    # With a second 管理者 who can log in, the first may step down.
    colleague("deputy", FacilityRole.ADMIN)
    page = as_admin.post(f"/mypage/staff/{pk}/role/", {"role": FacilityRole.READER}, follow=True)
    # …lands on マイページ, no longer offered the staff page, and no longer let in.
    assert page.redirect_chain[-1][0] == "/mypage/"
    html = page.content.decode()
    assert "日向 さやか 様の役割を「閲覧のみ」にしました。" in html and "スタッフ管理" not in html
    assert as_admin.get("/mypage/staff/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_one_after_the_other_leaves_one_admin(
    client, admin, colleague
):
    """Each has the staff page open; the first demotes the second, whose click then comes from
    a 管理者 no longer (refused, as any request by a 閲覧のみ to the staff pages). Committed for
    real (a transactional test), as two requests of two sessions."""
    deputy = colleague("deputy", FacilityRole.ADMIN, last_name="副")
    first, second = Client(), Client()
    first.force_login(admin)
    second.force_login(deputy)
    assert first.get("/mypage/staff/").status_code == second.get("/mypage/staff/").status_code
    first.post(f"/mypage/staff/{deputy.member_profile.pk}/role/", {"role": FacilityRole.READER})
    refused = second.post(
        f"/mypage/staff/{admin.member_profile.pk}/role/", {"role": FacilityRole.READER}
    )
    assert refused.status_code == 403
    assert "スタッフの管理は、施設の管理者だけが行えます。" in refused.content.decode()
    roles_now = dict(MemberProfile.objects.values_list("user__username", "role"))
    assert roles_now == {"member": FacilityRole.ADMIN, "deputy": FacilityRole.READER}


def test_an_admin_whose_page_was_loaded_before_being_demoted_is_checked_again_under_the_lock(
    admin, colleague
):
    """The race's other half: the second request passed the view's role check (its user was
    read before the first committed); the service reads its role again under the lock."""
    deputy = colleague("deputy", FacilityRole.ADMIN)
    stale_deputy = User.objects.select_related("member_profile").get(pk=deputy.pk)
    assert stale_deputy.member_profile.role == FacilityRole.ADMIN
    colleague_role_change(by=admin, profile_id=deputy.member_profile.pk, role=FacilityRole.READER)
    with pytest.raises(PermissionDenied):
        colleague_remove(by=stale_deputy, profile_id=admin.member_profile.pk)
    assert User.objects.get(pk=admin.pk).is_active


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real row-level races need PostgreSQL"
)
def test_two_admins_removing_each_other_at_once_leave_one(admin, colleague):
    """Two requests at the same moment from two connections: the facility row's lock takes
    them one after the other, and the second finds its 管理者 removed (403); or, when the first
    has finished before the second begins, the second's login is already ended (to login)."""
    deputy = colleague("deputy", FacilityRole.ADMIN)
    clients = {admin.pk: Client(), deputy.pk: Client()}
    clients[admin.pk].force_login(admin)
    clients[deputy.pk].force_login(deputy)
    barrier = threading.Barrier(2)
    statuses = []

    def remove(actor, target):
        barrier.wait()
        try:
            url = f"/mypage/staff/{target.member_profile.pk}/remove/"
            response = clients[actor.pk].post(url)
            statuses.append(
                "refused"
                if response.status_code == 403 or "/accounts/login/" in response.get("Location", "")
                else response.status_code
            )
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=remove, args=(admin, deputy)),
        threading.Thread(target=remove, args=(deputy, admin)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses, key=str) == [302, "refused"]
    assert User.objects.filter(pk__in=[admin.pk, deputy.pk], is_active=True).count() == 1


# --- Another facility, anonymous visitors, other roles ---


def _staff_urls(profile):
    return [
        ("post", f"/mypage/staff/{profile.pk}/role/", {"role": FacilityRole.READER}),
        ("post", f"/mypage/staff/{profile.pk}/remove/", {}),
        ("post", f"/mypage/staff/{profile.pk}/resend/", {}),
        ("post", f"/mypage/staff/{profile.pk}/cancel/", {}),
    ]


def test_another_facilitys_admin_gets_404_on_your_colleague(
    client, colleague, other_facility, django_capture_on_commit_callbacks
):
    desk = colleague("desk", FacilityRole.REPORTER)
    pending = MemberProfile.objects.create(
        user=User.objects.create_user("invitee", email="invitee@example.jp"),
        facility=desk.member_profile.facility,
        role=FacilityRole.READER,
        invited_at="2026-01-01T00:00:00+09:00",
    )
    stranger = colleague("stranger", FacilityRole.ADMIN, facility_=other_facility)
    client.force_login(stranger)
    with django_capture_on_commit_callbacks(execute=True):
        for profile in (desk.member_profile, pending):
            for method, url, data in _staff_urls(profile):
                assert getattr(client, method)(url, data).status_code == 404, url
    desk.member_profile.refresh_from_db()
    assert desk.member_profile.role == FacilityRole.REPORTER
    assert User.objects.filter(pk__in=[desk.pk, pending.user_id], is_active=True).count() == 2
    assert mail.outbox == []
    assert "desk@example.jp" not in client.get("/mypage/staff/").content.decode()


@pytest.mark.parametrize("role", [FacilityRole.REPORTER, FacilityRole.READER])
def test_only_the_admin_manages_staff(client, admin, colleague, role):
    user = colleague("desk", role)
    client.force_login(user)
    assert client.get("/mypage/staff/").status_code == 403
    assert invite(client).status_code == 403
    for method, url, data in _staff_urls(admin.member_profile):
        assert getattr(client, method)(url, data).status_code == 403, url
    assert "スタッフ管理" not in client.get("/mypage/").content.decode()
    assert MemberProfile.objects.count() == 2
    assert admin.member_profile.role == FacilityRole.ADMIN


def test_anonymous_visitors_are_sent_to_login_from_the_staff_pages(client, admin):
    for method, url, data in [("get", "/mypage/staff/", {}), *_staff_urls(admin.member_profile)]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{settings.LOGIN_URL}?next="), url


# --- The audit trail names the colleague ---


def test_the_history_and_thread_name_the_colleague_who_reported_answered_and_wrote(
    client, admin, colleague, report, support
):
    desk = colleague("desk", FacilityRole.REPORTER, last_name="山本", first_name="花子")
    case = report(reporter=desk)
    for name in ("start_triage", "request_info"):
        case = case_transition(case=case, name=name, by=support)
    client.force_login(desk)
    client.post(f"/mypage/cases/{case.reference}/actions/provide_info/", {"note": "送りました"})
    client.post(f"/mypage/cases/{case.reference}/messages/", {"body": "写真は明日お送りします。"})

    client.force_login(admin)
    html = client.get(f"/mypage/cases/{case.reference}/").content.decode()
    timeline = html.split(">経過<", 1)[1].split(">協会とのメッセージ<", 1)[0]
    assert "ご相談を受け付けました（山本 花子）" in timeline
    assert "追加資料を提出しました（山本 花子）" in timeline
    assert "support" not in timeline  # the association's staff are not named
    thread = html.split(">協会とのメッセージ<", 1)[1]
    assert "山本 花子・" in thread

    # The staff's own case page names them too.
    client.force_login(support)
    staff_html = client.get(f"/admin/cases/{case.pk}/").content.decode()
    assert staff_html.count("山本 花子") >= 2


def test_an_invitee_whose_link_expired_uses_the_forgotten_password_page(
    as_admin, client, django_capture_on_commit_callbacks
):
    """What the invitation e-mail promises: the ordinary reset page works for an invitee too,
    and accepts the invitation."""
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_admin)
        client.post("/accounts/password-reset/", {"email": "hana@sakura.example.jp"})
    invitation, reset = mail.outbox
    assert reset.to == ["hana@sakura.example.jp"] and invitation_link(reset) != invitation_link(
        invitation
    )
    set_password(client, invitation_link(reset))
    assert not _profile("hana@sakura.example.jp").is_pending
    assert "利用中" in as_admin.get("/mypage/staff/").content.decode()


# --- The services refuse what the role does not allow, whatever page called them ---


def test_a_reader_or_removed_colleague_cannot_write_on_a_case_even_past_the_pages(
    colleague, admin, report, support
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casework.services import attachment_add, message_post, patient_consent_record

    case = case_transition(case=report(), name="start_triage", by=support)
    case = case_transition(
        case=case, name="request_info", by=support, note="写真をお送りください。"
    )
    reader = colleague("uketsuke", FacilityRole.READER)
    reporter = colleague("kango", FacilityRole.REPORTER)
    colleague_remove(by=admin, profile_id=reporter.member_profile.pk)
    reporter.refresh_from_db()
    for user in (reader, reporter):
        with pytest.raises(PermissionDenied):
            message_post(case=case, author=user, body="ご確認ください。")
        with pytest.raises(PermissionDenied):
            attachment_add(
                case=case, by=user, upload=SimpleUploadedFile("a.png", b"\x89PNG"), kind="photo"
            )
        with pytest.raises(PermissionDenied):
            patient_consent_record(case=case, by=user)
        with pytest.raises(PermissionDenied):
            case_transition(case=case, name="provide_info", by=user)
    assert case_transition(case=case, name="provide_info", by=admin).state == "triage"
