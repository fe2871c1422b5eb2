"""Who does what in casework: Django groups and the permissions each holds.

Groups are created by a data migration from this table, so changing a role is one edit here
and a new migration that calls `roles_sync`.
"""

MEMBERS = "会員"
SUPPORT = "サポート"
REVIEWERS = "審査員"
CHAIR = "審査会長"
ASSESSORS = "査定員"
INSURER = "保険会社担当"
ADMINS = "事務局管理者"

# Custom permissions on Case (codename, label).
CASE_PERMISSIONS = [
    ("handle_case", "案件を担当する（サポート）"),
    ("review_case", "意見書を提出する"),
    ("decide_case", "有責・無責を判定する"),
    ("assess_case", "支払額を査定する"),
    ("liaise_settlement", "示談・訴訟の手続きを進める"),
    ("approve_payment", "支払を承認する"),
]

_ALL = [codename for codename, _ in CASE_PERMISSIONS]

GROUP_PERMISSIONS = {
    MEMBERS: [],
    SUPPORT: ["view_case", "handle_case"],
    REVIEWERS: ["view_case", "review_case"],
    CHAIR: ["view_case", "review_case", "decide_case"],
    ASSESSORS: ["view_case", "assess_case"],
    INSURER: ["view_case", "liaise_settlement", "approve_payment"],
    ADMINS: ["view_case", *_ALL],
}

# Online enrolment (casework.enrollment): custom permission on Application.
APPLICATION_PERMISSIONS = [("review_application", "加入申込を審査する")]

# Applications are reviewed by the support team, who already speak with members on the phone,
# and by the office; reviewers, assessors and the insurer have no part in enrolment.
APPLICATION_GROUP_PERMISSIONS = {
    SUPPORT: ["view_application", "review_application"],
    ADMINS: ["view_application", "review_application"],
}

# The access log of patient data (casework.PatientDataAccess) is read by the office's
# administrators only; nobody can change it.
ACCESS_LOG_GROUP_PERMISSIONS = {ADMINS: ["view_patientdataaccess"]}

# The association's closing days (casework.ClosingPeriod) move every service level: the
# office's administrators keep them; everyone else sees their effect on the due times.
CALENDAR_GROUP_PERMISSIONS = {
    ADMINS: [f"{action}_closingperiod" for action in ("add", "change", "delete", "view")]
}

# Each year's renewal round (enrollment.RenewalRound: when マイページ offers the renewal, on which
# days members are reminded) is set by the office's administrators; the support team follows the
# round itself through view_application.
RENEWAL_ROUND_GROUP_PERMISSIONS = {
    ADMINS: [f"{action}_renewalround" for action in ("add", "change", "delete", "view")]
}

# E-mails and index updates the task queue gave up on (casework.NotificationFailure) are
# followed up by the office's administrators; they only read them.
NOTIFICATION_FAILURE_GROUP_PERMISSIONS = {ADMINS: ["view_notificationfailure"]}

# Staff groups reach the Wagtail admin (the staff workspace); members never do.
STAFF_GROUPS = [SUPPORT, REVIEWERS, CHAIR, ASSESSORS, INSURER, ADMINS]


def roles_sync(
    group_model, permission_model, content_type, table: dict[str, list[str]] = GROUP_PERMISSIONS
) -> None:
    """Create the groups and grant them `table`'s permissions on `content_type`'s model
    (idempotent; usable from migrations)."""
    access_admin = permission_model.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    for name, codenames in table.items():
        group, _ = group_model.objects.get_or_create(name=name)
        perms = list(
            permission_model.objects.filter(content_type=content_type, codename__in=codenames)
        )
        if name in STAFF_GROUPS and access_admin:
            perms.append(access_admin)
        group.permissions.add(*perms)
