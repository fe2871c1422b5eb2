"""The staff workspace in the Wagtail admin: the case page and the actions taken from it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail.admin.views.generic import IndexView, InspectView

from search.backends import get_search_backend
from search.backends.base import SearchUnavailable

from ..exports import SafeSpreadsheetExportMixin
from ..forms import AssessmentForm, AttachmentForm, OpinionForm, StaffMessageForm, TransitionForm
from ..models import Case, PatientDataView
from ..precedents import precedent_key, precedent_owners_hidden_from
from ..selectors import (
    case_service_level,
    case_transitions_for,
    cases_for_staff,
    messages_visible_to,
    opinions_visible_to,
    reviewer_conflicted,
)
from ..services import (
    assessment_compute,
    case_transition,
    message_post,
    opinion_save,
    patient_consent_record,
    patient_data_access_record,
)
from .shared import attachment_response, attachment_upload, form_action


def _staff_case(request, pk) -> Case:
    # Object-level access: a case outside the user's scope is simply not there (404).
    return get_object_or_404(cases_for_staff(user=request.user), pk=pk)


class CaseIndexView(SafeSpreadsheetExportMixin, IndexView):
    def get_base_queryset(self):
        return cases_for_staff(user=self.request.user)


class CaseWorkspaceView(InspectView):
    """Everything about one case on one page, with exactly the actions this user may take now."""

    template_name = "casework/admin/case_workspace.html"

    def get_object(self, queryset=None):
        return _staff_case(self.request, self.pk)

    def get_page_subtitle(self):
        return f"{self.object.reference}（{self.object.get_state_display()}）"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case, user = self.object, self.request.user
        own = next((o for o in case.opinions.all() if o.reviewer_id == user.pk), None)
        may_review = (
            case.state == "under_review"
            and hasattr(user, "reviewer_profile")
            and user.has_perm("casework.review_case")
            and not reviewer_conflicted(case=case, user=user)
            and not (own and own.submitted_at)
        )
        context.update(
            case=case,
            transitions=[
                (t, TransitionForm(transition=t, prefix=t.name))
                for t in case_transitions_for(case=case, user=user)
            ],
            service_level=case_service_level(case=case),
            now=timezone.now(),
            show_patient=user.has_perm("casework.handle_case"),
            opinions=opinions_visible_to(case=case, user=user),
            opinion_form=OpinionForm(
                initial=own
                and {
                    "conclusion": own.conclusion,
                    "text": own.text,
                    "advice": own.advice,
                }
            )
            if may_review
            else None,
            assessment_form=AssessmentForm.for_case(case)
            if (case.state == "assessment" and user.has_perm("casework.assess_case"))
            else None,
            may_record_consent=(
                user.has_perm("casework.handle_case")
                and not case.has_patient_consent()
                and case.is_open
            ),
            timeline=case.transitions.select_related("by"),
            thread=messages_visible_to(case=case, user=user),
            message_form=StaffMessageForm(),
            attachments=case.attachments.all(),
            attachment_form=AttachmentForm(),
            similar_cases=_similar_cases(case, user),
        )
        if context["show_patient"]:
            patient_data_access_record(case=case, by=user, what=PatientDataView.PATIENT_SECTION)
        return context


def _similar_cases(case, user) -> list | None:
    """The five most similar past cases, leaving out the facilities `user` is tied to; None when
    search is unavailable (the page says so and shows everything else)."""
    try:
        return get_search_backend().similar(
            precedent_key(case.pk), limit=5, exclude_owners=precedent_owners_hidden_from(user=user)
        )
    except SearchUnavailable:
        return None


@require_POST
def case_transition_view(request, pk, name):
    case = _staff_case(request, pk)
    transition = next(
        (t for t in case_transitions_for(case=case, user=request.user) if t.name == name), None
    )
    if transition is None:
        raise PermissionDenied
    form = TransitionForm(request.POST, transition=transition, prefix=name)

    def take(data) -> str:
        case_transition(
            case=case, name=name, by=request.user, note=data["note"], **form.transition_kwargs()
        )
        return f"「{transition.custom['label']}」を行いました。"

    form_action(request, form, take)
    return redirect("casework_case:inspect", pk)


@require_POST
def opinion_view(request, pk):
    case = _staff_case(request, pk)

    def save(data) -> str:
        opinion = opinion_save(case=case, reviewer=request.user, **data)
        return "意見書を提出しました。" if opinion.submitted_at else "意見書を下書き保存しました。"

    form_action(request, OpinionForm(request.POST), save)
    return redirect("casework_case:inspect", pk)


@require_POST
def assessment_view(request, pk):
    case = _staff_case(request, pk)

    def compute(data) -> str:
        assessment = assessment_compute(case=case, by=request.user, **data)
        return f"支払総額を {assessment.total:,}円 と査定しました。"

    form_action(request, AssessmentForm(request.POST), compute)
    return redirect("casework_case:inspect", pk)


@require_POST
def consent_view(request, pk):
    case = _staff_case(request, pk)
    patient_consent_record(case=case, by=request.user)
    messages.success(request, "患者さんの同意を記録しました。")
    return redirect("casework_case:inspect", pk)


@require_POST
def message_view(request, pk):
    case = _staff_case(request, pk)

    def post(data) -> str:
        message_post(case=case, author=request.user, **data)
        return "メモを保存しました。" if data["internal"] else "会員にメッセージを送信しました。"

    form_action(request, StaffMessageForm(request.POST), post)
    return redirect("casework_case:inspect", pk)


@require_POST
def upload_view(request, pk):
    attachment_upload(request, _staff_case(request, pk))
    return redirect("casework_case:inspect", pk)


def attachment_view(request, pk, attachment_pk):
    case = _staff_case(request, pk)
    attachment = get_object_or_404(case.attachments, pk=attachment_pk)
    patient_data_access_record(
        case=case, by=request.user, what=PatientDataView.ATTACHMENT, detail=attachment.original_name
    )
    return attachment_response(attachment)
