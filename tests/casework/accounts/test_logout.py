import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_logout_takes_a_post(client, member, log_in):
    log_in("m-0001")
    # A link (GET) only asks; nothing happens.
    page = client.get("/accounts/logout/")
    assert page.status_code == 200
    assert "ログアウトしますか" in page.content.decode()
    assert "_auth_user_id" in client.session

    response = client.post("/accounts/logout/")
    assert response.status_code == 200
    assert "ログアウトしました" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # No session cookie is left, so public pages come from the anonymous page cache again.
    cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
    assert cookie is not None and cookie["max-age"] == 0


def test_logout_may_go_back_home(client, member, log_in):
    log_in("m-0001")
    response = client.post("/accounts/logout/", {"next": "/"})
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_a_visitor_who_is_not_logged_in_is_shown_the_login_page(client):
    assert client.get("/accounts/logout/")["Location"] == "/accounts/login/"
