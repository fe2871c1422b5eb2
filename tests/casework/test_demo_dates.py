"""The demo is dated from today: on any day, the demo member has a policy in force, can report a
complaint of that day within cover, and the demo's cases and applications lie in its past."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from hypothesis import given
from hypothesis import strategies as st

from casework import rules
from casework.choices import CaseState
from casework.demo import WINDOW, demo_cases_generate, member_username, policy_period
from casework.enrollment.demo import demo_applications
from casework.enrollment.models import Application
from casework.models import Case, Procedure
from casework.selectors import policies_for_member

TOKYO = ZoneInfo("Asia/Tokyo")

# The last and first days of a policy period, a leap day, and the turn of the calendar year
# (case references are numbered by year; applications from 11 November start on 1 January).
# The Japanese fiscal year (1 April) figures in no rule of the scheme.
BOUNDARY_DAYS = [
    date(2026, 11, 30),
    date(2026, 12, 1),
    date(2028, 2, 29),
    date(2026, 12, 31),
    date(2027, 1, 1),
]

NOT_COVERED = "現在ご加入中の補償が見つかりません"
OUT_OF_PERIOD = "クレーム申し出日が保険期間外です"


@given(st.dates(min_value=date(2002, 1, 1), max_value=date(2100, 12, 31)), st.integers(-4, 0))
def test_demo_policy_periods_follow_the_schemes_rules(day, offset):
    starts_on, ends_on = policy_period(offset, today=day)
    assert rules.policy_end(starts_on) == ends_on
    assert policy_period(offset + 1, today=day)[0] == ends_on + timedelta(days=1)
    assert rules.is_covered(starts_on, ends_on, day) == (offset == 0)


@pytest.mark.parametrize("day", BOUNDARY_DAYS, ids=str)
def test_on_any_day_the_demo_member_is_covered_and_reports_within_cover(
    day, client, _reference_data
):
    with time_machine.travel(datetime.combine(day, time(9, 30), TOKYO)):
        made = demo_cases_generate(count=len(CaseState), seed=3)
        assert demo_applications() == 2
        member = get_user_model().objects.get(username=member_username(1))

        in_force = [p for p in policies_for_member(user=member) if p.covers(day)]
        assert len(in_force) == 1
        client.force_login(member)
        html = client.get("/mypage/").content.decode()
        assert NOT_COVERED not in html and in_force[0].number in html

        response = client.post(
            "/mypage/report/",
            {
                "procedure": Procedure.objects.get(name="ヒアルロン酸注射").pk,
                "procedure_date": day - timedelta(days=12),
                "claim_date": day,
                "complaint_types": ["complication"],
                "narrative": "注入後に腫れが続いていると、本日申し出があった。",
                "urgency": "normal",
                "patient_name": "見本 花子",
                "no_payment_promised": "on",
                "patient_data_confirmed": "on",
            },
        )
        assert OUT_OF_PERIOD not in response.content.decode()
        assert response.status_code == 302  # accepted without the out-of-period confirmation
        reported = Case.objects.get(reporter=member, claim_date=day)
        assert reported.policy == in_force[0] and reported.is_claim_covered()

    cases = Case.objects.filter(reference__in=[c.reference for c in made.cases])
    assert {c.state for c in cases} == set(CaseState.values)
    start_of_today = datetime.combine(day, time(), TOKYO)
    for case in cases.prefetch_related("transitions"):
        assert day - WINDOW <= case.claim_date <= day
        assert case.procedure_date <= case.claim_date
        assert case.transitions.order_by("at").last().at <= start_of_today + timedelta(hours=9.5)
        if case.transitions.filter(name="refer_to_review").exists():
            assert case.policy.covers(case.claim_date)
    for application in Application.objects.all():
        assert application.applied_on < day < application.coverage_starts_on
        assert application.coverage_starts_on == rules.coverage_start(application.applied_on)
        assert application.coverage_ends_on == rules.policy_end(application.coverage_starts_on)
