import pytest
from django.contrib.auth.models import Group
from django_otp.oath import totp

from casework import roles

PASSWORD = "correct-horse-battery-staple"  # noqa: S105


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    """test.py switches staff 2FA off for the rest of the suite; here it is on, as in production."""
    settings.STAFF_2FA_REQUIRED = True


@pytest.fixture
def make_account(django_user_model, db):
    def make(username, *groups, email="", **fields):
        user = django_user_model.objects.create_user(
            username, email=email, password=PASSWORD, **fields
        )
        for name in groups:
            group, _ = Group.objects.get_or_create(name=name)
            user.groups.add(group)
        return user

    return make


@pytest.fixture
def member(make_account):
    return make_account("m-0001", roles.MEMBERS, email="Hanako.Sato@Sakura-Clinic.example.jp")


@pytest.fixture
def staff(make_account):
    return make_account("support1", roles.SUPPORT, email="support1@amrm.example.jp")


@pytest.fixture
def superuser(django_user_model, db):
    return django_user_model.objects.create_superuser(
        "chief", email="chief@amrm.example.jp", password=PASSWORD
    )


@pytest.fixture
def log_in(client):
    """Log in through the member/staff login page, as a person would."""

    def log_in(username, password=PASSWORD, next=None):
        data = {"username": username, "password": password}
        if next is not None:
            data["next"] = next
        return client.post("/accounts/login/", data)

    return log_in


def current_code(device) -> str:
    """The code the user's authenticator app shows right now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"
