"""State changes of payables and payment batches.

Never pay twice: every change locks the rows it touches
(``select_for_update``) and re-checks their status inside the transaction,
and the database backs that up (a payable is in at most one live batch item;
a paid payable has its batch and date). A crash half-way rolls the whole
change back, so a retry starts from a consistent state.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fordela.access.permissions import StaffAction, require_staff
from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock, states
from fordela.requisitions.models import REQUISITION_TRANSITIONS, Requisition, RequisitionStatus

from . import bankgiro, exports
from .models import (
    BATCH_TRANSITIONS,
    PAYABLE_TRANSITIONS,
    BatchStatus,
    Payable,
    PayableStatus,
    PaymentBatch,
    PaymentBatchItem,
)
from .working_days import payment_due_date


def _require_ekonomi(user) -> None:
    require_staff(user, StaffAction.MANAGE_PAYMENTS)


def _move_batch(batch: PaymentBatch, target: str) -> None:
    refusal = _("Not possible: the payment batch is %(status)s.")
    states.move(batch, target, BATCH_TRANSITIONS, refusal)


def _move_payable(payable: Payable, target: str) -> None:
    refusal = _("Not possible: the payment is %(status)s.")
    states.move(payable, target, PAYABLE_TRANSITIONS, refusal)


def create_payable(
    *,
    source: str,
    reference: str,
    organisation,
    pool,
    case_number: str,
    amount_sek: int,
    bank_giro: str,
    received_on: datetime.date,
    requisition=None,
    redistribution_share=None,
) -> Payable:
    """Record that the agency owes ``amount_sek``, inside the caller's
    transaction, with its audit event. It is due 30 working days after
    receipt."""
    payable = Payable.objects.create(
        source=source,
        reference=reference,
        organisation=organisation,
        pool=pool,
        case_number=case_number,
        amount_sek=amount_sek,
        bank_giro=bank_giro,
        received_on=received_on,
        due_on=payment_due_date(received_on),
        requisition=requisition,
        redistribution_share=redistribution_share,
    )
    record(
        "system",
        AuditAction.PAYABLE_CREATED,
        payable,
        after={"amount_sek": payable.amount_sek, "due_on": payable.due_on.isoformat()},
    )
    return payable


def is_agency_bank_giro(number: str) -> bool:
    """Is ``number`` the agency's own bank giro (``FORDELA_AGENCY_BANKGIRO``),
    however it is written? The agency never pays itself."""
    own = bankgiro.normalise(settings.FORDELA_AGENCY_BANKGIRO)
    return bool(own) and bankgiro.normalise(number) == own


def open_payables():
    """The open payables, in the order of their partial index (due date, id)."""
    return (
        Payable.objects.filter(status=PayableStatus.OPEN)
        .select_related("organisation")
        .order_by("due_on", "id")
    )


class OpenTotals(NamedTuple):
    count: int
    total_sek: int
    due_soon: int  # due on or before the day asked about, overdue ones too


def open_totals(due_by: datetime.date) -> OpenTotals:
    """How many payables are open, what they add up to and how many of them
    are due by ``due_by``: one aggregate query."""
    totals = Payable.objects.filter(status=PayableStatus.OPEN).aggregate(
        count=Count("id"),
        total_sek=Sum("amount_sek", default=0),
        due_soon=Count("id", filter=Q(due_on__lte=due_by)),
    )
    return OpenTotals(**totals)


@dataclass(frozen=True)
class BatchResult:
    batch: PaymentBatch
    late: list[Payable]  # due before the batch's payment date

    @property
    def warnings(self) -> list[str]:
        return [late_warning(payable) for payable in self.late]


def late_warning(payable: Payable) -> str:
    return _("%(case)s %(name)s was due on %(due)s, before the payment date.") % {
        "case": payable.case_number,
        "name": payable.organisation.name,
        "due": date_format(payable.due_on, "j F Y"),
    }


def latest_payment_date(today: datetime.date) -> datetime.date:
    """One year after ``today`` (28 February for 29 February): the latest
    payment date a batch may have."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def _check_payment_date(payment_date: datetime.date) -> None:
    today = clock.today()
    if payment_date < today:
        raise ValidationError(_("The payment date cannot be in the past."))
    latest = latest_payment_date(today)
    if payment_date > latest:
        raise ValidationError(
            _("The payment date can be at most one year ahead, at the latest %(date)s.")
            % {"date": date_format(latest, "j F Y")}
        )


def _next_batch_reference(payment_date: datetime.date) -> str:
    count = PaymentBatch.objects.filter(payment_date=payment_date).count()
    while True:
        count += 1
        reference = f"FRD-{payment_date:%Y%m%d}-{count:03d}"
        if not PaymentBatch.objects.filter(reference=reference).exists():
            return reference


def create_batch(
    user, payment_date: datetime.date, payable_ids: list[int] | None = None
) -> BatchResult:
    """Put every open payable (or the chosen ones) into a new batch paid on
    ``payment_date`` (ekonomi). Payables due before that date are returned as
    warnings: they will be paid late.

    A constant number of queries however many payables: the open payables are
    locked in id order (the order ``confirm_batch_paid`` and ``cancel_batch``
    lock them in), the batch's items are one bulk insert and the payables'
    status one ``UPDATE``. A second batch created at the same time waits for
    the locks and then finds these payables no longer open."""
    _require_ekonomi(user)
    _check_payment_date(payment_date)
    with transaction.atomic():
        payables = Payable.objects.select_for_update(of=("self",)).filter(status=PayableStatus.OPEN)
        if payable_ids is not None:
            payables = payables.filter(pk__in=payable_ids)
        payables = list(payables.select_related("organisation").order_by("id"))
        if not payables:
            raise ValidationError(_("There is nothing to pay."))
        batch = PaymentBatch.objects.create(
            reference=_next_batch_reference(payment_date),
            payment_date=payment_date,
            total_sek=sum(p.amount_sek for p in payables),
            item_count=len(payables),
            created_at=clock.now(),
            created_by=user,
        )
        PaymentBatchItem.objects.bulk_create(
            PaymentBatchItem(batch=batch, payable=payable, amount_sek=payable.amount_sek)
            for payable in payables
        )
        _add_to_batch(batch, payables)
        record(
            user,
            AuditAction.PAYMENT_BATCH_CREATED,
            batch,
            after={
                "payment_date": payment_date.isoformat(),
                "total_sek": batch.total_sek,
                "payables": [p.pk for p in payables],
            },
        )
    late = sorted(
        (p for p in payables if p.due_on < payment_date), key=lambda p: (p.due_on, p.case_number)
    )
    return BatchResult(batch, late)


def _add_to_batch(batch: PaymentBatch, payables: list[Payable]) -> None:
    """Move the batch's locked payables from open to batched in one
    ``UPDATE``, which the transitions table allows. Were any of them no
    longer open, the count would differ from what was locked: the change is
    refused and the caller's transaction rolls back."""
    _require_transition(PayableStatus.OPEN, PayableStatus.BATCHED)
    in_batch = batch.items.filter(released=False).values("payable_id")
    moved = Payable.objects.filter(pk__in=in_batch, status=PayableStatus.OPEN).update(
        status=PayableStatus.BATCHED
    )
    if moved != len(payables):
        raise ValidationError(
            _("The payments changed while the batch was being created. Nothing was changed.")
        )
    for payable in payables:
        payable.status = PayableStatus.BATCHED


def _require_transition(current: str, target: str) -> None:
    """The transitions table's word on a bulk change of payables' status from
    ``current`` (each row's status is checked by the ``UPDATE`` itself)."""
    if target not in PAYABLE_TRANSITIONS[current]:
        raise ValidationError(
            _("Not possible: the payment is %(status)s.")
            % {"status": PayableStatus(current).label.lower()}
        )


def _lock_batch(batch: PaymentBatch) -> PaymentBatch:
    return PaymentBatch.objects.select_for_update().get(pk=batch.pk)


def approve_batch(user, batch: PaymentBatch) -> PaymentBatch:
    """Approve a batch (ekonomi; never the user who created it)."""
    _require_ekonomi(user)
    with transaction.atomic():
        batch = _lock_batch(batch)
        if batch.created_by_id == user.pk:
            raise ValidationError(
                _("A batch must be approved by someone other than the person who created it.")
            )
        before = {"status": batch.status}
        _move_batch(batch, BatchStatus.APPROVED)
        batch.approved_by = user
        batch.approved_at = clock.now()
        batch.save(update_fields=["status", "approved_by", "approved_at"])
        record(
            user,
            AuditAction.PAYMENT_BATCH_APPROVED,
            batch,
            before=before,
            after={"status": batch.status},
        )
    return batch


def _mark_paid(user, payable: Payable, batch: PaymentBatch) -> None:
    _move_payable(payable, PayableStatus.PAID)
    payable.paid_on = batch.payment_date
    payable.paid_batch = batch
    payable.save(update_fields=["status", "paid_on", "paid_batch"])
    if payable.requisition_id:
        _mark_requisition_paid(user, payable.requisition_id, batch)


def _mark_requisition_paid(user, requisition_id: int, batch: PaymentBatch) -> None:
    """The requisition behind a paid payable is paid (*utbetald*)."""
    requisition = Requisition.objects.select_for_update().get(pk=requisition_id)
    before = {"status": requisition.status}
    refusal = _("Not possible: a requisition in the batch is %(status)s.")
    states.move(requisition, RequisitionStatus.PAID, REQUISITION_TRANSITIONS, refusal)
    requisition.save(update_fields=["status", "updated_at"])
    record(
        user,
        AuditAction.REQUISITION_PAID,
        requisition,
        before=before,
        after={"status": requisition.status, "batch": batch.reference},
    )


def confirm_batch_paid(user, batch: PaymentBatch) -> PaymentBatch:
    """The bank has paid the batch: mark it and its payables paid (ekonomi).
    Confirming an already paid batch, or before the batch's payment date, is
    refused and changes nothing."""
    _require_ekonomi(user)
    with transaction.atomic():
        batch = _lock_batch(batch)
        before = {"status": batch.status}
        _move_batch(batch, BatchStatus.PAID)
        if clock.today() < batch.payment_date:
            raise ValidationError(
                _("The batch cannot be marked as paid before its payment date, %(date)s.")
                % {"date": date_format(batch.payment_date, "j F Y")}
            )
        items = list(batch.items.filter(released=False).values_list("payable_id", flat=True))
        payables = list(Payable.objects.select_for_update().filter(pk__in=items).order_by("id"))
        # The requisitions behind them in pk order, before any is marked paid:
        # confirm_redistribution locks a pool's requisitions in that order, so
        # the two at once wait for each other instead of deadlocking.
        requisition_ids = [p.requisition_id for p in payables if p.requisition_id]
        list(Requisition.objects.select_for_update().filter(pk__in=requisition_ids).order_by("pk"))
        for payable in payables:
            _mark_paid(user, payable, batch)
        batch.confirmed_by = user
        batch.confirmed_at = clock.now()
        batch.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        record(
            user,
            AuditAction.PAYMENT_BATCH_PAID,
            batch,
            before=before,
            after={"status": batch.status},
        )
    return batch


def cancel_batch(user, batch: PaymentBatch) -> PaymentBatch:
    """Cancel an unpaid batch; its payables can go into another batch. A
    constant number of queries: the payables are locked in id order and moved
    back to open with one ``UPDATE`` (refused, and rolled back, if any of them
    was no longer in the batch's state), the items released with another."""
    _require_ekonomi(user)
    with transaction.atomic():
        batch = _lock_batch(batch)
        before = {"status": batch.status}
        _move_batch(batch, BatchStatus.CANCELLED)
        items = batch.items.filter(released=False)
        in_batch = items.values("payable_id")
        locked = list(
            Payable.objects.select_for_update()
            .filter(pk__in=in_batch)
            .order_by("id")
            .values_list("id", flat=True)
        )
        _require_transition(PayableStatus.BATCHED, PayableStatus.OPEN)
        moved = Payable.objects.filter(pk__in=in_batch, status=PayableStatus.BATCHED).update(
            status=PayableStatus.OPEN
        )
        if moved != len(locked):
            raise ValidationError(
                _("Not possible: a payment in the batch is no longer awaiting payment.")
            )
        items.update(released=True)
        batch.save(update_fields=["status"])
        record(
            user,
            AuditAction.PAYMENT_BATCH_CANCELLED,
            batch,
            before=before,
            after={"status": batch.status},
        )
    return batch


class PaymentFile(NamedTuple):
    filename: str
    content_type: str
    content: bytes


PAIN001 = "pain001"  # ISO 20022 pain.001.001.03, for the bank
CSV = "csv"
EXPORT_FORMATS = (PAIN001, CSV)


def export_batch(user, batch: PaymentBatch, file_format: str) -> PaymentFile:
    """The payment file of an approved batch (ekonomi), in ``file_format``
    (``PAIN001`` or ``CSV``). Every download is audited with its format. A
    batch that is not approved (awaiting approval, cancelled, or already
    paid: sending its file again could pay twice) is refused."""
    _require_ekonomi(user)
    if file_format not in EXPORT_FORMATS:
        raise ValueError(f"Unknown payment file format: {file_format!r}")
    with transaction.atomic():
        batch = _lock_batch(batch)
        if batch.status != BatchStatus.APPROVED:
            raise ValidationError(
                _("Only an approved batch can be exported. This batch is %(status)s.")
                % {"status": batch.get_status_display().lower()}
            )
        if file_format == PAIN001:
            file = PaymentFile(
                f"{batch.reference}.xml", "application/xml", exports.pain001_bytes(batch)
            )
        else:
            file = PaymentFile(
                f"{batch.reference}.csv",
                "text/csv; charset=utf-8",
                exports.csv_text(batch).encode("utf-8"),
            )
        record(
            user,
            AuditAction.PAYMENT_BATCH_EXPORTED,
            batch,
            after={
                "format": file_format,
                "payments": batch.item_count,
                "total_sek": batch.total_sek,
            },
        )
    return file


def paid_total(pool) -> int:
    return (
        Payable.objects.filter(pool=pool, status=PayableStatus.PAID).aggregate(t=Sum("amount_sek"))[
            "t"
        ]
        or 0
    )
