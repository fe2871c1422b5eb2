"""The renewal (継続) pages of マイページ: the prefilled form, its confirmation, the receipt.

Only who may renew the policy (selectors.may_renew: the facility's 管理者, or the insured doctor
for 施術医コース); a policy of another facility is not found (404), and one that is not up for renewal says why (enrollment.selectors.renewal_refusal).
What is typed travels in the POST (the confirmation carries it in hidden fields), so neither a
refusal nor 戻る loses a character.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from ..member_roles import MemberAction, member_may
from ..selectors import policies_for_member
from .forms import ConfirmForm, RenewalForm
from .selectors import (
    active_renewal,
    may_renew,
    renewal_initial,
    renewal_offer,
    renewal_refusal,
    renewal_refused_to,
)
from .services import application_preview, renewal_submit

PERIOD_CHANGED = (
    "お申し込みの締切を過ぎたため、保険期間が変わりました。"
    "新しい保険期間をご確認のうえ、もう一度お申し込みください。"
)


def _refused(request, message: str) -> TemplateResponse:
    return TemplateResponse(
        request, "enrollment/renewal_refused.html", {"message": message}, status=403
    )


def _renewal_page(view):
    """Logged in as who may renew the policy (selectors.may_renew), found among the login's own
    facility's policies (another's is not found)."""

    @never_cache
    @login_required
    @wraps(view)
    def wrapped(request, number: str):
        if not member_may(request.user, MemberAction.READ):
            return _refused(request, "会員アカウントでログインしてください。")
        policy = get_object_or_404(policies_for_member(user=request.user), number=number)
        if not may_renew(user=request.user, policy=policy):
            return _refused(request, renewal_refused_to(policy))
        return view(request, policy)

    return wrapped


@_renewal_page
def renew(request, policy):
    """GET: the form, prefilled. POST step=confirm: the confirmation with the new period.
    POST step=submit: the renewal is sent (or the confirmation comes back with the reason)."""
    today = timezone.localdate()
    refusal = renewal_refusal(policy=policy, today=today)
    if refusal:
        context = {"message": refusal, "policy": policy}
        return TemplateResponse(request, "enrollment/renewal_refused.html", context)
    data = request.POST if request.method == "POST" else None
    form = RenewalForm(
        data, course=policy.course, initial=renewal_initial(policy=policy, user=request.user)
    )
    context = {"policy": policy, "form": form, "offer": renewal_offer(policy=policy, today=today)}
    if data is None or "back" in data or not form.is_valid():
        return TemplateResponse(request, "enrollment/renewal_form.html", context)

    fields = form.application_fields()
    confirm = ConfirmForm(data if data.get("step") == "submit" else None)
    context.update(
        confirm=confirm,
        application=application_preview(fields={**fields, "renews": policy}, applied_on=today),
    )
    if confirm.is_bound and confirm.is_valid():
        # The deadline may pass between the confirmation and the click: what is saved must be
        # the period the member saw, so a changed one is shown again first.
        if data.get("shown_starts_on") != context["application"].coverage_starts_on.isoformat():
            confirm.add_error(None, PERIOD_CHANGED)
            return TemplateResponse(request, "enrollment/renewal_confirm.html", context)
        try:
            renewal_submit(
                policy=policy,
                by=request.user,
                fields={**fields, **confirm.application_fields()},
                applied_on=today,
            )
        except ValidationError as error:
            for text in error.messages:
                confirm.add_error(None, text)
        else:
            return redirect("casework_portal:renewal:received", policy.number)
    return TemplateResponse(request, "enrollment/renewal_confirm.html", context)


@_renewal_page
def received(request, policy):
    """The receipt: the renewal of `policy` that is under way or approved."""
    application = active_renewal(policy=policy)
    if application is None:
        return redirect("casework_portal:renewal:renew", policy.number)
    context = {"policy": policy, "application": application}
    return TemplateResponse(request, "enrollment/renewal_received.html", context)
