import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page, Revision, Workflow

from cms_pages.services import APPROVERS_GROUP, EDITORS_GROUP, site_content_load

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(Page.objects.order_by("path").values_list("path", "title", "slug", "live")),
        Revision.objects.count(),
        Group.objects.count(),
        Workflow.objects.count(),
    )


def test_a_second_load_changes_nothing_and_duplicates_nothing(capsys):
    before = _snapshot()
    assert site_content_load().created == []
    call_command("load_site_content")
    assert _snapshot() == before
    assert "変更なし" in capsys.readouterr().out


def test_the_loader_never_overwrites_an_editors_change(site_pages):
    faq = site_pages["faq"]
    faq.title = "Q&A（編集済み）"
    faq.save_revision().publish()
    site_content_load()
    faq.refresh_from_db()
    assert faq.title == "Q&A（編集済み）"


def test_the_loader_sets_up_the_moderation_groups_and_workflow(site_pages):
    assert Group.objects.filter(name=EDITORS_GROUP).count() == 1
    assert Group.objects.filter(name=APPROVERS_GROUP).count() == 1
    workflow = site_pages["faq"].get_workflow()
    assert workflow.name == "公開承認ワークフロー"
    assert [t.name for t in workflow.tasks] == [APPROVERS_GROUP]
