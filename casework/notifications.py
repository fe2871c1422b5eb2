"""Who is told what by e-mail. Every e-mail casework and enrolment send is chosen here.

| event                                   | the office                  | the member / applicant   |
|-----------------------------------------|-----------------------------|--------------------------|
| a complaint is reported                 | at once; 【至急】 when 自傷・希死念慮 or 訴訟 is flagged | a receipt with the 受付番号 |
| a case changes state                    | when the member took it (追加資料を提出, 取下げ) | always |
| a message is posted                     | when the member wrote it    | when staff wrote it (not internal notes) |
| a file is added                         | when the member added it    | —                        |
| an application is submitted             | yes                         | a receipt with the 申込番号 |
| an application is approved / returned / rejected | —                  | yes                      |
| a renewal (継続) is submitted           | yes                         | a receipt with the new period (and the gap, if late), linking to マイページ |
| a renewal is approved / returned / rejected | —                       | yes (approved: the new policy, no set-password link; returned: the link to renew again) |

The office is settings.ASSOCIATION_OFFICE_EMAILS: a shared inbox that whoever is on duty reads,
rather than a group, whose members change with every new login. Staff e-mails link to the admin
page, members' to マイページ, through settings.SITE_URL.

No e-mail carries patient data or the narrative, in the subject or the body: the templates
(templates/casework/email/) are given the case's reference, facility, procedure and state only,
and say 「マイページでご確認ください」 for the rest. Messages are not quoted either: a member may
write the patient's name in one.

Each function is called after commit, renders its e-mails and hands them to the task queue
(casework.tasks.email_send), which sends and retries them.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from .accounts.names import display_name
from .facility_staff import facility_admins
from .member_roles import MemberAction, member_may
from .models import Attachment, Case, CaseTransition, Message
from .tasks import email_send


def absolute_url(path: str) -> str:
    """`path` on the site's public address (settings.SITE_URL), for e-mails."""
    return settings.SITE_URL + path


def case_reported(*, case: Case) -> None:
    urgent = case.risk_self_harm or case.risk_lawsuit
    _to_office(
        case,
        subject=f"{'【至急】' if urgent else ''}新しい苦情の報告（受付番号 {case.reference}）",
        template="office_case_reported",
        urgent=urgent,
    )
    _to_member(case, subject="ご報告を受け付けました", template="case_received")


def case_state_changed(*, case: Case, transition: CaseTransition) -> None:
    _to_member(
        case,
        subject=f"状況が「{transition.get_to_state_display()}」になりました",
        template="state_changed",
        transition=transition,
    )
    if case.is_member(transition.by):
        label = next(
            t.custom.get("label", t.name)
            for t in case.get_all_state_transitions()
            if t.name == transition.name
        )
        _to_office(
            case,
            subject=f"会員が「{label}」を行いました（受付番号 {case.reference}）",
            template="office_member_update",
            what=f"会員が「{label}」を行い、案件は「{transition.get_to_state_display()}」になりました。",
        )


def message_posted(*, message: Message) -> None:
    case = message.case
    if message.internal:
        return
    if case.is_member(message.author):
        _to_office(
            case,
            subject=f"会員からメッセージが届きました（受付番号 {case.reference}）",
            template="office_member_update",
            what="会員から新しいメッセージが届いています。",
        )
    else:
        _to_member(case, subject="協会からメッセージが届きました", template="new_message")


def attachment_added(*, attachment: Attachment) -> None:
    case = attachment.case
    if case.is_member(attachment.uploaded_by):
        _to_office(
            case,
            subject=f"会員がファイルを追加しました（受付番号 {case.reference}）",
            template="office_member_update",
            what=f"会員がファイル（{attachment.get_kind_display()}）を追加しました。",
        )


def application_submitted(*, application) -> None:
    if application.renews_id:
        _renewal_submitted(application)
        return
    email_enqueue(
        to=[application.email],
        subject=_subject("enrollment/email/received_subject.txt", application=application),
        template="enrollment/email/received.txt",
        application=application,
        url=absolute_url("/"),
    )
    email_enqueue(
        to=settings.ASSOCIATION_OFFICE_EMAILS,
        subject=f"新しい加入申込（申込番号 {application.reference}）",
        template="casework/email/office_application_submitted.txt",
        application=application,
        url=absolute_url(reverse("enrollment_application:inspect", args=[application.pk])),
    )


def _renewal_submitted(application) -> None:
    email_enqueue(
        to=[application.email],
        subject=_subject("enrollment/email/renewal_received_subject.txt", application=application),
        template="enrollment/email/renewal_received.txt",
        application=application,
        url=absolute_url(reverse("casework_portal:my_page")),
    )
    email_enqueue(
        to=settings.ASSOCIATION_OFFICE_EMAILS,
        subject=f"継続の申込（申込番号 {application.reference}、証券番号 {application.renews.number}）",
        template="enrollment/email/renewal_office.txt",
        application=application,
        url=absolute_url(reverse("enrollment_application:inspect", args=[application.pk])),
    )


def _renewal_decided(application, note: str) -> None:
    """A renewal's member already has a login: the e-mail links to マイページ, or, for a
    returned renewal, to the renewal form to send it again."""
    path = reverse("casework_portal:my_page")
    if application.state == "returned":
        path = reverse("casework_portal:renewal:renew", args=[application.renews.number])
    email_enqueue(
        to=[application.email],
        subject=_subject("enrollment/email/renewal_decided_subject.txt", application=application),
        template="enrollment/email/renewal_decided.txt",
        application=application,
        reason=note,
        url=absolute_url(path),
    )


def application_decided(*, application, note: str, set_password_url: str = "") -> None:
    """Tell the applicant of an approval (with the link that sets their password), a return or
    a rejection (with the reason staff gave). Other transitions tell nobody. A renewal's
    decisions have their own e-mails (_renewal_decided)."""
    if application.state not in ("approved", "returned", "rejected"):
        return
    if application.renews_id:
        _renewal_decided(application, note)
        return
    if application.state == "approved":
        template = "approved"
        context = {
            "set_password_url": set_password_url,
            "login_url": absolute_url(reverse("accounts:login")),
            "reset_url": absolute_url(reverse("accounts:password_reset")),
            "valid_hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600),
        }
    else:
        template = "decided"
        # A returned application is submitted again online; a rejected one has nothing to do.
        path = reverse("enrollment:start") if application.state == "returned" else "/"
        context = {"reason": note, "url": absolute_url(path)}
    email_enqueue(
        to=[application.email],
        subject=_subject(f"enrollment/email/{template}_subject.txt", application=application),
        template=f"enrollment/email/{template}.txt",
        application=application,
        **context,
    )


def _to_office(case: Case, *, subject: str, template: str, **context) -> None:
    email_enqueue(
        to=settings.ASSOCIATION_OFFICE_EMAILS,
        subject=subject,
        template=f"casework/email/{template}.txt",
        case=case,
        url=absolute_url(reverse("casework_case:inspect", args=[case.pk])),
        **context,
    )


def _member_recipients(case: Case) -> tuple[list[str], str]:
    """Who at the facility hears of the case, and how the e-mail greets them: the colleague who
    reported it while they still have access to the facility's cases; once their 管理者 has
    removed them (or they moved to another facility), the facility's 管理者 instead — never a
    person who left the clinic."""
    reporter = case.reporter
    profile = getattr(reporter, "member_profile", None)
    if member_may(reporter, MemberAction.READ) and profile.facility_id == case.facility_id:
        return [reporter.email], f"{display_name(reporter)} 様"
    admins = facility_admins(facility_ids=[case.facility_id]).select_related("user")
    return [admin.user.email for admin in admins], f"{case.facility.name} ご担当者様"


def _to_member(case: Case, *, subject: str, template: str, **context) -> None:
    to, salutation = _member_recipients(case)
    email_enqueue(
        to=to,
        salutation=salutation,
        subject=f"【受付番号 {case.reference}】{subject}",
        template=f"casework/email/{template}.txt",
        case=case,
        url=absolute_url(reverse("casework_portal:case", args=[case.reference])),
        **context,
    )


def _subject(template: str, **context) -> str:
    return " ".join(render_to_string(template, context).split())


def email_enqueue(*, to: list[str], subject: str, template: str, **context) -> None:
    """Render `template` with `context` and hand the e-mail to the task queue (empty addresses
    are dropped). Every e-mail of the project goes through here."""
    to = [address for address in to if address]
    if to:
        body = render_to_string(template, context)
        email_send.enqueue(to=to, subject=subject, body=body)
