from .cases import Case, CaseCounter, CaseTransition, PatientInfo
from .parties import Doctor, Facility, MemberProfile, ReviewerProfile
from .policies import Policy
from .procedures import Procedure
from .review import Assessment, Opinion

__all__ = [
    "Assessment",
    "Case",
    "CaseCounter",
    "CaseTransition",
    "Doctor",
    "Facility",
    "MemberProfile",
    "Opinion",
    "PatientInfo",
    "Policy",
    "Procedure",
    "ReviewerProfile",
]
