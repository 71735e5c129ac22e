"""Swedish working days and the payment due date (decisions.md 6).

Pure: no Django. Non-working days are Saturdays, Sundays, the statutory
holidays and the de facto holidays julafton, midsommarafton and nyårsafton
(``holidays.SE`` with the PUBLIC and DE_FACTO categories).
"""

import datetime
from functools import lru_cache

import holidays
from holidays.constants import DE_FACTO, PUBLIC

PAYMENT_WORKING_DAYS = 30


@lru_cache(maxsize=64)
def _closed_days(year: int) -> frozenset[datetime.date]:
    calendar = holidays.SE(years=year, categories=(PUBLIC, DE_FACTO))
    return frozenset(calendar)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _closed_days(day.year)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The ``count``-th working day after ``start`` (``start`` itself is not
    counted, whether or not it is a working day)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    remaining = count
    while remaining:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


@lru_cache(maxsize=512)
def payment_due_date(received: datetime.date, days: int = PAYMENT_WORKING_DAYS) -> datetime.date:
    """Due date of a payment: day 1 is the first working day after receipt,
    the due date is working day ``days``. (Cached: a day's submissions all
    ask the same question.)"""
    return add_working_days(received, days)
