"""Demo applications, so that staff trying the demo find some in 加入申込 (development only)."""

from django.contrib.auth import get_user_model

from ..choices import Course, Society
from ..demo import SUPPORT_USERNAMES
from .choices import ApplicantRole, QualifyingRole
from .models import Application
from .services import application_submit, application_transition

# (fields that differ, transition taken by the support demo user or None)
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


def demo_applications(*, reviewer_username: str = SUPPORT_USERNAMES[0]) -> int:
    """Submit the demo applications once (again later: nothing); returns how many were made."""
    if Application.objects.filter(membership_number=_COMMON["membership_number"]).exists():
        return 0
    reviewer = get_user_model().objects.get(username=reviewer_username)
    for fields, transition in _DEMO:
        application = application_submit(fields={**_COMMON, **fields})
        if transition:
            application_transition(application=application, name=transition, by=reviewer)
    return len(_DEMO)
