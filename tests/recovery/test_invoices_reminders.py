"""Payment reminders (recovery.reminders): reminder_days calendar days after
the due date, the programme's setting, once per step, also under two runs at
once; e-mailed once and audited."""

import datetime
import io
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.recovery.models import Invoice, InvoiceReminder, InvoiceStatus, RecoverySettings
from fordela.recovery.reminders import send_invoice_reminders, send_invoice_reminders_task
from tests.factories import OrganisationFactory, PoolFactory
from tests.recovery.invoice_fixtures import invoice_for, ombud_of


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def invoice(db, clock_at):
    clock_at("2022-05-02T10:00")  # due 2022-06-01
    organisation = OrganisationFactory(name="Ale kommun")
    ombud_of(organisation, "ombud-ale")
    made = invoice_for(organisation, amount_sek=25_000)
    mail.outbox.clear()
    return made


def reminders_sent():
    return [m for m in mail.outbox if m.subject.startswith("Påminnelse")]


def test_no_reminder_until_the_fifteenth_day_after_the_due_date(
    invoice, clock_at, django_capture_on_commit_callbacks
):
    clock_at("2022-06-15T08:00")  # 14 days after
    with django_capture_on_commit_callbacks(execute=True):
        assert send_invoice_reminders() == 0
    assert reminders_sent() == []
    clock_at("2022-06-16T08:00")  # 15 days after
    with django_capture_on_commit_callbacks(execute=True):
        assert send_invoice_reminders() == 1
    reminder = InvoiceReminder.objects.get()
    assert (reminder.step, str(reminder.sent_on)) == ("after:15", "2022-06-16")
    [message] = reminders_sent()
    assert sorted(message.to) == ["kontakt@example.se", "ombud-ale@example.se"]
    assert invoice.ocr in message.body and "25 000" in message.body.replace("\u202f", " ")
    assert "2022-06-01" in message.body
    event = AuditEvent.objects.get(action=AuditAction.INVOICE_REMINDER_SENT)
    assert event.after["step"] == "after:15"


def test_never_twice_for_a_step(invoice, clock_at, django_capture_on_commit_callbacks):
    clock_at("2022-06-20T08:00")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_invoice_reminders() == 1
        assert send_invoice_reminders() == 0
    clock_at("2022-07-20T08:00")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_invoice_reminders() == 0
        out = io.StringIO()
        call_command("send_invoice_reminders", stdout=out)
        assert out.getvalue().startswith("0 invoices")
        assert send_invoice_reminders_task.call() == 0
    assert InvoiceReminder.objects.count() == 1
    assert len(reminders_sent()) == 1
    assert AuditEvent.objects.filter(action=AuditAction.INVOICE_REMINDER_SENT).count() == 1


def test_the_programmes_setting_decides_the_day(invoice, clock_at):
    programme = invoice.decision.pool.programme_year.programme
    RecoverySettings.objects.create(programme=programme, reminder_days=3)
    assert send_invoice_reminders(datetime.date(2022, 6, 3)) == 0
    assert send_invoice_reminders(datetime.date(2022, 6, 4)) == 1
    assert InvoiceReminder.objects.get().step == "after:3"


def test_another_programmes_setting_does_not_count(invoice):
    other = PoolFactory(programme_year__year=2021)
    RecoverySettings.objects.create(programme=other.programme_year.programme, reminder_days=3)
    assert send_invoice_reminders(datetime.date(2022, 6, 4)) == 0


@pytest.mark.parametrize(
    ("fields", "reminded"),
    [
        ({"paid_sek": 25_000, "status": InvoiceStatus.PAID}, 0),
        ({"credited_sek": 25_000, "status": InvoiceStatus.CREDITED}, 0),
        ({"written_off_sek": 25_000, "status": InvoiceStatus.WRITTEN_OFF}, 0),
        ({"paid_sek": 1_000, "status": InvoiceStatus.PARTLY_PAID}, 1),
    ],
)
def test_only_open_invoices_with_something_outstanding(invoice, fields, reminded):
    Invoice.objects.filter(pk=invoice.pk).update(**fields)
    assert send_invoice_reminders(datetime.date(2022, 7, 1)) == reminded


def test_an_invoice_not_yet_due_is_not_reminded(invoice):
    assert send_invoice_reminders(datetime.date(2022, 6, 1)) == 0


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_remind_once(clock_at):
    clock_at("2022-05-02T10:00")
    organisation = OrganisationFactory()
    invoice_for(organisation, amount_sek=100)
    invoice_for(organisation, amount_sek=200)
    counts = []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            counts.append(send_invoice_reminders(datetime.date(2022, 7, 1)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 2
    assert InvoiceReminder.objects.count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.INVOICE_REMINDER_SENT).count() == 2
