"""The web process starts with the payment calendar worked out."""

import importlib

from fordela.payments import working_days


def test_the_web_process_works_out_this_years_holidays_at_start():
    working_days._closed_days.cache_clear()
    working_days.payment_due_date.cache_clear()
    import fordela.wsgi

    importlib.reload(fordela.wsgi)
    assert working_days._closed_days.cache_info().currsize >= 1
    assert working_days.payment_due_date.cache_info().currsize == 1
