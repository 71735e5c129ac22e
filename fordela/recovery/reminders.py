"""Payment reminders (*betalningspåminnelser*) about recovery invoices (issue
18 §5): an open invoice with something outstanding is reminded
``reminder_days`` calendar days after its due date (the programme's
``RecoverySettings``, default 15), once per step (``after:<days>``): an
``InvoiceReminder`` row per invoice and step, unique, so a second run (or two
runs at the same moment) sends nothing more. The e-mail goes, once, to the
report's contact person and the organisation's ombud. Run daily: the task
``send_invoice_reminders_task`` or ``manage.py send_invoice_reminders``."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.tasks import task

from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock
from fordela.core.agency import agency
from fordela.core.formatting import kronor
from fordela.core.tasks import send_once
from fordela.payments import bankgiro

from .models import OPEN_INVOICE, Invoice, InvoiceReminder, RecoverySettings

SYSTEM = "betalningspåminnelser"


def step_name(days: int) -> str:
    return f"after:{days}"


def _reminder_days() -> dict[int, int]:
    """Each programme's reminder days that differ from the default."""
    return dict(RecoverySettings.objects.values_list("programme_id", "reminder_days"))


def due_reminders(today: datetime.date) -> list[tuple[Invoice, str]]:
    """The open invoices to remind today, each with its step."""
    days_by_programme = _reminder_days()
    default = RecoverySettings._meta.get_field("reminder_days").default
    invoices = (
        Invoice.objects.filter(status__in=OPEN_INVOICE, due_on__lt=today)
        .select_related("decision__pool__programme_year")
        .order_by("due_on", "pk")
    )
    found = []
    for invoice in invoices:
        if invoice.outstanding_sek <= 0:
            continue
        programme_id = invoice.decision.pool.programme_year.programme_id
        days = days_by_programme.get(programme_id, default)
        if invoice.due_on + datetime.timedelta(days=days) <= today:
            found.append((invoice, step_name(days)))
    return found


def send_invoice_reminders(today: datetime.date | None = None) -> int:
    """Remind about today's overdue invoices; returns how many were reminded."""
    from .documents import recipients

    today = today or clock.today()
    sent = 0
    for invoice, step in due_reminders(today):
        if InvoiceReminder.objects.filter(invoice=invoice, step=step).exists():
            continue
        try:
            with transaction.atomic():
                # Still open and owing, read under the lock (a payment may
                # have come in since the list was read).
                locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
                if not locked.is_open or locked.outstanding_sek <= 0:
                    continue
                addresses = recipients(invoice)
                reminder = InvoiceReminder.objects.create(
                    invoice=locked, step=step, sent_on=today, recipients=", ".join(addresses)
                )
                record(
                    SYSTEM,
                    AuditAction.INVOICE_REMINDER_SENT,
                    locked,
                    after={
                        "step": step,
                        "outstanding_sek": locked.outstanding_sek,
                        "recipients": addresses,
                    },
                )
                transaction.on_commit(lambda pk=reminder.pk: send_invoice_reminder.enqueue(pk))
        except IntegrityError:
            continue  # another run reminded about it first
        sent += 1
    return sent


def reminder_text(reminder: InvoiceReminder) -> tuple[str, str]:
    invoice = reminder.invoice
    sender = agency()
    subject = f"Påminnelse: faktura {invoice.number} från {sender.name}"
    lines = [
        f"Vi har inte fått betalt för faktura {invoice.number}, som förföll "
        f"{invoice.due_on:%Y-%m-%d}. Betala så snart som möjligt.",
        "",
        f"Organisation: {invoice.organisation.name}",
        f"Ärendenummer: {invoice.case_number}",
        f"Kvar att betala: {kronor(invoice.outstanding_sek)}",
        f"Bankgiro: {bankgiro.formatted(invoice.bankgiro)}",
        f"OCR-nummer: {invoice.ocr}",
        "",
        "Ange OCR-numret som referens. Har ni redan betalat kan ni bortse från påminnelsen.",
    ]
    if invoice.interest_terms:
        lines += ["", invoice.interest_terms]
    contact = f"Telefon {sender.phone}, e-post {sender.email}"
    return subject, "\n".join(lines) + f"\n\n-- \n{sender.name}\n{contact}\n"


@task
def send_invoice_reminder(reminder_id: int) -> int:
    reminder = InvoiceReminder.objects.select_related("invoice__organisation").get(pk=reminder_id)
    addresses = [a.strip() for a in reminder.recipients.split(",") if a.strip()]
    if not addresses:
        return 0
    subject, body = reminder_text(reminder)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)
    return send_once(f"recovery-invoice-reminder:{reminder_id}", message)


@task
def send_invoice_reminders_task() -> int:
    """The daily task: today's payment reminders."""
    return send_invoice_reminders()
