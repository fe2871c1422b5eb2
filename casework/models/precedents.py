from django.db import models


class HistoricalPrecedent(models.Model):
    """A past case from before the platform, imported by `manage.py import_precedents`
    (casework/precedents/importer.py) and indexed for precedent search like a case.

    The narrative is scrubbed of phone numbers and e-mail addresses before it is saved.
    """

    external_id = models.CharField("事例番号", max_length=64, unique=True)
    claim_date = models.DateField("クレーム申し出日")
    procedure = models.ForeignKey(
        "casework.Procedure", verbose_name="施術", on_delete=models.PROTECT, related_name="+"
    )
    complaint_types = models.JSONField("苦情の種類", default=list, blank=True)  # ComplaintType
    narrative = models.TextField("概要")
    outcome = models.CharField("結果", max_length=32)  # a CaseState value
    payout_yen = models.PositiveBigIntegerField("支払額（円）", null=True, blank=True)
    closed_on = models.DateField("終結日")
    imported_at = models.DateTimeField("取込日時", auto_now=True)

    class Meta:
        # The search app held this model until migration 0010; its table and rows stayed put.
        db_table = "search_historicalprecedent"
        verbose_name = verbose_name_plural = "過去事例（取込）"
        ordering = ["claim_date", "external_id"]

    def __str__(self) -> str:
        return self.external_id
