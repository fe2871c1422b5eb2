"""Staff review in the Wagtail admin: the reviewing groups only, buttons for allowed steps only."""

import pytest

from casework import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(submit, facility_fields):
    return submit(facility_fields)


def _buttons(html: str) -> set[str]:
    labels = {"審査を開始", "承認して保険契約を発行", "差戻し", "却下"}
    return {label for label in labels if f">{label}</button>" in html}


def test_the_support_team_lists_and_opens_applications(client, support, application):
    client.force_login(support)
    listing = client.get("/admin/applications/")
    assert listing.status_code == 200
    assert application.reference in listing.content.decode()
    page = client.get(f"/admin/applications/{application.pk}/").content.decode()
    assert "補償開始日" in page
    assert _buttons(page) == {"審査を開始"}


def test_buttons_follow_the_state(client, support, application):
    client.force_login(support)
    response = client.post(f"/admin/applications/{application.pk}/transition/start_review/")
    assert response.status_code == 302
    page = client.get(f"/admin/applications/{application.pk}/").content.decode()
    assert "「審査を開始」を行いました。" in page
    assert _buttons(page) == {"承認して保険契約を発行", "差戻し", "却下"}

    response = client.post(
        f"/admin/applications/{application.pk}/transition/reject/", {"reject-note": ""}, follow=True
    )
    assert "理由を入力してください" in response.content.decode()
    client.post(
        f"/admin/applications/{application.pk}/transition/approve/", {"approve-note": "確認済み"}
    )
    application.refresh_from_db()
    assert application.state == "approved"
    page = client.get(f"/admin/applications/{application.pk}/").content.decode()
    assert _buttons(page) == set()
    assert application.policy.number in page
    # A step that is not offered now is refused, not taken.
    response = client.post(f"/admin/applications/{application.pk}/transition/start_review/")
    assert _refused(response)


def _refused(response) -> bool:
    """Wagtail's admin answers PermissionDenied with 403 to scripts and, to a person, by sending
    them back to the dashboard with its 'no permission' message (as for cases)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


@pytest.mark.parametrize("group", [roles.REVIEWERS, roles.CHAIR, roles.ASSESSORS, roles.INSURER])
def test_other_staff_are_refused(client, make_user, application, group):
    client.force_login(make_user("someone", group))
    xhr = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
    assert client.get("/admin/applications/", **xhr).status_code == 403
    for url in (f"/admin/applications/{application.pk}/", "/admin/applications/"):
        assert _refused(client.get(url))
    response = client.post(f"/admin/applications/{application.pk}/transition/start_review/")
    assert _refused(response)
    response = client.post(f"/admin/applications/{application.pk}/transition/start_review/", **xhr)
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == "received"
    assert "加入申込" not in client.get("/admin/").content.decode()  # not in their menu


def test_members_and_visitors_never_reach_it(client, member, application):
    assert client.get("/admin/applications/")["Location"].startswith("/admin/login/")
    client.force_login(member)
    assert client.get("/admin/applications/").status_code in (302, 403)


def test_the_list_links_each_application_to_its_page(client, support, application):
    client.force_login(support)
    html = client.get("/admin/applications/").content.decode()
    assert "申込番号" in html
    assert f'href="/admin/applications/{application.pk}/"' in html
