"""seed_demo_rounds plays a whole round through the real services and is
idempotent."""

import io

from django.core.management import call_command

from fordela.payments import bankgiro
from fordela.payments.models import Payable, PayableStatus, PaymentBatch
from fordela.requisitions.demo import demo_bank_giro
from fordela.requisitions.ledger import pool_ledger
from fordela.requisitions.models import Redistribution, Requisition


def test_demo_round_is_complete_balanced_and_seeded_once(round_, clock_at):
    clock_at("")  # real time: the command sets its own days
    call_command("seed_demo_rounds", stdout=io.StringIO())
    assert Requisition.objects.filter(pool=round_.pool).exists()
    assert Redistribution.objects.filter(pool=round_.pool).exists()
    assert not Payable.objects.exclude(status=PayableStatus.PAID).exists()
    batches = PaymentBatch.objects.all()
    assert batches and all(b.approved_by_id != b.created_by_id for b in batches)
    assert pool_ledger(round_.pool).problems == []

    counts = (Requisition.objects.count(), Payable.objects.count(), batches.count())
    call_command("seed_demo_rounds", stdout=io.StringIO())
    assert (Requisition.objects.count(), Payable.objects.count(), batches.count()) == counts


def test_demo_bank_giros_are_valid(round_):
    for organisation in round_.organisations:
        assert bankgiro.is_valid(demo_bank_giro(organisation))
