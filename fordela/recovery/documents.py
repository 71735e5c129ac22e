"""The invoice (*faktura*) and the credit note (*kreditfaktura*) as PDF,
rendered with WeasyPrint in the agency's letter layout, and the tasks that
make and send them. Like the decision letters they are Swedish documents
whatever the reader's language.

``deliver_invoice`` is queued when an invoice is issued (on commit): it
renders the PDF once, keeps it in ``invoice.pdf`` and e-mails it once
(``send_once`` key ``recovery-invoice:<id>``) to the report's contact person
and the organisation's ombud. ``deliver_credit_note`` does the same for a
credit note (key ``recovery-credit-note:<id>``); a credit note's PDF is not
stored: it is made again from its row, which never changes."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

from fordela.access.models import Membership, OrganisationRole
from fordela.applications.pdf import html_to_pdf
from fordela.core.agency import agency, email_signature
from fordela.core.formatting import kronor
from fordela.core.tasks import send_once
from fordela.payments import bankgiro

from .models import CreditNote, Invoice, RecoveryGround
from .services.invoices import terms

# The grounds as the invoice names them (Swedish, whatever the language).
GROUNDS_SV = {
    RecoveryGround.UNUSED: "Bidraget har inte förbrukats",
    RecoveryGround.NOT_FOR_PURPOSE: "Bidraget har inte använts för sitt ändamål",
    RecoveryGround.NO_REPORT: "Ingen återrapportering har kommit in",
    RecoveryGround.CONDITIONS_NOT_MET: "Villkoren för bidraget har inte uppfyllts",
}


def _invoice_query():
    return Invoice.objects.select_related(
        "organisation", "decision__report", "decision__pool__programme_year__programme"
    )


def recipients(invoice: Invoice) -> list[str]:
    """The report's contact person and the organisation's ombud."""
    addresses = set()
    contact = invoice.decision.report.contact_email
    if contact:
        addresses.add(contact)
    addresses |= set(
        Membership.objects.filter(organisation=invoice.organisation, role=OrganisationRole.OMBUD)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(addresses)


def _context(invoice: Invoice) -> dict:
    programme_terms = terms(invoice.decision.pool.programme_year.programme)
    return {
        "agency": agency(),
        "invoice": invoice,
        "decision": invoice.decision,
        "organisation": invoice.organisation,
        "report": invoice.decision.report,
        "ground": GROUNDS_SV[invoice.decision.ground],
        "bankgiro": bankgiro.formatted(invoice.bankgiro),
        "reminder_days": programme_terms.reminder_days,
    }


def invoice_html(invoice: Invoice) -> str:
    with translation.override("sv"):
        return render_to_string("letters/recovery_invoice.html", _context(invoice))


def invoice_filename(invoice: Invoice) -> str:
    return f"faktura-{invoice.number}.pdf"


def render_invoice(invoice: Invoice) -> bytes:
    return html_to_pdf(invoice_html(invoice))


def invoice_pdf(invoice: Invoice) -> bytes:
    """The stored PDF, made and stored first if it is not there yet."""
    if invoice.pdf:
        with invoice.pdf.open("rb") as stored:
            return stored.read()
    pdf = render_invoice(invoice)
    invoice.pdf.save(invoice_filename(invoice), ContentFile(pdf), save=False)
    # Only the file's name: the amounts may have changed since it was read.
    Invoice.objects.filter(pk=invoice.pk, pdf="").update(pdf=invoice.pdf.name)
    return pdf


def credit_note_html(note: CreditNote) -> str:
    invoice = note.invoice
    with translation.override("sv"):
        return render_to_string(
            "letters/recovery_credit_note.html", {**_context(invoice), "note": note}
        )


def credit_note_filename(note: CreditNote) -> str:
    return f"kreditfaktura-{note.number}.pdf"


def render_credit_note(note: CreditNote) -> bytes:
    return html_to_pdf(credit_note_html(note))


def invoice_email_text(invoice: Invoice) -> tuple[str, str]:
    subject = f"Faktura {invoice.number} från {agency().name}: återkrav {invoice.case_number}"
    lines = [
        f"Här är fakturan för återkravet i ärende {invoice.case_number} (bifogad som PDF).",
        "",
        f"Organisation: {invoice.organisation.name}",
        f"Belopp att betala: {kronor(invoice.amount_sek)}",
        f"Förfallodag: {invoice.due_on:%Y-%m-%d}",
        f"Bankgiro: {bankgiro.formatted(invoice.bankgiro)}",
        f"OCR-nummer: {invoice.ocr}",
        "",
        "Betala senast på förfallodagen och ange OCR-numret som referens.",
    ]
    return subject, "\n".join(lines) + "\n\n" + _signature()


def credit_note_email_text(note: CreditNote) -> tuple[str, str]:
    invoice = note.invoice
    subject = f"Kreditfaktura {note.number} avseende faktura {invoice.number}"
    lines = [
        f"Faktura {invoice.number} (ärende {invoice.case_number}) har krediterats med "
        f"{kronor(note.amount_sek)}. Kreditfakturan är bifogad som PDF.",
        "",
        f"Kvar att betala på fakturan: {kronor(invoice.outstanding_sek)}",
    ]
    if invoice.outstanding_sek:
        lines.append(
            f"Betala till bankgiro {bankgiro.formatted(invoice.bankgiro)} med OCR-nummer "
            f"{invoice.ocr} senast {invoice.due_on:%Y-%m-%d}."
        )
    return subject, "\n".join(lines) + "\n\n" + _signature()


def _signature() -> str:
    with translation.override("sv"):
        return email_signature()


@task
def deliver_invoice(invoice_id: int) -> int:
    """Make the invoice's PDF (once) and e-mail it (once)."""
    invoice = _invoice_query().get(pk=invoice_id)
    pdf = invoice_pdf(invoice)
    addresses = recipients(invoice)
    if not addresses:
        return 0
    subject, body = invoice_email_text(invoice)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)
    message.attach(invoice_filename(invoice), pdf, "application/pdf")
    return send_once(f"recovery-invoice:{invoice.pk}", message)


@task
def deliver_credit_note(note_id: int) -> int:
    """E-mail the credit note's PDF (once)."""
    note = CreditNote.objects.select_related(
        "invoice__organisation",
        "invoice__decision__report",
        "invoice__decision__pool__programme_year__programme",
    ).get(pk=note_id)
    addresses = recipients(note.invoice)
    if not addresses:
        return 0
    subject, body = credit_note_email_text(note)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)
    message.attach(credit_note_filename(note), render_credit_note(note), "application/pdf")
    return send_once(f"recovery-credit-note:{note.pk}", message)
