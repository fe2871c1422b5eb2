"""Staff review of applications in the Wagtail admin: the application page and its actions."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from wagtail.admin.views.generic import InspectView

from ..views.shared import form_action
from .models import Application
from .selectors import application_transitions_for
from .services import application_transition


class TransitionForm(forms.Form):
    note = forms.CharField(
        label="メモ（履歴に残ります。差戻し・却下では理由として申込者にメールで伝えます）",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApplicationInspectView(InspectView):
    """Everything the applicant typed, the dates of cover, the history, and exactly the
    transitions this user may take now."""

    template_name = "enrollment/admin/application_inspect.html"

    def get_page_subtitle(self):
        return f"{self.object.reference}（{self.object.get_state_display()}）"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        context.update(
            application=application,
            transitions=[
                (t, TransitionForm(prefix=t.name))
                for t in application_transitions_for(
                    application=application, user=self.request.user
                )
            ],
            problems=application.eligibility_problems(),
            timeline=application.transitions.select_related("by"),
        )
        return context


@require_POST
def transition_view(request, pk, name):
    application = get_object_or_404(Application, pk=pk)
    # Only the transitions this user may take now are offered, so this is the permission check.
    transition = next(
        (
            t
            for t in application_transitions_for(application=application, user=request.user)
            if t.name == name
        ),
        None,
    )
    if transition is None:
        raise PermissionDenied
    form = TransitionForm(request.POST, prefix=name)

    def take(data) -> str:
        application_transition(
            application=application, name=name, by=request.user, note=data["note"]
        )
        return f"「{transition.custom['label']}」を行いました。"

    form_action(request, form, take, subject="申込")
    return redirect("enrollment_application:inspect", pk)
