"""The member portal (マイページ): a member's own facility's cases and nothing else."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_fsm import ConcurrentTransition

from ..choices import NEXT_STEP
from ..forms import AttachmentForm, CaseReportForm, MessageForm
from ..models import PatientDataView
from ..selectors import (
    case_transitions_for,
    cases_for_member,
    messages_visible_to,
    policies_for_member,
    policy_for_claim,
)
from ..services import case_report, case_transition, message_post, patient_data_access_record
from .shared import attachment_response, attachment_upload, form_action, report_errors

# The member actions offered on マイページ (the state machine still decides who may take them).
MEMBER_TRANSITIONS = {"provide_info", "withdraw"}


def member_required(view):
    """Logged in, with a member profile; staff are sent to their workspace."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not hasattr(request.user, "member_profile"):
            if request.user.has_perm("casework.view_case"):
                return redirect("wagtailadmin_home")
            raise PermissionDenied("会員アカウントでログインしてください。")
        return view(request, *args, **kwargs)

    return wrapped


def _member_case(request, reference):
    # Another facility's case is simply not found (404), never "forbidden".
    return get_object_or_404(cases_for_member(user=request.user), reference=reference)


@member_required
def my_page(request):
    cases = cases_for_member(user=request.user).order_by("-received_at")
    policies, today = policies_for_member(user=request.user), timezone.localdate()
    return TemplateResponse(
        request,
        "casework/portal/my_page.html",
        {
            "facility": request.user.member_profile.facility,
            "current_policies": [p for p in policies if p.ends_on >= today],
            "past_policies": [p for p in policies if p.ends_on < today],
            "cases": [(case, NEXT_STEP[case.state]) for case in cases],
        },
    )


@member_required
def report_case(request):
    facility = request.user.member_profile.facility
    form = CaseReportForm(request.POST or None, request.FILES or None, facility=facility)
    outside_period = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        policy = policy_for_claim(
            facility=facility, doctor=data["doctor"], claim_date=data["claim_date"]
        )
        outside_period = policy is None or not policy.covers(data["claim_date"])
        if outside_period:
            form.ask_outside_period_confirmation()
        if not outside_period or data["confirm_outside_period"]:
            try:
                case = case_report(reporter=request.user, facility=facility, **form.case_fields())
            except ValidationError as error:
                # Nothing was saved; the form comes back with everything typed.
                report_errors(request, error)
            else:
                messages.success(request, f"ご相談を受け付けました（受付番号 {case.reference}）。")
                return redirect("casework_portal:case", case.reference)
    form.name_file_to_choose_again()
    return TemplateResponse(
        request,
        "casework/portal/report.html",
        {
            "form": form,
            "outside_period": outside_period,
            "policies": policies_for_member(user=request.user),
        },
    )


@member_required
def case_detail(request, reference):
    case = _member_case(request, reference)
    return TemplateResponse(
        request,
        "casework/portal/case_detail.html",
        {
            "case": case,
            "next_step": NEXT_STEP[case.state],
            "timeline": case.transitions.all(),
            "thread": messages_visible_to(case=case, user=request.user),
            "attachments": case.attachments.all(),
            "actions": [
                t
                for t in case_transitions_for(case=case, user=request.user)
                if t.name in MEMBER_TRANSITIONS
            ],
            "message_form": MessageForm(),
            "attachment_form": AttachmentForm(),
        },
    )


@member_required
@require_POST
def post_message(request, reference):
    case = _member_case(request, reference)

    def post(data) -> str:
        message_post(case=case, author=request.user, body=data["body"])
        return "メッセージを送信しました。"

    form_action(request, MessageForm(request.POST), post)
    return redirect("casework_portal:case", reference)


@member_required
@require_POST
def upload_attachment(request, reference):
    attachment_upload(request, _member_case(request, reference))
    return redirect("casework_portal:case", reference)


@member_required
def download_attachment(request, reference, pk):
    case = _member_case(request, reference)
    attachment = get_object_or_404(case.attachments, pk=pk)
    patient_data_access_record(
        case=case, by=request.user, what=PatientDataView.ATTACHMENT, detail=attachment.original_name
    )
    return attachment_response(attachment)


@member_required
@require_POST
def take_action(request, reference, name):
    case = _member_case(request, reference)
    if name not in MEMBER_TRANSITIONS:
        raise PermissionDenied
    try:
        case_transition(
            case=case, name=name, by=request.user, note=request.POST.get("note", "")[:2000]
        )
        messages.success(request, "手続きを受け付けました。")
    except ConcurrentTransition:
        messages.error(request, "協会側で同時に案件が更新されました。最新の状況をご確認ください。")
    except ValidationError as error:
        report_errors(request, error)
    return redirect("casework_portal:case", reference)
