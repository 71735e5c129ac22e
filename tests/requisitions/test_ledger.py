"""The pool ledger balances to the krona through a whole round: random
requisitions, opt-ins, redistribution and payments."""

import datetime

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fordela.payments import services as payments
from fordela.payments.models import Payable, PayableStatus
from fordela.requisitions import services
from fordela.requisitions.ledger import pool_ledger

from .conftest import filled

OMBUD = ("ombud", "ombud_b", "ombud_f", "ombud_g")

# Per organisation: nothing, a draft, or a submission of a fraction of the
# allocation (1.0 = full) with or without opting in.
choice = st.one_of(
    st.just(("none", 0.0, False)),
    st.just(("draft", 1.0, False)),
    st.tuples(st.just("submit"), st.sampled_from([0.0, 0.5, 0.99, 1.0]), st.booleans()),
)


class Rollback(Exception):
    pass


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    choices=st.lists(choice, min_size=4, max_size=4),
    redistribute=st.booleans(),
    batches=st.lists(st.sampled_from(["pay", "approve", "cancel", "leave"]), max_size=3),
)
def test_whole_round_balances_to_the_krona(round_, clock_at, choices, redistribute, batches):
    try:
        with transaction.atomic():
            _play(round_, clock_at, choices, redistribute, batches)
            raise Rollback
    except Rollback:
        pass


def _play(round_, clock_at, choices, redistribute, batches):
    clock_at("2021-09-15T10:00")
    requisitioned = 0
    eligible = False
    for index, (what, fraction, opt_in) in enumerate(choices):
        if what == "none":
            continue
        org = round_.organisations[index]
        user = round_.users[OMBUD[index]]
        draft = services.start_requisition(user, org, round_.pool)
        if what == "draft":
            continue
        allocation = round_.allocation(org)
        amount = max(1, int(allocation * fraction))
        full = amount == allocation
        services.submit_requisition(
            user, draft, filled(amount_sek=amount, wants_redistribution=opt_in and full)
        )
        requisitioned += amount
        eligible = eligible or (opt_in and full)
    not_requisitioned = 5_000_000 - requisitioned

    clock_at("2021-10-04T09:00")
    if redistribute:
        services.confirm_redistribution(round_.users["handlaggare"], round_.pool)
    redistributed = not_requisitioned if redistribute and eligible else 0
    unallocated = not_requisitioned if redistribute and not eligible else 0

    paid = 0
    for day, action in enumerate(batches, start=10):
        if not Payable.objects.filter(status=PayableStatus.OPEN).exists():
            break
        batch = payments.create_batch(round_.users["ekonomi"], datetime.date(2021, 10, day)).batch
        if action in ("pay", "approve"):
            payments.approve_batch(round_.users["ekonomi2"], batch)
        if action == "pay":
            clock_at(f"2021-10-{day}T15:00")  # paid on its payment date
            payments.confirm_batch_paid(round_.users["ekonomi"], batch)
            paid += batch.total_sek
        if action == "cancel":
            payments.cancel_batch(round_.users["ekonomi"], batch)

    ledger = pool_ledger(round_.pool)
    assert ledger.problems == []
    assert ledger.allocated_sek == 5_000_000
    assert ledger.requisitioned_sek == requisitioned
    assert ledger.not_requisitioned_sek == not_requisitioned
    assert ledger.redistributed_sek == redistributed
    assert ledger.unallocated_sek == unallocated
    assert ledger.pending_sek == (0 if redistribute else not_requisitioned)
    assert ledger.payable_sek == requisitioned + redistributed
    assert ledger.paid_sek == paid
    assert ledger.unpaid_sek == requisitioned + redistributed - paid
