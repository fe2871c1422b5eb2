"""Writes for casework. Views, forms and commands call these, never transitions directly."""

import logging
from collections.abc import Sequence
from datetime import date
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_fsm import ConcurrentTransition

from . import notifications, rules
from .choices import CaseState, ComplaintType
from .models import (
    Assessment,
    Attachment,
    AttachmentKind,
    Case,
    CaseCounter,
    CaseTransition,
    Message,
    Opinion,
    PatientDataAccess,
    PatientInfo,
    Policy,
)
from .privacy import PATIENT_DATA_UNCONFIRMED
from .selectors import policy_for_claim, reviewer_conflicted
from .service_level_records import case_response_by_message, case_service_level_record
from .tasks import precedent_index_update
from .transitions import transition_allowed
from .uploads import upload_check

logger = logging.getLogger(__name__)


def _next_reference(year: int) -> str:
    CaseCounter.objects.get_or_create(year=year)
    CaseCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = CaseCounter.objects.select_for_update().get(year=year).last
    return f"{year}-{number:04d}"


@transaction.atomic
def case_report(
    *,
    reporter,
    facility,
    procedure,
    procedure_date: date,
    claim_date: date,
    complaint_types: list[str],
    narrative: str,
    patient: dict,
    doctor=None,
    patient_demands: str = "",
    urgency: str = "normal",
    no_payment_promised: bool,
    patient_data_confirmed: bool,
    attachments: Sequence[tuple[object, str]] = (),
) -> Case:
    """Record a member's complaint report as a new case in 受付, with its (upload, kind)
    attachments: every file is checked first, then the case and all its files are saved in one
    transaction, so a refused file never leaves a case behind without it."""
    checked = [(upload, kind, upload_check(upload)) for upload, kind in attachments]
    if not no_payment_promised:
        raise ValidationError(
            {
                "no_payment_promised": "患者さんに金銭を支払っていない・約束していないことをご確認ください。"
            }
        )
    if not patient_data_confirmed:
        raise ValidationError({"patient_data_confirmed": PATIENT_DATA_UNCONFIRMED})
    now = timezone.localtime()
    case = Case(
        reference=_next_reference(now.year),
        facility=facility,
        doctor=doctor,
        policy=policy_for_claim(facility=facility, doctor=doctor, claim_date=claim_date),
        reporter=reporter,
        procedure=procedure,
        procedure_date=procedure_date,
        claim_date=claim_date,
        complaint_types=list(complaint_types),
        narrative=narrative,
        patient_demands=patient_demands,
        urgency=urgency,
        no_payment_promised=no_payment_promised,
        patient_data_confirmed_at=now,
        risk_self_harm=ComplaintType.SELF_HARM in complaint_types,
        risk_lawsuit=ComplaintType.LAWSUIT in complaint_types,
        risk_online=ComplaintType.ONLINE_POST in complaint_types,
        received_at=now,
    )
    case_service_level_record(case=case, event="report", from_state=None, at=now)
    case.full_clean(exclude=["state"])  # protected: only transitions change it
    case.save()
    PatientInfo.objects.create(case=case, **patient)
    CaseTransition.objects.create(
        case=case,
        name="report",
        from_state=case.state,
        to_state=case.state,
        by=reporter,
        note="会員から報告",
    )
    for upload, kind, content_type in checked:
        _attachment_store(
            case=case, by=reporter, upload=upload, kind=kind, content_type=content_type
        )
    precedent_index(case=case)
    transaction.on_commit(lambda: notifications.case_reported(case=case), robust=True)
    logger.info("Case %s reported (facility %s)", case.reference, facility.pk)
    return case


def precedent_index(*, case: Case) -> None:
    """Put the case as it is once the current transaction commits into the precedent index, on
    the task queue (never before commit: a rolled-back change must not be searchable)."""
    transaction.on_commit(lambda: precedent_index_update.enqueue(case_id=case.pk), robust=True)


def case_transition(*, case: Case, name: str, by, note: str = "", **kwargs) -> Case:
    """Take transition `name` on `case` as `by`, audit it and notify the member after commit.

    Raises PermissionDenied when `by` may not take it, ValidationError (Japanese) when its
    conditions do not hold now, and django_fsm.ConcurrentTransition when someone else moved the
    case first.
    """
    with transaction.atomic():
        if _commits_money(case, name):
            _policy_lock(case)
        _case_lock(case)
        # Checked under the locks: the aggregate condition must see every other reservation.
        method = transition_allowed(instance=case, name=name, by=by)
        from_state = case.state
        method(by=by, **kwargs)
        case_service_level_record(case=case, event=name, from_state=from_state)
        case.full_clean(exclude=["state"])  # protected: only transitions change it
        case.save()
        record = CaseTransition.objects.create(
            case=case, name=name, from_state=from_state, to_state=case.state, by=by, note=note
        )
        transaction.on_commit(
            lambda: notifications.case_state_changed(case=case, transition=record), robust=True
        )
        precedent_index(case=case)
    logger.info("Case %s: %s -> %s by user %s", case.reference, from_state, case.state, by.pk)
    return case


def _commits_money(case: Case, name: str) -> bool:
    return any(
        t.name == name and t.custom.get("commits_money") for t in case.get_all_state_transitions()
    )


def _policy_lock(case: Case) -> Policy | None:
    """Hold the case's policy row until commit. Everything that commits money against a policy
    takes this lock first (then the case's), so two assessors on two cases of one policy see
    each other's reservation instead of both spending the same remainder."""
    if case.policy_id is None:
        return None
    return Policy.objects.select_for_update().get(pk=case.policy_id)


_UNLOCKED_FIELDS = [
    field.attname for field in Case._meta.concrete_fields if field.attname not in {"id", "state"}
]


def _case_lock(case: Case) -> None:
    """Hold the case's row until commit (after its policy's, as assessment_compute does) and
    bring `case` up to date from it. A transition saves the whole object, so a copy read before
    another writer's queryset update (a staff message answering the response, a recorded
    consent, due times moved by the calendar) would write their fields back as they were.

    Raises ConcurrentTransition when someone moved the case since `case` was read, as the
    save's own state check would (ConcurrentTransitionMixin), before anything is written."""
    locked = Case.objects.select_for_update(no_key=True).values_list("state", flat=True)
    if locked.get(pk=case.pk) != case.state:
        raise ConcurrentTransition("the case changed state since it was read")
    # Every field but the (unchanged, protected) state: django-fsm's refresh of a protected field
    # lifts the protection on the field object every thread shares, so two threads refreshing at
    # once fail with "Direct state modification is not allowed".
    case.refresh_from_db(fields=_UNLOCKED_FIELDS)


def _require_party(case: Case, user) -> bool:
    """Only the case's own facility and the association's staff take part in a case; a member
    writes only while the case is open. Returns whether `user` is staff."""
    is_staff = user.has_perm("casework.view_case")
    if not (is_staff or case.may_act_as_member(user)):
        raise PermissionDenied("この案件を扱う権限がありません。")
    if not is_staff and not case.is_open:
        raise ValidationError(
            "この案件は終了しているため、メッセージやファイルは送れません。"
            "ご用件がある場合は協会までお電話ください。"
        )
    return is_staff


@transaction.atomic
def patient_consent_record(*, case: Case, by) -> Case:
    """Record that the patient agreed to be heard by the support team."""
    if not (by.has_perm("casework.handle_case") or case.may_act_as_member(by)):
        raise PermissionDenied("この操作を行う権限がありません。")
    Case.objects.filter(pk=case.pk).update(patient_consent_at=timezone.now())
    case.refresh_from_db()
    return case


@transaction.atomic
def message_post(*, case: Case, author, body: str, internal: bool = False) -> Message:
    """Add a message to the case's thread; the member is told of staff messages by email."""
    is_staff = _require_party(case, author)
    if internal and not is_staff:
        raise PermissionDenied("職員のみのメモは職員だけが書けます。")
    body = body.strip()
    if not body:
        raise ValidationError("メッセージを入力してください。")
    message = Message.objects.create(case=case, author=author, body=body, internal=internal)
    if is_staff and not internal:
        case_response_by_message(case=case, at=message.created_at)
    transaction.on_commit(lambda: notifications.message_posted(message=message), robust=True)
    return message


def _display_name(name: str, limit: int = 255) -> str:
    """The file name as the person chose it, shortened to `limit` characters keeping the
    extension (it is only shown; the stored name is random)."""
    name = PurePath(name or "").name or "file"
    if len(name) <= limit:
        return name
    suffix = PurePath(name).suffix[:16]
    return name[: limit - len(suffix) - 1] + "…" + suffix


def _attachment_store(*, case: Case, by, upload, kind: str, content_type: str) -> Attachment:
    """Save `upload`, already checked as `content_type` by upload_check."""
    attachment = Attachment(
        case=case,
        kind=kind,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
        original_name=_display_name(upload.name),
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    logger.info("Case %s: attachment %s added by user %s", case.reference, attachment.pk, by.pk)
    return attachment


@transaction.atomic
def attachment_add(*, case: Case, by, upload, kind: str) -> Attachment:
    """Store a checked file outside the web root; a consent form records the patient's consent."""
    _require_party(case, by)
    attachment = _attachment_store(
        case=case, by=by, upload=upload, kind=kind, content_type=upload_check(upload)
    )
    if kind == AttachmentKind.CONSENT and not case.has_patient_consent():
        patient_consent_record(case=case, by=by)
    transaction.on_commit(
        lambda: notifications.attachment_added(attachment=attachment), robust=True
    )
    return attachment


def patient_data_access_record(*, case: Case, by, what: str, detail: str = "") -> None:
    """Note that `by` was shown the patient's data of `case` (append-only access log)."""
    PatientDataAccess.objects.create(case=case, by=by, what=what, detail=detail[:255])


@transaction.atomic
def opinion_save(
    *, case: Case, reviewer, conclusion: str, text: str, advice: str = "", submit: bool
) -> Opinion:
    """Save a reviewer's opinion as a draft or submit it. Submitted opinions are final.

    A draft may leave the conclusion open (""): nobody is pushed into a verdict by a preselected
    choice. A submitted opinion always carries one."""
    profile = getattr(reviewer, "reviewer_profile", None)
    if profile is None or not reviewer.has_perm("casework.review_case"):
        raise PermissionDenied("審査員として登録されていません。")
    if reviewer_conflicted(case=case, user=reviewer):
        raise PermissionDenied("利害関係のある施設の案件は審査できません。")
    if case.state != CaseState.UNDER_REVIEW:
        raise ValidationError("審査中の案件にのみ意見書を提出できます。")
    opinion, _ = Opinion.objects.get_or_create(
        case=case,
        reviewer=reviewer,
        defaults={"specialty": profile.specialty, "conclusion": conclusion, "text": text},
    )
    if opinion.submitted_at:
        raise ValidationError("提出済みの意見書は変更できません。")
    opinion.specialty, opinion.conclusion = profile.specialty, conclusion
    opinion.text, opinion.advice = text, advice
    if submit and not conclusion:
        raise ValidationError({"conclusion": "結論を選んでから提出してください。"})
    if submit:
        opinion.submitted_at = timezone.now()
    # The model requires a conclusion (every submitted opinion has one); a draft may lack it.
    opinion.full_clean(exclude=[] if conclusion else ["conclusion"])
    opinion.save()
    return opinion


def assessment_compute(
    *,
    case: Case,
    by,
    damages: int,
    legal_costs: int = 0,
    other_insurance_paid: int = 0,
    revision: int | None = None,
) -> Assessment:
    """Compute the payout with casework.rules, keep every line for checking, reserve it against
    the policy's aggregate and audit it.

    `revision` is the assessment revision the assessor's form was loaded with (0 before the
    first computation); None (commands, the demo) takes whatever is current. Runs under the policy's row lock, then the case's; raises
    ConcurrentTransition when the case has left 査定中 or someone recomputed since the form was
    loaded, ValidationError (Japanese) when the amounts cannot be computed.
    """
    if not by.has_perm("casework.assess_case"):
        raise PermissionDenied("査定の権限がありません。")
    with transaction.atomic():
        policy = _policy_lock(case)
        current = Case.objects.select_for_update().get(pk=case.pk)
        previous = Assessment.objects.filter(case_id=case.pk).first()
        current_revision = previous.revision if previous else 0
        if current.state != CaseState.ASSESSMENT or revision not in (None, current_revision):
            raise ConcurrentTransition("assessment form is stale")
        if policy is None:
            raise ValidationError("保険契約のない案件は査定できません。")
        remaining = policy.aggregate_remaining(excluding=current)
        try:
            payout = rules.calculate_payout(
                damages,
                policy.payout_limit,
                legal_costs=legal_costs,
                other_insurance_paid=other_insurance_paid,
                deductible=policy.deductible,
                aggregate_remaining=remaining,
            )
        except ValueError as error:
            raise ValidationError(str(error)) from error
        assessment = previous or Assessment(case=current)
        assessment.damages, assessment.legal_costs = damages, legal_costs
        assessment.other_insurance_paid = other_insurance_paid
        assessment.payout_limit, assessment.deductible = policy.payout_limit, policy.deductible
        assessment.aggregate_remaining, assessment.total = remaining, payout.total
        assessment.assessed_by, assessment.assessed_at = by, timezone.now()
        assessment.revision = current_revision + 1
        assessment.lines = [
            {"label": line.label, "amount": line.amount, "note": line.note} for line in payout.lines
        ]
        assessment.save()
        CaseTransition.objects.create(
            case=current,
            name="assess" if previous is None else "reassess",
            from_state=current.state,
            to_state=current.state,
            by=by,
            note=f"支払総額 {rules.format_yen(payout.total)}（損害賠償金 {rules.format_yen(damages)}）",
        )
        precedent_index(case=current)
    logger.info(
        "Case %s assessed by user %s (revision %s)", case.reference, by.pk, assessment.revision
    )
    return assessment
