"""Two payment batches created at the same moment (PostgreSQL, real
transactions) never take the same payable: the second waits for the first's
locks and then finds those payables no longer open."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from fordela.payments import services
from fordela.payments.models import Payable, PayableStatus, PaymentBatch, PaymentBatchItem
from tests.test_lock_order import Paused, waits

from .test_bulk_batches import add_open_payables

D = datetime.date


def live_items_per_payable() -> dict[int, int]:
    counts: dict[int, int] = {}
    for payable_id in PaymentBatchItem.objects.filter(released=False).values_list(
        "payable_id", flat=True
    ):
        counts[payable_id] = counts.get(payable_id, 0) + 1
    return counts


@pytest.mark.django_db(transaction=True)
def test_two_batches_created_at_once_never_take_the_same_payable(round_):
    payables = add_open_payables(round_, 500)
    barrier = threading.Barrier(2)
    results, refusals = [], []

    def create(day):
        translation.activate("en")  # threads start without the test's language
        try:
            barrier.wait()
            results.append(services.create_batch(round_.users["ekonomi"], D(2021, 10, day)))
        except ValidationError as error:
            refusals.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(day,)) for day in (20, 21)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(results) + len(refusals) == 2
    assert all("nothing to pay" in str(refusal) for refusal in refusals)
    assert live_items_per_payable() == {p.pk: 1 for p in payables}
    assert sum(PaymentBatch.objects.values_list("item_count", flat=True)) == 500
    assert not Payable.objects.exclude(status=PayableStatus.BATCHED).exists()


@pytest.mark.django_db(transaction=True)
def test_a_batch_created_while_another_holds_the_payables_waits_and_takes_only_new_ones(
    round_, monkeypatch
):
    first_payables = add_open_payables(round_, 200)
    real_reference = services._next_batch_reference

    def paused_reference(payment_date):
        if not creator.reached.is_set():
            creator.pause()  # the open payables are locked, nothing written yet
        return real_reference(payment_date)

    monkeypatch.setattr(services, "_next_batch_reference", paused_reference)
    creator = Paused(lambda: services.create_batch(round_.users["ekonomi"], D(2021, 10, 20)))
    creator.start()
    assert creator.reached.wait(timeout=30)
    later = add_open_payables(round_, 3)  # open while the first batch is being made
    second = waits(lambda: services.create_batch(round_.users["ekonomi2"], D(2021, 10, 21)))
    creator.release()
    second.thread.join(timeout=30)
    assert not second.thread.is_alive()
    assert not isinstance(creator.outcome, Exception), creator.outcome
    assert not isinstance(second.outcome, Exception), second.outcome
    first_ids = set(creator.outcome.batch.items.values_list("payable_id", flat=True))
    second_ids = set(second.outcome.batch.items.values_list("payable_id", flat=True))
    assert first_ids == {p.pk for p in first_payables}
    assert second_ids == {p.pk for p in later}
    assert live_items_per_payable() == {p.pk: 1 for p in first_payables + later}
