from django.db import models


class ApplicationState(models.TextChoices):
    RECEIVED = "received", "申込受付"
    IN_REVIEW = "in_review", "審査中"
    APPROVED = "approved", "承認"
    RETURNED = "returned", "差戻し"
    REJECTED = "rejected", "却下"


# An application in one of these holds its facility and period: another one is a duplicate.
# 差戻し and 却下 free them, so the applicant may apply again with corrected details.
ACTIVE_STATES = [ApplicationState.RECEIVED, ApplicationState.IN_REVIEW, ApplicationState.APPROVED]


class ApplicantRole(models.TextChoices):
    """Who fills in the application. 施術医コース: the insured doctor; 開設者コース: the rest."""

    DOCTOR = "doctor", "被保険者となる医師ご本人"
    OPENER = "opener", "施設の開設者"
    RESPONSIBLE = "responsible", "美容医療の施術責任者"
    CHAIR = "chair", "医療法人の理事長"


class QualifyingRole(models.TextChoices):
    """開設者コース: the doctor whose society membership makes the facility eligible."""

    OPENER = "opener", "開設者"
    RESPONSIBLE = "responsible", "美容医療の施術責任者"
