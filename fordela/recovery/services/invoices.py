"""Recovery invoices (*fakturor*): issued when a claim is decided, with a
running number and the OCR reference made from it; credited (a credit note)
or written off by the ekonomi role. Each change locks the invoice, moves its
status through ``settle`` and is audited; its PDF and e-mails are made by
tasks queued on commit (``recovery.documents``)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fordela.access.permissions import StaffAction, require_staff
from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock
from fordela.core.case_numbers import CREDIT_NOTES, INVOICES, next_number
from fordela.core.formatting import kronor
from fordela.core.states import move
from fordela.programmes.models import Programme

from .. import ocr
from ..models import (
    INVOICE_TRANSITIONS,
    CreditNote,
    Invoice,
    InvoiceStatus,
    RecoveryDecision,
    RecoverySettings,
)


def terms(programme: Programme) -> RecoverySettings:
    """The programme's recovery terms; the defaults (30 days, a reminder 15
    days after the due date, no interest) when none are stored."""
    stored = RecoverySettings.objects.filter(programme=programme).first()
    return stored or RecoverySettings(programme=programme)


def invoice_number(year: int, running: int) -> str:
    """'2022000001': the year and a six-digit running number, all digits, so
    that the OCR reference can be made from it."""
    return f"{year}{running:06d}"


def credit_note_number(year: int, running: int) -> str:
    """'K2022000001': K (kredit) and the year's running number, so that a
    credit note is never read as an invoice."""
    return f"K{invoice_number(year, running)}"


def issue_invoice(actor, decision: RecoveryDecision) -> Invoice:
    """Issue the invoice of a decided claim, inside the deciding transaction
    (``decisions.decide_recovery``): invoice date today, due after the
    programme's payment terms, the agency's bank giro."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Issue an invoice inside the transaction that decides the claim.")
    programme_terms = terms(decision.pool.programme_year.programme)
    today = clock.today()
    number = invoice_number(today.year, next_number(today.year, INVOICES))
    invoice = Invoice.objects.create(
        decision=decision,
        organisation=decision.organisation,
        number=number,
        ocr=ocr.reference(number),
        case_number=decision.case_number,
        issued_on=today,
        due_on=today + datetime.timedelta(days=programme_terms.payment_terms_days),
        amount_sek=decision.amount_sek,
        bankgiro=settings.FORDELA_AGENCY_BANKGIRO,
        interest_terms=programme_terms.interest_terms if programme_terms.interest_enabled else "",
    )
    record(
        actor,
        AuditAction.INVOICE_ISSUED,
        invoice,
        after={
            "number": invoice.number,
            "ocr": invoice.ocr,
            "amount_sek": invoice.amount_sek,
            "due_on": invoice.due_on.isoformat(),
        },
    )
    from ..documents import deliver_invoice

    # The PDF is made and sent once the decision is committed (and never for
    # a decision that rolls back).
    transaction.on_commit(lambda: deliver_invoice.enqueue(invoice.pk))
    return invoice


def settled_status(invoice: Invoice) -> str:
    """The status the invoice's amounts call for: open while anything is
    outstanding (partly paid once anything is paid), otherwise paid, credited
    (nothing paid) or written off."""
    if invoice.outstanding_sek > 0:
        return InvoiceStatus.PARTLY_PAID if invoice.paid_sek else InvoiceStatus.ISSUED
    if invoice.written_off_sek:
        return InvoiceStatus.WRITTEN_OFF
    return InvoiceStatus.PAID if invoice.paid_sek else InvoiceStatus.CREDITED


def settle(invoice: Invoice, refusal: str) -> None:
    """Move ``invoice`` (locked by the caller, its amounts just changed) to
    ``settled_status`` through the transitions table; every service that pays,
    credits or writes off calls it before saving."""
    move(invoice, settled_status(invoice), INVOICE_TRANSITIONS, refusal)


# The most a reason may hold (the columns' max_length).
REASON_MAX = 2000


def _clean_reason(reason: str, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": missing})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Write at most %(max)s characters.") % {"max": REASON_MAX}}
        )
    return reason


def _locked_open(invoice: Invoice) -> Invoice:
    """The invoice locked for the change; refused when it is closed (paid,
    credited or written off: nothing is outstanding)."""
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if not locked.is_open or locked.outstanding_sek <= 0:
        raise ValidationError(
            _("The invoice is %(status)s: nothing is outstanding on it, so it cannot be changed.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


def _figures(invoice: Invoice) -> dict:
    return {
        "status": invoice.status,
        "paid_sek": invoice.paid_sek,
        "credited_sek": invoice.credited_sek,
        "written_off_sek": invoice.written_off_sek,
        "outstanding_sek": invoice.outstanding_sek,
    }


def credit_invoice(user, invoice: Invoice, amount_sek, reason: str) -> CreditNote:
    """Issue a credit note (*kreditfaktura*) for ``amount_sek`` of what the
    invoice still claims (1 kr to all of it): it gets the next credit-note
    number of the year and refers to the invoice, and the invoice is credited
    (status credited when nothing is paid and nothing is left)."""
    require_staff(user, StaffAction.MANAGE_INVOICES)
    reason = _clean_reason(reason, _("Say why the invoice is credited."))
    with transaction.atomic():
        locked = _locked_open(invoice)
        if isinstance(amount_sek, bool) or not isinstance(amount_sek, int):
            raise ValidationError({"amount_sek": _("Enter the amount in whole kronor.")})
        if amount_sek < 1:
            raise ValidationError({"amount_sek": _("Credit at least 1 kr.")})
        if amount_sek > locked.outstanding_sek:
            raise ValidationError(
                {
                    "amount_sek": _(
                        "You can credit at most what is outstanding on the invoice, %(amount)s."
                    )
                    % {"amount": kronor(locked.outstanding_sek)}
                }
            )
        before = _figures(locked)
        today = clock.today()
        note = CreditNote.objects.create(
            invoice=locked,
            number=credit_note_number(today.year, next_number(today.year, CREDIT_NOTES)),
            issued_on=today,
            amount_sek=amount_sek,
            reason=reason,
            created_by=user,
        )
        locked.credited_sek += amount_sek
        settle(locked, _("An invoice that is %(status)s cannot be credited."))
        locked.save(update_fields=["credited_sek", "status", "updated_at"])
        record(
            user,
            AuditAction.INVOICE_CREDITED,
            locked,
            before=before,
            after={
                **_figures(locked),
                "credit_note": note.number,
                "amount_sek": amount_sek,
                "reason": reason,
            },
        )
        from ..documents import deliver_credit_note

        transaction.on_commit(lambda: deliver_credit_note.enqueue(note.pk))
    invoice.refresh_from_db()
    return note


def write_off_invoice(user, invoice: Invoice, reason: str) -> Invoice:
    """Write off (*skriva av*) what the invoice still claims: the claim is
    given up, the invoice is closed as written off. Once."""
    require_staff(user, StaffAction.MANAGE_INVOICES)
    reason = _clean_reason(reason, _("Say why the invoice is written off."))
    with transaction.atomic():
        locked = _locked_open(invoice)
        before = _figures(locked)
        amount = locked.outstanding_sek
        locked.written_off_sek += amount
        locked.written_off_reason = reason
        settle(locked, _("An invoice that is %(status)s cannot be written off."))
        locked.save(update_fields=["written_off_sek", "written_off_reason", "status", "updated_at"])
        record(
            user,
            AuditAction.INVOICE_WRITTEN_OFF,
            locked,
            before=before,
            after={**_figures(locked), "amount_sek": amount, "reason": reason},
        )
    invoice.refresh_from_db()
    return invoice
