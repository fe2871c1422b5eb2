import copy
from datetime import date

import pytest
from django.apps import apps

from casework.enrollment.permissions import review_permissions_sync
from casework.enrollment.services import application_submit

APPLIED_ON = date(2026, 11, 25)


# A 開設者コース application by a corporation's chair who is not a doctor.
FACILITY_APPLICATION = {
    "course": "facility",
    "payout_limit": 10_000_000,
    "membership_number": "A-12345",
    "applicant_role": "chair",
    "applicant_name": "鈴木 一郎",
    "applicant_name_kana": "すずき いちろう",
    "email": "suzuki@example.jp",
    "phone": "03-1234-5678",
    "facility_name": "あおば美容クリニック 新宿院",
    "corporation_name": "医療法人あおば会",
    "prefecture": "東京都",
    "is_main_clinic": True,
    "qualifying_role": "responsible",
    "doctor_name": "高橋 花子",
    "doctor_name_kana": "たかはし はなこ",
    "doctor_is_doctor": True,
    "societies": ["jsaps", "jsprs"],
}


@pytest.fixture(autouse=True)
def _review_permissions(_reference_data):
    """A transactional test may run on a database an earlier one emptied: grant them again."""
    review_permissions_sync(apps)


@pytest.fixture
def facility_fields():
    """A 開設者コース application by a corporation's chair who is not a doctor."""
    return copy.deepcopy(FACILITY_APPLICATION)  # the tests change it freely


@pytest.fixture
def submit(db):
    def make(fields, applied_on=APPLIED_ON):
        return application_submit(fields=fields, applied_on=applied_on)

    return make
