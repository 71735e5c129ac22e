"""A paid round of four kommuner for the property tests: every kommun of the
requisitions tests' top-up pool requisitions (Ale its full allocation with
redistribution, the others part of theirs), the redistribution is confirmed
and everything is paid. The clock stands on 10 January 2022, before the
2021 report period opens; the tests open it inside each example."""

import datetime

import pytest
from django.core import mail

from fordela.access.models import StaffRole
from fordela.payments import services as payments
from fordela.requisitions import services as requisitions
from tests.requisitions.conftest import filled, staff

OMBUD = ("ombud", "ombud_b", "ombud_f", "ombud_g")


@pytest.fixture
def paid_four(round_, clock_at, report_form):
    round_.users["beslutsfattare"] = staff(StaffRole.BESLUTSFATTARE, "beslutsfattare")
    round_.pool.report_due = datetime.date(2022, 3, 31)
    round_.pool.save(update_fields=["report_due"])
    for index, (org, user) in enumerate(zip(round_.organisations, OMBUD, strict=True)):
        allocation = round_.allocation(org)
        amount = allocation if index == 0 else allocation - 1_000 * index
        draft = requisitions.start_requisition(round_.users[user], org, round_.pool)
        requisitions.submit_requisition(
            round_.users[user],
            draft,
            filled(
                amount_sek=amount,
                wants_redistribution=index == 0,
                contact_email=f"{user}@example.se",
            ),
        )
    clock_at("2021-10-04T09:00")
    requisitions.confirm_redistribution(round_.users["handlaggare"], round_.pool)
    batch = payments.create_batch(round_.users["ekonomi"], datetime.date(2021, 10, 11)).batch
    payments.approve_batch(round_.users["ekonomi2"], batch)
    clock_at("2021-10-11T15:00")
    payments.confirm_batch_paid(round_.users["ekonomi"], batch)
    clock_at("2022-01-10T09:00")
    mail.outbox.clear()
    return round_
