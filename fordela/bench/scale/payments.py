"""A synthetic programme's payables and the batches that pay them: one a
month on the 20th up to the demo's day, all paid (the one of 20 June 2021
first made and cancelled, then made again); then one approved on 9 June
2022 for 20 June, not yet paid. What arrives later is still open."""

import bisect
import datetime
from collections import defaultdict

from fordela.audit.actions import AuditAction
from fordela.payments.models import (
    BatchStatus,
    Payable,
    PayableSource,
    PayableStatus,
    PaymentBatch,
    PaymentBatchItem,
)
from fordela.requisitions.models import RequisitionStatus

from .common import BATCH_SIZE, TODAY, YEARS, Book, D, bulk_create_by_month, moment, status

PAID_BATCH_DAYS = [
    D(year, month, 20) for year in YEARS for month in range(1, 13) if D(year, month, 20) < TODAY
]
APPROVED_BATCH_MADE = D(2022, 6, 9)
APPROVED_BATCH_PAYS = D(2022, 6, 20)
CANCELLED_BATCH_DAY = D(2021, 6, 20)


def batch_day(received_on: D) -> D | None:
    """The payment date of the batch that pays what was received on
    ``received_on`` (None: still open on the demo's day)."""
    index = bisect.bisect_right(PAID_BATCH_DAYS, received_on)
    if index < len(PAID_BATCH_DAYS):
        return PAID_BATCH_DAYS[index]
    return APPROVED_BATCH_PAYS if received_on < APPROVED_BATCH_MADE else None


def paid_by_today(received_on: D) -> bool:
    day = batch_day(received_on)
    return day is not None and day <= PAID_BATCH_DAYS[-1]


def write_payments(book: Book) -> None:
    """The book's payables, each in the batch of its day (or open), with the
    batches, their items and the audit events of both."""
    by_day = defaultdict(list)
    for payable, requisition in book.payables:
        by_day[batch_day(payable.received_on)].append((payable, requisition))
    days = sorted(day for day in by_day if day is not None)
    taken = defaultdict(int)  # batches already paid on each day (the demo's)
    for day in PaymentBatch.objects.filter(payment_date__in=days).values_list(
        "payment_date", flat=True
    ):
        taken[day] += 1
    batches = []  # (batch, its payables, released)
    for day in days:
        rows = sorted(by_day[day], key=lambda row: (row[0].due_on, row[0].received_on))
        if day == CANCELLED_BATCH_DAY:
            batches.append((_batch(book, day, 8, rows, BatchStatus.CANCELLED, taken), rows, True))
        state = BatchStatus.APPROVED if day == APPROVED_BATCH_PAYS else BatchStatus.PAID
        batches.append((_batch(book, day, 9, rows, state, taken), rows, False))
    PaymentBatch.objects.bulk_create([batch for batch, _rows, _released in batches])
    for batch, rows, released in batches:
        if released:
            continue
        for payable, _requisition in rows:
            if batch.status == BatchStatus.PAID:
                payable.status = PayableStatus.PAID
                payable.paid_on, payable.paid_batch = batch.payment_date, batch
            else:
                payable.status = PayableStatus.BATCHED
    payables = [payable for payable, _requisition in book.payables]
    bulk_create_by_month(Payable, payables, lambda p: p.received_on)
    PaymentBatchItem.objects.bulk_create(
        [
            PaymentBatchItem(batch=batch, payable=p, amount_sek=p.amount_sek, released=released)
            for batch, rows, released in batches
            for p, _requisition in rows
        ],
        batch_size=BATCH_SIZE,
    )
    for payable in payables:
        after = {"amount_sek": payable.amount_sek, "due_on": payable.due_on.isoformat()}
        book.audit.add(payable, payable.when, "system", AuditAction.PAYABLE_CREATED, after=after)
    for batch, rows, released in batches:
        _batch_events(book, batch, rows, released)


def _batch(book: Book, day: D, hour: int, rows, state: str, taken: dict) -> PaymentBatch:
    """A batch as ``create_batch`` makes it and the other services move it
    along: made and approved in the morning, confirmed paid in the afternoon."""
    world = book.world
    taken[day] += 1
    made = moment(APPROVED_BATCH_MADE if state == BatchStatus.APPROVED else day, hour)
    approved = state in (BatchStatus.APPROVED, BatchStatus.PAID)
    return PaymentBatch(
        reference=f"FRD-{day:%Y%m%d}-{taken[day]:03d}",
        payment_date=day,
        status=state,
        total_sek=sum(payable.amount_sek for payable, _requisition in rows),
        item_count=len(rows),
        created_at=made,
        created_by=world.ekonomi,
        approved_at=made + datetime.timedelta(minutes=5) if approved else None,
        approved_by=world.approver if approved else None,
        confirmed_at=moment(day, 15) if state == BatchStatus.PAID else None,
        confirmed_by=world.ekonomi if state == BatchStatus.PAID else None,
    )


def _batch_events(book: Book, batch: PaymentBatch, rows, released: bool) -> None:
    world, made, event = book.world, batch.created_at, book.audit.on(batch)
    created = {
        "payment_date": batch.payment_date.isoformat(),
        "total_sek": batch.total_sek,
        "payables": [payable.pk for payable, _requisition in rows],
    }
    event(made, world.ekonomi, AuditAction.PAYMENT_BATCH_CREATED, after=created)
    if released:
        cancelled = status(BatchStatus.CREATED, BatchStatus.CANCELLED)
        later = made + datetime.timedelta(minutes=30)
        event(later, world.ekonomi, AuditAction.PAYMENT_BATCH_CANCELLED, **cancelled)
        return
    approved = status(BatchStatus.CREATED, BatchStatus.APPROVED)
    event(batch.approved_at, world.approver, AuditAction.PAYMENT_BATCH_APPROVED, **approved)
    exported = {"format": "pain001", "payments": batch.item_count, "total_sek": batch.total_sek}
    event(batch.approved_at, world.ekonomi, AuditAction.PAYMENT_BATCH_EXPORTED, after=exported)
    if batch.status != BatchStatus.PAID:
        return
    paid = status(RequisitionStatus.SUBMITTED, RequisitionStatus.PAID, batch=batch.reference)
    for payable, requisition in rows:
        if payable.source == PayableSource.REQUISITION:
            book.audit.add(
                requisition, batch.confirmed_at, world.ekonomi, AuditAction.REQUISITION_PAID, **paid
            )
    confirmed = status(BatchStatus.APPROVED, BatchStatus.PAID)
    event(batch.confirmed_at, world.ekonomi, AuditAction.PAYMENT_BATCH_PAID, **confirmed)
