"""Two services that lock the same rows take them in one order (PostgreSQL,
real transactions): the second waits for the first instead of deadlocking.
Each test pauses one service inside its transaction, starts the other,
checks that it waits, and lets the first finish."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import translation

from fordela.allocation import services as allocation
from fordela.allocation.models import KeyStatus
from fordela.audit.actions import AuditAction
from fordela.payments import services as payments
from fordela.payments.models import PayableStatus
from fordela.requisitions import services as requisitions
from fordela.requisitions.models import RequisitionStatus
from tests.factories import OrganisationFactory, PoolFactory, PopulationFactory
from tests.requisitions.conftest import clock_at, english, filled, round_  # noqa: F401 - fixtures


class Paused:
    """Runs ``target`` in a thread that stops where ``pause()`` is called
    until ``release()``; its result or exception is kept."""

    def __init__(self, target):
        self.reached, self.go = threading.Event(), threading.Event()
        self.outcome = None
        self.thread = threading.Thread(target=self._run, args=(target,))

    def _run(self, target):
        translation.activate("en")  # threads start without the test's language
        try:
            self.outcome = target()
        except Exception as error:
            self.outcome = error
        finally:
            connection.close()

    def pause(self):
        self.reached.set()
        assert self.go.wait(timeout=30)

    def start(self):
        self.thread.start()
        return self

    def release(self):
        self.go.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive()


def waits(target) -> Paused:
    """``target`` in a thread that is still waiting (for a lock) a second
    after it started."""
    waiter = Paused(target).start()
    waiter.thread.join(timeout=1)
    assert waiter.thread.is_alive()
    return waiter


@pytest.mark.django_db(transaction=True)
def test_a_key_published_while_it_is_recomputed_waits_for_the_new_allocations(monkeypatch):
    # compute_key holds the pool and has not yet rewritten the key; a
    # freeze_key that locked the key and then waited for the pool would
    # deadlock with it. freeze_key takes the pool first and publishes what
    # the recomputation left.
    for code, population in [("0001", 100), ("0002", 300)]:
        PopulationFactory(
            organisation=OrganisationFactory(municipality_code=code),
            reference_date=datetime.date(2020, 12, 31),
            population=population,
        )
    pool = PoolFactory(amount_sek=1_000, programme_year__year=2021)
    key = allocation.compute_key(pool, actor="tests")
    pool.amount_sek = 2_000
    pool.save()
    real_apportion = allocation.apportion

    def paused_apportion(*args):
        computer.pause()
        return real_apportion(*args)

    monkeypatch.setattr(allocation, "apportion", paused_apportion)
    computer = Paused(lambda: allocation.compute_key(pool, actor="tests")).start()
    assert computer.reached.wait(timeout=30)
    freezer = waits(lambda: allocation.freeze_key(key, actor="tests"))
    computer.release()
    freezer.thread.join(timeout=30)
    assert not isinstance(computer.outcome, Exception), computer.outcome
    assert not isinstance(freezer.outcome, Exception), freezer.outcome
    key.refresh_from_db()
    assert key.status == KeyStatus.FROZEN and key.amount_sek == 2_000
    assert allocation.reconcile_key(key) == []


@pytest.mark.django_db(transaction=True)
def test_a_batch_confirmed_paid_during_a_redistribution_waits_instead_of_deadlocking(
    round_,  # noqa: F811
    clock_at,  # noqa: F811
    monkeypatch,
):
    # Both lock the pool's requisitions, the redistribution in pk order. The
    # batch's payables come in another order (the later requisition was
    # submitted first), so confirming the batch paid locks the requisitions
    # behind them in pk order too, before it marks any paid.
    first = requisitions.start_requisition(round_.users["ombud"], round_.ale, round_.pool)
    second = requisitions.start_requisition(
        round_.users["ombud_b"], round_.organisations[1], round_.pool
    )
    requisitions.submit_requisition(round_.users["ombud_b"], second, filled())
    requisitions.submit_requisition(round_.users["ombud"], first, filled())
    batch = payments.create_batch(round_.users["ekonomi"], datetime.date(2021, 10, 20)).batch
    batch = payments.approve_batch(round_.users["ekonomi2"], batch)
    clock_at("2021-10-20T15:00")  # the payment date, after the pool's last day
    real_record = payments.record

    def paused_record(actor, action, obj, **values):
        event = real_record(actor, action, obj, **values)
        if action == AuditAction.REQUISITION_PAID and not confirmer.reached.is_set():
            confirmer.pause()  # one requisition marked paid, one to go
        return event

    monkeypatch.setattr(payments, "record", paused_record)
    confirmer = Paused(lambda: payments.confirm_batch_paid(round_.users["ekonomi"], batch))
    confirmer.start()
    assert confirmer.reached.wait(timeout=30)
    redistributor = waits(
        lambda: requisitions.confirm_redistribution(round_.users["handlaggare"], round_.pool)
    )
    confirmer.release()
    redistributor.thread.join(timeout=30)
    assert not isinstance(confirmer.outcome, Exception), confirmer.outcome
    assert not isinstance(redistributor.outcome, Exception), redistributor.outcome
    for requisition in (first, second):
        requisition.refresh_from_db()
        assert requisition.status == RequisitionStatus.PAID
        assert requisition.payables.get().status == PayableStatus.PAID
    assert redistributor.outcome.requisitioned_sek == round_.allocation(round_.ale) + (
        round_.allocation(round_.organisations[1])
    )
