"""The admin speaks Japanese and carries the association's name: each staff role, the page
editors and a superuser visit their pages (and every page of their menu) and find none of
Wagtail's English left, nor Wagtail's name; block labels are Japanese; avatars are drawn locally."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from wagtail.fields import StreamField
from wagtail.models import get_page_models

from casework import roles
from casework.choices import Specialty
from casework.models import ReviewerProfile
from casework.services import case_transition
from cms_pages.services import APPROVERS_GROUP, EDITORS_GROUP

from ..casework.conftest import (  # noqa: F401 (fixtures)
    _reference_data,
    doctor,
    facility,
    make_user,
    member,
    policy,
    report,
)

pytestmark = pytest.mark.django_db

#: English a Japanese member of staff must never meet in the admin, as whole words.
ENGLISH = [
    "Search all pages", "Password", "Remember me", "Help", "editor guide", "Editor Guide",
    "Dashboard", "Sign in", "Sign out", "Log out", "Wagtail", "Pages", "Page", "Snippets",
    "Settings", "Reports", "Account", "Shortcuts", "What's new", "Images", "Documents", "Search",
    "Sort by", "Select all", "Bulk actions", "Toggle", "Loading", "Save", "Edit", "Delete",
    "Cancel", "Add", "Show filters", "Filter by", "Users", "Groups", "Home", "Back", "Actions",
    "Status", "Title", "Created", "Updated", "Draft", "Live", "Preview", "Profile",
    "Notifications", "Theme", "Locale", "Just now", "Hero", "Points", "Section", "Coverage",
    "Courses", "Call to action", "Consultation", "Testimonials", "Societies",
]  # fmt: skip
_ALTERNATIVES = "|".join(re.escape(word) for word in ENGLISH)
_ENGLISH = re.compile(rf"\b({_ALTERNATIVES})\b")


class _VisibleText(HTMLParser):
    """Text a person sees or hears: text outside scripts, styles and templates, plus the
    attributes shown or read out (title, alt, aria-label, placeholder)."""

    SHOWN_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder"}
    HIDDEN_ELEMENTS = {"script", "style", "template"}

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN_ELEMENTS:
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in self.SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in self.HIDDEN_ELEMENTS:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def _sidebar(html: str) -> dict:
    """The sidebar's props, from which Wagtail's script draws the menu."""
    found = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    return json.loads(found.group(1)) if found else {}


def _values(tree, key: str) -> list[str]:
    if isinstance(tree, dict):
        return [v for k, v in tree.items() if k == key and isinstance(v, str)] + [
            found for value in tree.values() for found in _values(value, key)
        ]
    if isinstance(tree, list):
        return [found for value in tree for found in _values(value, key)]
    return []


def visible_text(html: str) -> str:
    """The page's visible text, one part a line, with the menu labels the sidebar shows."""
    parser = _VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts + _values(_sidebar(html), "label"))


def _english_on(client, url: str) -> list[str]:
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return sorted(set(_ENGLISH.findall(visible_text(response.content.decode()))))


def _menu_urls(client) -> list[str]:
    html = client.get("/admin/").content.decode()
    return [url for url in _values(_sidebar(html), "url") if url.startswith("/admin/")]


def _pages_of(client, urls) -> dict[str, list[str]]:
    """{url: English found} for `urls` and every page of the user's menu, where any is found."""
    urls = list(dict.fromkeys([*urls, *_menu_urls(client)]))
    found = {url: _english_on(client, url) for url in urls}
    return {url: words for url, words in found.items() if words}


@pytest.fixture
def case(report, make_user):  # noqa: F811 (pytest injects the imported fixtures)
    """A case under review: the one page every staff role may open, the reviewer to give an
    opinion on it."""
    case, support = report(), make_user("case-support", roles.SUPPORT)
    for name in ("start_triage", "refer_to_review"):
        case = case_transition(case=case, name=name, by=support)
    return case


STAFF_ROLES = {
    "support": [roles.SUPPORT],
    "reviewer": [roles.REVIEWERS],
    "chair": [roles.CHAIR],
    "assessor": [roles.ASSESSORS],
    "insurer": [roles.INSURER],
    "office": [roles.ADMINS],
}


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_each_staff_role_sees_only_japanese(client, django_user_model, case, role):
    user = django_user_model.objects.create_user(role, password="pw", last_name="日向")
    user.groups.add(*Group.objects.filter(name__in=STAFF_ROLES[role]))
    if role == "reviewer":
        ReviewerProfile.objects.create(user=user, specialty=Specialty.PLASTIC_SURGERY)
    client.force_login(user)
    pages = [
        "/admin/",
        "/admin/cases/",
        f"/admin/cases/{case.pk}/",
        "/admin/precedents/?q=二重まぶた",
        "/admin/account/",
    ]
    assert _pages_of(client, pages) == {}


def test_page_editors_see_only_japanese(client, django_user_model, site_pages):
    home = site_pages["home"]
    for name in (EDITORS_GROUP, APPROVERS_GROUP):
        user = django_user_model.objects.create_user(name, password="pw")
        user.groups.add(Group.objects.get(name=name))
        client.force_login(user)
        pages = ["/admin/", "/admin/pages/", f"/admin/pages/{home.pk}/"]
        pages += [f"/admin/pages/{page.pk}/edit/" for page in site_pages.values()]
        assert _pages_of(client, pages) == {}, name


def test_a_superuser_sees_only_japanese(admin_client, case, site_pages):
    pages = [
        f"/admin/cases/{case.pk}/",
        f"/admin/pages/{site_pages['home'].pk}/edit/",
        "/admin/users/",
        "/admin/groups/",
        "/admin/account/",
    ]
    assert _pages_of(admin_client, pages) == {}


def test_the_login_page_is_the_associations(client):
    html = client.get("/admin/login/").content.decode()
    assert _ENGLISH.findall(visible_text(html)) == []
    assert "日本美容医療リスクマネジメント協会" in visible_text(html)
    assert "管理画面へログイン" in visible_text(html)
    assert re.search(r"<title>ログイン - 日本美容医療リスクマネジメント協会</title>", html)
    assert "cms_pages/mark.svg" in html  # the association's mark, not Wagtail's bird


def test_the_projects_own_login_and_second_factor_pages_too(client, django_user_model, settings):
    settings.STAFF_2FA_REQUIRED = True
    assert _english_on(client, "/accounts/login/") == []
    user = django_user_model.objects.create_user("hinata", password="pw")
    user.groups.add(Group.objects.get(name=roles.SUPPORT))
    client.force_login(user)
    assert _english_on(client, "/admin/") == []  # sent to the second factor's set-up first


def test_tab_titles_end_with_the_associations_name(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert re.search(r"<title>[^<]* - 日本美容医療リスクマネジメント協会</title>", html)


def test_avatars_are_initials_drawn_locally(client, django_user_model):
    user = django_user_model.objects.create_user("hinata", password="pw", last_name="日向")
    user.groups.add(Group.objects.get(name=roles.SUPPORT))
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    assert "gravatar" not in html and "default-user-avatar" not in html
    avatars = _values(_sidebar(html), "avatarUrl") + re.findall(r'<img src="(data:[^"]+)"', html)
    assert avatars and all(url.startswith("data:image/svg+xml,") for url in avatars)
    assert "%E6%97%A5" in avatars[0]  # 日, the family name's first character


def _labels(block) -> list[str]:
    children = getattr(block, "child_blocks", None) or {}
    child = getattr(block, "child_block", None)
    nested = [*children.values(), *([child] if child else [])]
    return [str(block.label), *(label for c in nested for label in _labels(c))]


def test_every_block_of_every_page_has_a_japanese_label():
    fields = [
        field
        for model in get_page_models()
        if model.__module__.startswith("cms_pages")
        for field in model._meta.get_fields()
        if isinstance(field, StreamField)
    ]
    assert fields
    labels = {label for field in fields for child in field.stream_block.child_blocks.values()
              for label in _labels(child)}  # fmt: skip
    assert {label for label in labels if re.fullmatch(r"[\x00-\x7f]*", label)} == set()
