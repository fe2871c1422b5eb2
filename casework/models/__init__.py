from .access import PatientDataAccess, PatientDataView
from .calendar import ClosingPeriod
from .cases import Case, CaseCounter, CaseTransition, PatientInfo
from .notifications import NotificationFailure, NotificationFailureKind
from .parties import Doctor, Facility, MemberProfile, ReviewerProfile
from .policies import Policy
from .portal import Attachment, AttachmentKind, Message
from .precedents import HistoricalPrecedent
from .procedures import Procedure
from .review import Assessment, Opinion

__all__ = [
    "Assessment",
    "Attachment",
    "AttachmentKind",
    "Case",
    "CaseCounter",
    "CaseTransition",
    "ClosingPeriod",
    "Doctor",
    "Facility",
    "HistoricalPrecedent",
    "MemberProfile",
    "Message",
    "NotificationFailure",
    "NotificationFailureKind",
    "Opinion",
    "PatientDataAccess",
    "PatientDataView",
    "PatientInfo",
    "Policy",
    "Procedure",
    "ReviewerProfile",
]
