"""A round's invoices as CSV and XLSX, in the product's one dialect
(``fordela.core.exports``), Swedish column headings whatever the reader's
language."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils.text import slugify

from fordela.core import clock, exports
from fordela.payments.bankgiro import formatted

from .models import InvoiceKind, SubGrantInvoice, SubGrantInvoiceStatus, SubGrantRound

HEADER = [
    "Diarienummer",
    "Bidragsmottagare",
    "Organisationsnummer",
    "Kostnadsställe",
    "Slag",
    "Fakturanummer eller intern referens",
    "Bankgiro",
    "Fakturadatum",
    "Beviljat (kr)",
    "Använt enligt rapport (kr)",
    "Fakturerat (kr)",
    "Status",
    "Betald",
    "Betalningsreferens",
]
MONEY_COLUMNS = [8, 9, 10]
KINDS = {InvoiceKind.INTERNAL: "Intern", InvoiceKind.EXTERNAL: "Extern"}
STATUSES = {SubGrantInvoiceStatus.RECORDED: "Registrerad", SubGrantInvoiceStatus.PAID: "Betald"}


def rows(invoices: Iterable[SubGrantInvoice]) -> Iterator[list[Any]]:
    for invoice in invoices:
        application = invoice.report.decision.application
        own_unit = invoice.kind == InvoiceKind.INTERNAL
        yield [
            application.case_number,
            application.applicant_name,
            "" if own_unit else application.organisation.formatted_organisation_number,
            application.unit_code,
            KINDS.get(invoice.kind, invoice.kind),
            invoice.reference,
            formatted(invoice.bank_giro) if invoice.bank_giro else "",
            invoice.invoice_date,
            invoice.granted_sek,
            invoice.report.used_sek,
            invoice.amount_sek,
            STATUSES.get(invoice.status, invoice.status),
            invoice.paid_on,
            invoice.payment_reference,
        ]


def totals(invoices) -> dict[str, int]:
    """The invoiced and the paid sums of ``invoices`` (one query)."""
    return invoices.order_by().aggregate(
        invoiced=Coalesce(Sum("amount_sek"), 0),
        paid=Coalesce(Sum("amount_sek", filter=Q(status=SubGrantInvoiceStatus.PAID)), 0),
    )


def filename(round_: SubGrantRound, extension: str) -> str:
    return f"fakturor-{slugify(round_.title)}-{clock.today().isoformat()}.{extension}"


def xlsx(round_: SubGrantRound, invoices: Iterable[SubGrantInvoice]) -> bytes:
    return exports.xlsx_bytes(
        "Fakturor",
        HEADER,
        rows(invoices),
        meta=[
            ("Region", round_.region.name),
            ("Utlysning", round_.title),
            ("Bidragsår", round_.programme_year.year),
            ("Datum", clock.today()),
        ],
        money_columns=MONEY_COLUMNS,
        widths=[14, 34, 18, 14, 10, 24, 12, 12, 14, 14, 14, 12, 12, 20],
    )
