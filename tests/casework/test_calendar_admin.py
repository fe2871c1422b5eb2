"""協会の休業日 in the admin, tried the way it goes wrong: who may open it, odd and hostile input,
a calendar of a thousand closings, two administrators at once. Every refusal is a Japanese
message on the form; nothing answers 500; due times follow the calendar."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework import roles
from casework.calendar_viewsets import closing_period_viewset
from casework.models import Case, ClosingPeriod
from casework.selectors import calendar_closures
from casework.service_level_records import response_due_times_recompute
from casework.service_levels import response_due
from casework.services import case_transition

pytestmark = pytest.mark.django_db

NEW = "/admin/calendar/new/"


@pytest.fixture
def office(make_user, client):
    user = make_user("office", roles.ADMINS)
    client.force_login(user)
    return user


def post_period(client, url=NEW, **fields):
    data = {"name": "臨時休業", "starts_on": "2026-08-11", "ends_on": "2026-08-14", "yearly": ""}
    return client.post(url, {**data, **fields})


def form_errors(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(
        str(error) for errors in response.context["form"].errors.values() for error in errors
    )


def all_due_times_follow_the_calendar() -> bool:
    closures = calendar_closures()
    return all(
        case.response_due_at
        == response_due(case.response_owed_since, urgent=case.risk_self_harm, closures=closures)
        for case in Case.objects.filter(response_due_at__isnull=False)
    )


# --- who may open it ---------------------------------------------------------------------------


def calendar_urls(period) -> list[str]:
    """Every URL the viewset serves, for one existing closing."""
    urls = []
    for pattern in closing_period_viewset.get_urlpatterns():
        name = closing_period_viewset.get_url_name(pattern.name)
        takes_pk = "pk" in str(pattern.pattern)
        urls.append(reverse(name, args=[period.pk] if takes_pk else []))
    return urls


@pytest.mark.parametrize("role", [roles.SUPPORT, roles.REVIEWERS, roles.MEMBERS, None])
def test_nobody_but_the_office_administrators_opens_or_changes_the_calendar(
    client, make_user, role
):
    period = ClosingPeriod.objects.get(name="年末年始")
    urls = calendar_urls(period)
    assert len(urls) >= 6  # list, results, new, edit, delete, history …
    if role:
        client.force_login(make_user("someone", role))
    for url in urls:
        for method in (client.get, client.post):
            response = method(url, {"name": "乗っ取り", "starts_on": "2026-01-01"})
            assert response.status_code in (302, 403), (url, response.status_code)
            if role is None:
                assert "/login/" in response["Location"]
    period.refresh_from_db()
    assert period.name == "年末年始" and ClosingPeriod.objects.count() == 1


def test_the_office_administrator_opens_every_calendar_url(client, office):
    for url in calendar_urls(ClosingPeriod.objects.get(name="年末年始")):
        assert client.get(url).status_code == 200, url


def test_a_yearly_closing_opens_for_editing_with_this_year_s_dates(client, office):
    closing = ClosingPeriod.objects.get(name="年末年始")
    html = client.get(f"/admin/calendar/edit/{closing.pk}/").content.decode()
    year = timezone.localdate().year
    assert f'value="{year}-12-29"' in html and f'value="{year + 1}-01-03"' in html
    assert "2000-12-29" not in html


# --- odd input: a clear Japanese message on the form --------------------------------------------


@pytest.mark.parametrize(
    "fields, message",
    [
        (
            {"starts_on": "2026-08-14", "ends_on": "2026-08-11"},
            "終了日は開始日以降にしてください。",
        ),
        ({"starts_on": "2026-01-01", "ends_on": "2035-12-31"}, "366日以内にしてください。"),
        ({"starts_on": "9999-12-30", "ends_on": "9999-12-31"}, "2000年から2099年までの日付"),
        ({"starts_on": "0001-01-01", "ends_on": "0001-01-02"}, "2000年から2099年までの日付"),
        ({"starts_on": "2026-08-11", "ends_on": "10000-01-01"}, "日付を正しく入力してください"),
        ({"starts_on": "昨日", "ends_on": "2026-08-14"}, "日付を正しく入力してください"),
        ({"name": "", "starts_on": "", "ends_on": ""}, "この項目は必須です"),
    ],
)
def test_an_impossible_period_is_refused_on_the_form(client, office, fields, message):
    response = post_period(client, **fields)
    assert message in form_errors(response)
    assert ClosingPeriod.objects.count() == 1


def test_a_name_of_2_4_megabytes_is_refused_on_the_form(client, office):
    response = post_period(client, name="休" * 800_000)  # 2.4 MB in UTF-8
    assert "100 文字以下" in form_errors(response)
    assert ClosingPeriod.objects.count() == 1


@pytest.mark.parametrize(
    "starts_on, ends_on",
    [
        ("２０２６-０８-１１", "２０２６－０８－１４"),  # full-width, as a Japanese IME types
        ("2026/8/11", "2026/8/14"),
        ("2026年8月11日", " 2026年8月14日 "),
    ],
)
def test_dates_are_read_as_a_japanese_office_writes_them(client, office, starts_on, ends_on):
    response = post_period(client, starts_on=starts_on, ends_on=ends_on)
    assert response.status_code == 302
    period = ClosingPeriod.objects.get(name="臨時休業")
    assert (period.starts_on, period.ends_on) == (date(2026, 8, 11), date(2026, 8, 14))


def test_yearly_closings_that_cover_the_whole_year_are_refused(client, office):
    assert (
        post_period(client, starts_on="2026-01-04", ends_on="2026-06-30", yearly="on").status_code
        == 302
    )
    response = post_period(client, starts_on="2026-07-01", ends_on="2026-12-28", yearly="on")
    assert "1年を超えて営業日がなくなります" in form_errors(response)


def test_one_off_closings_chained_past_a_year_are_refused(client, office):
    # Monday 7 January to Friday 20 December 2030: the weekend after it ends the run.
    assert post_period(client, starts_on="2030-01-07", ends_on="2030-12-20").status_code == 302
    # From Monday 23 December the run goes on through 年末年始 into 2031.
    response = post_period(client, starts_on="2030-12-23", ends_on="2031-06-30")
    assert "2030年1月7日から1年を超えて営業日がなくなります" in form_errors(response)
    # Editing the first so that the two no longer touch is fine.
    first = ClosingPeriod.objects.get(starts_on=date(2030, 1, 7))
    url = reverse(closing_period_viewset.get_url_name("edit"), args=[first.pk])
    assert post_period(client, url, starts_on="2030-01-07", ends_on="2030-06-28").status_code == 302
    assert post_period(client, starts_on="2030-12-23", ends_on="2031-06-30").status_code == 302


# --- overlaps, deletions, many closings ---------------------------------------------------------


def test_overlapping_closings_close_their_union_and_deleting_one_keeps_the_other(
    client, office, report
):
    case = report()
    due = timezone.localdate(Case.objects.get(pk=case.pk).response_due_at)
    post_period(
        client,
        name="臨時休業A",
        starts_on=due.isoformat(),
        ends_on=(due + timedelta(days=2)).isoformat(),
    )
    post_period(
        client,
        name="臨時休業B",
        starts_on=due.isoformat(),
        ends_on=(due + timedelta(days=4)).isoformat(),
    )
    both = Case.objects.get(pk=case.pk).response_due_at
    assert timezone.localdate(both) > due + timedelta(days=4)
    first = ClosingPeriod.objects.get(name="臨時休業A")
    delete = reverse(closing_period_viewset.get_url_name("delete"), args=[first.pk])
    confirmation = client.get(delete).content.decode()
    assert "臨時休業A" in confirmation and "計算し直されます" in confirmation
    assert "referenced" not in confirmation
    assert client.post(delete).status_code == 302
    after = Case.objects.get(pk=case.pk).response_due_at
    assert timezone.localdate(after) > due + timedelta(days=4)  # B still closes those days
    assert all_due_times_follow_the_calendar()


def owed_cases(report, count: int) -> None:
    """`count` open cases owed a response, copied in bulk from one reported case."""
    case = report()
    fields = {
        f.attname: getattr(case, f.attname)
        for f in Case._meta.concrete_fields
        if f.attname not in ("id", "reference")
    }
    Case.objects.bulk_create(
        Case(**{**fields, "reference": f"2026-9{n:03d}"}) for n in range(count - 1)
    )


def test_a_thousand_closings_list_in_pages_and_recompute_in_bulk(
    client, office, report, django_assert_max_num_queries
):
    owed_cases(report, 200)
    ClosingPeriod.objects.bulk_create(
        ClosingPeriod(name=f"臨時休業{n}", starts_on=day, ends_on=day, yearly=False)
        for n, day in enumerate(date(2027, 1, 4) + timedelta(days=7 * n) for n in range(1000))
    )
    listing = client.get("/admin/calendar/")
    assert listing.status_code == 200
    assert listing.context["paginator"].num_pages > 1
    with django_assert_max_num_queries(40):  # not one per case nor per closing
        assert post_period(client, starts_on="2026-01-05", ends_on="2026-01-05").status_code == 302
    assert all_due_times_follow_the_calendar()


def test_recomputing_reads_only_the_cases_still_owed_a_response(report, support):
    owed_cases(report, 3)
    answered = case_transition(case=report(), name="start_triage", by=support)
    ClosingPeriod.objects.create(
        name="臨時休業", starts_on=date(2026, 1, 5), ends_on=date(2026, 1, 5), yearly=False
    )
    response_due_times_recompute()
    assert Case.objects.get(pk=answered.pk).response_due_at is None


# --- two administrators at once ----------------------------------------------------------------


def test_two_administrators_adding_closings_both_move_the_due_times(
    client, office, make_user, report
):
    report()
    other = make_user("office2", roles.ADMINS)
    second = Client()
    second.force_login(other)
    due = timezone.localdate(Case.objects.get().response_due_at)
    assert (
        post_period(
            client, name="A", starts_on=due.isoformat(), ends_on=due.isoformat()
        ).status_code
        == 302
    )
    assert "対応期限が1件の案件で変わりました" in client.get("/admin/calendar/").content.decode()
    next_day = due + timedelta(days=1)
    assert (
        post_period(
            second, name="B", starts_on=next_day.isoformat(), ends_on=next_day.isoformat()
        ).status_code
        == 302
    )
    assert all_due_times_follow_the_calendar()
    assert timezone.localdate(Case.objects.get().response_due_at) > next_day


def test_editing_a_closing_another_administrator_deleted_is_a_404_not_a_500(
    client, office, make_user
):
    period = ClosingPeriod.objects.create(
        name="臨時休業", starts_on=date(2026, 8, 11), ends_on=date(2026, 8, 11), yearly=False
    )
    edit = reverse(closing_period_viewset.get_url_name("edit"), args=[period.pk])
    assert client.get(edit).status_code == 200
    second = Client()
    second.force_login(make_user("office2", roles.ADMINS))
    delete = reverse(closing_period_viewset.get_url_name("delete"), args=[period.pk])
    assert second.post(delete).status_code == 302
    assert post_period(client, edit, name="臨時休業（延長）").status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real row-level races need PostgreSQL"
)
def test_two_administrators_saving_at_the_same_moment_both_count(make_user, report):
    for _ in range(3):
        report()
    due = timezone.localdate(Case.objects.first().response_due_at)
    admins = [make_user(f"office{n}", roles.ADMINS) for n in range(2)]
    barrier = threading.Barrier(2)
    statuses = []

    def save(user, day):
        browser = Client()
        browser.force_login(user)
        barrier.wait()
        try:
            statuses.append(
                post_period(browser, name=f"臨時休業{day}", starts_on=day, ends_on=day).status_code
            )
        finally:
            connections.close_all()

    days = [due.isoformat(), (due + timedelta(days=1)).isoformat()]
    threads = [threading.Thread(target=save, args=pair) for pair in zip(admins, days, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert ClosingPeriod.objects.filter(name__startswith="臨時休業").count() == 2
    assert all_due_times_follow_the_calendar()
