"""The public site's editors: one who writes and submits, one who approves and publishes."""

import pytest
from django.contrib.auth.models import Group

from cms_pages.services import APPROVERS_GROUP, EDITORS_GROUP


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw")
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def approver(django_user_model):
    user = django_user_model.objects.create_user("approver", password="pw")
    user.groups.add(Group.objects.get(name=APPROVERS_GROUP))
    return user
