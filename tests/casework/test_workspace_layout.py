"""The admin around the workspace as each person sees it: a home that is only their queues (no
page search), their name family name first in the sidebar, and a reviewer's case page that
leads with the step, then the facts to judge, then the opinion form."""

import json

import pytest

from casework import roles
from casework.services import case_transition

pytestmark = pytest.mark.django_db


def _html(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _sidebar_name(html: str) -> str:
    """The name under the avatar in Wagtail's sidebar (its account menu), from the props the
    sidebar is drawn from."""
    start = html.index('id="wagtail-sidebar-props"')
    props = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    main_menu = next(m for m in props["modules"] if m["_type"] == "wagtail.sidebar.MainMenuModule")
    return main_menu["_args"][-1]["name"]


@pytest.mark.parametrize(
    "group",
    [roles.SUPPORT, roles.REVIEWERS, roles.CHAIR, roles.ASSESSORS, roles.INSURER, roles.ADMINS],
)
def test_the_home_is_the_persons_work_with_no_page_search(client, make_user, group):
    person = make_user("staff", group, last_name="日向", first_name="さやか")
    html = _html(client, person, "/admin/")
    assert "ページを検索" not in html and "Search all pages" not in html
    assert 'role="search"' not in html
    assert "日向 さやか" in html  # Wagtail's own account summary stays
    assert "編集ガイド" not in html and "editor guide" not in html  # Wagtail's English manual


def test_page_editors_keep_the_home_and_its_page_count_without_the_search_box(
    client, django_user_model
):
    admin = django_user_model.objects.create_superuser("root", "root@example.jp", "pw")
    html = _html(client, admin, "/admin/")
    assert "ページを検索" not in html and 'role="search"' not in html
    assert "w-summary" in html  # the site summary (pages, images, documents) is still there


def test_the_sidebar_names_the_person_family_name_first(client, make_user):
    person = make_user("hinata", roles.SUPPORT, last_name="日向", first_name="さやか")
    assert _sidebar_name(_html(client, person, "/admin/")) == "日向 さやか"
    assert _sidebar_name(_html(client, person, "/admin/cases/")) == "日向 さやか"


def test_the_sidebar_falls_back_to_the_login_name(client, make_user):
    person = make_user("support9", roles.SUPPORT)
    assert _sidebar_name(_html(client, person, "/admin/")) == "support9"


def test_a_reviewer_reads_the_facts_before_the_opinion_form(client, report, support, surgeon):
    case = report(narrative="埋没法の3週間後、左右差があると返金を求められている。")
    for name in ("start_triage", "refer_to_review"):
        case = case_transition(case=case, name=name, by=support)
    html = _html(client, surgeon, f"/admin/cases/{case.pk}/")

    step = html.index('id="next-step-heading"')
    panel = html[step : html.index("</section>", step)]
    assert "この案件の意見書を書いて提出してください。" in panel
    assert '<a class="button" href="#opinion">意見書を書く</a>' in panel
    assert "casework-opinion-form" not in panel  # the form waits below the facts

    facts = html.index("埋没法の3週間後、左右差があると返金を求められている。")
    form = html.index('id="opinion-heading"')
    assert step < facts < form < html.index('id="case-messages-section"')
    assert "casework-opinion-form" in html[form:]


def test_a_reviewer_with_a_draft_is_sent_to_finish_it(client, report, support, surgeon):
    case = report()
    for name in ("start_triage", "refer_to_review"):
        case = case_transition(case=case, name=name, by=support)
    client.force_login(surgeon)
    client.post(f"/admin/cases/{case.pk}/opinion/", {"draft": "1", "text": "途中まで"})
    html = _html(client, surgeon, f"/admin/cases/{case.pk}/")
    assert '<a class="button" href="#opinion">下書きの続きを書く</a>' in html
