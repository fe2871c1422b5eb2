"""The scheme's cover and payout rules, as pure functions on integer yen.

Views, forms and reports all call these, so the arithmetic lives in exactly one place. Money is
always ``int`` yen: a float or Decimal is refused rather than rounded, so that no caller can
silently lose or invent a yen.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

# 支払限度額 (per accident) offered by the courses, smallest first.
PAYOUT_LIMITS = (1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000)
# 総支払限度額 for the policy period that goes with each per-accident limit (three times it).
AGGREGATE_LIMITS = {
    1_000_000: 3_000_000,
    2_000_000: 6_000_000,
    5_000_000: 15_000_000,
    10_000_000: 30_000_000,
    20_000_000: 60_000_000,
}
# 免責金額: borne by the clinic on every accident, in every course.
DEDUCTIBLE = 100_000

_MAN = 10_000

# No claim predates the association: it was founded (as the mutual-aid society) in 2002.
FOUNDING_DATE = date(2002, 1, 1)
# The oldest procedure a complaint may concern. Implants and fillers can cause complaints
# decades later, so this is generous; it only refuses dates nobody means (0001-01-01, typos).
EARLIEST_PROCEDURE_DATE = date(1950, 1, 1)


def is_covered(policy_start: date, policy_end: date, claim_date: date) -> bool:
    """Claims-made cover: the claim (the day the patient first complained) must fall within the
    policy period, both ends inclusive. When the treatment happened does not matter."""
    if policy_end < policy_start:
        raise ValueError("保険期間の終了日が開始日より前になっています。")
    return policy_start <= claim_date <= policy_end


# The annual round: applications until 10 November start cover on 1 December.
ANNUAL_START_MONTH = 12
ANNUAL_DEADLINE_DAY = 10  # of November
# Mid-term applications until the 15th of a month start cover on the 1st of the next month.
MIDTERM_DEADLINE_DAY = 15
# Every policy period ends on 30 November (the annual round starts the next on 1 December).
POLICY_END_MONTH, POLICY_END_DAY = 11, 30


def report_date_errors(procedure_date: date, claim_date: date, today: date) -> dict[str, str]:
    """Why a reported procedure date or claim date cannot be right, by field (empty when both
    are plausible): none in the future, procedures from 1950, claims from the founding (2002)
    and never before the procedure."""
    errors = {}
    if procedure_date > today:
        errors["procedure_date"] = "施術日に未来の日付は指定できません。"
    elif procedure_date < EARLIEST_PROCEDURE_DATE:
        errors["procedure_date"] = (
            f"施術日は{EARLIEST_PROCEDURE_DATE.year}年以降の日付を入力してください。"
        )
    if claim_date > today:
        errors["claim_date"] = "クレーム申し出日に未来の日付は指定できません。"
    elif claim_date < FOUNDING_DATE:
        errors["claim_date"] = (
            f"クレーム申し出日は協会設立（{FOUNDING_DATE.year}年）以降の日付を入力してください。"
        )
    elif claim_date < procedure_date:
        errors["claim_date"] = "クレーム申し出日は施術日以降の日付にしてください。"
    return errors


def _first_of_next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def coverage_start(applied_on: date) -> date:
    """補償開始日 for an application made on `applied_on` (a date in Asia/Tokyo).

    Mid-term applications close on the 15th and start on the 1st of the next month, later ones
    on the 1st of the month after. The 1 December start belongs to the annual round, which
    closes on 10 November, so an application from 11 November on starts on 1 January.
    """
    start = _first_of_next_month(applied_on)
    if applied_on.day > MIDTERM_DEADLINE_DAY:
        start = _first_of_next_month(start)
    annual_deadline = date(start.year, ANNUAL_START_MONTH - 1, ANNUAL_DEADLINE_DAY)
    if start.month == ANNUAL_START_MONTH and applied_on > annual_deadline:
        start = _first_of_next_month(start)
    return start


def policy_end(starts_on: date) -> date:
    """The last day of cover for a policy starting on `starts_on`: the next 30 November."""
    end = date(starts_on.year, POLICY_END_MONTH, POLICY_END_DAY)
    return end if end >= starts_on else end.replace(year=end.year + 1)


# A lapsed policy may still be renewed (with the later start and the gap) until this day of the
# year after it ended; after that the facility applies anew on /join/.
RENEWAL_AFTER_LAPSE_UNTIL = (5, 31)  # 31 May


def renewal_deadline(current_ends_on: date) -> date:
    """The annual round's deadline (10 November) for renewing a policy ending on `current_ends_on`
    (a 30 November): renewals sent by then continue the cover without a gap."""
    if (current_ends_on.month, current_ends_on.day) != (POLICY_END_MONTH, POLICY_END_DAY):
        raise ValueError("継続できるのは11月30日に満了する保険契約です。")
    return date(current_ends_on.year, ANNUAL_START_MONTH - 1, ANNUAL_DEADLINE_DAY)


def renewal_start(*, current_ends_on: date, applied_on: date) -> date:
    """補償開始日 of a renewal (継続) of the policy ending on `current_ends_on` (a 30 November),
    sent on `applied_on` (Asia/Tokyo).

    Sent by the round's deadline (10 November of that year), the renewal starts the day after
    the current policy ends (1 December): the cover is continuous. Sent later (even before the
    policy ends), it is handled like a new mid-term application, `coverage_start(applied_on)`:
    from 11 November to 15 December it starts on 1 January, from 16 December on 1 February, and
    so on. The days between are a gap in the cover, in which a claim first made is out of period
    (`renewal_gap`). Either way the new policy ends on `policy_end(start)`, the next 30 November.
    """
    if applied_on <= renewal_deadline(current_ends_on):
        return current_ends_on + timedelta(days=1)
    return coverage_start(applied_on)


def renewal_gap(*, current_ends_on: date, starts_on: date) -> tuple[date, date] | None:
    """The first and last day without cover between a policy ending on `current_ends_on` and its
    renewal starting on `starts_on`; None when the cover is continuous."""
    first = current_ends_on + timedelta(days=1)
    return (first, starts_on - timedelta(days=1)) if starts_on > first else None


def renewal_offered_until(current_ends_on: date) -> date:
    """The last day a policy ending on `current_ends_on` may be renewed: 31 May of the next year
    (a lapsed policy's facility keeps its records and history for half a year)."""
    month, day = RENEWAL_AFTER_LAPSE_UNTIL
    return date(current_ends_on.year + 1, month, day)


def format_yen(amount: int) -> str:
    """1234567 → "1,234,567円". Integers only, so a float can never reach a document."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"format_yen() takes integer yen, not {type(amount).__name__}")
    return f"{amount:,}円"


def format_man_yen(amount: int) -> str:
    """Yen as the association writes amounts: whole 万 in 万 (10000000 → "1,000万円"), the rest
    in 円 (123456 → "123,456円"). Integers only. The site's man_yen filter uses this too."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"format_man_yen() takes integer yen, not {type(amount).__name__}")
    sign = "-" if amount < 0 else ""
    man, rest = divmod(abs(amount), _MAN)
    return f"{sign}{man:,}万円" if man and not rest else f"{sign}{abs(amount):,}円"


@dataclass(frozen=True)
class PayoutLine:
    label: str
    amount: int
    note: str = ""


@dataclass(frozen=True)
class Payout:
    """Every figure of one payout computation, so that it can be shown and checked.

    ``other_insurance_paid`` and ``deductible`` are the figures as given; the lines show the part
    actually deducted, which is less when the damages run out first.
    """

    damages: int
    other_insurance_paid: int
    after_other_insurance: int
    deductible: int
    after_deductible: int
    limit: int
    aggregate_remaining: int | None
    damages_payable: int
    capped_by: str | None  # "limit", "aggregate" or None
    legal_costs: int
    legal_costs_prorated: int  # after the proration, before the aggregate cap
    legal_costs_payable: int
    proration: Fraction | None
    total: int

    @property
    def lines(self) -> tuple[PayoutLine, ...]:
        """The computation line by line, in Japanese; each subtotal is the sum of the lines above
        it since the previous subtotal."""
        other_applied = self.damages - self.after_other_insurance
        deductible_applied = self.after_other_insurance - self.after_deductible
        lines = [PayoutLine("損害賠償金", self.damages)]
        if self.other_insurance_paid:
            note = ""
            if other_applied < self.other_insurance_paid:
                note = f"支払額{format_yen(self.other_insurance_paid)}のうち損害賠償金の額まで控除"
            lines.append(PayoutLine("他の保険契約等による支払額", -other_applied, note))
        note = ""
        if deductible_applied < self.deductible:
            note = f"免責金額{format_yen(self.deductible)}のうち残額まで控除"
        lines.append(PayoutLine("免責金額", -deductible_applied, note))
        cut = self.after_deductible - self.damages_payable
        if self.capped_by == "limit":
            note = f"支払限度額 {format_yen(self.limit)}"
            lines.append(PayoutLine("支払限度額による調整", -cut, note))
        elif self.capped_by == "aggregate":
            note = f"総支払限度額の残額 {format_yen(self.aggregate_remaining)}"
            lines.append(PayoutLine("総支払限度額（残額）による調整", -cut, note))
        lines.append(PayoutLine("損害賠償金の支払額", self.damages_payable))

        lines.append(PayoutLine("争訟費用", self.legal_costs))
        if self.proration is not None:
            note = f"支払限度額 ÷ 損害賠償金 = {format_man_yen(self.limit)} ÷ {format_man_yen(self.damages)}"
            cut = self.legal_costs - self.legal_costs_prorated
            lines.append(PayoutLine("争訟費用の按分", -cut, note))
        cut = self.legal_costs_prorated - self.legal_costs_payable
        if cut:
            note = f"総支払限度額の残額 {format_yen(self.aggregate_remaining)}"
            lines.append(PayoutLine("総支払限度額（残額）による調整", -cut, note))
        lines.append(PayoutLine("争訟費用の支払額", self.legal_costs_payable))
        lines.append(PayoutLine("支払総額", self.total))
        return tuple(lines)


def _check_yen(value, name: str, minimum: int = 0) -> None:
    # bool is an int subclass, and True must not be taken for 1 yen.
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name}は{minimum}円以上の整数で入力してください。")


def calculate_payout(
    damages: int,
    limit: int,
    legal_costs: int = 0,
    other_insurance_paid: int = 0,
    deductible: int = DEDUCTIBLE,
    aggregate_remaining: int | None = None,
) -> Payout:
    """What the insurance pays for one accident, in yen.

    1. Other insurance already paid comes off the damages first, then the deductible (neither
       below 0).
    2. The result is capped at the per-accident ``limit`` and, when given, at
       ``aggregate_remaining`` (what is left of the policy period's aggregate limit).
    3. Legal costs (争訟費用) are paid in full, except that when the damages as given exceed the
       limit they are paid in the proportion limit ÷ damages, rounded down to the yen. This
       compares the gross damages with the limit, so proration can apply even when the damages
       payable themselves end up below the limit.
    4. Legal costs count against the aggregate too: when ``aggregate_remaining`` is given, the
       total paid never exceeds it (damages are paid first, legal costs from what remains).

    The caller records ``total`` against the aggregate; this function does not keep state.
    Raises ValueError, with a message for people, when an amount is not a whole number of yen
    ≥ 0 (the limit ≥ 1).
    """
    _check_yen(damages, "損害賠償金")
    _check_yen(limit, "支払限度額", minimum=1)
    _check_yen(legal_costs, "争訟費用")
    _check_yen(other_insurance_paid, "他の保険契約等による支払額")
    _check_yen(deductible, "免責金額")
    if aggregate_remaining is not None:
        _check_yen(aggregate_remaining, "総支払限度額の残額")

    after_other_insurance = max(damages - other_insurance_paid, 0)
    after_deductible = max(after_other_insurance - deductible, 0)

    damages_payable, capped_by = after_deductible, None
    if damages_payable > limit:
        damages_payable, capped_by = limit, "limit"
    # Checked second, so "limit" is named when both caps are equal.
    if aggregate_remaining is not None and damages_payable > aggregate_remaining:
        damages_payable, capped_by = aggregate_remaining, "aggregate"

    proration = None
    legal_costs_prorated = legal_costs
    if damages > limit:
        proration = Fraction(limit, damages)
        # Integer arithmetic, rounded down: the policy never pays a fraction of a yen more.
        legal_costs_prorated = legal_costs * limit // damages

    legal_costs_payable = legal_costs_prorated
    if aggregate_remaining is not None:
        legal_costs_payable = min(legal_costs_payable, aggregate_remaining - damages_payable)

    return Payout(
        damages=damages,
        other_insurance_paid=other_insurance_paid,
        after_other_insurance=after_other_insurance,
        deductible=deductible,
        after_deductible=after_deductible,
        limit=limit,
        aggregate_remaining=aggregate_remaining,
        damages_payable=damages_payable,
        capped_by=capped_by,
        legal_costs=legal_costs,
        legal_costs_prorated=legal_costs_prorated,
        legal_costs_payable=legal_costs_payable,
        proration=proration,
        total=damages_payable + legal_costs_payable,
    )
