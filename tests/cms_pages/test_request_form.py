"""資料請求: valid requests are stored and notified; invalid ones (too long among them) come back
with Japanese messages."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from wagtail.contrib.forms.models import FormSubmission

from cms_pages.models.forms import FormField

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


def test_answers_longer_than_their_field_allows_are_refused_in_japanese(client, site_pages):
    page = site_pages["request"]
    names = _fields(page)
    data = _valid_data(page)
    data[names["医療機関名"]] = "あ" * 256
    data[names["ご質問・ご要望"]] = "い" * 2_001
    response = client.post(page.url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "255文字以内で入力してください（現在256文字）。" in html
    assert "2000文字以内で入力してください（現在2001文字）。" in html
    assert not FormSubmission.objects.filter(page=page).exists()
    assert mail.outbox == []


def test_answers_at_the_maximum_are_accepted(client, site_pages):
    page = site_pages["request"]
    names = _fields(page)
    data = _valid_data(page)
    data[names["医療機関名"]] = "あ" * 255
    data[names["ご質問・ご要望"]] = "い" * 2_000
    assert client.post(page.url, data).status_code == 200
    stored = FormSubmission.objects.get(page=page).get_data()
    assert len(stored[names["ご質問・ご要望"]]) == 2_000


def test_the_browser_stops_at_each_maximum_too(client, site_pages):
    html = client.get(site_pages["request"].url).content.decode()
    assert len(re.findall(r'<input type="text"[^>]* maxlength="255"', html)) == 5
    assert re.search(r'<input type="email"[^>]* maxlength="254"', html)
    assert re.search(r'<textarea[^>]* maxlength="2000"', html)


@pytest.mark.parametrize(
    ("field_type", "longest"),
    [("singleline", 255), ("multiline", 2_000), ("email", 254), ("url", 2_000), ("hidden", 255)],
)
def test_every_kind_of_text_field_an_editor_can_add_has_a_maximum(site_pages, field_type, longest):
    page = site_pages["request"]
    added = FormField.objects.create(page=page, label="追加項目", field_type=field_type)
    field = page.get_form().fields[added.clean_name]
    assert field.max_length == longest
    value = "https://example.jp/" + "a" * longest if field_type == "url" else "a" * (longest + 1)
    assert field.max_length < len(value)
    with pytest.raises(ValidationError, match=f"{longest}文字以内で入力してください"):
        field.clean(value)


def test_a_number_field_takes_at_most_fifteen_digits(site_pages):
    page = site_pages["request"]
    added = FormField.objects.create(page=page, label="施設数", field_type="number")
    field = page.get_form().fields[added.clean_name]
    assert field.clean("1" * 15) == int("1" * 15)
    with pytest.raises(ValidationError):
        field.clean("1" * 16)
