"""連絡先: a site setting shown in the footer and on お問い合わせ, each line only once it is filled
in (nothing the association has not confirmed appears), changed in the admin by 公開承認 only."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Site

from casework import roles
from cms_pages.content.association import ASSOCIATION_NAME
from cms_pages.models import ContactSettings
from cms_pages.services import APPROVERS_GROUP, EDITORS_GROUP

pytestmark = pytest.mark.django_db

FILLED = {
    "name": ASSOCIATION_NAME,
    "postal_code": "100-0001",
    "address": "東京都千代田区千代田1-1 テストビル3階",
    "phone": "０３-１２３４-５６７８",
    "hours": "平日 10:00〜17:00",
    "email": "info@amrm.example.jp",
}
LABELS = ["所在地", "電話番号", "受付時間", "メール"]


@pytest.fixture
def contact():
    return ContactSettings.for_site(Site.objects.get(is_default_site=True))


def _footer(html: str) -> str:
    return html[html.index('<footer class="site-footer">') :]


def test_only_the_name_is_prefilled(contact):
    assert contact.name == ASSOCIATION_NAME
    assert not any([contact.postal_code, contact.address, contact.phone, contact.hours])
    assert not contact.email


def test_the_contact_page_shows_the_name_and_no_empty_line(client):
    html = client.get("/contact/").content.decode()
    assert "<h1" in html and "お問い合わせ" in html
    assert f"<dd>{ASSOCIATION_NAME}</dd>" in html
    for label in LABELS:
        assert f"<dt>{label}</dt>" not in html
    assert "tel:" not in html and "mailto:" not in html


def test_the_contact_page_links_to_the_request_form_and_the_faq(client):
    html = client.get("/contact/").content.decode()
    assert 'class="button" href="/request/">資料請求</a>' in html
    assert 'class="button" href="/faq/">よくあるご質問</a>' in html


def test_the_footer_shows_no_contact_lines_while_they_are_empty(client):
    footer = _footer(client.get("/").content.decode())
    assert "contact-lines" not in footer


def test_filled_lines_appear_in_the_footer_and_on_the_contact_page(
    client, contact, django_capture_on_commit_callbacks
):
    client.get("/")  # cached before the change
    with django_capture_on_commit_callbacks(execute=True):
        for field, value in FILLED.items():
            setattr(contact, field, value)
        contact.save()
    footer = _footer(client.get("/").content.decode())
    assert "〒100-0001 東京都千代田区千代田1-1 テストビル3階" in footer
    assert '<a href="tel:0312345678">０３-１２３４-５６７８</a>' in footer
    assert "平日 10:00〜17:00" in footer
    assert '<a href="mailto:info@amrm.example.jp">' in footer
    page = client.get("/contact/").content.decode()
    for label in LABELS:
        assert f"<dt>{label}</dt>" in page


def test_one_filled_line_shows_alone(client, contact, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contact.hours = "平日 10:00〜17:00"
        contact.save()
    footer = _footer(client.get("/faq/").content.decode())
    assert "<dt>受付時間</dt>" in footer
    for label in ["所在地", "電話番号", "メール"]:
        assert f"<dt>{label}</dt>" not in footer


# --- editing in the admin ------------------------------------------------------------------


def _edit_url(site) -> str:
    return f"/admin/settings/cms_pages/contactsettings/{site.pk}/"


@pytest.fixture
def site():
    return Site.objects.get(is_default_site=True)


def _user(django_user_model, username, group):
    user = django_user_model.objects.create_user(username, password="pw")
    user.groups.add(Group.objects.get(name=group))
    return user


def test_an_approver_edits_the_contact_details_in_the_admin(client, django_user_model, site):
    client.force_login(_user(django_user_model, "approver", APPROVERS_GROUP))
    page = client.get(_edit_url(site))
    assert page.status_code == 200
    html = page.content.decode()
    for label in ["名称", "郵便番号", "所在地", "電話番号", "受付時間", "メールアドレス"]:
        assert label in html
    response = client.post(_edit_url(site), {**FILLED, "phone": "03-9876-5432"})
    assert response.status_code == 302
    assert ContactSettings.for_site(site).phone == "03-9876-5432"


@pytest.mark.parametrize("group", [EDITORS_GROUP, roles.SUPPORT, roles.ADMINS])
def test_other_staff_are_sent_back_to_the_dashboard(client, django_user_model, site, group):
    """Wagtail's answer to a refused admin page: back to the dashboard with a message."""
    client.force_login(_user(django_user_model, "someone", group))
    assert client.get(_edit_url(site))["Location"] == "/admin/"
    response = client.post(_edit_url(site), {**FILLED, "phone": "03-9876-5432"})
    assert response["Location"] == "/admin/"
    assert ContactSettings.for_site(site).phone == ""


@pytest.mark.parametrize("member", [True, False], ids=["member", "anonymous"])
def test_members_and_visitors_are_sent_to_the_login(client, django_user_model, site, member):
    if member:
        client.force_login(_user(django_user_model, "member", roles.MEMBERS))
    response = client.post(_edit_url(site), {**FILLED, "phone": "03-9876-5432"})
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert ContactSettings.for_site(site).phone == ""
