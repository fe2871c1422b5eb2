"""An online application for cover (オンライン加入), reviewed by staff as a small state machine."""

import unicodedata
from datetime import date

import django_fsm as fsm
from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .. import rules
from ..choices import Course
from ..models import Doctor, Facility, MemberProfile, Policy
from ..models.cases import TransitionRecord, condition
from ..roles import APPLICATION_PERMISSIONS
from .choices import ACTIVE_STATES, ApplicantRole, ApplicationState, QualifyingRole
from .eligibility import eligibility_problems

S = ApplicationState
REVIEW = "enrollment.review_application"


def name_key(text: str) -> str:
    """A name as compared for duplicates: width-folded (ＡＢＣ → abc), spaces dropped."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


class Application(fsm.ConcurrentTransitionMixin, models.Model):
    """What an applicant typed, with the dates of cover computed when it was submitted.

    The dates are kept as computed rather than recomputed at approval, because they are what the
    applicant was shown and told by email. Approval links the issued policy and the records it
    created or reused (facility, doctor, member login).

    A renewal (継続) names the policy it continues (`renews`) and the login that sent it
    (`member`, from submission on); its dates come from rules.renewal_start, and approval issues
    a new policy for the same facility and doctor (casework.enrollment.services).
    """

    state = fsm.FSMField(
        "状態", choices=S.choices, default=S.RECEIVED, protected=True, db_index=True
    )
    applied_on = models.DateField("申込日")
    coverage_starts_on = models.DateField("補償開始日")
    coverage_ends_on = models.DateField("保険期間（終期）")

    course = models.CharField("コース", max_length=16, choices=Course.choices)
    payout_limit = models.PositiveBigIntegerField(
        "支払限度額（1事故・円）",
        choices=[(v, f"{v // 10_000:,}万円") for v in rules.PAYOUT_LIMITS],
    )
    membership_number = models.CharField("協会の会員番号", max_length=32)

    applicant_role = models.CharField("申込者", max_length=16, choices=ApplicantRole.choices)
    applicant_name = models.CharField("申込者の氏名", max_length=100)
    applicant_name_kana = models.CharField("申込者の氏名（よみがな）", max_length=100)
    email = models.EmailField("メールアドレス")
    phone = models.CharField("電話番号", max_length=32)

    facility_name = models.CharField("施設名", max_length=200)
    corporation_name = models.CharField("法人名", max_length=200, blank=True)
    prefecture = models.CharField("都道府県", max_length=10)
    is_main_clinic = models.BooleanField("本院", default=True)

    qualifying_role = models.CharField(
        "医師の立場", max_length=16, choices=QualifyingRole.choices, blank=True
    )
    doctor_name = models.CharField("医師の氏名", max_length=100)
    doctor_name_kana = models.CharField("医師の氏名（よみがな）", max_length=100)
    doctor_is_doctor = models.BooleanField("医師である", default=True)
    societies = models.JSONField("所属学会", default=list)

    # When the applicant ticked the consent to the privacy policy on the confirmation step
    # (casework.privacy); empty for applications made before the form asked for it.
    privacy_consented_at = models.DateTimeField(
        "個人情報の取扱いへの同意", null=True, blank=True, editable=False
    )

    # Same facility (and, for 施術医コース, same doctor) and same period = a duplicate.
    duplicate_key = models.CharField(max_length=400, editable=False, db_index=True)
    created_at = models.DateTimeField("受付日時", default=timezone.now)

    facility = models.ForeignKey(
        Facility, verbose_name="施設", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    doctor = models.ForeignKey(
        Doctor, verbose_name="医師", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    member = models.ForeignKey(
        MemberProfile, verbose_name="会員ユーザー", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    policy = models.OneToOneField(
        Policy, verbose_name="保険契約", null=True, blank=True, on_delete=models.PROTECT,
        related_name="application",
    )  # fmt: skip
    # A renewal (継続) names the policy it continues; a new application (新規) names none.
    renews = models.ForeignKey(
        Policy, verbose_name="継続元の保険契約", null=True, blank=True,
        on_delete=models.PROTECT, related_name="renewals",
    )  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = "加入申込"
        ordering = ["-created_at"]
        permissions = APPLICATION_PERMISSIONS
        constraints = [
            # The database refuses a duplicate that slipped past the check in the service
            # (two submissions at the same moment).
            models.UniqueConstraint(
                fields=["duplicate_key", "coverage_ends_on"],
                condition=Q(state__in=ACTIVE_STATES),
                name="enrollment_one_active_application_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.facility_name}（{self.get_state_display()}）"

    @property
    @admin.display(description="申込番号")  # the label of the admin list's first column
    def reference(self) -> str:
        return f"W-{self.pk:06d}" if self.pk else "W-（未登録）"

    @property
    def aggregate_limit(self) -> int:
        """総支払限度額 of the period, set by the plan table for the per-accident limit."""
        return rules.AGGREGATE_LIMITS[self.payout_limit]

    @property
    def owes_capital(self) -> bool:
        """出資金 is paid once per corporation, for its main clinic (本院) only, on enrolment: a
        renewal owes none."""
        return self.course == Course.FACILITY and self.is_main_clinic and self.renews_id is None

    @property
    def society_labels(self) -> list[str]:
        return Doctor(societies=self.societies).society_labels

    @property
    @admin.display(description="種類")
    def kind(self) -> str:
        return "継続" if self.renews_id else "新規"

    @property
    def coverage_gap(self) -> tuple[date, date] | None:
        """For a renewal sent after the round's deadline, the first and last day without cover
        between the policy it continues and its own start; None otherwise."""
        if self.renews is None:
            return None
        return rules.renewal_gap(
            current_ends_on=self.renews.ends_on, starts_on=self.coverage_starts_on
        )

    def compute_duplicate_key(self) -> str:
        # A renewal is keyed by the records of the policy it continues, not by the names typed:
        # a corrected spelling still meets another renewal (or a new application) of the same
        # facility or doctor, and two 管理者 renewing at once are refused by the constraint.
        facility_name, doctor_name = self.facility_name, self.doctor_name
        if self.renews is not None:
            facility_name = self.renews.facility.name
            if self.renews.doctor is not None:
                doctor_name = self.renews.doctor.name
        parts = [self.course, name_key(facility_name)]
        if self.course == Course.DOCTOR:
            parts.append(name_key(doctor_name))
        return "|".join(parts)

    def eligibility_problems(self) -> list[str]:
        return eligibility_problems(
            course=self.course,
            is_member=True,  # only members reach submission: the number is what is checked
            membership_number=self.membership_number,
            applicant_role=self.applicant_role,
            corporation_name=self.corporation_name,
            doctor_is_doctor=self.doctor_is_doctor,
            societies=self.societies,
        )

    # --- predicates (side-effect free; transition conditions) ---

    @condition("加入の条件を満たしていません。申込内容をご確認ください。")
    def is_eligible(self) -> bool:
        return not self.eligibility_problems()

    # --- transitions: change this application only; services issue the policy and email ---

    @fsm.transition(
        state, source=S.RECEIVED, target=S.IN_REVIEW, permission=REVIEW,
        custom={"label": "審査を開始"},
    )  # fmt: skip
    def start_review(self, *, by):
        pass

    @fsm.transition(
        state, source=S.IN_REVIEW, target=S.APPROVED, conditions=[is_eligible],
        permission=REVIEW, custom={"label": "承認して保険契約を発行"},
    )  # fmt: skip
    def approve(self, *, by, policy: Policy, doctor: Doctor, member: MemberProfile):
        self.policy, self.facility, self.doctor, self.member = (
            policy,
            policy.facility,
            doctor,
            member,
        )

    @fsm.transition(
        state, source=S.IN_REVIEW, target=S.RETURNED, permission=REVIEW,
        custom={"label": "差戻し", "needs_reason": True, "secondary": True},
    )  # fmt: skip
    def send_back(self, *, by):
        pass

    @fsm.transition(
        state, source=S.IN_REVIEW, target=S.REJECTED, permission=REVIEW,
        custom={"label": "却下", "needs_reason": True, "secondary": True},
    )  # fmt: skip
    def reject(self, *, by):
        pass


class ApplicationTransition(TransitionRecord):
    """Append-only audit trail of an application: who moved it, from which state, when, why."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="transitions"
    )
    from_state = models.CharField("変更前", max_length=32, choices=S.choices)
    to_state = models.CharField("変更後", max_length=32, choices=S.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = verbose_name_plural = "加入申込の履歴"

    def __str__(self) -> str:
        return (
            f"{self.application.reference}: "
            f"{self.get_from_state_display()} → {self.get_to_state_display()}"
        )


def _default_reminder_days() -> list[int]:
    return [30, 14, 7, 3]


class RenewalRound(models.Model):
    """One year's renewal round (継続手続) for the policies ending on `ends_on` (30 November):
    when マイページ starts offering the renewal, and how many days before the 10 November
    deadline the members who have not renewed are reminded. Set by the office each year."""

    ends_on = models.DateField("満了日（11月30日）", unique=True)
    offer_opens_on = models.DateField("マイページでのご案内開始日")
    reminder_days = models.JSONField("締切の何日前にお知らせするか", default=_default_reminder_days)

    class Meta:
        verbose_name = verbose_name_plural = "継続手続の年度"
        ordering = ["-ends_on"]

    def __str__(self) -> str:
        return f"{self.ends_on:%Y年%m月%d日}満了分の継続手続"


class RenewalReminder(models.Model):
    """A reminder sent for a policy of a round, so the daily run never sends one twice."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField("締切の何日前")
    sent_at = models.DateTimeField("送信日時", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "継続のお知らせ"
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "days_before"], name="enrollment_one_reminder_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} の継続のお知らせ（締切{self.days_before}日前）"
