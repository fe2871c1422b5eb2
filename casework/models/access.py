"""Who looked at which patient's data, and when: the access record the MHLW guideline on the
security of medical information systems asks for."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .cases import AppendOnlyModel, Case


class PatientDataView(models.TextChoices):
    PATIENT_SECTION = "patient", "患者情報の表示"
    ATTACHMENT = "attachment", "添付ファイルのダウンロード"


class PatientDataAccess(AppendOnlyModel):
    """One view of a case's patient-identifying data (the patient section of the staff case page,
    an attachment download). Append-only; staff administrators read and export it."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="patient_data_accesses"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="閲覧者",
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("日時", default=timezone.now, db_index=True)
    what = models.CharField("閲覧内容", max_length=16, choices=PatientDataView.choices)
    detail = models.CharField("対象", max_length=255, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "患者情報の閲覧記録"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.get_what_display()}"
