# ruff: noqa: F811 - the fixtures imported from payment_fixtures
"""Incoming payments under concurrency (real PostgreSQL transactions in
threads): the same file imported twice at once, two overlapping files at
once, two payments to one invoice at once. One service is paused inside its
transaction; the other must wait for it and then come out right."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from fordela.recovery.models import BgMaxImport, IncomingPayment, InvoiceStatus
from fordela.recovery.services import payments
from tests.recovery.bgmax_files import bgmax_file, deposit, payment
from tests.recovery.payment_fixtures import ekonomi, make_invoice, today  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)
BG = "55555551"


class Paused:
    """``target`` in a thread that stops where the service first applies a
    payment to an invoice (inside its transaction) until ``release()``."""

    def __init__(self, target):
        self.reached, self.go = threading.Event(), threading.Event()
        self.outcome = None
        self.thread = threading.Thread(target=self._run, args=(target,))

    def _run(self, target):
        translation.activate("en")
        try:
            self.outcome = target()
        except Exception as error:
            self.outcome = error
        finally:
            connection.close()

    def start(self):
        self.thread.start()
        return self

    def release(self):
        self.go.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive()


@pytest.fixture
def pause_first(monkeypatch):
    """``pause_first(target)``: run ``target`` in a thread paused at its
    first invoice application; returns it once it is there."""
    original = payments._apply_to_invoice
    holder = {}

    def paused_apply(*args, **kwargs):
        result = original(*args, **kwargs)
        waiting = holder.get("paused")
        if (
            waiting
            and threading.current_thread() is waiting.thread
            and not waiting.reached.is_set()
        ):
            waiting.reached.set()
            assert waiting.go.wait(timeout=30)
        return result

    monkeypatch.setattr(payments, "_apply_to_invoice", paused_apply)

    def start(target) -> Paused:
        holder["paused"] = Paused(target)
        holder["paused"].start()
        assert holder["paused"].reached.wait(timeout=30)
        return holder["paused"]

    return start


def _second(target) -> Paused:
    """``target`` in a thread that is still waiting (for a lock) a second on."""
    second = Paused(target).start()
    second.thread.join(timeout=1)
    assert second.thread.is_alive(), "the second service did not wait for the first"
    return second


def test_the_same_file_imported_twice_at_once_registers_once(ekonomi, make_invoice, pause_first):
    invoice = make_invoice(10_000)
    content = bgmax_file([deposit(BG, [payment(invoice.ocr, 4_000_00, 1)])])
    first = pause_first(lambda: payments.import_bgmax(ekonomi, "a.txt", content))
    second = _second(lambda: payments.import_bgmax(ekonomi, "b.txt", content))
    first.release()
    second.release()
    assert isinstance(first.outcome, BgMaxImport)
    assert isinstance(second.outcome, ValidationError)
    assert "already been imported" in second.outcome.message_dict["file"][0]
    invoice.refresh_from_db()
    assert invoice.paid_sek == 4_000 and IncomingPayment.objects.count() == 1
    assert BgMaxImport.objects.count() == 1


def test_two_overlapping_files_at_once_register_each_payment_once(
    ekonomi, make_invoice, pause_first
):
    invoice, other = make_invoice(10_000), make_invoice(10_000)
    shared = payment(invoice.ocr, 4_000_00, 7)
    one = bgmax_file([deposit(BG, [shared, payment(other.ocr, 1_000_00, 8)])])
    two = bgmax_file(
        [deposit(BG, [payment(other.ocr, 2_000_00, 6), shared])],
        written_at=datetime.datetime(2022, 6, 15, 9, 0),
    )
    first = pause_first(lambda: payments.import_bgmax(ekonomi, "a.txt", one))
    second = _second(lambda: payments.import_bgmax(ekonomi, "b.txt", two))
    first.release()
    second.release()
    assert isinstance(first.outcome, BgMaxImport), first.outcome
    assert isinstance(second.outcome, BgMaxImport), second.outcome
    assert [s["bgc_serial"] for s in second.outcome.skipped] == [shared.serial]
    assert IncomingPayment.objects.filter(bgc_serial=shared.serial).count() == 1
    invoice.refresh_from_db()
    other.refresh_from_db()
    assert invoice.paid_sek == 4_000 and other.paid_sek == 3_000


def test_two_payments_to_one_invoice_at_once_add_up(ekonomi, make_invoice, pause_first):
    invoice = make_invoice(10_000)

    def pay(amount):
        return lambda: payments.register_payment(
            ekonomi, reference=invoice.ocr, amount_sek=amount, paid_on=datetime.date(2022, 6, 14)
        )

    first = pause_first(pay(6_000))
    second = _second(pay(6_000))
    first.release()
    second.release()
    invoice.refresh_from_db()
    assert invoice.paid_sek == 10_000 and invoice.status == InvoiceStatus.PAID
    assert first.outcome.applied_sek == 6_000
    assert (second.outcome.applied_sek, second.outcome.excess_sek) == (4_000, 2_000)


def test_a_resolution_waits_for_an_import_on_the_same_invoice(ekonomi, make_invoice, pause_first):
    invoice = make_invoice(10_000)
    queued = payments.register_payment(
        ekonomi, reference="", amount_sek=7_000, paid_on=datetime.date(2022, 6, 14)
    )
    content = bgmax_file([deposit(BG, [payment(invoice.ocr, 6_000_00, 1)])])
    first = pause_first(lambda: payments.import_bgmax(ekonomi, "a.txt", content))
    second = _second(
        lambda: payments.resolve_payment(ekonomi, queued.pk, action="apply", invoice=invoice.pk)
    )
    first.release()
    second.release()
    invoice.refresh_from_db()
    assert invoice.paid_sek == 10_000
    assert second.outcome.applied_sek == 4_000 and second.outcome.excess_sek == 3_000
