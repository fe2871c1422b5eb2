"""The cover and payout rules, with worked examples done by hand and invariants for any input."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.rules import (
    AGGREGATE_LIMITS,
    DEDUCTIBLE,
    PAYOUT_LIMITS,
    PayoutLine,
    calculate_payout,
    coverage_start,
    format_yen,
    is_covered,
    policy_end,
    renewal_deadline,
    renewal_gap,
    renewal_offered_until,
    renewal_start,
)

START, END = date(2024, 4, 1), date(2025, 3, 31)


# --- Cover -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim_date", "covered"),
    [
        (date(2024, 3, 31), False),  # the day before the policy starts
        (date(2024, 4, 1), True),  # first day
        (date(2024, 10, 15), True),
        (date(2025, 3, 31), True),  # last day
        (date(2025, 4, 1), False),  # the day after it ends
    ],
)
def test_cover_is_for_claims_within_the_period_both_ends_included(claim_date, covered):
    assert is_covered(START, END, claim_date) is covered


def test_a_one_day_policy_covers_that_day_only():
    day = date(2024, 4, 1)
    assert is_covered(day, day, day)
    assert not is_covered(day, day, day + timedelta(days=1))


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="終了日が開始日より前"):
        is_covered(END, START, START)


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@given(dates, dates, dates)
def test_covered_exactly_when_the_claim_is_within_the_period(a, b, claim_date):
    start, end = min(a, b), max(a, b)
    assert is_covered(start, end, claim_date) == (start <= claim_date <= end)


# --- Constants and format ----------------------------------------------------------------------


def test_the_courses_and_their_aggregate_limits():
    assert DEDUCTIBLE == 100_000
    assert tuple(AGGREGATE_LIMITS) == PAYOUT_LIMITS
    assert all(AGGREGATE_LIMITS[limit] == 3 * limit for limit in PAYOUT_LIMITS)


def test_format_yen():
    assert format_yen(0) == "0円"
    assert format_yen(1_234_567) == "1,234,567円"
    for not_yen in (1.0, True, Decimal("1")):
        with pytest.raises(TypeError):
            format_yen(not_yen)


# --- Worked examples ---------------------------------------------------------------------------


def _amounts(payout):
    return [(line.label, line.amount) for line in payout.lines]


def test_damages_within_the_limit_less_the_deductible():
    p = calculate_payout(damages=3_000_000, limit=5_000_000)
    # 3,000,000 − 100,000 = 2,900,000, under the 5,000,000 limit.
    assert (p.damages_payable, p.capped_by, p.total) == (2_900_000, None, 2_900_000)
    assert _amounts(p) == [
        ("損害賠償金", 3_000_000),
        ("免責金額", -100_000),
        ("損害賠償金の支払額", 2_900_000),
        ("争訟費用", 0),
        ("争訟費用の支払額", 0),
        ("支払総額", 2_900_000),
    ]


def test_damages_over_the_limit_prorate_the_legal_costs():
    p = calculate_payout(damages=15_000_000, limit=10_000_000, legal_costs=1_500_000)
    # 15,000,000 − 100,000 = 14,900,000 → capped at 10,000,000.
    # Legal costs × 1,000万 ÷ 1,500万 = 1,500,000 × 2/3 = 1,000,000.
    assert p.damages_payable == 10_000_000
    assert p.capped_by == "limit"
    assert p.proration == Fraction(2, 3)
    assert p.legal_costs_payable == 1_000_000
    assert p.total == 11_000_000
    assert p.lines == (
        PayoutLine("損害賠償金", 15_000_000),
        PayoutLine("免責金額", -100_000),
        PayoutLine("支払限度額による調整", -4_900_000, "支払限度額 10,000,000円"),
        PayoutLine("損害賠償金の支払額", 10_000_000),
        PayoutLine("争訟費用", 1_500_000),
        PayoutLine("争訟費用の按分", -500_000, "支払限度額 ÷ 損害賠償金 = 1,000万円 ÷ 1,500万円"),
        PayoutLine("争訟費用の支払額", 1_000_000),
        PayoutLine("支払総額", 11_000_000),
    )


def test_prorated_legal_costs_are_rounded_down_to_the_yen():
    # 1,000,000 × 5,000,000 ÷ 7,000,000 = 714,285.71… → 714,285.
    p = calculate_payout(damages=7_000_000, limit=5_000_000, legal_costs=1_000_000)
    assert p.legal_costs_payable == 714_285


def test_proration_compares_the_damages_as_given_not_after_the_deductible():
    # 10,050,000 − 100,000 = 9,950,000 is under the limit, but the damages exceed it.
    p = calculate_payout(damages=10_050_000, limit=10_000_000, legal_costs=1_005_000)
    assert (p.damages_payable, p.capped_by) == (9_950_000, None)
    assert p.legal_costs_payable == 1_000_000  # 1,005,000 × 1,000万 ÷ 1,005万


def test_damages_equal_to_the_limit_pay_legal_costs_in_full():
    p = calculate_payout(damages=10_000_000, limit=10_000_000, legal_costs=1_500_000)
    assert (p.proration, p.legal_costs_payable, p.total) == (None, 1_500_000, 11_400_000)


def test_the_total_can_fall_when_damages_rise_past_the_limit():
    # A consequence of the proration rule, not a slip: 11,400,000 at the limit, less above it.
    over = calculate_payout(damages=11_000_000, limit=10_000_000, legal_costs=1_500_000)
    assert over.legal_costs_payable == 1_363_636  # 1,500,000 × 10/11, rounded down
    assert over.total == 11_363_636


def test_other_insurance_comes_off_before_the_deductible():
    p = calculate_payout(damages=3_000_000, limit=5_000_000, other_insurance_paid=500_000)
    # 3,000,000 − 500,000 = 2,500,000; − 100,000 = 2,400,000.
    assert (p.after_other_insurance, p.after_deductible, p.total) == (
        2_500_000,
        2_400_000,
        2_400_000,
    )
    assert _amounts(p)[:3] == [
        ("損害賠償金", 3_000_000),
        ("他の保険契約等による支払額", -500_000),
        ("免責金額", -100_000),
    ]


def test_other_insurance_paying_more_than_the_damages_leaves_nothing():
    p = calculate_payout(damages=300_000, limit=1_000_000, other_insurance_paid=500_000)
    assert (p.after_other_insurance, p.after_deductible, p.total) == (0, 0, 0)
    # The lines show what was actually deducted, so they still add up.
    assert p.lines[1] == PayoutLine(
        "他の保険契約等による支払額", -300_000, "支払額500,000円のうち損害賠償金の額まで控除"
    )
    assert p.lines[2] == PayoutLine("免責金額", 0, "免責金額100,000円のうち残額まで控除")


def test_damages_below_the_deductible_pay_nothing():
    p = calculate_payout(damages=80_000, limit=1_000_000)
    assert (p.damages_payable, p.total) == (0, 0)
    assert p.lines[1] == PayoutLine("免責金額", -80_000, "免責金額100,000円のうち残額まで控除")


def test_legal_costs_are_paid_even_when_the_damages_are_under_the_deductible():
    p = calculate_payout(damages=80_000, limit=1_000_000, legal_costs=200_000)
    assert (p.damages_payable, p.legal_costs_payable, p.total) == (0, 200_000, 200_000)


def test_a_smaller_aggregate_remaining_caps_the_damages():
    p = calculate_payout(damages=8_000_000, limit=10_000_000, aggregate_remaining=3_000_000)
    assert (p.damages_payable, p.capped_by, p.total) == (3_000_000, "aggregate", 3_000_000)
    assert p.lines[2] == PayoutLine(
        "総支払限度額（残額）による調整", -4_900_000, "総支払限度額の残額 3,000,000円"
    )


def test_legal_costs_are_paid_from_what_the_aggregate_has_left_after_the_damages():
    p = calculate_payout(
        damages=2_100_000, limit=5_000_000, legal_costs=1_000_000, aggregate_remaining=2_500_000
    )
    # Damages 2,000,000 fit; only 500,000 of the aggregate is left for the legal costs.
    assert (p.damages_payable, p.capped_by) == (2_000_000, None)
    assert p.legal_costs_prorated == 1_000_000
    assert (p.legal_costs_payable, p.total) == (500_000, 2_500_000)
    assert _amounts(p)[3:] == [
        ("争訟費用", 1_000_000),
        ("総支払限度額（残額）による調整", -500_000),
        ("争訟費用の支払額", 500_000),
        ("支払総額", 2_500_000),
    ]


def test_an_exhausted_aggregate_pays_nothing():
    p = calculate_payout(
        damages=5_000_000, limit=5_000_000, legal_costs=300_000, aggregate_remaining=0
    )
    assert (p.damages_payable, p.capped_by) == (0, "aggregate")
    assert (p.legal_costs_payable, p.total) == (0, 0)


def test_when_the_limit_and_the_aggregate_left_are_equal_the_limit_is_named():
    p = calculate_payout(damages=9_000_000, limit=5_000_000, aggregate_remaining=5_000_000)
    assert (p.damages_payable, p.capped_by) == (5_000_000, "limit")


# --- Refused input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"damages": 1_000_000.0}, "損害賠償金は0円以上の整数で入力してください。"),
        ({"damages": True}, "損害賠償金は0円以上の整数で入力してください。"),
        ({"damages": -1}, "損害賠償金は0円以上の整数で入力してください。"),
        ({"damages": Decimal("1000000")}, "損害賠償金は0円以上の整数で入力してください。"),
        ({"damages": "1000000"}, "損害賠償金は0円以上の整数で入力してください。"),
        ({"limit": 0}, "支払限度額は1円以上の整数で入力してください。"),
        ({"limit": 5e6}, "支払限度額は1円以上の整数で入力してください。"),
        ({"legal_costs": -100}, "争訟費用は0円以上の整数で入力してください。"),
        ({"legal_costs": 0.5}, "争訟費用は0円以上の整数で入力してください。"),
        (
            {"other_insurance_paid": -1},
            "他の保険契約等による支払額は0円以上の整数で入力してください。",
        ),
        (
            {"other_insurance_paid": False},
            "他の保険契約等による支払額は0円以上の整数で入力してください。",
        ),
        ({"deductible": -100_000}, "免責金額は0円以上の整数で入力してください。"),
        ({"deductible": 1e5}, "免責金額は0円以上の整数で入力してください。"),
        ({"aggregate_remaining": -1}, "総支払限度額の残額は0円以上の整数で入力してください。"),
        ({"aggregate_remaining": 3e6}, "総支払限度額の残額は0円以上の整数で入力してください。"),
    ],
)
def test_amounts_that_are_not_whole_yen_are_refused_with_a_message_for_people(kwargs, message):
    with pytest.raises(ValueError) as excinfo:
        calculate_payout(**({"damages": 1_000_000, "limit": 5_000_000} | kwargs))
    assert str(excinfo.value) == message


# --- Invariants --------------------------------------------------------------------------------

yen = st.integers(min_value=0, max_value=10**10)
limits = st.one_of(st.sampled_from(PAYOUT_LIMITS), st.integers(min_value=1, max_value=10**9))
payouts = st.fixed_dictionaries(
    {"damages": yen, "limit": limits},
    optional={
        "legal_costs": yen,
        "other_insurance_paid": yen,
        "deductible": yen,
        "aggregate_remaining": st.one_of(st.none(), yen),
    },
)


def _payable_before_caps(kwargs):
    other = kwargs.get("other_insurance_paid", 0)
    deductible = kwargs.get("deductible", DEDUCTIBLE)
    return max(kwargs["damages"] - other - deductible, 0)


@given(payouts)
def test_the_payout_is_bounded_by_every_rule(kwargs):
    p = calculate_payout(**kwargs)
    assert type(p.total) is int and p.total >= 0
    assert p.total == p.damages_payable + p.legal_costs_payable
    assert 0 <= p.damages_payable <= min(p.limit, _payable_before_caps(kwargs))
    assert 0 <= p.legal_costs_payable <= p.legal_costs
    if p.aggregate_remaining is not None:
        assert p.damages_payable <= p.aggregate_remaining
        assert p.total <= p.aggregate_remaining
    if p.damages <= p.limit and p.aggregate_remaining is None:
        assert p.legal_costs_payable == p.legal_costs


@given(payouts)
def test_only_a_cap_ever_keeps_back_what_the_rules_allow(kwargs):
    p = calculate_payout(**kwargs)
    if p.capped_by is None:
        assert p.damages_payable == _payable_before_caps(kwargs)
    if p.proration is None and p.aggregate_remaining is None:
        assert p.legal_costs_payable == p.legal_costs


@given(payouts, st.integers(min_value=1, max_value=10**9))
def test_more_damages_never_pay_less_damages(kwargs, extra):
    less = calculate_payout(**kwargs)
    more = calculate_payout(**(kwargs | {"damages": kwargs["damages"] + extra}))
    assert more.damages_payable >= less.damages_payable


@given(payouts, st.integers(min_value=1, max_value=10**9))
def test_a_higher_deductible_never_pays_more(kwargs, extra):
    lower = calculate_payout(**kwargs)
    higher = calculate_payout(**(kwargs | {"deductible": lower.deductible + extra}))
    assert higher.damages_payable <= lower.damages_payable
    assert higher.total <= lower.total


@given(payouts)
def test_the_lines_reconcile_to_the_figures(kwargs):
    p = calculate_payout(**kwargs)
    lines = p.lines
    assert all(type(line.amount) is int for line in lines)
    labels = [line.label for line in lines]
    damages_end = labels.index("損害賠償金の支払額")
    legal_end = labels.index("争訟費用の支払額")
    # Each subtotal is its own first line plus the adjustments between.
    assert lines[0] == PayoutLine("損害賠償金", p.damages)
    assert sum(line.amount for line in lines[:damages_end]) == p.damages_payable
    assert lines[damages_end].amount == p.damages_payable
    assert lines[damages_end + 1] == PayoutLine("争訟費用", p.legal_costs)
    assert sum(line.amount for line in lines[damages_end + 1 : legal_end]) == p.legal_costs_payable
    assert lines[legal_end].amount == p.legal_costs_payable
    assert lines[-1] == PayoutLine("支払総額", p.total)
    assert len(lines) == legal_end + 2
    # Adjustments only ever take away; the cap lines appear exactly when a cap applied.
    assert all(
        line.amount <= 0 for line in lines[1:damages_end] + lines[damages_end + 2 : legal_end]
    )
    assert ("支払限度額による調整" in labels) == (p.capped_by == "limit")
    assert ("争訟費用の按分" in labels) == (p.proration is not None)
    legal_cut = "総支払限度額（残額）による調整" in labels[damages_end:]
    assert legal_cut == (p.legal_costs_payable < p.legal_costs_prorated)


@given(payouts)
def test_the_proration_is_limit_over_damages_exactly_when_damages_exceed_the_limit(kwargs):
    p = calculate_payout(**kwargs)
    if p.damages > p.limit:
        assert p.proration == Fraction(p.limit, p.damages)
        assert p.legal_costs_prorated == int(p.legal_costs * p.proration)  # floor, as ≥ 0
    else:
        assert p.proration is None
        assert p.legal_costs_prorated == p.legal_costs


@given(yen, st.integers(min_value=1, max_value=10**10))
def test_total_never_exceeds_the_aggregate_remaining_even_with_large_legal_costs(damages, legal):
    p = calculate_payout(damages, 5_000_000, legal_costs=legal, aggregate_remaining=15_000_000)
    assert p.total <= 15_000_000


# --- Renewal (継続) -----------------------------------------------------------------------------

ENDS = date(2027, 11, 30)  # the current policy's last day; 2028 is a leap year


@pytest.mark.parametrize(
    ("applied_on", "starts_on"),
    [
        # By the round's 10 November deadline: the day after the current policy ends.
        (date(2027, 10, 1), date(2027, 12, 1)),
        (date(2027, 11, 1), date(2027, 12, 1)),
        (date(2027, 11, 10), date(2027, 12, 1)),
        # Later: a new mid-term application (15th of the month, next 1st) with a gap.
        (date(2027, 11, 11), date(2028, 1, 1)),
        (date(2027, 11, 15), date(2028, 1, 1)),
        (date(2027, 11, 16), date(2028, 1, 1)),
        (date(2027, 11, 30), date(2028, 1, 1)),  # the policy's last day
        # After expiry (lapsed).
        (date(2027, 12, 1), date(2028, 1, 1)),
        (date(2027, 12, 15), date(2028, 1, 1)),
        (date(2027, 12, 16), date(2028, 2, 1)),
        (date(2028, 2, 15), date(2028, 3, 1)),
        (date(2028, 2, 29), date(2028, 4, 1)),  # leap day
        (date(2028, 5, 31), date(2028, 7, 1)),  # the last day a lapsed policy is renewed
    ],
)
def test_renewal_start(applied_on, starts_on):
    assert renewal_start(current_ends_on=ENDS, applied_on=applied_on) == starts_on
    assert policy_end(starts_on) == date(2028, 11, 30)


def test_a_renewal_by_the_deadline_runs_a_full_leap_year_without_a_gap():
    starts_on = renewal_start(current_ends_on=ENDS, applied_on=date(2027, 11, 10))
    ends_on = policy_end(starts_on)
    assert (starts_on, ends_on) == (date(2027, 12, 1), date(2028, 11, 30))
    assert (ends_on - starts_on).days + 1 == 366  # 29 February 2028 is covered
    assert is_covered(starts_on, ends_on, date(2028, 2, 29))
    assert renewal_gap(current_ends_on=ENDS, starts_on=starts_on) is None


def test_a_late_renewal_leaves_a_gap_in_which_a_claim_is_out_of_period():
    starts_on = renewal_start(current_ends_on=ENDS, applied_on=date(2027, 11, 11))
    assert renewal_gap(current_ends_on=ENDS, starts_on=starts_on) == (
        date(2027, 12, 1),
        date(2027, 12, 31),
    )
    old = (date(2026, 12, 1), ENDS)
    new = (starts_on, policy_end(starts_on))
    for claim_date, covered_by in [
        (ENDS, old),
        (date(2027, 12, 1), None),
        (date(2027, 12, 31), None),
        (date(2028, 1, 1), new),
    ]:
        assert [p for p in (old, new) if is_covered(*p, claim_date)] == (
            [covered_by] if covered_by else []
        )


def test_the_deadline_and_the_last_day_of_the_offer():
    assert renewal_deadline(ENDS) == date(2027, 11, 10)
    assert renewal_offered_until(ENDS) == date(2028, 5, 31)


@pytest.mark.parametrize("ends_on", [date(2027, 11, 29), date(2027, 12, 31), date(2028, 2, 29)])
def test_only_a_policy_ending_on_30_november_is_renewed(ends_on):
    with pytest.raises(ValueError, match="11月30日に満了する保険契約"):
        renewal_start(current_ends_on=ends_on, applied_on=date(2027, 11, 1))


round_ends = st.integers(min_value=2003, max_value=2099).map(lambda year: date(year, 11, 30))


@st.composite
def renewals(draw):
    """A policy ending on a 30 November and a renewal sent up to a year before it ends or until
    the last day a lapsed policy is renewed."""
    ends_on = draw(round_ends)
    applied_on = draw(
        st.dates(min_value=ends_on - timedelta(days=365), max_value=renewal_offered_until(ends_on))
    )
    return ends_on, applied_on


@given(renewals())
def test_a_renewal_is_continuous_exactly_when_sent_by_10_november(renewal):
    ends_on, applied_on = renewal
    starts_on = renewal_start(current_ends_on=ends_on, applied_on=applied_on)
    on_time = applied_on <= date(ends_on.year, 11, 10)
    assert (starts_on == ends_on + timedelta(days=1)) == on_time
    assert (renewal_gap(current_ends_on=ends_on, starts_on=starts_on) is None) == on_time
    if not on_time:
        # A late renewal is a new mid-term application, starting after it was sent.
        assert starts_on == coverage_start(applied_on)
        assert applied_on < starts_on


@given(renewals())
def test_a_renewal_starts_on_a_first_after_the_old_policy_and_ends_a_year_later(renewal):
    ends_on, applied_on = renewal
    starts_on = renewal_start(current_ends_on=ends_on, applied_on=applied_on)
    assert starts_on.day == 1
    assert ends_on < starts_on
    # Whatever the gap, the renewed period ends on the next round's 30 November.
    assert policy_end(starts_on) == date(ends_on.year + 1, 11, 30)


@given(renewals())
def test_the_gap_is_exactly_the_days_neither_policy_covers(renewal):
    ends_on, applied_on = renewal
    starts_on = renewal_start(current_ends_on=ends_on, applied_on=applied_on)
    gap = renewal_gap(current_ends_on=ends_on, starts_on=starts_on)
    day = ends_on
    while day <= starts_on:
        in_gap = gap is not None and gap[0] <= day <= gap[1]
        covered = is_covered(ends_on - timedelta(days=364), ends_on, day) or is_covered(
            starts_on, policy_end(starts_on), day
        )
        assert in_gap != covered
        day += timedelta(days=1)


@given(renewals())
def test_a_later_renewal_never_starts_earlier(renewal):
    ends_on, applied_on = renewal
    sooner = renewal_start(current_ends_on=ends_on, applied_on=applied_on)
    later = renewal_start(current_ends_on=ends_on, applied_on=applied_on + timedelta(days=1))
    assert sooner <= later
