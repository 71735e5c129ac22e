"""One clock for "today", movable by the FORDELA_TODAY setting."""

import datetime

from fordela.core import clock

D = datetime.date


def test_fordela_today_moves_the_date(settings):
    settings.FORDELA_TODAY = "2022-06-15"
    assert clock.today() == D(2022, 6, 15)
    assert clock.now().tzinfo is not None


def test_fixed_moment(settings):
    settings.FORDELA_TODAY = "2021-10-01T23:59"
    assert clock.now() == datetime.datetime(2021, 10, 1, 23, 59, tzinfo=clock.STOCKHOLM)


def test_deadline_is_end_of_day_in_stockholm(settings):
    settings.FORDELA_TODAY = "2021-10-01T23:59:59"
    assert not clock.is_past(D(2021, 10, 1))
    settings.FORDELA_TODAY = "2021-10-02T00:00:00"
    assert clock.is_past(D(2021, 10, 1))


def test_late_evening_utc_is_next_day_in_stockholm(settings):
    moment = datetime.datetime(2021, 10, 1, 22, 30, tzinfo=datetime.UTC)  # 00:30 in Stockholm
    assert clock.is_past(D(2021, 10, 1), moment)


def test_without_override_today_is_real(settings):
    settings.FORDELA_TODAY = None
    assert abs((clock.now() - datetime.datetime.now(datetime.UTC)).total_seconds()) < 5
