"""Editors' changes stay off the public site until the 公開承認 group approves them."""

import pytest

from .reading import page_text

pytestmark = pytest.mark.django_db


def _faq(client) -> str:
    return page_text(client.get("/faq/"))


def _submit_change(page, editor, new_intro):
    page.intro = new_intro
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)


def test_editors_may_edit_but_not_publish(site_pages, editor, approver):
    faq = site_pages["faq"]
    assert faq.permissions_for_user(editor).can_edit()
    assert not faq.permissions_for_user(editor).can_publish()
    assert faq.permissions_for_user(approver).can_publish()


def test_a_submitted_change_is_held_until_approved(client, site_pages, editor, approver):
    faq = site_pages["faq"]
    assert "よくあるご質問にお答えします" in _faq(client)  # now cached
    _submit_change(faq, editor, "<p>改訂版の前文です</p>")

    html = _faq(client)
    assert "改訂版の前文です" not in html
    assert "よくあるご質問にお答えします" in html

    task_state = faq.current_workflow_task_state
    task = task_state.task.specific
    assert [a[0] for a in task.get_actions(faq, editor)] == []
    assert "approve" in [a[0] for a in task.get_actions(faq, approver)]
    task.on_action(task_state, approver, "approve")

    assert "改訂版の前文です" in _faq(client)


def test_a_rejected_change_never_goes_live(client, site_pages, editor, approver):
    faq = site_pages["faq"]
    _submit_change(faq, editor, "<p>却下される前文</p>")
    task_state = faq.current_workflow_task_state
    task_state.task.specific.on_action(task_state, approver, "reject")
    assert "却下される前文" not in _faq(client)
