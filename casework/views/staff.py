"""The staff workspace in the Wagtail admin: the case page and the actions taken from it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from wagtail.admin.views.generic import IndexView, InspectView

from search.backends import get_search_backend
from search.backends.base import SearchUnavailable

from .. import rules
from ..accounts.names import display_name
from ..admin_table import ServiceLevelColumn
from ..choices import CaseState
from ..exports import SafeSpreadsheetExportMixin
from ..forms import (
    AssessmentForm,
    AttachmentForm,
    DecisionForm,
    OpinionForm,
    StaffMessageForm,
    TransitionForm,
)
from ..models import Case, PatientDataView
from ..next_step import ASSESS, DECIDE, OPINION, next_step, opinion_writable_by, own_opinion
from ..precedents import precedent_key, precedent_owners_hidden_from
from ..selectors import (
    QUEUES,
    calendar_closures,
    case_service_level,
    case_transitions_for,
    cases_for_staff,
    cases_matching,
    messages_visible_to,
    opinions_visible_to,
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

    def search_queryset(self, queryset):
        return cases_matching(queryset, self.search_query) if self.is_searching else queryset

    @cached_property
    def columns(self):
        # The opinion queues wait on the reviewers: their deadline is the opinions', as on the
        # home that links here, not the reply to the member.
        queue = QUEUES.get(self.request.GET.get("queue", ""))
        if queue is None or queue.due != "opinions":
            return super().columns
        closures = calendar_closures()
        return [
            ServiceLevelColumn(
                "opinions_due",
                label="意見書の期限",
                due=lambda case: queue.due_for(case, closures=closures),
            )
            if column.name == "service_level"
            else column
            for column in super().columns
        ]

    def get_list_buttons(self, instance):
        # The reference already links to the case; Wagtail's per-row menu would only repeat that
        # link, at the cost of a dropdown rendered for each of the page's rows.
        return []


class CaseWorkspaceView(InspectView):
    """One case, led by what this person can and should do now (casework.next_step), then what
    they need to decide it, then the facts, the patient (support only), messages, files and the
    history."""

    template_name = "casework/admin/case_workspace.html"

    def get_object(self, queryset=None):
        case = _staff_case(self.request, self.pk)
        # The next step and the transitions' conditions each ask has_enough_opinions: one query.
        prefetch_related_objects([case], "opinions")
        return case

    def get_page_subtitle(self):
        return f"{self.object.reference}（{self.object.get_state_display()}）"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case, user = self.object, self.request.user
        transitions = {t.name: t for t in case_transitions_for(case=case, user=user)}
        step = next_step(case=case, user=user, transitions=list(transitions.values()))

        def offered(name):
            transition = transitions[name]
            return transition, TransitionForm(transition=transition, prefix=name)

        opinions = opinions_visible_to(case=case, user=user)
        own = own_opinion(case=case, user=user)
        context.update(
            case=case,
            step=step,
            primary=offered(step.primary) if step.primary else None,
            others=[offered(name) for name in step.others],
            service_level=case_service_level(case=case),
            now=timezone.now(),
            show_patient=user.has_perm("casework.handle_case"),
            # Side by side are the submitted ones; a reviewer's own draft is in their form.
            opinions=[o for o in opinions if o.submitted_at],
            own_opinion=own,
            opinion_form=_opinion_form(own) if step.action == OPINION else None,
            decision_form=DecisionForm() if step.action == DECIDE else None,
            assessment_form=AssessmentForm.for_case(case) if step.action == ASSESS else None,
            aggregate_remaining=(
                case.policy.aggregate_remaining(excluding=case)
                if step.action == ASSESS and case.policy
                else None
            ),
            may_record_consent=(
                user.has_perm("casework.handle_case")
                and not case.has_patient_consent()
                and case.is_open
            ),
            timeline=case.transitions.select_related("by"),
            thread=messages_visible_to(case=case, user=user),
            message_form=StaffMessageForm(),
            attachments=case.attachments.select_related("uploaded_by"),
            attachment_form=AttachmentForm(),
            similar_cases=_similar_cases(case, user),
        )
        if context["show_patient"]:
            patient_data_access_record(case=case, by=user, what=PatientDataView.PATIENT_SECTION)
        return context


def _opinion_form(own) -> OpinionForm:
    """The reviewer's form: their draft as they left it, else empty (no conclusion chosen)."""
    if own is None:
        return OpinionForm()
    return OpinionForm(
        initial={"conclusion": own.conclusion, "text": own.text, "advice": own.advice}
    )


def _similar_cases(case, user) -> list | None:
    """The five most similar past cases, leaving out the facilities `user` is tied to; None when
    search is unavailable (the page says so and shows everything else)."""
    try:
        return get_search_backend().similar(
            precedent_key(case.pk), limit=5, exclude_owners=precedent_owners_hidden_from(user=user)
        )
    except SearchUnavailable:
        return None


def _confirm_page(request, case, *, form, title: str, **context) -> TemplateResponse:
    """Ask before an action that ends a case or cannot be undone: what will happen, the values
    given, who will be told. Its 「確定する」 posts the same values again with `confirm`.

    Extra context: `what` (what will happen), `irreversible` (the sentence saying what cannot be
    undone), `lines` (the values given, by default the form's summary), `back_by_post`
    (「戻って直す」 posts the values back to their form instead of a plain link back to the
    case). With `transition`, what will happen, the new state and the member's e-mail come from
    the transition."""
    transition = context.pop("transition", None)
    if transition is not None:
        new_state = CaseState(transition.target).label
        # Every transition's service e-mails the reporting member (casework.services).
        context.setdefault("what", transition.custom["confirm"])
        context["new_state"] = new_state
        context["told"] = [
            f"報告した会員（{display_name(case.reporter)}）に、状況が「{new_state}」に"
            "なったことをメールでお知らせします。"
        ]
    return TemplateResponse(
        request,
        "casework/admin/confirm.html",
        {
            "case": case,
            "form": form,
            "action": request.path,
            "page_title": title,
            "header_icon": "folder-open-inverse",
            "lines": form.summary(),
            **context,
        },
    )


def _form_page(request, case, *, form, title: str, form_template: str, **context):
    """A form sent back with its errors (or to be corrected after a confirmation page), on a
    page of its own so that nothing typed is lost."""
    return TemplateResponse(
        request,
        "casework/admin/confirm.html",
        {
            "case": case,
            "form": form,
            "page_title": title,
            "header_icon": "folder-open-inverse",
            "editing": True,
            "form_template": form_template,
            **context,
        },
    )


@require_POST
def case_transition_view(request, pk, name):
    case = _staff_case(request, pk)
    transition = next(
        (t for t in case_transitions_for(case=case, user=request.user) if t.name == name), None
    )
    # The decisions are taken through their own form, where the verdict is chosen.
    if transition is None or transition.custom.get("decision"):
        raise PermissionDenied
    form = TransitionForm(request.POST, transition=transition, prefix=name)
    label = transition.custom["label"]
    if form.is_valid() and transition.custom.get("confirm") and "confirm" not in request.POST:
        lines = form.summary()
        if transition.custom.get("commits_money") and case.has_assessment():
            # Money is committed here: the amount is what the person confirms.
            lines = [("支払総額", rules.format_yen(case.assessment.total)), *lines]
        return _confirm_page(
            request,
            case,
            form=form,
            transition=transition,
            title=f"「{label}」を行います",
            irreversible="この操作は取り消せません。",
            lines=lines,
        )

    def take(data) -> str:
        case_transition(
            case=case, name=name, by=request.user, note=data["note"], **form.transition_kwargs()
        )
        return f"「{label}」を行いました。"

    form_action(request, form, take)
    return redirect("casework_case:inspect", pk)


@require_POST
def decision_view(request, pk):
    """The chair's decision: the verdict chosen in the form picks which decision transition is
    taken, after a confirmation page."""
    case = _staff_case(request, pk)
    offered = [
        t for t in case_transitions_for(case=case, user=request.user) if t.custom.get("decision")
    ]
    if not offered:
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid() or "edit" in request.POST:
        return _form_page(
            request,
            case,
            form=form,
            title="判定",
            form_template="casework/admin/decision_form.html",
            opinions=[
                o for o in opinions_visible_to(case=case, user=request.user) if o.submitted_at
            ],
        )
    transition = form.transition_among(offered)
    if transition is None:
        raise PermissionDenied
    if "confirm" not in request.POST:
        return _confirm_page(
            request,
            case,
            form=form,
            transition=transition,
            title=f"判定「{form.decision_label}」を記録します",
            irreversible="記録した判定は取り消せません。",
            back_by_post=True,
        )

    def decide(data) -> str:
        case_transition(
            case=case,
            name=transition.name,
            by=request.user,
            reasons=data["reasons"],
            dissent=data["dissent"],
        )
        return f"判定「{form.decision_label}」を記録しました。"

    form_action(request, form, decide)
    return redirect("casework_case:inspect", pk)


@require_POST
def opinion_view(request, pk):
    """下書き保存 saves at once; 提出する shows a confirmation page whose 確定する submits and
    locks the opinion."""
    case = _staff_case(request, pk)
    if not opinion_writable_by(case=case, user=request.user):
        raise PermissionDenied
    form = OpinionForm(request.POST)
    if not form.is_valid() or "edit" in request.POST:
        return _form_page(
            request,
            case,
            form=form,
            title="意見書",
            form_template="casework/admin/opinion_form.html",
        )
    if form.submitting and not form.confirmed:
        return _confirm_page(
            request,
            case,
            form=form,
            title="意見書を提出します",
            what="この内容で意見書を提出します。",
            irreversible="提出した意見書は変更できません。",
            told=[
                "審査会長・サポート担当と、自分の意見書を提出した審査員が読めるようになります"
                "（会員には示されません）。"
            ],
            back_by_post=True,
        )

    def save(data) -> str:
        opinion_save(case=case, reviewer=request.user, submit=form.confirmed, **data)
        return "意見書を提出しました。" if form.confirmed else "意見書を下書き保存しました。"

    form_action(request, form, save)
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
