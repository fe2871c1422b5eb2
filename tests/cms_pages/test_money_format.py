"""Amounts shown on the site are written the association's way, from integer yen only."""

from hypothesis import given
from hypothesis import strategies as st

from cms_pages.templatetags.site_tags import man_yen


def test_the_five_payout_limits_and_the_deductible():
    amounts = [1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000, 100_000]
    assert [man_yen(a) for a in amounts] == [
        "100万円", "200万円", "500万円", "1,000万円", "2,000万円", "10万円",
    ]  # fmt: skip


@given(st.integers(min_value=0, max_value=10**12))
def test_the_text_reads_back_as_the_same_number_of_yen(amount):
    text = man_yen(amount)
    assert text.endswith("円")
    digits = text.removesuffix("円").replace(",", "")
    if digits.endswith("万"):
        assert int(digits.removesuffix("万")) * 10_000 == amount
    else:
        assert int(digits) == amount


@given(st.integers(min_value=1, max_value=10**8))
def test_whole_man_amounts_are_always_written_in_man(man):
    assert man_yen(man * 10_000) == f"{man:,}万円"


def test_things_that_are_not_integers_pass_through_untouched():
    assert man_yen(None) is None
    assert man_yen("") == ""
    assert man_yen(1.5) == 1.5
