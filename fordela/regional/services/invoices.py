"""The grantee's invoice to the region and the region's payment of it (issue
20 §4): payment in arrears, **only after an approved report**.

For one of the region's own units the invoice is internal: a reference, no
OCR, no bank giro. For an external local actor it is the actor's invoice
number and bank giro (``payments.bankgiro``: 7 or 8 digits and the Luhn
check digit). The amount is whole kronor, at least 1 kr, at most what was
granted (a database check too) and at most what the report says was used:
unused money is simply not invoiced. One invoice per report (the one-to-one);
its payment is recorded on the same row (recorded → paid). Both are recorded
by the region's administrator (``RegionalAction.RECORD_INVOICES``).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fordela.access.permissions import RegionalAction, require_regional
from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock, states
from fordela.core.cleaning import MAX_SEK, parse_kronor
from fordela.core.formatting import kronor
from fordela.payments import bankgiro
from fordela.reports.models import ReportStatus

from ..models import (
    SUBGRANT_INVOICE_TRANSITIONS,
    ApplicantKind,
    InvoiceKind,
    SubGrantInvoice,
    SubGrantInvoiceStatus,
    SubGrantReport,
)
from .reports import status_label

REFERENCE_LIMIT = 40
PAYMENT_REFERENCE_LIMIT = 60
# How far back an invoice or payment date may be: the grant year's invoices
# come in the year after it; ten years covers any correction.
OLDEST_DAYS = 3653


def _text(value, limit: int, name: str, missing: str) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise ValidationError({name: [missing]})
    if len(text) > limit:
        raise ValidationError(
            {
                name: [
                    _("Write at most %(limit)s characters (you wrote %(count)s).")
                    % {"limit": limit, "count": len(text)}
                ]
            }
        )
    return text


def _date(value, name: str, missing: str) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise ValidationError({name: [missing]})
    today = clock.today()
    if value > today:
        raise ValidationError({name: [_("The date cannot be after today.")]})
    if value < today - datetime.timedelta(days=OLDEST_DAYS):
        raise ValidationError({name: [_("The date is more than ten years ago. Check it.")]})
    return value


def invoice_kind(report: SubGrantReport) -> InvoiceKind:
    if report.decision.application.kind == ApplicantKind.OWN_UNIT:
        return InvoiceKind.INTERNAL
    return InvoiceKind.EXTERNAL


def record_invoice(
    user,
    report: SubGrantReport | int,
    *,
    reference: str,
    amount_sek,
    invoice_date: datetime.date | None,
    bank_giro: str = "",
) -> SubGrantInvoice:
    """Record the grantee's invoice for ``report``. Refused (nothing
    changes) before the report is approved, for a second invoice, a bank giro
    that is not one, or an amount above what was granted or used."""
    report_id = report.pk if isinstance(report, SubGrantReport) else report
    with transaction.atomic():
        report = (
            SubGrantReport.objects.select_for_update(of=("self",))
            .select_related("decision__application__organisation", "decision__round__region")
            .get(pk=report_id)
        )
        require_regional(user, RegionalAction.RECORD_INVOICES, report.decision.round.region)
        if report.status != ReportStatus.APPROVED:
            raise ValidationError(
                _(
                    "An invoice can be recorded only after the follow-up report has been "
                    "approved; the report is %(status)s."
                )
                % {"status": status_label(report).lower()}
            )
        if SubGrantInvoice.objects.filter(report=report).exists():
            raise ValidationError(_("An invoice has already been recorded for this report."))
        kind = invoice_kind(report)
        problems: dict[str, list[str]] = {}
        cleaned: dict = {}
        for name, check in (
            (
                "reference",
                lambda: _text(
                    reference,
                    REFERENCE_LIMIT,
                    "reference",
                    _("Enter the internal reference.")
                    if kind == InvoiceKind.INTERNAL
                    else _("Enter the invoice number."),
                ),
            ),
            (
                "invoice_date",
                lambda: _date(invoice_date, "invoice_date", _("Enter the invoice date.")),
            ),
            ("amount_sek", lambda: _amount(report, amount_sek)),
            ("bank_giro", lambda: _bank_giro(kind, bank_giro)),
        ):
            try:
                cleaned[name] = check()
            except ValidationError as error:
                problems.update(error.message_dict)
        if problems:
            raise ValidationError(problems)
        try:
            with transaction.atomic():
                invoice = SubGrantInvoice.objects.create(
                    report=report,
                    kind=kind,
                    reference=cleaned["reference"],
                    bank_giro=cleaned["bank_giro"],
                    amount_sek=cleaned["amount_sek"],
                    granted_sek=report.granted_sek,
                    invoice_date=cleaned["invoice_date"],
                    recorded_by=user,
                    recorded_at=clock.now(),
                )
        except IntegrityError:
            raise ValidationError(
                _("An invoice has already been recorded for this report.")
            ) from None
        record(
            user,
            AuditAction.SUBGRANT_INVOICE_RECORDED,
            invoice,
            after={
                "report": report.pk,
                "kind": kind,
                "reference": invoice.reference,
                "bank_giro": invoice.bank_giro,
                "amount_sek": invoice.amount_sek,
                "invoice_date": invoice.invoice_date.isoformat(),
            },
        )
    return invoice


def _amount(report: SubGrantReport, value) -> int:
    if value is None or value == "":
        raise ValidationError({"amount_sek": [_("Enter the invoiced amount in whole kronor.")]})
    try:
        amount = parse_kronor(value, maximum=MAX_SEK)
    except ValidationError as error:
        raise ValidationError({"amount_sek": error.messages}) from None
    if amount < 1:
        raise ValidationError({"amount_sek": [_("The amount must be at least 1 kr.")]})
    if amount > report.granted_sek:
        raise ValidationError(
            {
                "amount_sek": [
                    _("The amount cannot be more than the %(granted)s granted.")
                    % {"granted": kronor(report.granted_sek)}
                ]
            }
        )
    if amount > (report.used_sek or 0):
        raise ValidationError(
            {
                "amount_sek": [
                    _(
                        "The amount cannot be more than the %(used)s the report says was "
                        "used: unused money is not invoiced."
                    )
                    % {"used": kronor(report.used_sek or 0)}
                ]
            }
        )
    return amount


def _bank_giro(kind: InvoiceKind, value: str) -> str:
    digits = bankgiro.normalise(value or "")
    if kind == InvoiceKind.INTERNAL:
        if digits:
            raise ValidationError(
                {
                    "bank_giro": [
                        _("An internal invoice from the region's own unit has no bank giro.")
                    ]
                }
            )
        return ""
    if not digits:
        raise ValidationError({"bank_giro": [_("Enter the bank giro number on the invoice.")]})
    if not bankgiro.is_valid(digits):
        raise ValidationError(
            {
                "bank_giro": [
                    _(
                        "The bank giro number is not valid: it must have 7 or 8 digits and "
                        "the last digit must be the right check digit. Check the number."
                    )
                ]
            }
        )
    return digits


def record_payment(
    user,
    invoice: SubGrantInvoice | int,
    *,
    paid_on: datetime.date | None,
    payment_reference: str,
) -> SubGrantInvoice:
    """Record the region's payment of ``invoice``: the day it was paid (not
    after today, not before the invoice date) and the payment's reference."""
    invoice_id = invoice.pk if isinstance(invoice, SubGrantInvoice) else invoice
    with transaction.atomic():
        invoice = (
            SubGrantInvoice.objects.select_for_update(of=("self",))
            .select_related("report__decision__round__region")
            .get(pk=invoice_id)
        )
        require_regional(user, RegionalAction.RECORD_INVOICES, invoice.report.decision.round.region)
        before = invoice.status
        states.move(
            invoice,
            SubGrantInvoiceStatus.PAID,
            SUBGRANT_INVOICE_TRANSITIONS,
            _("The invoice is already %(status)s."),
        )
        problems: dict[str, list[str]] = {}
        try:
            paid_on = _date(paid_on, "paid_on", _("Enter the day the invoice was paid."))
            if paid_on < invoice.invoice_date:
                raise ValidationError(
                    {"paid_on": [_("The payment cannot be before the invoice date.")]}
                )
        except ValidationError as error:
            problems.update(error.message_dict)
        try:
            payment_reference = _text(
                payment_reference,
                PAYMENT_REFERENCE_LIMIT,
                "payment_reference",
                _("Enter the payment's reference, e.g. the verification number."),
            )
        except ValidationError as error:
            problems.update(error.message_dict)
        if problems:
            raise ValidationError(problems)
        invoice.paid_on = paid_on
        invoice.paid_by = user
        invoice.payment_reference = payment_reference
        invoice.save(update_fields=["status", "paid_on", "paid_by", "payment_reference"])
        record(
            user,
            AuditAction.SUBGRANT_INVOICE_PAID,
            invoice,
            before={"status": before},
            after={
                "status": invoice.status,
                "paid_on": paid_on.isoformat(),
                "payment_reference": payment_reference,
                "amount_sek": invoice.amount_sek,
            },
        )
    return invoice
