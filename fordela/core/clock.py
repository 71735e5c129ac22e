"""The one place that knows what time it is.

Every "today" and "now" in Fördela comes from here, so the demo and tests can
move the clock with one setting: ``FORDELA_TODAY = "2022-06-15"`` (a date: the
wall-clock time of day is kept, on that date) or ``"2022-06-15T10:30"`` (a
fixed moment). Times are in Europe/Stockholm; a deadline is the end of its day
there (23:59:59.999999).
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _override() -> datetime.datetime | datetime.date | None:
    value = getattr(settings, "FORDELA_TODAY", None)
    if not value:
        return None
    if isinstance(value, datetime.datetime | datetime.date):
        return value
    text = str(value).strip()
    if "T" in text or " " in text:
        return datetime.datetime.fromisoformat(text)
    return datetime.date.fromisoformat(text)


def now() -> datetime.datetime:
    """The current moment, aware, in Europe/Stockholm."""
    real = timezone.now().astimezone(STOCKHOLM)
    fixed = _override()
    if fixed is None:
        return real
    if isinstance(fixed, datetime.datetime):
        return fixed.replace(tzinfo=STOCKHOLM) if fixed.tzinfo is None else fixed
    return datetime.datetime.combine(fixed, real.time(), tzinfo=STOCKHOLM)


def today() -> datetime.date:
    """Today's date in Europe/Stockholm."""
    return now().astimezone(STOCKHOLM).date()


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of ``day`` in Stockholm (a deadline)."""
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=STOCKHOLM)


def is_past(deadline: datetime.date, moment: datetime.datetime | None = None) -> bool:
    """Has the deadline day ended (in Stockholm) at ``moment`` (default now)?"""
    return (moment or now()) > end_of_day(deadline)


def local_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(STOCKHOLM).date()


class DateTimeField(models.DateTimeField):
    """Django's ``DateTimeField`` whose ``auto_now`` and ``auto_now_add`` take
    the time from this clock, so what the product stores (created, updated,
    audit times) agrees with what it shows in the demo's and the tests' world."""

    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)
