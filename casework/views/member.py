"""The member portal (マイページ): a member's own facility's cases and nothing else."""

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_fsm import ConcurrentTransition

from .. import facility_staff
from ..accounts.forms import ColleagueInviteForm, ColleagueRoleForm
from ..accounts.names import display_name
from ..accounts.throttling import rate_limit_response
from ..choices import NEXT_STEP, CaseState
from ..enrollment.selectors import renewal_offers
from ..forms import AttachmentForm, CaseReportForm, MemberAnswerForm, MessageForm
from ..member_roles import MemberAction, member_actions, member_may
from ..models import MemberProfile, PatientDataView
from ..rules import format_yen
from ..selectors import (
    case_transitions_for,
    cases_for_member,
    member_awaiting_count,
    member_case_history,
    member_finished_cases,
    member_open_cases,
    member_payout,
    member_policies_by_period,
    member_request,
    messages_visible_to,
    policies_for_member,
    policy_for_claim,
)
from ..services import (
    attachment_add,
    case_report,
    case_transition,
    message_post,
    patient_data_access_record,
)
from .shared import attachment_response, attachment_upload, form_action, report_errors

# The member actions offered on マイページ (the state machine still decides who may take them).
MEMBER_TRANSITIONS = {"provide_info", "withdraw"}

#: Cases per page in each of マイページ's two lists.
CASES_PER_PAGE = 20

S = CaseState
# Each state as the member reads it: what is happening to their case, not the workflow's name.
MEMBER_STATUS = {
    S.RECEIVED: "受付済み",
    S.TRIAGE: "協会で対応中",
    S.AWAITING_INFO: "追加資料のご提出待ち",
    S.PATIENT_HEARING: "患者さんから状況を伺っています",
    S.UNDER_REVIEW: "審査会で審査中",
    S.LIABLE: "審査会の判定：有責",
    S.NOT_LIABLE: "審査会の判定：無責",
    S.ASSESSMENT: "補償額を算定中",
    S.SETTLEMENT: "示談の手続き中",
    S.LITIGATION: "訴訟の手続き中",
    S.PAYMENT_APPROVAL: "保険金のお支払い手続き中",
    S.PAID: "保険金をお支払いしました",
    S.CLOSED: "完了",
    S.REFERRED: "弁護士等をご紹介しました",
    S.NOT_COVERED: "補償の対象外",
    S.RESOLVED: "円満解決",
    S.WITHDRAWN: "取り下げ",
}
# The sentence under the state on the member's case page; none where the state's own words
# already say it all (「保険金をお支払いしました」 twice in one box read as a slip).
# While waiting for the member, the request itself heads the page (not the messages).
MEMBER_NEXT_STEP = {
    **NEXT_STEP,
    S.AWAITING_INFO: "上の「協会からのご依頼」をご確認のうえ、ご回答ください。",
    S.PAID: "",
    S.CLOSED: "",
    S.RESOLVED: "",
    S.WITHDRAWN: "",
}
# Events that leave the state as it was, and the facility's own steps (which the history names
# the colleague who took), in the member's words.
MEMBER_EVENTS = {
    "report": "ご相談を受け付けました",
    "provide_info": "追加資料を提出しました",
    "withdraw": "ご相談を取り下げました",
}
# Where the payment stands while the payout is shown and not yet paid.
PAYMENT_STATUS = {
    S.SETTLEMENT: "示談が成立したあと、保険会社の承認を経てお支払いします。",
    S.LITIGATION: "訴訟が終わったあと（判決・和解）、保険会社の承認を経てお支払いします。",
    S.PAYMENT_APPROVAL: "保険会社でお支払いを承認する手続き中です。",
}


# Why a member's own facility's page refuses them, by what they tried (403, in Japanese).
REFUSED = {
    MemberAction.READ: "このログインは現在ご利用いただけません。施設の管理者にお問い合わせください。",
    MemberAction.REPORT: (
        "このログインの役割（閲覧のみ）では、報告・回答・メッセージ・ファイルの送信はできません。"
        "施設の管理者にお問い合わせください。"
    ),
    MemberAction.MANAGE: "スタッフの管理は、施設の管理者だけが行えます。",
}


def _refused(request, message: str) -> TemplateResponse:
    # The project's 403 page (Django's handler gives it the exception's text the same way).
    return TemplateResponse(request, "403.html", {"exception": message}, status=403)


def member_may_required(action: MemberAction):
    """View decorator: logged in as a login of a member facility whose role allows `action`
    (casework.member_roles); staff are sent to their workspace, anyone else refused (403, a
    Japanese page saying why; so is whatever the view or a service refuses)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not hasattr(request.user, "member_profile"):
                if request.user.has_perm("casework.view_case"):
                    return redirect("wagtailadmin_home")
                return _refused(request, "会員アカウントでログインしてください。")
            if not member_may(request.user, action):
                return _refused(request, REFUSED[action])
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied as error:
                return _refused(request, str(error) or "この操作を行う権限がありません。")

        return wrapped

    return decorator


#: Any page of マイページ: a login of a member facility that may read its cases.
member_required = member_may_required(MemberAction.READ)


def _member_case(request, reference, *, action: MemberAction = MemberAction.READ):
    """The facility's case `reference` if the login's role allows `action` on it. Another
    facility's case is simply not found (404), whatever the role; then a role that may not
    (閲覧のみ and REPORT) is refused (403)."""
    case = get_object_or_404(cases_for_member(user=request.user), reference=reference)
    if not member_may(request.user, action):
        raise PermissionDenied(REFUSED[action])
    return case


@dataclass(frozen=True)
class CaseRow:
    """One line of a マイページ list: the case as annotated by the member selectors."""

    case: object

    @property
    def status(self) -> str:
        return MEMBER_STATUS[self.case.state]

    @property
    def awaiting_member(self) -> bool:
        return self.case.awaiting_member

    @property
    def association_wrote(self) -> bool:
        return self.case.is_open and self.case.association_wrote_last


def _page_url(request, param: str, number: int) -> str:
    # Keeps the other list's page (each list pages on its own) and lands on the list's heading.
    query = request.GET.copy()
    query[param] = number
    return f"?{query.urlencode()}#{param}-heading"


def _case_list(request, cases, param: str) -> dict:
    """One page of `cases`, chosen by the query parameter `param`, with its page links."""
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get(param))
    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return {
        "page": page,
        "rows": [CaseRow(case) for case in page],
        "links": [
            {"number": n, "url": _page_url(request, param, n) if isinstance(n, int) else None}
            for n in numbers
        ],
        "previous_url": (
            _page_url(request, param, page.previous_page_number()) if page.has_previous() else None
        ),
        "next_url": _page_url(request, param, page.next_page_number()) if page.has_next() else None,
    }


@member_required
def my_page(request):
    policies = member_policies_by_period(user=request.user, today=timezone.localdate())
    return TemplateResponse(
        request,
        "casework/portal/my_page.html",
        {
            "facility": request.user.member_profile.facility,
            "may": member_actions(request.user),
            "policies": policies,
            "awaiting_count": member_awaiting_count(user=request.user),
            "renewal": renewal_offers(user=request.user, today=timezone.localdate()),
            "open_cases": _case_list(request, member_open_cases(user=request.user), "open"),
            "finished_cases": _case_list(
                request, member_finished_cases(user=request.user), "finished"
            ),
        },
    )


@member_may_required(MemberAction.REPORT)
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


def _colleague_names(case, user_ids) -> dict[int, str]:
    """The facility's own logins among `user_ids`, by id, family name first (one query). The
    association's staff are not named: the portal speaks of 協会, never of who is on duty."""
    profiles = MemberProfile.objects.filter(
        facility_id=case.facility_id, user_id__in=set(user_ids) - {None}
    ).select_related("user")
    return {profile.user_id: display_name(profile.user) for profile in profiles}


def _history(case) -> list[dict]:
    events = member_case_history(case=case)
    # Who of the facility reported, answered or withdrew.
    names = _colleague_names(case, (event.by_id for event in events))
    return [
        {
            "at": event.at,
            "text": MEMBER_EVENTS.get(event.name) or MEMBER_STATUS[event.to_state],
            # Only a request for documents is written for the member; other notes are staff's.
            "request": event.note if event.name == "request_info" else "",
            "by": names.get(event.by_id, ""),
        }
        for event in events
    ]


def _payout_lines(assessment) -> list[dict]:
    return [
        {"label": line["label"], "amount": format_yen(line["amount"]), "note": line["note"]}
        for line in assessment.lines
    ]


@member_required
def case_detail(request, reference):
    case = _member_case(request, reference)
    may = member_actions(request.user)
    actions = {
        t.name: t
        for t in case_transitions_for(case=case, user=request.user)
        if t.name in MEMBER_TRANSITIONS and MemberAction.REPORT in may
    }
    payout = member_payout(case=case)
    return TemplateResponse(
        request,
        "casework/portal/case_detail.html",
        {
            "case": case,
            "may": may,
            "status": MEMBER_STATUS[case.state],
            "next_step": MEMBER_NEXT_STEP[case.state],
            "request_for_documents": member_request(case=case),
            "answer": actions.get("provide_info"),
            # Its own ids: the attachment form below has fields of the same names.
            "answer_form": MemberAnswerForm(auto_id="id_answer_%s"),
            "withdraw": actions.get("withdraw"),
            "payout": payout,
            "payout_total": format_yen(payout.total) if payout else "",
            "payment_status": PAYMENT_STATUS.get(case.state, ""),
            "payout_lines": _payout_lines(payout) if payout else [],
            # Decided 有責, the figure not given yet: say that it is being computed.
            "payout_pending": case.state in (S.LIABLE, S.ASSESSMENT),
            "history": _history(case),
            "thread": messages_visible_to(case=case, user=request.user).select_related(
                "author__member_profile"
            ),
            "attachments": case.attachments.select_related("uploaded_by__member_profile"),
            "message_form": MessageForm(),
            "attachment_form": AttachmentForm(),
        },
    )


@member_required
@require_POST
def post_message(request, reference):
    case = _member_case(request, reference, action=MemberAction.REPORT)

    def post(data) -> str:
        message_post(case=case, author=request.user, body=data["body"])
        return "メッセージを送信しました。"

    form_action(request, MessageForm(request.POST), post)
    return redirect("casework_portal:case", reference)


@member_required
@require_POST
def upload_attachment(request, reference):
    attachment_upload(request, _member_case(request, reference, action=MemberAction.REPORT))
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
    case = _member_case(request, reference, action=MemberAction.REPORT)
    if name not in MEMBER_TRANSITIONS:
        raise PermissionDenied
    form = MemberAnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        report_errors(request, form.errors)
        return redirect("casework_portal:case", reference)
    data = form.cleaned_data
    try:
        if name == "provide_info" and data["file"] is not None:
            attachment_add(case=case, by=request.user, upload=data["file"], kind=data["kind"])
        case_transition(case=case, name=name, by=request.user, note=data["note"])
        messages.success(request, "手続きを受け付けました。")
    except ConcurrentTransition:
        messages.error(request, "協会側で同時に案件が更新されました。最新の状況をご確認ください。")
    except ValidationError as error:
        report_errors(request, error)
    return redirect("casework_portal:case", reference)


# --- スタッフ管理: the facility's own logins, managed by its 管理者 (casework.facility_staff) ---


def _staff_page(request, form):
    colleagues = facility_staff.facility_colleagues(user=request.user)
    rows = [
        {
            "profile": profile,
            "name": display_name(profile.user),
            "invited_by": display_name(profile.invited_by),
            "is_me": profile.user_id == request.user.pk,
            # Each row its own ids: every row has a role field.
            "role_form": ColleagueRoleForm(
                initial={"role": profile.role}, auto_id=f"id_colleague_{profile.pk}_%s"
            ),
        }
        for profile in colleagues
    ]
    return TemplateResponse(
        request,
        "casework/portal/staff.html",
        {
            "facility": request.user.member_profile.facility,
            "rows": rows,
            "form": form,
            "removed": facility_staff.facility_removed_colleagues(user=request.user),
        },
    )


def _invitation_limit(request) -> HttpResponse | None:
    """Count an invitation e-mail against the facility's limit (all its 管理者 together,
    wherever they are); the 429 page when over it."""
    facility_id = request.user.member_profile.facility_id
    return rate_limit_response(request, "member_invitation", client=f"facility:{facility_id}")


@member_may_required(MemberAction.MANAGE)
def staff(request):
    form = ColleagueInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Only what would send an e-mail counts (a typo costs nothing).
        refused = _invitation_limit(request)
        if refused is not None:
            return refused
        try:
            profile = facility_staff.colleague_invite(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("email" if error.code == "email_taken" else None, error)
        else:
            messages.success(
                request,
                f"{display_name(profile.user)} 様（{profile.user.email}）に招待メールを送りました。",
            )
            return redirect("casework_portal:staff")
    return _staff_page(request, form)


def _colleague_action(request, pk: int, act) -> HttpResponse:
    """Run `act(name)` (a facility_staff service call returning the success text) on colleague
    `pk` of the member's own facility. Another facility's login, or one that is gone, is not
    found (404), whatever the role; then anyone but a 管理者 is refused (403); one removed a
    moment ago (a second click) is said so."""
    profile = get_object_or_404(
        MemberProfile.objects.select_related("user"),
        pk=pk,
        facility_id=request.user.member_profile.facility_id,
    )
    if not member_may(request.user, MemberAction.MANAGE):
        raise PermissionDenied(REFUSED[MemberAction.MANAGE])
    name = display_name(profile.user)
    if profile.removed_at is not None:
        messages.info(request, f"{name} 様のログインは既に削除されています。")
        return redirect("casework_portal:staff")
    try:
        messages.success(request, act(name))
    except MemberProfile.DoesNotExist as error:
        raise Http404 from error
    except ValidationError as error:
        report_errors(request, error)
    return redirect("casework_portal:staff")


@member_required
@require_POST
def staff_role(request, pk):
    form = ColleagueRoleForm(request.POST)

    def change(name: str) -> str:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        profile = facility_staff.colleague_role_change(
            by=request.user, profile_id=pk, role=form.cleaned_data["role"]
        )
        return f"{name} 様の役割を「{profile.get_role_display()}」にしました。"

    response = _colleague_action(request, pk, change)
    request.user.member_profile.refresh_from_db(fields=["role"])
    if not member_may(request.user, MemberAction.MANAGE):
        return redirect("casework_portal:my_page")  # a 管理者 who just stepped down
    return response


@member_required
@require_POST
def staff_remove(request, pk):
    def remove(name: str) -> str:
        facility_staff.colleague_remove(by=request.user, profile_id=pk)
        return f"{name} 様のログインを削除しました。このログインではもう利用できません。"

    return _colleague_action(request, pk, remove)


@member_required
@require_POST
def staff_resend(request, pk):
    # Only a 管理者's resending counts against the facility's invitations.
    if member_may(request.user, MemberAction.MANAGE):
        refused = _invitation_limit(request)
        if refused is not None:
            return refused

    def resend(name: str) -> str:
        facility_staff.invitation_resend(by=request.user, profile_id=pk)
        return f"{name} 様に招待メールを再送しました。前のメールのリンクは使えなくなります。"

    return _colleague_action(request, pk, resend)


@member_required
@require_POST
def staff_cancel(request, pk):
    def cancel(name: str) -> str:
        facility_staff.invitation_cancel(by=request.user, profile_id=pk)
        return f"{name} 様への招待を取り消しました。"

    return _colleague_action(request, pk, cancel)
