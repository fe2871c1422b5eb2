"""The case: one patient complaint from report to closure, as a state machine."""

import django_fsm as fsm
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..choices import OPEN_STATES, CaseState, ComplaintType, Decision, ReferralKind, Urgency
from ..member_roles import MemberAction, member_may
from ..roles import CASE_PERMISSIONS
from .parties import Doctor, Facility
from .policies import Policy
from .procedures import Procedure, opinions_suffice

S = CaseState


def condition(unmet_message: str):
    """Mark a predicate as a transition condition, with what to tell a person when it fails."""

    def mark(predicate):
        predicate.unmet_message = unmet_message
        return predicate

    return mark


def _is_member_or_support(case: "Case", user) -> bool:
    return user.has_perm("casework.handle_case") or case.may_act_as_member(user)


def _may_approve_payment(case: "Case", user) -> bool:
    # Separation of duties: whoever computed the payout or asked for its payment never approves it.
    return (
        user.has_perm("casework.approve_payment")
        and not case.was_assessed_by(user)
        and case.payment_requested_by_id != user.pk
    )


class Case(fsm.ConcurrentTransitionMixin, models.Model):
    reference = models.CharField("受付番号", max_length=16, unique=True, editable=False)
    state = fsm.FSMField(
        "状態", choices=CaseState.choices, default=CaseState.RECEIVED, protected=True, db_index=True
    )
    facility = models.ForeignKey(
        Facility, verbose_name="施設", on_delete=models.PROTECT, related_name="cases"
    )
    policy = models.ForeignKey(
        Policy,
        verbose_name="保険契約",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    doctor = models.ForeignKey(
        Doctor,
        verbose_name="施術した医師",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="報告者",
        on_delete=models.PROTECT,
        related_name="reported_cases",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="担当者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_cases",
    )

    procedure = models.ForeignKey(Procedure, verbose_name="施術", on_delete=models.PROTECT)
    procedure_date = models.DateField("施術日")
    claim_date = models.DateField(
        "クレーム申し出日",
        help_text="患者さんが初めて苦情を申し出た日（補償の対象となるかを決める日）",
    )
    complaint_types = models.JSONField("苦情の種類", default=list)
    narrative = models.TextField("経緯")
    patient_demands = models.TextField("患者さんの要求", blank=True)
    urgency = models.CharField(
        "緊急度", max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    no_payment_promised = models.BooleanField(
        "患者さんに金銭の支払い・約束をしていない",
        default=False,
        help_text="会員が独自に支払いや約束をすると補償の対象外となることがあります。",
    )
    # 要配慮個人情報: when the member confirmed, reporting, that the patient's information is
    # handled under the privacy policy and given with the patient's consent or another lawful
    # basis. Empty for cases reported before the form asked.
    patient_data_confirmed_at = models.DateTimeField(
        "患者さんの情報の提供についての確認（会員）", null=True, blank=True
    )
    # Risk flags: set from the complaint types when reported; staff may adjust them.
    risk_self_harm = models.BooleanField("自傷・希死念慮", default=False)
    risk_lawsuit = models.BooleanField("訴訟リスク", default=False)
    risk_online = models.BooleanField("ネット書き込みリスク", default=False)

    received_at = models.DateTimeField("受付日時", default=timezone.now)
    first_response_at = models.DateTimeField("初回対応日時", null=True, blank=True)
    patient_consent_at = models.DateTimeField("患者さんの同意（状況聴取）", null=True, blank=True)

    # The finding itself: the state moves on (査定中, 完了 …) while the decision stays what it was.
    decision = models.CharField("判定", max_length=16, choices=Decision.choices, blank=True)
    decision_reasons = models.TextField("判定理由", blank=True)
    decision_dissent = models.TextField("少数意見", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="判定者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("判定日時", null=True, blank=True)
    # has_enough_opinions, stored by Opinion.save so that the chair's queues are one indexed
    # query; the transitions still ask has_enough_opinions itself.
    opinions_complete = models.BooleanField("意見書がそろった", default=False, editable=False)
    referral_kind = models.CharField(
        "紹介先", max_length=32, choices=ReferralKind.choices, blank=True
    )
    payment_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="支払承認の依頼者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    payment_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="支払承認者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_at = models.DateTimeField("支払日時", null=True, blank=True)
    closed_at = models.DateTimeField("完了日時", null=True, blank=True)

    # Service levels, stored where the events happen (service_level_records) so that every queue
    # is one indexed query: the response owed since the report or the member's last answer,
    # due at `response_due_at` while unanswered (null once answered or closed).
    response_owed_since = models.DateTimeField("対応が必要になった日時", null=True, blank=True)
    response_due_at = models.DateTimeField("対応期限", null=True, blank=True)
    response_given_at = models.DateTimeField("対応日時", null=True, blank=True)
    # When the case entered its current state: how long a queue's case has waited.
    state_since = models.DateTimeField("現在の状態になった日時", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "案件"
        ordering = ["-received_at"]
        permissions = CASE_PERMISSIONS
        indexes = [
            # Partial: the few cases owed a response, so the planner always takes this index for
            # the overdue queue rather than walking every case newest first.
            models.Index(
                fields=["response_due_at"],
                condition=Q(response_due_at__isnull=False),
                name="case_response_due",
            ),
            models.Index(
                fields=["-received_at"], condition=Q(risk_self_harm=True), name="case_self_harm"
            ),
            models.Index(fields=["state", "state_since"], name="case_state_since"),
            models.Index(fields=["state", "-received_at"], name="case_state_received"),
            models.Index(fields=["handler", "-received_at"], name="case_handler_received"),
            # The list's newest-first order, and the monthly chart's counts by procedure without
            # reading a single case row (the index covers both columns).
            models.Index(fields=["received_at", "procedure"], name="case_received_procedure"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}（{self.get_state_display()}）"

    # --- predicates (side-effect free; used as transition conditions) ---

    def is_member(self, user) -> bool:
        profile = getattr(user, "member_profile", None)
        return profile is not None and profile.facility_id == self.facility_id

    def may_act_as_member(self, user) -> bool:
        """A login of the case's facility whose role lets it report, answer and write
        (casework.member_roles): a 閲覧のみ colleague, or one removed, only reads."""
        return self.is_member(user) and member_may(user, MemberAction.REPORT)

    @condition("クレーム申し出日が保険期間内ではありません。")
    def is_claim_covered(self) -> bool:
        return self.policy is not None and self.policy.covers(self.claim_date)

    @condition("クレーム申し出日は保険期間内です。")
    def is_claim_outside_cover(self) -> bool:
        return not self.is_claim_covered()

    @condition("患者さんの同意（状況聴取）が記録されていません。")
    def has_patient_consent(self) -> bool:
        return self.patient_consent_at is not None

    @condition("提出済みの意見書が2通以上、うち1通は施術分野の専門医のものが必要です。")
    def has_enough_opinions(self) -> bool:
        """Two submitted opinions, one of them by a doctor of the procedure's specialty."""
        submitted = [o.specialty for o in self.opinions.all() if o.submitted_at]
        return opinions_suffice(self.procedure.field, submitted)

    @condition("査定がまだ行われていません。")
    def has_assessment(self) -> bool:
        return hasattr(self, "assessment")

    @condition("この支払額では保険期間の総支払限度額を超えます。査定をやり直してください。")
    def is_within_aggregate(self) -> bool:
        """The assessed total still fits in what the policy's aggregate has left beside the other
        cases' reservations. The service holds the policy's row lock while this is checked."""
        return (
            self.has_assessment()
            and self.policy is not None
            and self.assessment.total <= self.policy.aggregate_remaining(excluding=self)
        )

    def was_assessed_by(self, user) -> bool:
        return self.has_assessment() and self.assessment.assessed_by_id == user.pk

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def complaint_type_labels(self) -> list[str]:
        return [ComplaintType(c).label for c in self.complaint_types if c in ComplaintType.values]

    # --- transitions: change this case's state and fields only; services do the rest ---

    @fsm.transition(
        state,
        source=S.RECEIVED,
        target=S.TRIAGE,
        permission="casework.handle_case",
        custom={"label": "初期対応を開始"},
    )
    def start_triage(self, *, by):
        self.handler = self.handler or by
        self.first_response_at = self.first_response_at or timezone.now()

    @fsm.transition(
        state,
        source=[S.RECEIVED, S.TRIAGE],
        target=S.NOT_COVERED,
        conditions=[is_claim_outside_cover],
        permission="casework.handle_case",
        custom={
            "label": "補償対象外とする",
            "confirm": "クレーム申し出日が保険期間外のため、この案件を補償の対象外とします。"
            "対応方法などの助言は引き続き行えます。",
        },
    )
    def mark_not_covered(self, *, by):
        self.first_response_at = self.first_response_at or timezone.now()

    @fsm.transition(
        state,
        source=S.TRIAGE,
        target=S.AWAITING_INFO,
        permission="casework.handle_case",
        custom={"label": "追加資料を依頼"},
    )
    def request_info(self, *, by):
        pass

    @fsm.transition(
        state,
        source=S.AWAITING_INFO,
        target=S.TRIAGE,
        permission=_is_member_or_support,
        custom={"label": "追加資料を提出"},
    )
    def provide_info(self, *, by):
        pass

    @fsm.transition(
        state,
        source=S.TRIAGE,
        target=S.PATIENT_HEARING,
        conditions=[has_patient_consent],
        permission="casework.handle_case",
        custom={"label": "状況聴取へ進む"},
    )
    def start_hearing(self, *, by):
        pass

    @fsm.transition(
        state,
        source=[S.TRIAGE, S.PATIENT_HEARING, S.NOT_LIABLE],
        target=S.RESOLVED,
        permission="casework.handle_case",
        custom={
            "label": "円満解決",
            "confirm": "患者さんとの間で円満に解決したものとして、審査・補償の手続きを行わずに"
            "対応を終えます。",
        },
    )
    def resolve(self, *, by):
        pass

    @fsm.transition(
        state,
        source=[S.TRIAGE, S.PATIENT_HEARING],
        target=S.UNDER_REVIEW,
        conditions=[is_claim_covered],
        permission="casework.handle_case",
        custom={"label": "審査会に付議"},
    )
    def refer_to_review(self, *, by):
        pass

    @fsm.transition(
        state,
        source=S.UNDER_REVIEW,
        target=S.LIABLE,
        conditions=[has_enough_opinions],
        permission="casework.decide_case",
        custom={
            "label": "有責と判定",
            "decision": Decision.LIABLE,
            "confirm": "審査会の判定を「有責」として記録し、査定（補償額の算定）に進めます。"
            "判定と理由は会員にも示されます。",
        },
    )
    def decide_liable(self, *, by, reasons: str, dissent: str = ""):
        self._record_decision(Decision.LIABLE, by, reasons, dissent)

    @fsm.transition(
        state,
        source=S.UNDER_REVIEW,
        target=S.NOT_LIABLE,
        conditions=[has_enough_opinions],
        permission="casework.decide_case",
        custom={
            "label": "無責と判定",
            "decision": Decision.NOT_LIABLE,
            "confirm": "審査会の判定を「無責」として記録します。補償は行われず、解決に向けた進め方を"
            "会員と相談する段階に進みます。判定と理由は会員にも示されます。",
        },
    )
    def decide_not_liable(self, *, by, reasons: str, dissent: str = ""):
        self._record_decision(Decision.NOT_LIABLE, by, reasons, dissent)

    def _record_decision(self, decision: str, by, reasons: str, dissent: str) -> None:
        self.decision, self.decided_by, self.decided_at = decision, by, timezone.now()
        self.decision_reasons, self.decision_dissent = reasons, dissent

    @fsm.transition(
        state,
        source=S.LIABLE,
        target=S.ASSESSMENT,
        permission="casework.assess_case",
        custom={"label": "査定を開始"},
    )
    def start_assessment(self, *, by):
        pass

    @fsm.transition(
        state,
        source=S.ASSESSMENT,
        target=S.SETTLEMENT,
        conditions=[has_assessment],
        permission="casework.assess_case",
        custom={
            "label": "示談手続きへ",
            "confirm": "この査定額で示談手続きに進めます。以後、査定はやり直せません。",
        },
    )
    def start_settlement(self, *, by):
        pass

    @fsm.transition(
        state,
        source=S.SETTLEMENT,
        target=S.LITIGATION,
        permission="casework.liaise_settlement",
        custom={"label": "訴訟へ移行"},
    )
    def go_to_court(self, *, by):
        pass

    @fsm.transition(
        state,
        source=[S.SETTLEMENT, S.LITIGATION],
        target=S.PAYMENT_APPROVAL,
        conditions=[has_assessment, is_within_aggregate],
        permission="casework.liaise_settlement",
        custom={
            "label": "支払承認を依頼",
            "commits_money": True,
            "confirm": "査定額の支払を保険会社の別の担当者に承認依頼します。この額は保険期間の"
            "総支払限度額から差し引かれます。",
        },
    )
    def request_payment(self, *, by):
        self.payment_requested_by = by

    @fsm.transition(
        state,
        source=S.PAYMENT_APPROVAL,
        target=S.PAID,
        conditions=[is_within_aggregate],
        permission=_may_approve_payment,
        custom={
            "label": "支払を承認",
            "commits_money": True,
            "confirm": "査定額の保険金の支払を承認し、支払済みとします。",
        },
    )
    def approve_payment(self, *, by):
        self.payment_approved_by, self.paid_at = by, timezone.now()

    @fsm.transition(
        state,
        source=S.NOT_LIABLE,
        target=S.REFERRED,
        permission="casework.handle_case",
        custom={
            "label": "弁護士等を紹介",
            "confirm": "選んだ紹介先（弁護士または苦情処理専門会社）を紹介し、協会での対応を終えます。",
        },
    )
    def refer(self, *, by, kind: str = ReferralKind.LAWYER):
        self.referral_kind = kind

    @fsm.transition(
        state,
        source=[S.PAID, S.RESOLVED, S.REFERRED, S.NOT_COVERED],
        target=S.CLOSED,
        permission="casework.handle_case",
        custom={
            "label": "完了",
            "confirm": "案件を完了とします。会員はこの案件にメッセージやファイルを送れなくなります。",
        },
    )
    def close(self, *, by):
        self.closed_at = timezone.now()

    @fsm.transition(
        state,
        source=OPEN_STATES,
        target=S.WITHDRAWN,
        permission=_is_member_or_support,
        custom={
            "label": "取下げ",
            "secondary": True,
            "confirm": "ご相談が取り下げられたものとして、この案件の対応をすべて終えます。"
            "会員はこの案件にメッセージやファイルを送れなくなります。",
        },
    )
    def withdraw(self, *, by):
        self.closed_at = timezone.now()


class PatientInfo(models.Model):
    """Who the patient is. Kept apart so that search, exports and logs never read it by accident."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="patient")
    name = models.CharField("患者さんの氏名", max_length=100)
    name_kana = models.CharField("よみがな", max_length=100, blank=True)
    phone = models.CharField("電話番号", max_length=32, blank=True)
    email = models.EmailField("メールアドレス", blank=True)
    age = models.PositiveSmallIntegerField("年齢", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "患者情報"

    def __str__(self) -> str:
        # Never the name: this may end up in a log line or an admin breadcrumb.
        return f"患者情報（{self.case.reference}）"


class CaseCounter(models.Model):
    """Last reference number used per year (2026-0042), taken under a row lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class AppendOnlyModel(models.Model):
    """An audit record: written once, never changed or deleted through the ORM."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(f"{type(self).__name__} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{type(self).__name__} is append-only")


class TransitionRecord(AppendOnlyModel):
    """Who took which transition of a state machine, when and why. Subclasses add the object
    and its from_state / to_state with their own choices."""

    name = models.CharField("操作", max_length=64)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="実施者",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("日時", default=timezone.now, db_index=True)
    note = models.TextField("メモ", blank=True)

    #: Labels of the records that change no state (a report, an assessment), by name.
    EVENT_LABELS: dict[str, str] = {}

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    @property
    def event_label(self) -> str:
        return self.EVENT_LABELS.get(self.name, self.get_to_state_display())


class CaseTransition(TransitionRecord):
    """Append-only audit trail: who moved a case from which state to which, when and why."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField("変更前", max_length=32, choices=CaseState.choices)
    to_state = models.CharField("変更後", max_length=32, choices=CaseState.choices)

    EVENT_LABELS = {"report": "受付", "assess": "査定", "reassess": "再査定"}

    class Meta(TransitionRecord.Meta):
        verbose_name = verbose_name_plural = "状態の履歴"

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.get_from_state_display()} → {self.get_to_state_display()}"
