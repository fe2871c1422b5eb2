"""The staff's view of a renewal round (継続手続の状況): counts by status, the list, its CSV, who
may open it, and the office's settings of each round."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import roles
from casework.choices import Course
from casework.enrollment.models import RenewalRound
from casework.enrollment.permissions import renewal_round_permissions_sync
from casework.enrollment.services import application_submit, application_transition
from casework.models import Facility, Policy

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
ENDS_ON = date(2026, 11, 30)
BEFORE_DEADLINE = datetime(2026, 11, 5, 9, 0, tzinfo=TOKYO)
AFTER_END = datetime(2026, 12, 5, 9, 0, tzinfo=TOKYO)
ROUND = "/admin/renewals/"
CSV = "/admin/renewals/csv/"
SETTINGS = "/admin/renewal-rounds/"
MENU_LINK = '"url": "/admin/renewals/"'  # in the admin menu's data (its labels are \u-escaped)


@pytest.fixture(autouse=True)
def _renewal_round_permissions(_reference_data):
    """A transactional test may run on a database an earlier one emptied: grant them again."""
    renewal_round_permissions_sync(apps)


def round_policy(number, *, facility=None, ends_on=ENDS_ON, name=None, **fields) -> Policy:
    """A 開設者コース policy of its own facility, for the year ending on `ends_on`."""
    facility = facility or Facility.objects.create(name=name or f"{number} クリニック")
    return Policy.objects.create(
        number=number,
        course=Course.FACILITY,
        facility=facility,
        payout_limit=10_000_000,
        starts_on=date(ends_on.year - 1, 12, 1),
        ends_on=ends_on,
        **fields,
    )


def renewal_of(policy, fields, *, by=None, steps=(), note="確認のため差し戻します。"):
    """A renewal application of `policy`, sent on 1 November and taken through `steps` by `by`."""
    application = application_submit(
        fields={**fields, "facility_name": policy.facility.name, "renews": policy},
        applied_on=date(policy.ends_on.year, 11, 1),
    )
    for step in steps:
        application_transition(application=application, name=step, by=by, note=note)
    application.refresh_from_db()
    return application


@pytest.fixture
def office(make_user):
    return make_user("office", roles.ADMINS)


@pytest.fixture
def round_2026(facility_fields, support):
    """One policy in each status (before the deadline), one whose renewal was rejected, and one
    of the year before that is no part of the round."""
    policies = {name: round_policy(f"F-2026-{i:03d}") for i, name in enumerate(
        ["renewed", "received", "returned", "not_started", "rejected"], start=1
    )}  # fmt: skip
    applications = {
        "renewed": renewal_of(
            policies["renewed"], facility_fields, by=support, steps=["start_review", "approve"]
        ),
        "received": renewal_of(policies["received"], facility_fields),
        "returned": renewal_of(
            policies["returned"], facility_fields, by=support, steps=["start_review", "send_back"]
        ),
        "rejected": renewal_of(
            policies["rejected"], facility_fields, by=support, steps=["start_review", "reject"]
        ),
    }
    round_policy("F-2025-900", ends_on=date(2025, 11, 30))
    return policies, applications


def counts(html: str) -> dict[str, int]:
    found = {}
    for status in ("renewed", "pending", "not_started", "lapsed"):
        marker = f'renewal-count--{status}">'
        start = html.index(marker) + len(marker)
        found[status] = int(html[start : html.index("<", start)])
    return found


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads the Japanese as UTF-8 only with the BOM
    return list(csv.reader(io.StringIO(body[1:])))


# --- counts, list, CSV -------------------------------------------------------------------------


def test_the_round_counts_each_status_and_lists_the_policies(client, support, round_2026):
    policies, applications = round_2026
    client.force_login(support)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        html = client.get(ROUND).content.decode()
    assert counts(html) == {"renewed": 1, "pending": 2, "not_started": 2, "lapsed": 0}
    assert "締切 2026年11月10日" in html and "F-2025-900" not in html
    renewed = applications["renewed"]
    assert renewed.policy.number in html  # the new policy's number beside 継続済み
    received = applications["received"]
    assert f'href="/admin/applications/{received.pk}/">{received.reference}</a>（申込受付）' in html


def test_the_list_filters_by_status(client, support, round_2026):
    policies, applications = round_2026
    client.force_login(support)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        html = client.get(ROUND, {"status": "pending"}).content.decode()
        ignored = client.get(ROUND, {"status": "<script>", "year": "99999"})
    assert policies["received"].number in html and policies["returned"].number in html
    assert policies["renewed"].number not in html and policies["not_started"].number not in html
    # A hand-edited filter or year means the whole current round, not an error.
    assert ignored.status_code == 200 and policies["renewed"].number in ignored.content.decode()


def test_after_the_end_the_policies_not_renewed_have_lapsed(client, support, round_2026):
    """A renewal still awaiting the association keeps its policy 手続中: approved, it dates the
    cover as it was sent. One sent back is the member's to do again: lapsed, as the rest."""
    client.force_login(support)
    with time_machine.travel(AFTER_END, tick=False):
        html = client.get(ROUND).content.decode()  # in December the round just ended is shown
    assert counts(html) == {"renewed": 1, "pending": 1, "not_started": 0, "lapsed": 3}


def test_an_earlier_round_is_chosen_by_year(client, support, round_2026):
    client.force_login(support)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        html = client.get(ROUND, {"year": "2025"}).content.decode()
    assert "F-2025-900" in html and "F-2026-001" not in html
    assert counts(html)["lapsed"] == 1


def test_a_policy_continued_by_the_next_years_policy_counts_as_renewed(client, support):
    """Policies the office entered year by year, before online renewal, have no application."""
    old = round_policy("F-2025-001", ends_on=date(2025, 11, 30))
    round_policy("F-2026-001", facility=old.facility)
    client.force_login(support)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        html = client.get(ROUND, {"year": "2025"}).content.decode()
    assert counts(html) == {"renewed": 1, "pending": 0, "not_started": 0, "lapsed": 0}
    assert "継続済み</span>（F-2026-001）" in html


def test_the_csv_has_japanese_headings_and_every_policy_of_the_filter(client, support, round_2026):
    policies, applications = round_2026
    round_policy("F-2026-099", name='=HYPERLINK("http://evil.example")')
    client.force_login(support)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        response = client.get(CSV)
        pending = read_csv(client.get(CSV, {"status": "pending"}))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:4] == ["証券番号", "コース", "施設", "医師"] and "継続の状況" in rows[0]
    by_number = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_number) == {p.number for p in policies.values()} | {"F-2026-099"}
    renewed = by_number[policies["renewed"].number]
    assert renewed["継続の状況"] == "継続済み"
    assert renewed["継続の申込番号"] == applications["renewed"].reference
    assert renewed["継続後の証券番号"] == applications["renewed"].policy.number
    assert by_number[policies["rejected"].number]["継続の状況"] == "未着手"
    assert by_number[policies["rejected"].number]["申込の状態"] == "却下"
    assert by_number["F-2026-099"]["施設"].startswith("'=")  # shown as text, never run
    assert sorted(row[0] for row in pending[1:]) == sorted(
        [policies["received"].number, policies["returned"].number]
    )


def test_the_page_costs_the_same_queries_for_a_large_round(client, support):
    """Counts are one grouped query and the list one page: more policies, no more queries."""
    client.force_login(support)

    def queries_with(total: int) -> int:
        for i in range(Policy.objects.count(), total):
            round_policy(f"F-2026-{i:05d}")
        with time_machine.travel(BEFORE_DEADLINE, tick=False):
            with CaptureQueriesContext(connection) as captured:
                html = client.get(ROUND).content.decode()
        assert f'renewal-count--not_started">{total}<' in html
        return len(captured)

    assert queries_with(3) == queries_with(130)


# --- who may open it -------------------------------------------------------------------------


def _refused(response) -> bool:
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


@pytest.mark.parametrize("group", [roles.REVIEWERS, roles.CHAIR, roles.ASSESSORS, roles.INSURER])
def test_other_staff_are_refused(client, make_user, round_2026, group):
    client.force_login(make_user("someone", group))
    for url in (ROUND, CSV, f"{ROUND}?status=renewed"):
        assert _refused(client.get(url))
    assert MENU_LINK not in client.get("/admin/").content.decode()


def test_members_and_visitors_are_sent_to_the_login(client, member, round_2026):
    for url in (ROUND, CSV):
        assert client.get(url)["Location"].startswith("/admin/login/")
    client.force_login(member)
    for url in (ROUND, CSV):
        assert client.get(url)["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("who", ["support", "office"])
def test_support_and_the_office_see_it_in_their_menu(client, request, round_2026, who):
    client.force_login(request.getfixturevalue(who))
    assert MENU_LINK in client.get("/admin/").content.decode()
    assert client.get(ROUND).status_code == 200
    assert client.get(CSV).status_code == 200


# --- the office's settings of each round ---------------------------------------------------------


def post_round(client, url=f"{SETTINGS}new/", **fields):
    data = {"ends_on": "2026-11-30", "offer_opens_on": "2026-09-15", "reminder_days": "30、14"}
    return client.post(url, {**data, **fields})


def form_errors(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(e for errors in response.context["form"].errors.values() for e in errors)


def test_without_settings_the_round_uses_the_defaults(client, support):
    client.force_login(support)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        html = client.get(ROUND).content.decode()
    assert "ご案内開始 2026年10月1日" in html
    assert "締切の30・14・7・3日前（この年度は未設定のため既定値）" in html


def test_the_office_sets_a_round_typed_the_japanese_way(client, office, support):
    client.force_login(office)
    response = post_round(
        client, ends_on="２０２６/１１/３０", reminder_days="３０、１４，７ ３０　１"
    )
    assert response.status_code == 302, form_errors(response)
    saved = RenewalRound.objects.get()
    assert saved.ends_on == ENDS_ON and saved.offer_opens_on == date(2026, 9, 15)
    assert saved.reminder_days == [30, 14, 7, 1]  # whole days, once each, earliest first
    edit = client.get(f"{SETTINGS}edit/{saved.pk}/").content.decode()
    assert "30、14、7、1" in edit
    client.force_login(support)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        html = client.get(ROUND).content.decode()
    assert "ご案内開始 2026年9月15日" in html and "締切の30・14・7・1日前" in html


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"reminder_days": "三十、十四"}, "1〜120の整数"),
        ({"reminder_days": "30、0"}, "1〜120の整数"),
        ({"reminder_days": "121"}, "1〜120の整数"),
        ({"reminder_days": "7.5"}, "1〜120の整数"),
        ({"reminder_days": "、、"}, "1〜120の整数"),
        ({"ends_on": "2026-11-29"}, "11月30日を入力してください"),
        ({"offer_opens_on": "2026-11-10"}, "締切（2026年11月10日）の前日まで"),
        ({"offer_opens_on": "2025-11-30"}, "前年12月1日から"),
    ],
)
def test_bad_settings_are_refused_in_japanese(client, office, fields, message):
    client.force_login(office)
    response = post_round(client, **fields)
    assert message in form_errors(response)
    assert not RenewalRound.objects.exists()


def test_only_the_office_keeps_the_settings(client, support, member):
    saved = RenewalRound.objects.create(ends_on=ENDS_ON, offer_opens_on=date(2026, 10, 1))
    urls = [SETTINGS, f"{SETTINGS}new/", f"{SETTINGS}edit/{saved.pk}/"]
    client.force_login(support)
    for url in urls:
        assert _refused(client.get(url))
    assert _refused(post_round(client))
    client.force_login(member)
    assert client.get(SETTINGS)["Location"].startswith("/admin/login/")
    assert RenewalRound.objects.count() == 1


def test_a_renewal_application_names_the_policy_it_continues(client, support, round_2026):
    policies, applications = round_2026
    client.force_login(support)
    html = client.get(f"/admin/applications/{applications['received'].pk}/").content.decode()
    assert f"証券番号 {policies['received'].number}（2025/12/1〜2026/11/30）の継続" in html
    assert 'href="/admin/renewals/?year=2026"' in html
