"""The public online application (/join/): a few short steps, a confirmation, a receipt."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from .. import rules
from ..accounts.throttling import rate_limited
from .models import Application
from .services import application_preview, application_submit
from .wizard import ORDER, STEPS, Wizard

DONE_KEY = "enrollment_done"


@never_cache
@rate_limited("enrollment")
def step(request, name: str = ORDER[0]):
    if name not in STEPS:
        raise Http404
    wizard = Wizard(request.session)
    if request.method == "POST":
        wizard.store(name, request.POST)
        if "back" in request.POST and wizard.previous(name):
            return redirect("enrollment:step", wizard.previous(name))
    earlier = wizard.first_invalid_before(name)
    if earlier is not None:
        if request.method == "POST":
            messages.error(request, "前の手順の入力内容をご確認ください。")
        return redirect("enrollment:step", earlier)

    if request.method != "POST":
        return _render(request, name, wizard, wizard.unbound_form(name))
    form = wizard.bound_form(name, request.POST)
    if not form.is_valid():
        return _render(request, name, wizard, form)
    if name != "confirm":
        return redirect("enrollment:step", wizard.following(name))
    try:
        application = application_submit(
            fields={**wizard.application_fields(), **form.application_fields()}
        )
    except ValidationError as error:
        for text in error.messages:
            form.add_error(None, text)
        return _render(request, name, wizard, form)
    wizard.clear()
    request.session[DONE_KEY] = application.pk
    return redirect("enrollment:done")


def _render(request, name: str, wizard: Wizard, form) -> TemplateResponse:
    index = ORDER.index(name)
    context = {
        "form": form,
        "step": name,
        "steps": [(STEPS[s].title, i < index, i == index) for i, s in enumerate(ORDER)],
        "number": index + 1,
        "has_previous": index > 0,
        "today": timezone.localdate(),
        "starts_on": rules.coverage_start(timezone.localdate()),
    }
    if name == "confirm":
        context["application"] = application_preview(fields=wizard.application_fields())
    return TemplateResponse(request, "enrollment/step.html", context)


@never_cache
def done(request):
    """The receipt, for the session that submitted the application (nobody else can see it)."""
    pk = request.session.get(DONE_KEY)
    if pk is None:
        return redirect("enrollment:step", ORDER[0])
    application = get_object_or_404(Application, pk=pk)
    return TemplateResponse(request, "enrollment/done.html", {"application": application})
