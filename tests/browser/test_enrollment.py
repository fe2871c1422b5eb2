"""A doctor applies online for 施術医コース, staff approve it in the admin, the doctor sets a
password from the emailed link, logs in to マイページ and finds the policy there."""

import re

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from casework import roles
from casework.enrollment.permissions import review_permissions_sync
from casework.reference_data import roles_sync_all
from casework.rules import coverage_start, policy_end

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def support(site_content, django_user_model):
    from django.contrib.auth.models import Group

    roles_sync_all(apps)  # an earlier transactional test may have emptied the database
    review_permissions_sync(apps)
    user = django_user_model.objects.create_user("support", password="support-pass-2026")
    user.groups.add(Group.objects.get(name=roles.SUPPORT))
    return user


def _date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def test_apply_be_approved_set_password_and_see_the_policy(open_page, support):
    starts_on = coverage_start(timezone.localdate())
    ends_on = policy_end(starts_on)
    doctor = open_page()
    doctor.set_viewport_size({"width": 390, "height": 844})  # a phone

    doctor.goto("/")
    doctor.get_by_role("link", name="オンライン加入はこちら").first.click()
    expect(doctor.locator("#coverage-start")).to_contain_text(_date(starts_on))
    doctor.get_by_label("施術医コース").check()
    doctor.get_by_label("1事故 500万円").check()
    doctor.get_by_label("はい、正会員です").check()
    doctor.get_by_label("会員番号").fill("B-777")
    doctor.get_by_role("button", name="次へ").click()

    doctor.get_by_label("氏名（被保険者となる医師）").fill("伊藤 健")
    doctor.get_by_label("氏名（よみがな）").fill("いとう けん")
    doctor.get_by_label("メールアドレス").fill("ito@example.jp")
    doctor.get_by_label("電話番号").fill("090-0000-1111")
    doctor.get_by_role("button", name="次へ").click()

    doctor.get_by_label("主たる勤務先の施設名").fill("みなと皮膚科")
    doctor.get_by_label("都道府県").select_option("大阪府")
    doctor.get_by_role("button", name="次へ").click()

    # No society ticked: told why, in Japanese; then 戻る and forward again keeps the facility.
    doctor.get_by_role("button", name="次へ").click()
    expect(doctor.locator(".error-summary")).to_contain_text("日本皮膚科学会")
    doctor.get_by_role("button", name="戻る").click()
    expect(doctor.get_by_label("主たる勤務先の施設名")).to_have_value("みなと皮膚科")
    doctor.get_by_role("button", name="次へ").click()
    doctor.get_by_label("日本皮膚科学会").check()
    doctor.get_by_role("button", name="次へ").click()

    expect(doctor.locator("#coverage-start")).to_contain_text(f"補償開始日：{_date(starts_on)}")
    expect(doctor.locator("main")).to_contain_text("みなと皮膚科")
    doctor.get_by_label("申込内容に誤りがないことを確認しました").check()
    doctor.get_by_label("個人情報の取扱いに同意する").check()
    doctor.get_by_role("button", name="この内容で申し込む").click()
    expect(doctor.get_by_role("heading", level=1)).to_have_text("お申込みを受け付けました")
    expect(doctor.locator("#coverage-start")).to_contain_text(_date(starts_on))
    reference = re.search(r"W-\d{6}", doctor.locator("#coverage-start").inner_text()).group(0)
    receipts = [m for m in mail.outbox if m.to == ["ito@example.jp"]]
    assert "お申込みを受け付けました" in receipts[-1].subject
    assert any(reference in m.subject for m in mail.outbox if m.to != ["ito@example.jp"])

    staff = open_page()
    staff.goto("/admin/login/")
    staff.locator("input[name=username]").fill("support")
    staff.locator("input[name=password]").fill("support-pass-2026")
    staff.locator("button[type=submit]").click()
    staff.goto("/admin/applications/")
    staff.get_by_role("link", name=reference).click()
    staff.get_by_role("button", name="審査を開始").click()
    expect(staff.locator("main")).to_contain_text("「審査を開始」を行いました。")
    staff.get_by_role("button", name="承認して保険契約を発行").click()
    expect(staff.locator("main")).to_contain_text("「承認して保険契約を発行」を行いました。")

    invitation = next(m for m in reversed(mail.outbox) if m.to == ["ito@example.jp"])
    path = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", invitation.body).group(1)
    doctor.goto(path)
    doctor.locator("#id_new_password1").fill("minato-derm-2027")
    doctor.locator("#id_new_password2").fill("minato-derm-2027")
    doctor.get_by_role("button", name="パスワードを設定する").click()
    expect(doctor.locator("main")).to_contain_text("ログイン")

    doctor.goto("/accounts/login/")
    doctor.get_by_label("メールアドレス").fill("ito@example.jp")
    doctor.get_by_label("パスワード").fill("minato-derm-2027")
    doctor.get_by_role("button", name="ログイン").click()
    expect(doctor.get_by_role("heading", level=1)).to_have_text("マイページ")
    policy = doctor.locator(".portal-policy")
    expect(policy).to_contain_text("施術医コース（伊藤 健）")
    expect(policy).to_contain_text("1事故 500万円")
    expect(policy).to_contain_text(f"{_date(starts_on)}〜{_date(ends_on)}")
