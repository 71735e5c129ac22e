"""Swedish working days and the payment due date (decisions.md 6)."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from fordela.payments.working_days import add_working_days, is_working_day, payment_due_date

D = datetime.date


def test_due_date_30_working_days_after_1_october_2021_is_12_november():
    assert payment_due_date(D(2021, 10, 1)) == D(2021, 11, 12)


def test_julafton_and_nyarsafton_are_not_working_days_so_december_receipt_is_due_17_january():
    assert payment_due_date(D(2021, 12, 1)) == D(2022, 1, 17)


def test_midsommarafton_julafton_nyarsafton_are_closed():
    for day in (D(2021, 6, 25), D(2021, 12, 24), D(2021, 12, 31)):
        assert not is_working_day(day)


def test_receipt_on_a_saturday_counts_from_monday():
    # 2021-10-02 is a Saturday: day 1 is Monday 4 October.
    assert add_working_days(D(2021, 10, 2), 1) == D(2021, 10, 4)


@given(st.dates(D(2020, 1, 1), D(2030, 12, 31)), st.integers(1, 60))
def test_due_date_is_a_working_day_with_exactly_n_working_days_in_between(start, n):
    due = add_working_days(start, n)
    assert is_working_day(due)
    days = [start + datetime.timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert sum(is_working_day(day) for day in days) == n
