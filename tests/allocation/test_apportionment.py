"""Properties of the apportionment engine (decisions.md 1–2)."""

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fordela.allocation.apportionment import ApportionmentError, Claimant, apportion

codes = st.text(alphabet="0123456789", min_size=4, max_size=4)
claimant_lists = st.lists(
    st.builds(Claimant, code=codes, weight=st.integers(min_value=0, max_value=10_000_000)),
    min_size=1,
    max_size=60,
    unique_by=lambda c: c.code,
).filter(lambda cs: sum(c.weight for c in cs) > 0)
totals = st.integers(min_value=0, max_value=10**11)


@given(total=totals, claimants=claimant_lists)
def test_shares_add_up_to_the_total_exactly(total, claimants):
    assert sum(share.amount for share in apportion(total, claimants)) == total


@given(total=totals, claimants=claimant_lists)
def test_every_share_is_within_one_krona_of_its_exact_quota(total, claimants):
    weight_sum = sum(c.weight for c in claimants)
    for share in apportion(total, claimants):
        exact = Fraction(total * share.weight, weight_sum)
        assert share.quota == exact
        assert abs(share.amount - exact) < 1
        # Largest remainder only ever rounds the floor up by one.
        assert share.amount in (
            exact.numerator // exact.denominator,
            -(-exact.numerator // exact.denominator),
        )


@given(total=totals, claimants=claimant_lists, seed=st.integers())
def test_result_does_not_depend_on_input_order(total, claimants, seed):
    shuffled = list(claimants)
    random.Random(seed).shuffle(shuffled)
    assert apportion(total, claimants) == apportion(total, shuffled)


@given(total=totals, claimants=claimant_lists)
@settings(max_examples=50)
def test_deterministic(total, claimants):
    assert apportion(total, claimants) == apportion(total, claimants)


@given(total=totals, claimants=claimant_lists)
def test_a_larger_fraction_is_never_rounded_down_while_a_smaller_is_rounded_up(total, claimants):
    shares = apportion(total, claimants)
    rounded_up = [s for s in shares if s.amount > s.quota]
    rounded_down = [s for s in shares if s.amount < s.quota]
    if rounded_up and rounded_down:
        smallest_up = min(s.quota - int(s.quota) for s in rounded_up)
        largest_down = max(s.quota - int(s.quota) for s in rounded_down)
        assert smallest_up >= largest_down


def test_ties_go_to_the_larger_population_then_the_lower_code():
    # 10 kr over three equal quotas of 3 1/3: one krona left for the tie.
    shares = {
        s.code: s.amount
        for s in apportion(10, [Claimant("0003", 1), Claimant("0001", 1), Claimant("0002", 1)])
    }
    assert shares == {"0001": 4, "0002": 3, "0003": 3}
    # Same fractional part (1/2) for weights 1 and 3 out of 4 with total 2:
    # quotas 0.5 and 1.5; the krona left goes to the larger weight.
    shares = {s.code: s.amount for s in apportion(2, [Claimant("0001", 1), Claimant("0002", 3)])}
    assert shares == {"0001": 0, "0002": 2}


def test_known_values_for_a_small_pool():
    # 100 kr by 1:2:3:4 → exact quotas 10, 20, 30, 40.
    shares = apportion(
        100, [Claimant("a", 1), Claimant("b", 2), Claimant("c", 3), Claimant("d", 4)]
    )
    assert [s.amount for s in shares] == [10, 20, 30, 40]
    # 10 kr by 1:1:1 → 3.33 each; one krona left goes to the lowest code.
    shares = apportion(10, [Claimant("c", 1), Claimant("b", 1), Claimant("a", 1)])
    assert [(s.code, s.amount) for s in shares] == [("a", 4), ("b", 3), ("c", 3)]


@pytest.mark.parametrize(
    ("total", "claimants", "message"),
    [
        (-1, [Claimant("a", 1)], "negative"),
        (10, [], "nobody"),
        (10, [Claimant("a", 0), Claimant("b", 0)], "zero"),
        (10, [Claimant("a", 1), Claimant("a", 2)], "twice"),
        (10, [Claimant("a", -1), Claimant("b", 2)], "Negative weight"),
        (10.0, [Claimant("a", 1)], "whole number"),
    ],
)
def test_bad_input_is_refused(total, claimants, message):
    with pytest.raises(ApportionmentError, match=message):
        apportion(total, claimants)
