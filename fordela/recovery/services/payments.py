"""Incoming payments (*inbetalningar*, issue 18 §4): registered by hand or
read from a BgMax file, matched to an open invoice on its OCR reference, the
rest to a queue that the ekonomi role resolves.

The rules (docs/recovery.md, "Incoming payments"):

- A payment matches when the digits of its reference pass Bankgirot's
  variable-length OCR check and are the OCR reference of an invoice. Of an
  open invoice it settles at most what is outstanding; the rest (an
  overpayment), a payment on a closed invoice and a payment that matches no
  invoice wait in the queue (status ``to_resolve``, with the reason).
- Money is whole kronor. An amount with öre is registered as its whole
  kronor; the öre are kept on the payment (``ore``), never applied, and the
  payment goes to the queue to be resolved (closed with a note).
- A BgMax file is refused whole (nothing registered) when it is not a valid
  BgMax file, was imported before (its SHA-256), is a test file, is for
  another bank giro than the agency's, holds a deduction (TK21), a payment
  dated after today or an amount above ``MAX_SEK``. A payment whose BGC
  serial number is registered already (an overlapping file) is skipped and
  reported; so is one under 1 krona.

Each function is one transaction: the staff matrix (REGISTER_PAYMENTS), the
invoices locked in primary-key order before any payment is written (so two
imports wait for each other instead of deadlocking), ``settle`` through the
invoice transitions, and an audit event.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fordela.access.permissions import StaffAction, require_staff
from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock
from fordela.core.cleaning import MAX_SEK
from fordela.core.formatting import kronor
from fordela.payments import bankgiro as bankgiro_numbers

from .. import bgmax, ocr
from ..models import (
    BgMaxImport,
    IncomingPayment,
    IncomingPaymentStatus,
    Invoice,
    PaymentSource,
    QueueReason,
)
from .invoices import settle

# A BgMax file of a day's payments is a few kilobytes; 5 MiB is some 65 000 records.
MAX_FILE_BYTES = 5 * 2**20
FILENAME_LIMIT = 200
NOTE_LIMIT = 2000
REFERENCE_LIMIT = 25
PAYER_LIMIT = 200
EARLIEST_PAYMENT = datetime.date(2000, 1, 1)

APPLY, REFUND, CLOSE = "apply", "refund", "close"
ACTIONS = (APPLY, REFUND, CLOSE)

# Why a BgMax payment was not registered (BgMaxImport.skipped[*]["reason"]).
SKIPPED_REGISTERED = "registered"
SKIPPED_BELOW_ONE_KRONA = "below_one_krona"


class AlreadyRegistered(ValidationError):
    """The same hand registration posted twice: ``payment`` is the first."""

    def __init__(self, payment: IncomingPayment):
        super().__init__(_("This payment has already been registered."), code="duplicate")
        self.payment = payment


# ------------------------------------------------------------------ matching


def ocr_digits(reference: str) -> str:
    return "".join(character for character in reference if "0" <= character <= "9")


def reference_problem(reference: str) -> str:
    """'' when the reference may be an invoice's OCR reference, else why not
    (a ``QueueReason``)."""
    digits = ocr_digits(reference)
    if not digits:
        return QueueReason.NO_REFERENCE
    if not ocr.passes_variable_length_check(digits):
        return QueueReason.BAD_REFERENCE
    return ""


@dataclass(frozen=True)
class Outcome:
    """What one payment does: how much it settles of which invoice, and its
    status and queue reason."""

    invoice: Invoice | None
    applied_sek: int
    status: str
    queue_reason: str


def outcome(amount_sek: int, ore: int, invoice: Invoice | None, problem: str) -> Outcome:
    """The rule of matching, for ``invoice`` (locked, its amounts current)."""
    if invoice is None:
        return Outcome(
            None, 0, IncomingPaymentStatus.TO_RESOLVE, problem or QueueReason.UNKNOWN_REFERENCE
        )
    if not invoice.is_open:
        return Outcome(invoice, 0, IncomingPaymentStatus.TO_RESOLVE, QueueReason.CLOSED_INVOICE)
    applied = min(amount_sek, invoice.outstanding_sek)
    if applied < amount_sek:
        return Outcome(invoice, applied, IncomingPaymentStatus.TO_RESOLVE, QueueReason.OVERPAID)
    if ore:
        return Outcome(invoice, applied, IncomingPaymentStatus.TO_RESOLVE, QueueReason.ORE)
    return Outcome(invoice, applied, IncomingPaymentStatus.MATCHED, "")


def _apply_to_invoice(user, invoice: Invoice, payment: IncomingPayment, applied: int) -> None:
    """``applied`` kronor of ``payment`` onto ``invoice`` (locked)."""
    if applied <= 0:
        return
    before = {"paid_sek": invoice.paid_sek, "status": invoice.status}
    invoice.paid_sek += applied
    settle(
        invoice,
        _("Invoice %(number)s cannot take a payment; it is %(status)s.")
        % {"number": invoice.number, "status": invoice.get_status_display().lower()},
    )
    invoice.save(update_fields=["paid_sek", "status", "updated_at"])
    record(
        user,
        AuditAction.INVOICE_PAYMENT_APPLIED,
        invoice,
        before=before,
        after={
            "paid_sek": invoice.paid_sek,
            "status": invoice.status,
            "applied_sek": applied,
            "payment": payment.pk,
            "outstanding_sek": invoice.outstanding_sek,
        },
    )


def _locked_invoices(references: list[str]) -> dict[str, Invoice]:
    """The invoices whose OCR references are among ``references``, locked in
    primary-key order, by OCR reference."""
    wanted = sorted({ocr_digits(r) for r in references if not reference_problem(r)})
    if not wanted:
        return {}
    invoices = Invoice.objects.select_for_update(of=("self",)).filter(ocr__in=wanted).order_by("pk")
    return {invoice.ocr: invoice for invoice in invoices}


def _payment_facts(payment: IncomingPayment) -> dict:
    return {
        "reference": payment.reference,
        "amount_sek": payment.amount_sek,
        "ore": payment.ore,
        "paid_on": payment.paid_on.isoformat(),
        "invoice": payment.invoice.number if payment.invoice_id else None,
        "applied_sek": payment.applied_sek,
        "refunded_sek": payment.refunded_sek,
        "status": payment.status,
        "queue_reason": payment.queue_reason,
    }


# ----------------------------------------------------------- by hand


def _clean_text(value: str | None, limit: int, field: str, label: str) -> str:
    text = " ".join((value or "").split())
    if len(text) > limit:
        raise ValidationError(
            {
                field: [
                    _("%(label)s: write at most %(limit)s characters (you wrote %(count)s).")
                    % {"label": label, "limit": limit, "count": len(text)}
                ]
            }
        )
    return text


def check_paid_on(paid_on: datetime.date | None, field: str = "paid_on") -> None:
    if paid_on is None:
        raise ValidationError({field: [_("Give the payment date.")]})
    if paid_on > clock.today():
        raise ValidationError(
            {
                field: [
                    _("The payment date cannot be after today: register a payment once it is made.")
                ]
            }
        )
    if paid_on < EARLIEST_PAYMENT:
        raise ValidationError({field: [_("The payment date cannot be before 2000.")]})


def register_payment(
    user,
    *,
    reference: str,
    amount_sek: int,
    paid_on: datetime.date,
    payer_name: str = "",
    submission_key: uuid.UUID | str | None = None,
) -> IncomingPayment:
    """Register a payment the bank reported other than in a BgMax file (a
    bank statement, a transfer): matched like a file's. ``submission_key``
    (the form's) makes a second post of the same form register nothing
    (``AlreadyRegistered``)."""
    require_staff(user, StaffAction.REGISTER_PAYMENTS)
    reference = _clean_text(reference, REFERENCE_LIMIT, "reference", _("Reference"))
    payer_name = _clean_text(payer_name, PAYER_LIMIT, "payer_name", _("Payer"))
    if isinstance(amount_sek, bool) or not isinstance(amount_sek, int):
        raise ValidationError({"amount_sek": [_("Enter the amount in whole kronor, digits only.")]})
    if amount_sek < 1:
        raise ValidationError({"amount_sek": [_("The amount must be at least 1 krona.")]})
    if amount_sek > MAX_SEK:
        raise ValidationError(
            {"amount_sek": [_("The amount can be at most %(max)s.") % {"max": kronor(MAX_SEK)}]}
        )
    check_paid_on(paid_on)
    key = uuid.UUID(str(submission_key)) if submission_key else None
    with transaction.atomic():
        invoice = _locked_invoices([reference]).get(ocr_digits(reference))
        if key:
            first = IncomingPayment.objects.filter(submission_key=key).first()
            if first:
                raise AlreadyRegistered(first)
        decided = outcome(amount_sek, 0, invoice, reference_problem(reference))
        try:
            with transaction.atomic():
                payment = IncomingPayment.objects.create(
                    source=PaymentSource.MANUAL,
                    reference=reference,
                    payer_name=payer_name,
                    paid_on=paid_on,
                    amount_sek=amount_sek,
                    invoice=decided.invoice,
                    applied_sek=decided.applied_sek,
                    status=decided.status,
                    queue_reason=decided.queue_reason,
                    submission_key=key,
                    registered_by=user,
                )
        except IntegrityError:
            # The same form, posted twice at once: the other post registered it.
            raise AlreadyRegistered(IncomingPayment.objects.get(submission_key=key)) from None
        if invoice:
            _apply_to_invoice(user, invoice, payment, decided.applied_sek)
        record(user, AuditAction.PAYMENT_REGISTERED, payment, after=_payment_facts(payment))
    return payment


# ------------------------------------------------------------------- BgMax


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _refuse(message: str):
    raise ValidationError({"file": [message]})


def _already_imported(found: BgMaxImport) -> str:
    return _("The file has already been imported on %(date)s by %(user)s (%(name)s).") % {
        "date": date_format(clock.local_date(found.imported_at), "j F Y"),
        "user": found.imported_by.get_full_name() or found.imported_by.get_username(),
        "name": found.filename,
    }


def read_file(content: bytes) -> bgmax.BgMaxFile:
    """The BgMax file, parsed and checked against the agency's rules (a
    ``ValidationError`` on the field ``file`` says what is wrong)."""
    if not content:
        _refuse(_("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        _refuse(
            _("The file is %(size)s MB; a BgMax file may be at most %(max)s MB.")
            % {"size": round(len(content) / 2**20, 1), "max": MAX_FILE_BYTES // 2**20}
        )
    try:
        parsed = bgmax.parse(content)
    except bgmax.BgMaxError as error:
        _refuse(str(error))
    if parsed.test:
        _refuse(_("The file is a test file from Bankgirot (marked T); it registers nothing."))
    if not parsed.payments:
        _refuse(_("The file holds no payments; nothing to import."))
    agency = bankgiro_numbers.normalise(settings.FORDELA_AGENCY_BANKGIRO)
    for deposit in parsed.deposits:
        if deposit.payee_bankgiro != agency:
            _refuse(
                _(
                    "Line %(line)s: the payments are to bank giro %(theirs)s, not the agency's "
                    "%(ours)s. Nothing was registered."
                )
                % {
                    "line": deposit.line,
                    "theirs": bankgiro_numbers.formatted(deposit.payee_bankgiro),
                    "ours": bankgiro_numbers.formatted(agency),
                }
            )
        if deposit.paid_on > clock.today():
            _refuse(
                _("Line %(line)s: the payment date %(date)s is after today.")
                % {"line": deposit.line, "date": deposit.paid_on.isoformat()}
            )
    seen: set[str] = set()
    for payment in parsed.payments:
        if payment.is_deduction:
            _refuse(
                _(
                    "Line %(line)s: the file holds a deduction (TK21). Deductions are not "
                    "registered here; nothing of the file was. Ask the bank for the payments "
                    "without it, or register them by hand."
                )
                % {"line": payment.line}
            )
        if payment.amount_ore > MAX_SEK * 100:
            _refuse(
                _("Line %(line)s: the amount is larger than any payment can be (%(max)s).")
                % {"line": payment.line, "max": kronor(MAX_SEK)}
            )
        if payment.bgc_serial in seen:
            _refuse(
                _("Line %(line)s: the BGC serial number %(serial)s is in the file twice.")
                % {"line": payment.line, "serial": payment.bgc_serial}
            )
        seen.add(payment.bgc_serial)
    return parsed


def _skip(payment: bgmax.Payment, reason: str) -> dict:
    return {
        "bgc_serial": payment.bgc_serial,
        "reference": payment.reference,
        "amount_ore": payment.amount_ore,
        "reason": reason,
        "line": payment.line,
    }


def _extra_references(payment: bgmax.Payment) -> list[dict]:
    return [
        {"reference": extra.reference, "amount_ore": extra.signed_ore}
        for extra in payment.extra_references
    ]


def import_bgmax(user, filename: str, content: bytes) -> BgMaxImport:
    """Read a BgMax file and register its payments, each matched or queued."""
    require_staff(user, StaffAction.REGISTER_PAYMENTS)
    filename = (filename or "").replace("\\", "/").rsplit("/", 1)[-1][
        :FILENAME_LIMIT
    ] or "bgmax.txt"
    checksum = sha256(content or b"")
    found = BgMaxImport.objects.filter(sha256=checksum).select_related("imported_by").first()
    if found:
        _refuse(_already_imported(found))
    parsed = read_file(content)
    with transaction.atomic():
        try:
            with transaction.atomic():
                imported = BgMaxImport.objects.create(
                    sha256=checksum,
                    filename=filename,
                    bankgiro=parsed.deposits[0].payee_bankgiro,
                    written_at=_aware(parsed.written_at),
                    deposit_count=len(parsed.deposits),
                    imported_by=user,
                )
        except IntegrityError:
            # The same file, imported at the same moment by someone else.
            found = BgMaxImport.objects.select_related("imported_by").get(sha256=checksum)
            _refuse(_already_imported(found))
        dated = [
            (deposit.paid_on, payment)
            for deposit in parsed.deposits
            for payment in deposit.payments
        ]
        dated.sort(key=lambda pair: pair[1].bgc_serial)
        registered = set(
            IncomingPayment.objects.filter(
                bgc_serial__in=[payment.bgc_serial for _day, payment in dated]
            ).values_list("bgc_serial", flat=True)
        )
        invoices = _locked_invoices([payment.reference for _day, payment in dated])
        skipped, count, total = [], 0, 0
        for paid_on, payment in dated:
            if payment.bgc_serial in registered:
                skipped.append(_skip(payment, SKIPPED_REGISTERED))
                continue
            amount_sek, ore = divmod(payment.amount_ore, 100)
            if amount_sek < 1:
                skipped.append(_skip(payment, SKIPPED_BELOW_ONE_KRONA))
                continue
            invoice = invoices.get(ocr_digits(payment.reference))
            decided = outcome(amount_sek, ore, invoice, reference_problem(payment.reference))
            try:
                with transaction.atomic():
                    row = IncomingPayment.objects.create(
                        source=PaymentSource.BGMAX,
                        bgmax_import=imported,
                        bgc_serial=payment.bgc_serial,
                        reference=payment.reference[:REFERENCE_LIMIT],
                        payer_name=(payment.name or "")[:PAYER_LIMIT],
                        payer_bankgiro=payment.payer_bankgiro,
                        paid_on=paid_on,
                        amount_sek=amount_sek,
                        ore=ore,
                        invoice=decided.invoice,
                        applied_sek=decided.applied_sek,
                        status=decided.status,
                        queue_reason=decided.queue_reason,
                        extra_references=_extra_references(payment),
                        information="\n".join(payment.information)[:NOTE_LIMIT],
                        registered_by=user,
                    )
            except IntegrityError:
                # Another import registered this serial number a moment ago.
                skipped.append(_skip(payment, SKIPPED_REGISTERED))
                continue
            if invoice:
                _apply_to_invoice(user, invoice, row, decided.applied_sek)
            count += 1
            total += amount_sek
        imported.payment_count = count
        imported.total_sek = total
        imported.skipped = skipped
        imported.save(update_fields=["payment_count", "total_sek", "skipped"])
        record(
            user,
            AuditAction.BGMAX_IMPORTED,
            imported,
            after={
                "sha256": checksum,
                "filename": filename,
                "payments": count,
                "total_sek": total,
                "skipped": len(skipped),
                "matched": imported.payments.filter(status=IncomingPaymentStatus.MATCHED).count(),
            },
        )
    return imported


def _aware(moment: datetime.datetime) -> datetime.datetime:
    """Bankgirot writes Swedish time."""
    return moment.replace(tzinfo=clock.STOCKHOLM)


# ------------------------------------------------------------- the queue


def resolve_payment(
    user,
    payment: IncomingPayment | int,
    *,
    action: str,
    invoice: Invoice | int | None = None,
    note: str = "",
) -> IncomingPayment:
    """Resolve a payment in the queue: ``apply`` what is left of it to an open
    invoice (at most what the invoice still claims), ``refund`` what is left
    to the payer, or ``close`` it with a note (e.g. the öre of an amount)."""
    require_staff(user, StaffAction.REGISTER_PAYMENTS)
    if action not in ACTIONS:
        raise ValidationError({"action": [_("Choose what to do with the payment.")]})
    note = (note or "").replace("\r\n", "\n").strip()
    if len(note) > NOTE_LIMIT:
        raise ValidationError(
            {
                "note": [
                    _("Write at most %(limit)s characters (you wrote %(count)s).")
                    % {"limit": NOTE_LIMIT, "count": len(note)}
                ]
            }
        )
    if action == CLOSE and not note:
        raise ValidationError({"note": [_("Write why the payment is closed.")]})
    payment_id = payment.pk if isinstance(payment, IncomingPayment) else payment
    with transaction.atomic():
        payment = (
            IncomingPayment.objects.select_for_update(of=("self",))
            .select_related("invoice")
            .get(pk=payment_id)
        )
        if payment.status != IncomingPaymentStatus.TO_RESOLVE:
            raise ValidationError(
                _("This payment is not in the queue; it is %(status)s.")
                % {"status": payment.get_status_display().lower()}
            )
        before = _payment_facts(payment)
        if action == APPLY:
            _resolve_apply(user, payment, invoice)
        elif action == REFUND:
            if payment.excess_sek <= 0:
                raise ValidationError(
                    {
                        "action": [
                            _(
                                "Nothing of the payment is left to pay back in whole kronor; close it with a note instead."
                            )
                        ]
                    }
                )
            payment.refunded_sek += payment.excess_sek
            payment.status = IncomingPaymentStatus.RESOLVED
        else:
            payment.status = IncomingPaymentStatus.RESOLVED
        if payment.status == IncomingPaymentStatus.RESOLVED:
            payment.resolved_by = user
            payment.resolved_at = clock.now()
        if note:
            payment.resolution = "\n".join(filter(None, [payment.resolution, note]))[:NOTE_LIMIT]
        payment.save(
            update_fields=[
                "invoice",
                "applied_sek",
                "refunded_sek",
                "status",
                "queue_reason",
                "resolution",
                "resolved_by",
                "resolved_at",
            ]
        )
        record(
            user,
            AuditAction.PAYMENT_RESOLVED,
            payment,
            before=before,
            after={**_payment_facts(payment), "action": action, "note": note},
        )
    return payment


def _resolve_apply(user, payment: IncomingPayment, invoice) -> None:
    if invoice is None:
        raise ValidationError({"invoice": [_("Choose the invoice to apply the payment to.")]})
    invoice_id = invoice.pk if isinstance(invoice, Invoice) else invoice
    target = Invoice.objects.select_for_update(of=("self",)).filter(pk=invoice_id).first()
    if target is None:
        raise ValidationError({"invoice": [_("There is no such invoice.")]})
    if not target.is_open:
        raise ValidationError(
            {
                "invoice": [
                    _(
                        "Invoice %(number)s is %(status)s; a payment can be applied only to an open invoice."
                    )
                    % {"number": target.number, "status": target.get_status_display().lower()}
                ]
            }
        )
    if payment.applied_sek and payment.invoice_id != target.pk:
        raise ValidationError(
            {
                "invoice": [
                    _(
                        "Part of this payment already settles invoice %(number)s; what is left "
                        "can be applied only to that invoice, or paid back."
                    )
                    % {"number": payment.invoice.number}
                ]
            }
        )
    if payment.excess_sek <= 0:
        raise ValidationError({"action": [_("Nothing of the payment is left to apply.")]})
    applied = min(payment.excess_sek, target.outstanding_sek)
    payment.invoice = target
    payment.applied_sek += applied
    _apply_to_invoice(user, target, payment, applied)
    if payment.excess_sek:
        payment.queue_reason = QueueReason.OVERPAID
    elif payment.ore:
        payment.queue_reason = QueueReason.ORE
    else:
        payment.status = IncomingPaymentStatus.RESOLVED
