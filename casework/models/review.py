"""The review committee's opinions and the assessment committee's payout."""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from casework.choices import Specialty

from ..choices import OpinionConclusion
from .cases import Case


class Opinion(models.Model):
    """One reviewer's opinion on a case (査読). Hidden from other reviewers until they submit."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="opinions")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="審査員", on_delete=models.PROTECT, related_name="+"
    )
    # The reviewer's specialty when writing: a later profile change must not rewrite history.
    specialty = models.CharField("専門分野", max_length=32, choices=Specialty.choices)
    conclusion = models.CharField("結論", max_length=16, choices=OpinionConclusion.choices)
    text = models.TextField("所見")
    advice = models.TextField("治療・今後の対策への助言", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField("提出日時", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "意見書"
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reviewer"], name="one_opinion_per_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} の意見書（{self.get_specialty_display()}）"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            # The case first: two reviewers submitting at once then each see the other's opinion
            # when the case's opinions_complete is worked out. NO KEY UPDATE does not wait on the
            # key-share lock the opinion's own insert takes on the case.
            case = Case.objects.select_for_update(no_key=True).get(pk=self.case_id)
            super().save(*args, **kwargs)
            complete = case.has_enough_opinions()
            if complete != case.opinions_complete:
                Case.objects.filter(pk=case.pk).update(opinions_complete=complete)
            if Opinion.case.is_cached(self):
                self.case.opinions_complete = complete


class Assessment(models.Model):
    """The payout computed by the assessment committee with casework.rules, line by line."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="assessment")
    damages = models.PositiveBigIntegerField("損害賠償金（円）")
    legal_costs = models.PositiveBigIntegerField("争訟費用（円）", default=0)
    other_insurance_paid = models.PositiveBigIntegerField(
        "他の保険契約等による支払額（円）", default=0
    )
    payout_limit = models.PositiveBigIntegerField("支払限度額（円）")
    deductible = models.PositiveBigIntegerField("免責金額（円）")
    aggregate_remaining = models.PositiveBigIntegerField("総支払限度額の残額（円）")
    total = models.PositiveBigIntegerField("支払総額（円）")
    lines = models.JSONField("計算の内訳", default=list)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="査定者", on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField("査定日時", default=timezone.now)
    # Counts computations: an assessment form carries the revision it was loaded with, so a
    # stale form (someone recomputed meanwhile) is refused instead of overwriting.
    revision = models.PositiveIntegerField("査定の回数", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "査定"

    def __str__(self) -> str:
        return f"{self.case.reference} の査定（{self.total:,}円）"
