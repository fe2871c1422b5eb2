"""資料請求: valid requests are stored, notified to the association and acknowledged to the
person who asked, then redirected to the thank-you page; invalid ones (too long, no consent, a
phone number or postal code that is not one) come back with Japanese messages and everything
typed; robots filling in the honeypot are answered like people and their requests discarded."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from wagtail.contrib.forms.models import FormSubmission

from cms_pages.models.forms import FormField

from .reading import page_text

pytestmark = pytest.mark.django_db

THANKS = "/request/thanks/"


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
        "privacy_consent": "on",
        "website": "",
    }


def _send(client, page, data, capture):
    """POST the request as a browser does, running what is queued after commit (e-mails)."""
    with capture(execute=True):
        return client.post(page.url, data)


def test_a_valid_request_is_stored_notified_and_acknowledged_then_redirected(
    client, site_pages, django_capture_on_commit_callbacks
):
    page = site_pages["request"]
    response = _send(client, page, _valid_data(page), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == THANKS
    thanks = client.get(THANKS)
    assert thanks.status_code == 200
    html = page_text(thanks)
    assert "送信が完了しました" in html
    assert "資料請求を受け付けました。ご入力いただいたご住所へ資料をお送りいたします。" in html

    submission = FormSubmission.objects.get(page=page)
    data = submission.get_data()
    assert data[_fields(page)["医療機関名"]] == "さくら美容クリニック"
    assert "website" not in data and "privacy_consent" not in data
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00", data["privacy_consented_at"])

    office, reply = sorted(mail.outbox, key=lambda m: m.to != ["office@amrm.example.jp"])
    assert office.subject == "【資料請求】ウェブサイトから資料請求がありました"
    assert "医療機関名：さくら美容クリニック" in office.body
    assert "個人情報の取扱い：同意する（" in office.body
    assert reply.to == ["yamada@example.jp"]
    assert reply.subject == "【日本美容医療リスクマネジメント協会】資料請求を受け付けました"
    for line in (
        "資料請求のお申し込みをいただき、ありがとうございます。",
        "■ お選びいただいた項目\nご希望のコース：施術医コース\n",
        "個人情報の取扱い：同意する（",
        "お名前やご質問など、ご入力いただいた内容は、このメールには記載しておりません。",
        "■ 今後の流れ",
        "ご入力いただいたご住所へ資料をお送りいたします。",
        "/contact/",
        "お心当たりがない場合は、このメールを破棄してください。",
    ):
        assert line in reply.body
    # The office's notification keeps every answer; the reply to the typed address none typed.
    for answer in ("さくら美容クリニック", "山田 花子", "03-1234-5678", "100-0001", "非常勤"):
        assert answer in office.body
        assert answer not in reply.body
    assert "<p>" not in reply.body and "&" not in reply.body


def test_the_reply_to_the_typed_address_carries_nothing_typed_so_it_relays_no_spam(
    client, site_pages, django_capture_on_commit_callbacks, settings
):
    """A robot typing a victim's address and its advertisement into the form must not get the
    association to mail that advertisement to the victim."""
    page = site_pages["request"]
    names = _fields(page)
    spam = {
        names["医療機関名"]: "激安コピー品 https://spam.example/shop",
        names["ご担当者名"]: "今すぐ登録 http://spam.example/win 当選おめでとうございます",
        names["ご住所"]: "www.spam.example で無料プレゼント",
        names["ご質問・ご要望"]: "【当選】賞金100万円を受け取る https://spam.example/claim?id=1",
    }
    wanted = FormField.objects.create(
        page=page,
        label="ご希望の資料",
        field_type="checkboxes",
        choices="パンフレット\n約款",
        sort_order=page.form_fields.count(),
    )
    data = {
        **_valid_data(page),
        **spam,
        names["メールアドレス"]: "victim@example.com",
        wanted.clean_name: ["パンフレット", "約款"],
    }
    response = _send(client, page, data, django_capture_on_commit_callbacks)
    assert response.status_code == 302

    office, reply = sorted(mail.outbox, key=lambda m: m.to != ["office@amrm.example.jp"])
    assert reply.to == ["victim@example.com"]
    for typed in spam.values():
        assert typed in office.body
    for word in ("spam.example", "激安", "当選", "賞金", "無料", "今すぐ"):
        assert word not in reply.body and word not in reply.subject
    # Its one link is the association's own contact page.
    assert re.findall(r"https?://\S+|www\.\S+", reply.body) == [settings.SITE_URL + "/contact/"]
    # What was chosen among the editor's own choices is repeated.
    assert "ご希望のコース：施術医コース\nご希望の資料：パンフレット、約款\n" in reply.body


def test_reloading_the_thank_you_page_sends_nothing_again(
    client, site_pages, django_capture_on_commit_callbacks
):
    page = site_pages["request"]
    _send(client, page, _valid_data(page), django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert client.get(THANKS).status_code == 200
    assert len(mail.outbox) == sent == 2
    assert FormSubmission.objects.filter(page=page).count() == 1


def test_the_form_asks_for_consent_and_links_to_the_privacy_policy(client, site_pages):
    html = client.get(site_pages["request"].url).content.decode()
    assert "個人情報の取扱いに同意する" in html
    assert '<a href="/privacy/">個人情報の取扱い（プライバシーポリシー）</a>' in html
    assert re.search(r'<input type="checkbox" name="privacy_consent"[^>]*required', html)


def test_without_consent_nothing_is_sent_and_everything_typed_is_kept(
    client, site_pages, django_capture_on_commit_callbacks
):
    page = site_pages["request"]
    data = _valid_data(page)
    del data["privacy_consent"]
    response = _send(client, page, data, django_capture_on_commit_callbacks)
    html = response.content.decode()
    assert response.status_code == 200
    assert "資料請求には、個人情報の取扱いへの同意が必要です。" in html
    assert 'value="さくら美容クリニック"' in html
    assert "非常勤で3施設に勤務しています。" in html
    assert not FormSubmission.objects.filter(page=page).exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("phone", "postal_code", "stored_phone", "stored_postal_code"),
    [
        ("０３－１２３４－５６７８", "１００－０００１", "03-1234-5678", "100-0001"),
        ("０９０ー１２３４ー５６７８", "〒１００ー０００１", "090-1234-5678", "100-0001"),
        ("03‐1234‐5678", "100−0001", "03-1234-5678", "100-0001"),
        ("03―1234―5678", "1000001", "03-1234-5678", "100-0001"),
        ("０１２０　１２３　４５６", "１００ ０００１", "0120123456", "100-0001"),
        ("0800-123-4567", " 100-0001 ", "0800-123-4567", "100-0001"),
    ],
)
def test_full_width_digits_hyphens_and_spaces_are_stored_half_width(
    client, site_pages, phone, postal_code, stored_phone, stored_postal_code
):
    page = site_pages["request"]
    names = _fields(page)
    data = _valid_data(page)
    data[names["電話番号"]] = phone
    data[names["郵便番号"]] = postal_code
    assert client.post(page.url, data).status_code == 302
    stored = FormSubmission.objects.get(page=page).get_data()
    assert stored[names["電話番号"]] == stored_phone
    assert stored[names["郵便番号"]] == stored_postal_code


@pytest.mark.parametrize(
    "phone",
    [
        "12345",
        "03-1234-567",
        "090-1234-567",
        "03-1234-56789",
        "+81-3-1234-5678",
        "03--1234-5678",
        "03(1234)5678",
        "電話番号",
    ],
)
def test_a_phone_number_that_is_not_a_japanese_one_is_refused_in_japanese(
    client, site_pages, phone
):
    page = site_pages["request"]
    names = _fields(page)
    data = _valid_data(page)
    data[names["電話番号"]] = phone
    html = client.post(page.url, data).content.decode()
    assert (
        "電話番号は、市外局番から10桁または11桁の数字で入力してください（例: 03-1234-5678）。"
        in html
    )
    assert not FormSubmission.objects.filter(page=page).exists()


@pytest.mark.parametrize(
    "postal_code", ["100-001", "1000-001", "10000012", "100-000１1", "ABC-DEFG"]
)
def test_a_postal_code_that_is_not_seven_digits_is_refused_in_japanese(
    client, site_pages, postal_code
):
    page = site_pages["request"]
    names = _fields(page)
    data = _valid_data(page)
    data[names["郵便番号"]] = postal_code
    response = client.post(page.url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "郵便番号は7桁の数字で入力してください（例: 100-0001）。" in html
    assert not FormSubmission.objects.filter(page=page).exists()


def test_a_robot_filling_in_the_honeypot_is_answered_like_a_person_and_discarded(
    client, site_pages, django_capture_on_commit_callbacks
):
    page = site_pages["request"]
    data = {**_valid_data(page), "website": "https://spam.example/"}
    response = _send(client, page, data, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == THANKS
    assert not FormSubmission.objects.filter(page=page).exists()
    assert mail.outbox == []


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client, site_pages):
    html = client.get(site_pages["request"].url).content.decode()
    wrapper = re.search(r'<div class="visually-hidden" aria-hidden="true">(.*?)</div>', html, re.S)
    assert wrapper
    assert "この欄は空のままにしてください" in wrapper[1]
    assert re.search(r'<input type="text" name="website"[^>]*tabindex="-1"', wrapper[1])
    assert 'autocomplete="off"' in wrapper[1]


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


def test_staff_see_submissions_with_the_consent_and_export_them_as_csv(
    admin_client, client, site_pages
):
    page = site_pages["request"]
    client.post(page.url, _valid_data(page))
    consented_at = FormSubmission.objects.get(page=page).get_data()["privacy_consented_at"]
    listing = admin_client.get(f"/admin/forms/submissions/{page.pk}/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "さくら美容クリニック" in html
    assert "個人情報の取扱いへの同意（日時）" in html
    assert consented_at in html
    export = admin_client.get(f"/admin/forms/submissions/{page.pk}/?export=csv")
    assert export.status_code == 200
    csv = b"".join(export.streaming_content).decode("utf-8")
    assert "さくら美容クリニック" in csv
    assert "個人情報の取扱いへの同意（日時）" in csv
    assert consented_at in csv


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
    assert client.post(page.url, data).status_code == 302
    stored = FormSubmission.objects.get(page=page).get_data()
    assert len(stored[names["ご質問・ご要望"]]) == 2_000


def test_the_browser_stops_at_each_maximum_too(client, site_pages):
    html = client.get(site_pages["request"].url).content.decode()
    # 医療機関名, ご担当者名, 郵便番号, ご住所 and the honeypot; the phone number is type="tel".
    assert len(re.findall(r'<input type="text"[^>]* maxlength="255"', html)) == 5
    assert re.search(r'<input type="tel"[^>]* maxlength="255"', html)
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
