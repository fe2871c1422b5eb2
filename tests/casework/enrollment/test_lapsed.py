"""A policy that ended without renewal is shown on マイページ as 失効, a renewed one as 継続済み
with the new number; a claim first made after the lapse is out of period."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from casework.models import Case

from ..test_portal import _report_data
from .test_renewal_round import renewal_of, round_policy

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
DECEMBER_5 = datetime(2026, 12, 5, 9, 0, tzinfo=TOKYO)  # the member's policy ended on 30 November
OCTOBER_5 = datetime(2026, 10, 5, 9, 0, tzinfo=TOKYO)


def my_page(client, member, when) -> str:
    client.force_login(member)
    with time_machine.travel(when, tick=False):
        return client.get("/mypage/").content.decode()


def report_claim(client, member, **dates):
    client.force_login(member)
    with time_machine.travel(DECEMBER_5, tick=False):
        data = _report_data(procedure_date="2026-11-20", **dates)
        return client.post("/mypage/report/", data), data


def test_an_ended_policy_not_renewed_is_shown_lapsed(client, member, policy):
    html = my_page(client, member, DECEMBER_5)
    assert "本日を含む保険期間のご契約が見つかりません" in html
    assert "失効" in html and "11月30日より後に申し出のあったクレーム" in html
    # While it still covers, nothing is said about a lapse.
    assert "失効" not in my_page(client, member, OCTOBER_5)


def test_a_renewed_policy_names_the_policy_that_continues_it(
    client, member, policy, facility_fields, support
):
    renewal = renewal_of(policy, facility_fields, by=support, steps=["start_review", "approve"])
    new_number = renewal.policy.number
    before = my_page(client, member, OCTOBER_5)  # renewed before it ended
    assert f"継続済み</span>（継続後の証券番号 {new_number}）" in before
    after = my_page(client, member, DECEMBER_5)
    assert "失効" not in after
    assert f"継続済み</span>（継続後の証券番号 {new_number}）" in after


def test_a_renewal_awaiting_the_association_after_the_end_is_not_shown_as_lapsed(
    client, member, policy, facility_fields
):
    renewal_of(policy, facility_fields)
    html = my_page(client, member, DECEMBER_5)
    assert "失効" not in html and "の継続のお申込み（申込番号" in html


def test_a_policy_continued_by_next_years_policy_is_not_lapsed(client, member, policy):
    round_policy("F-2027-001", facility=policy.facility, ends_on=date(2027, 11, 30))
    html = my_page(client, member, DECEMBER_5)
    assert "失効" not in html
    assert "継続済み</span>（継続後の証券番号 F-2027-001）" in html


def test_a_claim_first_made_after_the_lapse_is_out_of_period(client, member, policy):
    response, data = report_claim(client, member, claim_date="2026-12-03")
    assert "クレーム申し出日が保険期間外です" in response.content.decode()
    assert not Case.objects.exists()
    with time_machine.travel(DECEMBER_5, tick=False):
        client.post("/mypage/report/", {**data, "confirm_outside_period": "on"})
    assert not Case.objects.get().is_claim_covered()


def test_a_claim_made_before_the_lapse_is_still_covered(client, member, policy):
    response, _ = report_claim(client, member, claim_date="2026-11-28")
    assert response.status_code == 302
    assert Case.objects.get().is_claim_covered()


def test_after_a_renewal_the_same_claim_is_covered(
    client, member, policy, facility_fields, support
):
    renewal_of(policy, facility_fields, by=support, steps=["start_review", "approve"])
    response, _ = report_claim(client, member, claim_date="2026-12-03")
    assert response.status_code == 302
    assert Case.objects.get().is_claim_covered()
