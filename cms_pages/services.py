"""Writes for the public site: loading the association's content and setting up moderation."""

import logging
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .content import association as content
from .content import news, privacy, profile
from .models import (
    AboutPage,
    CommitteeIndexPage,
    CommitteeMemberPage,
    ContactPage,
    ContactSettings,
    ContentPage,
    FaqPage,
    FormField,
    FormPage,
    HomePage,
    NewsIndexPage,
)
from .models.faq import faq_anchor

logger = logging.getLogger(__name__)

EDITORS_GROUP = "編集者"
APPROVERS_GROUP = "公開承認"
WORKFLOW_NAME = "公開承認ワークフロー"

# Page permissions on the home page (and so the whole site). Editors can only submit changes for
# moderation; approvers publish.
_EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
_APPROVER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
# The contact details go live the moment they are saved (settings have no moderation): only
# those who may publish may change them.
_APPROVER_SETTINGS_PERMISSIONS = [("cms_pages", "change_contactsettings")]
_MEDIA_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]

_ID_NAMESPACE = uuid.UUID("5d0c3f5e-8f0e-4a5e-9a51-6a1f3e2b7c11")


def _block_id(name: str) -> str:
    """The same block id on every run, so anchors derived from it never change."""
    return str(uuid.uuid5(_ID_NAMESPACE, name))


@dataclass
class LoadReport:
    created: list[Page] = field(default_factory=list)

    def add(self, page: Page) -> None:
        self.created.append(page)
        logger.debug("Created page %s (%s)", page.pk, page._meta.model_name)

    def lines(self) -> list[str]:
        return [f"{p._meta.verbose_name}「{p.title}」" for p in self.created]


def _publish(page: Page) -> None:
    page.save_revision().publish()


def _child(parent: Page, model, *, slug: str, report: LoadReport, **fields) -> Page:
    """The child of `parent` with `slug`, created and published if missing, never overwritten."""
    existing = parent.get_children().filter(slug=slug).specific().first()
    if existing is not None:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    _publish(page)
    report.add(page)
    return page


def _home(report: LoadReport) -> HomePage:
    home = HomePage.objects.first()
    if home is not None:
        return home
    # Wagtail's migrations create the locale and root page; an emptied database has neither.
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    # Wagtail's installation leaves a plain welcome page where the home page belongs.
    root.get_children().filter(content_type__model="page", slug=content.HOME["slug"]).delete()
    hero_only = [("hero", content.HOME_BODY[0][1])]
    home = HomePage(body=hero_only, **content.HOME)
    root.add_child(instance=home)
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(
        hostname="localhost",
        port=80,
        is_default_site=True,
        site_name=settings.WAGTAIL_SITE_NAME,
        root_page=home,
    )
    report.add(home)
    return home


def _linked_stream(blocks: list, *, name: str, pages: dict[str, Page], anchors: dict[str, str]):
    """Stream data whose buttons name pages by slug ("faq#key"), with page ids and anchors;
    buttons with a "url" instead are kept as they are."""
    stream = []
    for index, (block_type, value) in enumerate(blocks):
        if block_type == "call_to_action":
            links = []
            for link in value["links"]:
                if "url" in link:
                    links.append(link)
                    continue
                slug, _, key = link["page"].partition("#")
                links.append({**link, "page": pages[slug].pk, "anchor": anchors.get(key, "")})
            value = {**value, "links": links}
        stream.append({"type": block_type, "value": value, "id": _block_id(f"{name}:{index}")})
    return stream


def _faq_body() -> tuple[list, dict[str, str]]:
    body, anchors = [], {}
    for index, (title, questions) in enumerate(content.FAQ_CATEGORIES):
        items = []
        for key, question, answer in questions:
            block_id = _block_id(f"faq:{key}")
            anchors[key] = faq_anchor(block_id)
            items.append(
                {
                    "type": "question",
                    "value": {"question": question, "answer": answer},
                    "id": block_id,
                }
            )
        body.append(
            {
                "type": "category",
                "value": {"title": title, "questions": items},
                "id": _block_id(f"faq-category:{index}"),
            }
        )
    return body, anchors


def _request_form(home: HomePage, report: LoadReport) -> FormPage:
    data = content.REQUEST_FORM
    fields = [
        FormField(
            label=label,
            field_type=kind,
            required=required,
            choices=choices,
            help_text=help_text,
            sort_order=order,
        )
        for order, (label, kind, required, choices, help_text) in enumerate(data["fields"])
    ]
    return _child(
        home,
        FormPage,
        slug=data["slug"],
        report=report,
        title=data["title"],
        search_description=data["search_description"],
        intro=data["intro"],
        thank_you_text=data["thank_you_text"],
        subject=data["subject"],
        to_address=settings.ASSOCIATION_NOTIFY_EMAIL,
        from_address=settings.DEFAULT_FROM_EMAIL,
        form_fields=fields,
    )


def _committee(home: HomePage, report: LoadReport) -> CommitteeIndexPage:
    index = _child(home, CommitteeIndexPage, report=report, **content.COMMITTEE_INDEX)
    for member in content.COMMITTEE_MEMBERS:
        member = dict(member)
        _child(
            index,
            CommitteeMemberPage,
            slug=member.pop("slug"),
            report=report,
            title=member.pop("name"),
            affiliations=[("item", line) for line in member.pop("affiliations", [])],
            qualifications=[("item", line) for line in member.pop("qualifications", [])],
            **member,
        )
    return index


def _contact_settings(home: HomePage) -> None:
    """The 連絡先 setting of the home page's site, with what the source gives (never overwritten)."""
    for site in Site.objects.filter(root_page=home):
        ContactSettings.objects.get_or_create(site=site, defaults=profile.CONTACT_SETTINGS)


def moderation_setup(*, home: Page) -> None:
    """Editors submit, 公開承認 approves: groups, their permissions and the workflow on `home`."""
    editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    approvers, _ = Group.objects.get_or_create(name=APPROVERS_GROUP)
    media = [
        Permission.objects.get(content_type__app_label=app, codename=code)
        for app, code in _MEDIA_PERMISSIONS
    ]
    for group, codenames in (
        (editors, _EDITOR_PAGE_PERMISSIONS),
        (approvers, _APPROVER_PAGE_PERMISSIONS),
    ):
        group.permissions.add(*media)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=home,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    approvers.permissions.add(
        *(
            Permission.objects.get(content_type__app_label=app, codename=code)
            for app, code in _APPROVER_SETTINGS_PERMISSIONS
        )
    )
    task, _ = GroupApprovalTask.objects.get_or_create(name=APPROVERS_GROUP)
    task.groups.add(approvers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.get_or_create(page=home, defaults={"workflow": workflow})


@transaction.atomic
def site_content_load() -> LoadReport:
    """Create whatever of the association's pages is missing. A second run changes nothing."""
    report = LoadReport()
    home = _home(report)
    faq_body, anchors = _faq_body()
    pages = {
        "home": home,
        "request": _request_form(home, report),
        "committee": _committee(home, report),
        "faq": _child(home, FaqPage, report=report, body=faq_body, **content.FAQ),
        "about": _child(
            home, AboutPage, report=report, facts=profile.ABOUT_FACTS, **profile.ABOUT_PAGE
        ),
        "contact": _child(home, ContactPage, report=report, **profile.CONTACT_PAGE),
        "privacy": _child(
            home, ContentPage, report=report, body=privacy.PRIVACY_BODY, **privacy.PRIVACY_PAGE
        ),
        "news": _child(home, NewsIndexPage, report=report, **news.NEWS_INDEX),
    }
    # Buttons link to other pages, so streams with buttons are filled once every page exists.
    linked_streams = {**content.LINKED_STREAMS, **profile.LINKED_STREAMS}
    for (slug, field_name), blocks in linked_streams.items():
        page = pages[slug]
        if page in report.created:
            stream = _linked_stream(
                blocks, name=f"{slug}.{field_name}", pages=pages, anchors=anchors
            )
            setattr(page, field_name, stream)
            _publish(page)
    moderation_setup(home=home)
    _contact_settings(home)
    return report
