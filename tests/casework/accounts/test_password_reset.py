import re

import pytest
from django.core import mail
from django.utils import timezone

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

SUBJECT = "【日本美容医療リスクマネジメント協会】パスワード再設定のご案内"


def _request_reset(client, email):
    return client.post("/accounts/password-reset/", {"email": email})


def test_a_member_resets_their_password_from_a_japanese_email(client, member, log_in):
    member.last_login = timezone.now()  # they have used マイページ before, then forgot it
    member.save(update_fields=["last_login"])
    page = client.get("/accounts/password-reset/").content.decode()
    assert "パスワードの再設定" in page

    response = _request_reset(client, "HANAKO.SATO@sakura-clinic.example.jp")
    assert response["Location"] == "/accounts/password-reset/done/"
    assert "再設定メールを送信しました" in client.get(response["Location"]).content.decode()

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [member.email]  # the address on file, not what was typed
    assert email.subject == SUBJECT
    assert "新しいパスワードを設定してください" in email.body
    assert "有効期限は24時間" in email.body
    # Nothing personal beyond the link: no username, no address.
    assert "m-0001" not in email.body
    assert "Hanako" not in email.body

    link = re.search(r"http://testserver(/accounts/reset/\S+/)", email.body).group(1)
    form = client.get(link, follow=True)
    assert "新しいパスワードの設定" in form.content.decode()
    assert "パスワードを変更する" in form.content.decode()
    set_password_url = form.redirect_chain[-1][0]

    new = "sakura-spring-2026!"
    done = client.post(set_password_url, {"new_password1": new, "new_password2": new})
    assert done["Location"] == "/accounts/reset/done/"
    assert "パスワードを設定しました" in client.get(done["Location"]).content.decode()

    assert log_in("hanako.sato@sakura-clinic.example.jp", PASSWORD).status_code == 200
    assert log_in("hanako.sato@sakura-clinic.example.jp", new)["Location"] == "/mypage/"


def test_an_unknown_address_gets_the_same_page_and_no_email(client):
    response = _request_reset(client, "nobody@example.jp")
    assert response["Location"] == "/accounts/password-reset/done/"
    assert mail.outbox == []


def test_a_used_or_forged_link_is_refused_in_japanese(client, member):
    page = client.get("/accounts/reset/MQ/bad-token/", follow=True).content.decode()
    assert "このリンクは無効です" in page


def test_a_reset_lifts_a_login_lockout(client, member, log_in):
    for _ in range(5):
        log_in("hanako.sato@sakura-clinic.example.jp", "wrong-password")
    assert log_in("hanako.sato@sakura-clinic.example.jp").status_code == 429

    _request_reset(client, "hanako.sato@sakura-clinic.example.jp")
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    new = "sakura-spring-2026!"
    client.post(set_password_url, {"new_password1": new, "new_password2": new})

    assert log_in("hanako.sato@sakura-clinic.example.jp", new)["Location"] == "/mypage/"
