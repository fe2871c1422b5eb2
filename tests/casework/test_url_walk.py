"""No 500 for any role: every URL pattern the project serves, requested by every kind of user.

The patterns come from Django's resolver, so a view added later is walked too. Each path
parameter is filled with a real object of the test data (a case of the member's facility and one
of another facility, an application, pages of every type, an attachment, a revision, a task
state…); a parameter the walk cannot fill fails the test unless the pattern is in `UNFILLABLE`
with its reason. Every URL is requested with GET, with an empty POST where the view takes POST,
and as CSV and XLSX where the view exports. Each request runs in a savepoint that is rolled back
and starts from the role's own cookies, so a delete or a logout on the way changes nothing for the
next URL. Staff are walked with and without their second factor (STAFF_2FA_REQUIRED on, as in
production); members are never asked for one and anonymous visitors have none.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from http.cookies import SimpleCookie
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLResolver, get_resolver, resolve
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.regex_helper import normalize
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult
from wagtail.admin.models import EditingSession
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.contrib.forms.models import FormSubmission
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Task,
    UploadedFile,
    Workflow,
)

from casework import roles
from casework.choices import Specialty
from casework.enrollment.models import RenewalRound
from casework.enrollment.services import application_submit
from casework.facility_staff import colleague_invite
from casework.models import NotificationFailure, PatientDataView, Policy, Procedure
from casework.services import (
    attachment_add,
    case_report,
    case_transition,
    message_post,
    patient_data_access_record,
)
from cms_pages.models import CommitteeIndexPage, CommitteeMemberPage, FaqPage, FormPage, HomePage
from cms_pages.services import APPROVERS_GROUP, EDITORS_GROUP

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)

#: Patterns the walk does not request, with the reason. Every pattern is filled today; a new one
#: whose parameters cannot be filled goes here, with its reason, or the walk fails.
UNFILLABLE: dict[str, str] = {}

#: Wagtail's own check of the admin's error page: it raises on purpose for whoever enters the
#: admin, so its exception is the expected answer there.
DELIBERATE_ERRORS = {
    "admin/failwhale/": "Exception: This is a test of the emergency broadcast system.",
}

#: Wagtail 8.0.1 views that raise on an empty POST, a request no admin page sends: their forms
#: rely on hidden fields the page's own script writes (StreamField and inline counts, the
#: chosen parent, the uploaded file's name). Upstream defects, not the project's: for these the
#: walk accepts exactly that exception on POST, and still GETs them like every other URL.
WAGTAIL_EMPTY_POST = {
    "admin/pages/<int:page_id>/edit/": "MultiValueDictKeyError",
    "admin/pages/<int:page_id>/copy/": "MultiValueDictKeyError",
    "admin/choose-external-link/": "AttributeError",
    "admin/redirects/import/process/": "KeyError",
}

#: Listings that export through a function view, which cannot say so itself.
EXPORTING_FUNCTION_VIEWS = {"admin/forms/submissions/<int:page_id>/"}

#: Admin paths StaffTwoFactorMiddleware lets through without a second factor.
SECOND_FACTOR_EXEMPT = {
    "admin/login/",
    "admin/logout/",
    "django-admin/login/",
    "django-admin/logout/",
}


@dataclass(frozen=True)
class Route:
    """One URL pattern as the resolver joins it: `label` is the route as written, `regex` the
    full pattern Django matches paths against."""

    label: str
    regex: str
    callback: object

    @property
    def takes_post(self) -> bool:
        view_class = getattr(self.callback, "view_class", None)
        # Function views (often behind require_POST) cannot say: they are always tried.
        return view_class is None or hasattr(view_class, "post")

    @property
    def exports(self) -> bool:
        view_class = getattr(self.callback, "view_class", None)
        return self.label in EXPORTING_FUNCTION_VIEWS or (
            view_class is not None
            and issubclass(view_class, SpreadsheetExportMixin)
            # The results/ twin of a listing is the same view and exports the same rows.
            and not self.label.endswith("results/")
        )

    @property
    def second_factor_first(self) -> bool:
        """Whether StaffTwoFactorMiddleware answers unverified staff here, before any view."""
        return (
            self.label.startswith(("admin/", "django-admin/"))
            and self.label not in SECOND_FACTOR_EXEMPT
        )


def _leaves(patterns, chain=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _leaves(pattern.url_patterns, (*chain, pattern))
        else:
            yield (*chain, pattern)


@cache
def all_routes() -> tuple[Route, ...]:
    return tuple(
        Route(
            label="".join(str(p.pattern) for p in chain),
            # As the resolver joins them for reversing: every part's leading ^ dropped but one.
            regex="^" + "".join(p.pattern.regex.pattern.removeprefix("^") for p in chain),
            callback=chain[-1].callback,
        )
        for chain in _leaves(get_resolver().url_patterns)
    )


class Unfillable(Exception):
    pass


# Which model a `pk` names, by the start of the route (Django's admin is read from its own URL).
_PK_MODELS = [
    ("admin/api/main/^pages/", "wagtailcore.Page"),
    ("admin/api/main/^documents/", "wagtaildocs.Document"),
    ("admin/api/main/^images/", "wagtailimages.Image"),
    ("admin/pages/", "wagtailcore.Page"),
    ("admin/collections/", "wagtailcore.Collection"),
    ("admin/workflows/tasks/", "wagtailcore.Task"),
    ("admin/workflows/", "wagtailcore.Workflow"),
    ("admin/documents/chooser/", "wagtaildocs.Document"),
    ("admin/images/chooser/", "wagtailimages.Image"),
    ("admin/cases/", "casework.Case"),
    ("admin/applications/", "enrollment.Application"),
    ("admin/access-log/", "casework.PatientDataAccess"),
    ("admin/notification-failures/", "casework.NotificationFailure"),
    ("admin/calendar/", "casework.ClosingPeriod"),
    ("admin/synonyms/", "search.SynonymGroup"),
    ("admin/sites/", "wagtailcore.Site"),
    ("admin/users/", "auth.User"),
    ("admin/groups/", "auth.Group"),
    ("django-admin/otp_totp/", "otp_totp.TOTPDevice"),
    ("mypage/cases/", "casework.Attachment"),
    ("mypage/staff/", "casework.MemberProfile"),
    ("admin/renewal-rounds/", "enrollment.RenewalRound"),
    # No site setting is registered: any site shows the view's answer to a non-setting.
    ("admin/settings/", "wagtailcore.Site"),
]


def _model_for(label: str):
    if match := re.match(r"django-admin/(\w+)/(\w+)/", label):
        return apps.get_model(*match.groups())
    for prefix, model in _PK_MODELS:
        if label.startswith(prefix):
            return apps.get_model(model)
    raise Unfillable("pk")


def _objects(data, model) -> list:
    found = data.objects.get(model) or list(model._default_manager.order_by("pk")[:1])
    if not found:
        raise Unfillable(f"no {model.__name__}")
    return found


def _values(label: str, param: str, data) -> list:
    """The values to try for `param` of the route `label`: the first is the usual one."""
    ids = lambda objects: [o.pk for o in objects]  # noqa: E731
    if param in ("pk", "object_id", "id") and not label.startswith(
        ("django-admin/r/", "admin/editing-sessions/")
    ):
        return ids(_objects(data, _model_for(label)))
    if label.startswith("admin/pages/add/"):
        return {
            "content_type_app_name": ["cms_pages"],
            "content_type_model_name": ["faqpage"],
            "parent_page_id": [data.home.pk],
        }[param]
    if param == "page_id" and label == "admin/pages/<int:page_id>/edit/":
        return ids(data.page_types)  # each type's panels are rendered there
    by_name = {
        "page_id": [data.form_page.pk],
        "parent_page_id": [data.home.pk, data.form_page.pk],
        "page_pk": [data.home.pk],
        "page_to_move_id": [data.form_page.pk],
        "destination_id": [data.home.pk],
        "revision_id": [data.revision.pk],
        "revision_id_a": ["earliest"],
        "revision_id_b": ["latest"],
        "workflow_pk": [data.workflow.pk],
        "workflow_state_id": [data.workflow_state.pk],
        "task_state_id": [data.task_state.pk],
        "task_id": [data.task.pk],
        "document_id": [data.document.pk],
        "doc_id": [data.document.pk],
        "image_id": [data.image.pk],
        "filter_spec": ["fill-80x80"],
        "uploaded_file_id": [data.uploaded_file.pk],
        "redirect_id": [data.redirect.pk],
        "collection_id": [data.collection.pk],
        "restriction_id": [data.collection_restriction.pk],
        "page_view_restriction_id": [data.page_restriction.pk],
        "session_id": [data.editing_session.pk],
        "reference": [data.own_case.reference, data.other_case.reference],
        "number": [data.own_policy.number, data.other_policy.number],
        "attachment_pk": [data.attachment.pk],
        "uidb64": [data.uidb64],
        "token": [data.token],
        "content_type_app_name": ["cms_pages"],
        "content_type_model_name": ["formpage"],
        "content_type_id": [ContentType.objects.get_for_model(HomePage).pk],
        "object_id": [data.home.pk],
        "url": ["nowhere/"],
    }
    contextual = {
        # (route start, parameter): values
        ("admin/api/", "action_name"): ["copy"],
        ("admin/pages/workflow/", "action_name"): ["approve", "reject"],
        ("admin/bulk/", "app_label"): ["wagtailcore"],
        ("admin/bulk/", "model_name"): ["page"],
        ("admin/bulk/", "action"): ["delete", "publish"],
        ("admin/pages/create/", "app_label"): ["cms_pages"],
        ("admin/pages/create/", "model_name"): ["formpage"],
        ("admin/workflows/tasks/add/", "app_label"): ["wagtailcore"],
        ("admin/workflows/tasks/add/", "model_name"): ["groupapprovaltask"],
        ("admin/editing-sessions/", "app_label"): ["wagtailcore"],
        ("admin/editing-sessions/", "model_name"): ["page"],
        ("admin/editing-sessions/", "object_id"): [data.form_page.pk],
        ("admin/tag-autocomplete/", "app_name"): ["wagtaildocs"],
        ("admin/tag-autocomplete/", "model_name"): ["document"],
        # No site setting is registered: a page model shows the view's answer to a non-setting.
        ("admin/settings/", "app_name"): ["cms_pages"],
        ("admin/settings/", "model_name"): ["homepage"],
        ("django-admin/", "app_label"): ["auth"],
        ("admin/cases/", "name"): ["start_triage", "withdraw"],
        ("admin/applications/", "name"): ["start_review", "approve"],
        ("mypage/", "name"): ["withdraw", "provide_info"],
        ("join/", "name"): ["course", "applicant", "facility", "doctor", "confirm"],
        ("documents/", "_0"): [data.document.pk],
        ("documents/", "_1"): [data.document.filename],
        ("", "_0"): [page.url.lstrip("/") for page in data.page_types],
    }
    for (start, name), values in contextual.items():
        if name == param and label.startswith(start):
            return values
    if param in by_name and by_name[param]:
        return by_name[param]
    raise Unfillable(param)


def route_urls(route: Route, data) -> list[str]:
    """Paths for `route`: every parameter at its usual value, then each alternative in turn."""
    fmt, params = normalize(route.regex)[0]
    choices = {param: [str(v) for v in _values(route.label, param, data)] for param in params}
    if any(not values for values in choices.values()):
        raise Unfillable(", ".join(p for p, v in choices.items() if not v))
    usual = {param: values[0] for param, values in choices.items()}
    variants = [usual] + [
        {**usual, param: value} for param, values in choices.items() for value in values[1:]
    ]
    urls = []
    for kwargs in variants:
        path = fmt % kwargs
        if not re.search(route.regex, path):
            raise AssertionError(f"{route.label}: the walk filled it as {path!r}, which it refuses")
        urls.append("/" + path)
    return urls


@pytest.fixture
def walk_data(
    settings,
    tmp_path,
    member,
    other_member,
    facility,
    other_facility,
    policy,
    doctor,
    support,
    doctor_fields,
):
    """One of everything a URL can name."""
    settings.MEDIA_ROOT = tmp_path
    # What the public may type, in every export: a formula and a control character.
    hostile = "=cmd|' /C calc'!A0\x1b"
    other_facility.name = hostile
    other_facility.save()
    home = HomePage.objects.get()
    form_page = FormPage.objects.get(slug="request")
    page_types = [
        form_page,
        home,
        CommitteeIndexPage.objects.get(),
        CommitteeMemberPage.objects.first(),
        FaqPage.objects.get(),
    ]
    procedure = Procedure.objects.get(name="二重瞼")
    report = {
        "procedure": procedure,
        "procedure_date": date(2026, 3, 2),
        "claim_date": date(2026, 3, 20),
        "complaint_types": ["result"],
        "narrative": "埋没法の3週間後、左右差があると言われた。",
        "patient": {"name": "佐藤 花子", "phone": "090-1234-5678"},
        "no_payment_promised": True,
        "patient_data_confirmed": True,
    }
    own_case = case_report(reporter=member, facility=facility, doctor=doctor, **report)
    own_case = case_transition(case=own_case, name="start_triage", by=support)
    message_post(case=own_case, author=support, body="ご連絡ありがとうございます。")
    attachment = attachment_add(
        case=own_case, by=member, upload=SimpleUploadedFile("写真.png", PNG), kind="photo"
    )
    patient_data_access_record(case=own_case, by=support, what=PatientDataView.PATIENT_SECTION)
    NotificationFailure.objects.create(
        kind="email", about=hostile, recipients="office@example.jp", attempts=5, error=hostile
    )
    # A task waiting in the database queue (Django's admin lists them for superusers).
    DBTaskResult.objects.create(
        task_path="casework.tasks.email_send",
        args_kwargs={"args": [], "kwargs": {"to": [hostile], "subject": hostile, "body": hostile}},
        backend_name="default",
    )
    other_case = case_report(reporter=other_member, facility=other_facility, **report)
    application = application_submit(
        fields={**doctor_fields, "facility_name": hostile}, applied_on=date(2026, 11, 25)
    )
    # A colleague invited by the member (who is the facility's 管理者), not yet signed in.
    invitee = colleague_invite(
        by=member, email="uketsuke@example.jp", last_name="受付", first_name="花子", role="reader"
    )
    RenewalRound.objects.create(ends_on=policy.ends_on, offer_opens_on=date(2026, 10, 1))
    other_policy = Policy.objects.create(
        number="F-2026-002", course="facility", facility=other_facility,
        payout_limit=10_000_000, starts_on=policy.starts_on, ends_on=policy.ends_on,
    )  # fmt: skip

    # A page change waiting in the approval workflow.
    revision = form_page.save_revision(user=support)
    workflow = Workflow.objects.filter(active=True).first()
    workflow_state = workflow.start(form_page, support)
    first_field = form_page.form_fields.first().clean_name
    FormSubmission.objects.create(page=form_page, form_data={first_field: hostile})

    collection = Collection.get_first_root_node().add_child(name="歩行確認")
    document = get_document_model().objects.create(
        title="約款", file=ContentFile(b"%PDF-1.4\n", name="terms.pdf"), collection=collection
    )
    document.tags.add("約款")
    image = get_image_model().objects.create(title="写真", file=get_test_image_file(size=(8, 8)))
    uploaded_file = UploadedFile.objects.create(
        file=ContentFile(PNG, name="upload.png"), uploaded_by_user=support
    )
    # What the accounts apps record, for Django's admin.
    TOTPDevice.objects.create(user=support, name="認証アプリ", confirmed=True)
    StaticDevice.objects.create(user=support, name="バックアップコード", confirmed=True)
    # Not a walker's name: logging in clears that name's attempts.
    attempt = {"username": "someone-else", "ip_address": "192.0.2.1", "user_agent": "walk"}
    AccessAttempt.objects.create(**attempt, failures_since_start=1)
    AccessLog.objects.create(**attempt)
    AccessFailureLog.objects.create(**attempt)
    data = SimpleNamespace(
        home=home,
        form_page=form_page,
        # Pages are named by 資料請求 (submissions, a change in moderation), listings by the
        # home page (its children) too, and each page type where its panels or template show.
        page_types=page_types,
        own_case=own_case,
        other_case=other_case,
        own_policy=policy,
        other_policy=other_policy,
        attachment=attachment,
        revision=revision,
        workflow=workflow,
        workflow_state=workflow_state,
        task_state=workflow_state.current_task_state,
        task=Task.objects.filter(active=True).first(),
        document=document,
        image=image,
        uploaded_file=uploaded_file,
        redirect=Redirect.objects.create(old_path="/old", redirect_link="/"),
        collection=collection,
        collection_restriction=CollectionViewRestriction.objects.create(
            collection=collection, restriction_type="password", password="pw"
        ),
        page_restriction=PageViewRestriction.objects.create(
            page=page_types[-1], restriction_type="password", password="pw"
        ),
        editing_session=EditingSession.objects.create(
            user=support,
            content_type=ContentType.objects.get_for_model(Page),
            object_id=str(form_page.pk),
            last_seen_at=revision.created_at,
        ),
        uidb64=urlsafe_base64_encode(force_bytes(member.pk)),
        token=default_token_generator.make_token(member),
        objects={
            apps.get_model("casework.Case"): [own_case, other_case],
            apps.get_model("casework.Attachment"): [attachment],
            apps.get_model("casework.MemberProfile"): [invitee, other_member.member_profile],
            apps.get_model("enrollment.Application"): [application],
            apps.get_model("wagtailcore.Page"): [form_page],
            apps.get_model("auth.User"): [member],
        },
    )
    yield data
    attachment.file.delete(save=False)


STAFF_ROLES = {
    "support": (roles.SUPPORT,),
    "reviewer": (roles.REVIEWERS,),
    "chair": (roles.CHAIR,),
    "assessor": (roles.ASSESSORS,),
    "insurer": (roles.INSURER,),
    "office": (roles.ADMINS,),
    "editor": (EDITORS_GROUP,),
    "approver": (APPROVERS_GROUP,),
    "superuser": (),
}
# (role, second factor): staff with and without it; members and visitors are never asked.
WALKERS = [("anonymous", None), ("member", None)] + [
    (role, verified) for role in STAFF_ROLES for verified in (True, False)
]


@pytest.fixture
def walker(request, client, settings, django_user_model, make_reviewer, member, walk_data):
    """Log the test client in as the role (with a second factor when asked): the cookies every
    request starts from, and the second factor (None: not staff)."""
    settings.STAFF_2FA_REQUIRED = True
    role, verified = request.param
    user = None
    if role == "member":
        user = member
    elif role == "superuser":
        user = django_user_model.objects.create_superuser("walker", "walker@example.jp", "pw")
    elif role == "reviewer":
        user = make_reviewer("walker", Specialty.PLASTIC_SURGERY)
    elif role in STAFF_ROLES:
        user = django_user_model.objects.create_user("walker", "walker@example.jp", "pw")
        user.groups.add(*apps.get_model("auth.Group").objects.filter(name__in=STAFF_ROLES[role]))
    if user is not None:
        client.force_login(user)
        # An editing session answers only its own user.
        walk_data.editing_session = EditingSession.objects.create(
            user=user,
            content_type=ContentType.objects.get_for_model(Page),
            object_id=str(walk_data.form_page.pk),
            last_seen_at=walk_data.revision.created_at,
        )
    if verified:
        session = client.session
        device = TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=True)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return SimpleNamespace(cookies=SimpleCookie(client.cookies), second_factor=verified)


def _request(client, cookies, method, url, data):
    """The status of one request, or the exception it raised; nothing it did is kept."""
    client.cookies = SimpleCookie(cookies)
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, data)
            if response.streaming:
                # Exports fail while streaming. The client closes the response at the end, with
                # request_finished's connection closing switched off (response.close() here would
                # close PostgreSQL's connection inside this transaction).
                b"".join(response.streaming_content)
            transaction.set_rollback(True)
        return response.status_code
    except Exception as error:  # noqa: BLE001 - every failure is reported, with its URL
        return f"{type(error).__name__}: {error}"[:300]


def test_every_pattern_is_filled_with_a_path_that_reaches_it(walk_data):
    unfilled = []
    for route in all_routes():
        if route.label in UNFILLABLE:
            continue
        try:
            urls = route_urls(route, walk_data)
        except Unfillable as missing:
            unfilled.append(f"{route.label}: {missing}")
            continue
        for url in urls:
            assert resolve(url).func is route.callback, f"{url} does not reach {route.label}"
    assert not unfilled, "parameters the walk cannot fill:\n" + "\n".join(unfilled)


def _walker_id(walker) -> str:
    role, verified = walker
    return role if verified is None else f"{role}-{'2fa' if verified else 'no-2fa'}"


@pytest.mark.parametrize("walker", WALKERS, indirect=True, ids=map(_walker_id, WALKERS))
def test_no_url_answers_500(client, walker, walk_data):
    if walker.second_factor is not None:  # the walk is really with, or without, the second factor
        expected = 200 if walker.second_factor else 302
        assert _request(client, walker.cookies, "get", "/admin/", {}) == expected
    failures = []
    for route in all_routes():
        if route.label in UNFILLABLE:
            continue
        for url in route_urls(route, walk_data):
            requests = [("get", url, {})]
            # The second-factor middleware answers every method alike before any view runs.
            unverified = walker.second_factor is False
            if route.takes_post and not (unverified and route.second_factor_first):
                requests.append(("post", url, {}))
            if route.exports:
                requests += [("get", url, {"export": "csv"}), ("get", url, {"export": "xlsx"})]
            for method, path, data in requests:
                outcome = _request(client, walker.cookies, method, path, data)
                shown = f"{method.upper()} {path}" + (f"?export={data['export']}" if data else "")
                if isinstance(outcome, int) and outcome < 500:
                    continue
                if method == "post" and outcome.startswith(
                    WAGTAIL_EMPTY_POST.get(route.label, "-") + ":"
                ):
                    continue
                if outcome == DELIBERATE_ERRORS.get(route.label):
                    continue
                failures.append(f"{shown}: {outcome}")
    assert not failures, f"{len(failures)} requests failed:\n" + "\n".join(failures)
