from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Sum
from django.utils import timezone
from django.utils.functional import cached_property

from .. import rules
from ..choices import CaseState, Course
from .parties import Doctor, Facility


class PolicyQuerySet(models.QuerySet):
    def with_renewal(self, *, today: date) -> "PolicyQuerySet":
        """Each policy's renewal status (継続済み / 手続中 / 未着手 / 失効) and the number of the
        policy that renewed it, in the same query, for `Policy.renewal` to read."""
        # The rule lives with the renewal round (casework.enrollment), which is built on these
        # models: imported when called, as the app registry is ready by then.
        from ..enrollment.renewal_round import policies_with_renewal

        return policies_with_renewal(self, today=today)


class Policy(models.Model):
    """One policy period of cover: a facility (開設者コース) or a doctor (施術医コース).

    A policy is renewed (継続) by an application naming it (enrollment.Application.renews);
    its approval issues the next period's policy, and this one stays as it was.
    """

    number = models.CharField("証券番号", max_length=32, unique=True)
    course = models.CharField("コース", max_length=16, choices=Course.choices)
    facility = models.ForeignKey(
        Facility, verbose_name="施設", on_delete=models.PROTECT, related_name="policies"
    )
    doctor = models.ForeignKey(
        Doctor,
        verbose_name="医師",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policies",
        help_text="施術医コースの場合のみ",
    )
    payout_limit = models.PositiveBigIntegerField(
        "支払限度額（1事故・円）",
        choices=[(v, f"{v // 10_000:,}万円") for v in rules.PAYOUT_LIMITS],
    )
    deductible = models.PositiveBigIntegerField("免責金額（1事故・円）", default=rules.DEDUCTIBLE)
    starts_on = models.DateField("保険期間（始期）")
    ends_on = models.DateField("保険期間（終期）")

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "保険契約"
        ordering = ["-starts_on", "number"]
        # A renewal round lists the policies ending on its 30 November, by number.
        indexes = [models.Index(fields=["ends_on", "number"], name="policy_round")]

    def __str__(self) -> str:
        return f"{self.number} {self.get_course_display()}（{self.starts_on:%Y/%m/%d}〜）"

    @property
    def aggregate_limit(self) -> int:
        """The policy period's aggregate limit, set by the plan table for the per-accident limit."""
        return rules.AGGREGATE_LIMITS[self.payout_limit]

    def aggregate_used(self, *, excluding=None) -> int:
        """Yen of this period's aggregate that is spoken for: the assessed total of every case
        on the policy that is not withdrawn, whether still committed (査定中 to 支払承認待ち)
        or already paid (支払済, and 完了 after payment).

        An assessment reserves its total from the moment it is computed; a recomputation
        replaces the case's reservation; withdrawing the case releases it; payment turns it into
        spent money, which stays counted. ``excluding`` leaves one case out (the one being
        recomputed).
        """
        cases = self.cases.filter(assessment__isnull=False).exclude(state=CaseState.WITHDRAWN)
        if excluding is not None:
            cases = cases.exclude(pk=excluding.pk)
        return cases.aggregate(total=Sum("assessment__total"))["total"] or 0

    def aggregate_remaining(self, *, excluding=None) -> int:
        """What is left of the aggregate limit after ``aggregate_used``."""
        return max(self.aggregate_limit - self.aggregate_used(excluding=excluding), 0)

    @cached_property
    def renewal(self):
        """Where this policy's renewal stands today (Asia/Tokyo), with `.label` and
        `.renewed_by_number`: read from `with_renewal` when the policy was loaded with it, else
        one query for this policy (fine for the few policies of one member's page)."""
        from ..enrollment.renewal_round import policy_renewal

        return policy_renewal(self, today=timezone.localdate())

    def covers(self, claim_date) -> bool:
        return rules.is_covered(self.starts_on, self.ends_on, claim_date)

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "終期は始期より後の日付にしてください。"})
        if self.course == Course.DOCTOR and not self.doctor_id:
            raise ValidationError({"doctor": "施術医コースでは医師を選んでください。"})
        if self.course == Course.FACILITY and self.doctor_id:
            raise ValidationError({"doctor": "開設者コースでは医師を選ばないでください。"})
