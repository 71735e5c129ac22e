"""Recovery rows written straight to the tables, for the ledger's own tests:
the checks must catch rows that do not agree, which the services never
write. The whole-round test (test_whole_round.py) goes through the services."""

import datetime
import itertools

from fordela.core import clock
from fordela.recovery import ocr
from fordela.recovery.models import (
    CreditNote,
    IncomingPayment,
    IncomingPaymentStatus,
    Invoice,
    InvoiceStatus,
    PaymentSource,
    RecoveryDecision,
    RecoveryGround,
    RecoveryOrigin,
    RecoveryOutcome,
    RecoveryStatus,
)
from fordela.reports.models import Report

_numbers = itertools.count(1)


def decision(
    report: Report,
    proposer,
    decider=None,
    *,
    amount_sek: int,
    outcome: str = RecoveryOutcome.CLAIM,
) -> RecoveryDecision:
    decided = decider is not None
    return RecoveryDecision.objects.create(
        report=report,
        organisation=report.organisation,
        pool=report.pool,
        year=report.year,
        case_number=report.case_number,
        origin=RecoveryOrigin.APPROVED_REPORT,
        ground=RecoveryGround.UNUSED,
        outcome=outcome,
        amount_sek=amount_sek,
        paid_sek=report.received_sek,
        motivation="Ej förbrukade medel.",
        status=RecoveryStatus.DECIDED if decided else RecoveryStatus.PROPOSED,
        proposed_by=proposer,
        proposed_at=clock.now(),
        decided_by=decider,
        decided_at=clock.now() if decided else None,
    )


def invoice(claim: RecoveryDecision, **amounts) -> Invoice:
    number = f"2022{next(_numbers):06d}"
    today = clock.today()
    row = Invoice(
        decision=claim,
        organisation=claim.organisation,
        number=number,
        ocr=ocr.reference(number),
        case_number=claim.case_number,
        issued_on=today,
        due_on=today + datetime.timedelta(days=30),
        amount_sek=claim.amount_sek,
        bankgiro="50501055",
        **amounts,
    )
    if row.outstanding_sek == 0:
        row.status = InvoiceStatus.PAID if row.paid_sek else InvoiceStatus.CREDITED
    elif row.paid_sek:
        row.status = InvoiceStatus.PARTLY_PAID
    row.save()
    return row


def payment(invoice_row: Invoice | None, amount_sek: int, user, *, applied_sek=None):
    applied = amount_sek if applied_sek is None else applied_sek
    return IncomingPayment.objects.create(
        source=PaymentSource.MANUAL,
        reference=invoice_row.ocr if invoice_row else "99999",
        paid_on=clock.today(),
        amount_sek=amount_sek,
        invoice=invoice_row,
        applied_sek=applied if invoice_row else 0,
        status=(
            IncomingPaymentStatus.MATCHED
            if invoice_row and applied == amount_sek
            else IncomingPaymentStatus.TO_RESOLVE
        ),
        registered_by=user,
    )


def credit_note(invoice_row: Invoice, amount_sek: int, user) -> CreditNote:
    return CreditNote.objects.create(
        invoice=invoice_row,
        number=f"2022{next(_numbers):06d}",
        issued_on=clock.today(),
        amount_sek=amount_sek,
        reason="Fel belopp.",
        created_by=user,
    )
