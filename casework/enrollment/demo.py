"""Demo applications, so that staff trying the demo find some in 加入申込 (development only)."""

from datetime import date, datetime, time, timedelta

import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from ..choices import Course, Society
from ..demo import SUPPORT_USERNAMES, quietly
from ..service_levels import TOKYO
from .choices import ApplicantRole, QualifyingRole
from .models import Application
from .services import application_submit, application_transition

# (fields that differ, days before today it was submitted, transition the support demo user
# took the next morning or None): recent, so that their dates of cover are still to come.
_DEMO = [
    (
        {
            "course": Course.DOCTOR,
            "applicant_role": ApplicantRole.DOCTOR,
            "applicant_name": "高橋 美咲",
            "applicant_name_kana": "たかはし みさき",
            "facility_name": "デモ表参道スキンクリニック",
            "prefecture": "東京都",
            "doctor_name": "高橋 美咲",
            "doctor_name_kana": "たかはし みさき",
            "societies": [Society.JSAD],
        },
        1,
        None,
    ),
    (
        {
            "course": Course.FACILITY,
            "applicant_role": ApplicantRole.CHAIR,
            "applicant_name": "山本 隆",
            "applicant_name_kana": "やまもと たかし",
            "facility_name": "デモ梅田美容外科 本院",
            "corporation_name": "医療法人社団デモ会",
            "prefecture": "大阪府",
            "qualifying_role": QualifyingRole.OPENER,
            "doctor_name": "中村 健",
            "doctor_name_kana": "なかむら けん",
            "doctor_is_doctor": True,
            "societies": [Society.JSAPS, Society.JSPRS],
        },
        4,
        "start_review",
    ),
]
_COMMON = {
    "payout_limit": 10_000_000,
    "membership_number": "DEMO-0001",
    "email": "applicant@example.jp",
    "phone": "03-0000-0000",
    "is_main_clinic": True,
}


def demo_applications(
    *, reviewer_username: str = SUPPORT_USERNAMES[0], today: date | None = None
) -> int:
    """Submit the demo applications once, a few days before `today` (default: today in
    Asia/Tokyo), so that their dates of cover follow from that day by the enrolment rules; run
    again later, it makes nothing. Returns how many were made."""
    if Application.objects.filter(membership_number=_COMMON["membership_number"]).exists():
        return 0
    today = today or timezone.localdate()
    reviewer = get_user_model().objects.get(username=reviewer_username)
    with quietly():
        for fields, days_ago, transition in _DEMO:
            submitted = datetime.combine(today - timedelta(days=days_ago), time(10, 40), TOKYO)
            with time_machine.travel(submitted, tick=False) as clock:
                application = application_submit(
                    fields={**_COMMON, **fields, "privacy_consented_at": timezone.now()}
                )
                if transition:
                    clock.move_to(submitted + timedelta(hours=23))
                    application_transition(application=application, name=transition, by=reviewer)
    return len(_DEMO)
