"""Who may enrol, as pure functions returning the Japanese message for an unmet condition.

The step forms call the check that concerns their own fields, so the applicant is told at once;
`application_submit` calls `eligibility_problems` with everything before saving, so nothing that
skipped a step gets through. The conditions are the association's own (FAQ 加入の条件, 医療法人の
理事長): full membership of the association, and a doctor of one of the five societies.
"""

from ..choices import Course, Society
from .choices import ApplicantRole

NOT_A_MEMBER = (
    "ご加入には、加入申込者または加入者が当協会の正会員であることが必要です。"
    "まだ会員でない方は、先に入会のお手続きをお願いします。"
)
MEMBERSHIP_NUMBER_REQUIRED = "当協会の会員番号を入力してください。"
_SOCIETIES = "、".join(Society.labels)
NO_SOCIETY = {
    Course.DOCTOR: f"施術医コースは、被保険者となる医師が{_SOCIETIES}のいずれかに所属していることが加入の条件です。",
    Course.FACILITY: f"開設者コースは、施設の開設者または美容医療の施術責任者である医師が{_SOCIETIES}のいずれかに所属していることが加入の条件です。",
}
NOT_A_DOCTOR = (
    "開設者コースは、施設の開設者または美容医療の施術責任者が医師であることが加入の条件です"
    "（医療法人の理事長が医師でない場合も、開設者または施術責任者が医師であれば加入できます）。"
)
WRONG_ROLE = {
    Course.DOCTOR: "施術医コースは、被保険者となる医師ご本人がお申し込みください。",
    Course.FACILITY: "開設者コースは、施設の開設者・美容医療の施術責任者・医療法人の理事長のいずれかの方がお申し込みください。",
}
CHAIR_NEEDS_CORPORATION = "医療法人の理事長としてお申し込みの場合は、法人名を入力してください。"


def membership_problem(*, is_member: bool, number: str) -> str | None:
    if not is_member:
        return NOT_A_MEMBER
    if not number.strip():
        return MEMBERSHIP_NUMBER_REQUIRED
    return None


def applicant_problem(*, course: str, role: str, corporation_name: str) -> str | None:
    allowed = (
        {ApplicantRole.DOCTOR}
        if course == Course.DOCTOR
        else set(ApplicantRole) - {ApplicantRole.DOCTOR}
    )
    if role not in allowed:
        return WRONG_ROLE[course]
    if role == ApplicantRole.CHAIR and not corporation_name.strip():
        return CHAIR_NEEDS_CORPORATION
    return None


def doctor_problem(*, course: str, is_doctor: bool, societies: list[str]) -> str | None:
    """The insured doctor (施術医コース) or the facility's opener or responsible doctor
    (開設者コース) must be a doctor in one of the five societies. The applicant themself need
    not be a doctor: a corporation's chair may apply for the facility."""
    if not is_doctor:
        return NOT_A_DOCTOR
    if not set(societies) & set(Society.values):
        return NO_SOCIETY[course]
    return None


def eligibility_problems(
    *,
    course: str,
    is_member: bool,
    membership_number: str,
    applicant_role: str,
    corporation_name: str,
    doctor_is_doctor: bool,
    societies: list[str],
) -> list[str]:
    """Every unmet condition of enrolment, in the order the form asks; empty when eligible."""
    problems = [
        membership_problem(is_member=is_member, number=membership_number),
        applicant_problem(course=course, role=applicant_role, corporation_name=corporation_name),
        doctor_problem(course=course, is_doctor=doctor_is_doctor, societies=societies),
    ]
    return [problem for problem in problems if problem]
