"""資料請求: valid requests are stored and notified; invalid ones come back with Japanese messages."""

import pytest
from django.core import mail
from wagtail.contrib.forms.models import FormSubmission

pytestmark = pytest.mark.django_db


def _fields(page):
    """Field name by label, as the form builder names them."""
    return {f.label: f.clean_name for f in page.form_fields.all()}


def _valid_data(page):
    names = _fields(page)
    return {
        names["医療機関名"]: "さくら美容クリニック",
        names["ご担当者名"]: "山田 花子",
        names["メールアドレス"]: "yamada@example.jp",
        names["電話番号"]: "03-1234-5678",
        names["郵便番号"]: "100-0001",
        names["ご住所"]: "東京都千代田区千代田1-1",
        names["ご希望のコース"]: "施術医コース",
        names["ご質問・ご要望"]: "非常勤で3施設に勤務しています。",
    }


def test_a_valid_request_is_stored_and_notified_by_email(client, site_pages):
    page = site_pages["request"]
    response = client.post(page.url, _valid_data(page))
    assert response.status_code == 200
    assert "資料請求を受け付けました" in response.content.decode()
    submission = FormSubmission.objects.get(page=page)
    assert submission.get_data()[_fields(page)["医療機関名"]] == "さくら美容クリニック"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "【資料請求】ウェブサイトから資料請求がありました"
    assert "さくら美容クリニック" in mail.outbox[0].body


def test_an_invalid_request_is_shown_again_with_japanese_messages_and_nothing_lost(
    client, site_pages
):
    page = site_pages["request"]
    data = _valid_data(page)
    names = _fields(page)
    data[names["メールアドレス"]] = "yamada-at-example"
    data[names["ご担当者名"]] = ""
    response = client.post(page.url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "入力内容をご確認ください" in html
    assert "この項目は必須です" in html
    assert "有効なメールアドレスを入力してください。" in html
    # What was typed is still there.
    assert 'value="さくら美容クリニック"' in html
    assert "非常勤で3施設に勤務しています。" in html
    assert not FormSubmission.objects.filter(page=page).exists()
    assert mail.outbox == []


def test_staff_see_submissions_and_export_them_as_csv(admin_client, client, site_pages):
    page = site_pages["request"]
    client.post(page.url, _valid_data(page))
    listing = admin_client.get(f"/admin/forms/submissions/{page.pk}/")
    assert listing.status_code == 200
    assert "さくら美容クリニック" in listing.content.decode()
    export = admin_client.get(f"/admin/forms/submissions/{page.pk}/?export=csv")
    assert export.status_code == 200
    assert "さくら美容クリニック" in b"".join(export.streaming_content).decode("utf-8")
