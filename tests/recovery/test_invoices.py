"""Recovery invoices: issuing (the PDF read back, the e-mail once), credit
notes and write-offs, and every bad input refused with nothing changed."""

import io
import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from pypdf import PdfReader

from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.core.models import SentMessage
from fordela.recovery import documents
from fordela.recovery.models import CreditNote, Invoice, InvoiceStatus
from fordela.recovery.services import invoices as service
from tests.factories import OrganisationFactory
from tests.recovery.invoice_fixtures import interest_on, invoice_for, ombud_of, staff_users


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def day(clock_at):
    clock_at("2022-05-02T10:00")


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Ale kommun", organisation_number="2120001439")


@pytest.fixture
def issued(organisation, day, django_capture_on_commit_callbacks):
    ombud_of(organisation, "ombud-ale")
    with django_capture_on_commit_callbacks(execute=True):
        invoice = invoice_for(organisation, amount_sek=25_000)
    invoice.refresh_from_db()
    return invoice


def pdf_text(data: bytes) -> str:
    """The PDF's text, its no-break spaces as plain ones, on one line."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def ekonomi():
    return staff_users()["ekonomi"]


# ------------------------------------------------------------------ issuing


def test_the_invoice_has_its_number_ocr_and_due_date(issued):
    assert issued.number == "2022000001"
    assert issued.ocr == "202200000125"
    assert str(issued.issued_on) == "2022-05-02"
    assert str(issued.due_on) == "2022-06-01"  # 30 days
    assert issued.status == InvoiceStatus.ISSUED
    assert issued.outstanding_sek == 25_000


def test_the_pdf_is_stored_and_its_text_has_ocr_amount_due_date_and_bank_giro(issued):
    assert issued.pdf.name.endswith("faktura-2022000001.pdf")
    with issued.pdf.open("rb") as stored:
        data = stored.read()
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    text = pdf_text(data)
    for expected in (
        "Faktura",
        "202200000125",  # OCR
        "25 000 kr",  # amount
        "2022-06-01",  # due date
        "5555-5551",  # the agency's bank giro, formatted
        "Ale kommun",
        "212000-1439",  # the recipient's org.nr
        "202100-0555",  # the agency's
        issued.case_number,
        "Bidraget har inte förbrukats",  # the ground
        "påminnelse 15 dagar efter förfallodagen",
    ):
        assert expected in text, expected
    assert "Ränta" not in text  # interest is off by default


def test_interest_terms_are_printed_only_when_the_programme_charges_interest(
    organisation, day, django_capture_on_commit_callbacks
):
    from tests.factories import PoolFactory

    pool = PoolFactory(programme_year__year=2021)
    interest_on(pool.programme_year.programme)
    with django_capture_on_commit_callbacks(execute=True):
        invoice = invoice_for(organisation, amount_sek=1_000, pool=pool)
    invoice.refresh_from_db()
    assert invoice.interest_terms.startswith("Ränta enligt 6 §")
    assert "Ränta enligt 6 § räntelagen" in pdf_text(documents.invoice_pdf(invoice))


def test_the_invoice_is_e_mailed_once_to_the_contact_and_the_ombud(issued):
    sent = [m for m in mail.outbox if "Faktura 2022000001" in m.subject]
    assert len(sent) == 1
    assert sorted(sent[0].to) == ["kontakt@example.se", "ombud-ale@example.se"]
    assert "202200000125" in sent[0].body
    (name, content, kind) = sent[0].attachments[0]
    assert name == "faktura-2022000001.pdf" and kind == "application/pdf"
    assert "202200000125" in pdf_text(content)
    # The task running again sends nothing and keeps the same file.
    stored = issued.pdf.name
    assert documents.deliver_invoice.call(issued.pk) == 0
    issued.refresh_from_db()
    assert issued.pdf.name == stored
    assert len([m for m in mail.outbox if "Faktura 2022000001" in m.subject]) == 1
    assert SentMessage.objects.filter(key=f"recovery-invoice:{issued.pk}").count() == 1


def test_a_decision_that_rolls_back_leaves_no_invoice_and_sends_nothing(
    organisation, day, django_capture_on_commit_callbacks
):
    from tests.recovery.invoice_fixtures import approved_report, decided_claim

    decision = decided_claim(approved_report(organisation))
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        service.issue_invoice(decision.decided_by, decision)
        raise RuntimeError("the decision failed")
    assert callbacks == []
    assert not Invoice.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_issuing_outside_a_transaction_is_refused(organisation, day):
    from tests.recovery.invoice_fixtures import approved_report, decided_claim

    decision = decided_claim(approved_report(organisation))
    with pytest.raises(RuntimeError):
        service.issue_invoice(decision.decided_by, decision)


def test_numbers_run_on_within_the_year(organisation, day):
    first = invoice_for(organisation, amount_sek=100)
    second = invoice_for(organisation, amount_sek=200)
    assert (first.number, second.number) == ("2022000001", "2022000002")
    assert second.ocr == "202200000224"


# ------------------------------------------------------------------ credit


def test_a_part_credit_keeps_the_invoice_issued_and_a_full_one_credits_it(
    issued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        note = service.credit_invoice(ekonomi(), issued, 5_000, "Felaktigt belopp.")
    assert note.number == "K2022000001"
    assert note.invoice == issued
    issued.refresh_from_db()
    assert (issued.credited_sek, issued.outstanding_sek, issued.status) == (5_000, 20_000, "issued")
    event = AuditEvent.objects.filter(action=AuditAction.INVOICE_CREDITED).get()
    assert event.after["credit_note"] == note.number
    assert event.after["outstanding_sek"] == 20_000
    sent = [m for m in mail.outbox if m.subject.startswith("Kreditfaktura")]
    assert len(sent) == 1
    text = pdf_text(sent[0].attachments[0][1])
    assert (
        "Kreditfaktura K2022000001" in text
        and "faktura 2022000001" in text
        and "5 000 kronor" in text
    )

    second = service.credit_invoice(ekonomi(), issued, 20_000, "Återkravet har omprövats.")
    assert second.number == "K2022000002"
    issued.refresh_from_db()
    assert (issued.credited_sek, issued.status) == (25_000, InvoiceStatus.CREDITED)


def test_the_credit_note_pdf_names_the_invoice_it_refers_to(issued):
    note = service.credit_invoice(ekonomi(), issued, 1, "Öresavrundning.")
    text = pdf_text(documents.render_credit_note(note))
    assert f"avser faktura {issued.number}" in text
    assert issued.ocr in text
    assert "Öresavrundning." in text


def test_a_credit_after_a_part_payment_settles_the_invoice_as_paid(issued):
    Invoice.objects.filter(pk=issued.pk).update(paid_sek=10_000, status=InvoiceStatus.PARTLY_PAID)
    issued.refresh_from_db()
    service.credit_invoice(ekonomi(), issued, 15_000, "Resten efterges.")
    issued.refresh_from_db()
    assert issued.status == InvoiceStatus.PAID
    assert issued.outstanding_sek == 0


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (0, "Credit at least 1 kr."),
        (-5, "Credit at least 1 kr."),
        (25_001, "at most what is outstanding"),
        (10**30, "at most what is outstanding"),
        ("100", "whole kronor"),
        (1.5, "whole kronor"),
        (None, "whole kronor"),
        (True, "whole kronor"),
    ],
)
def test_a_bad_credit_amount_is_refused_and_changes_nothing(issued, amount, message):
    with pytest.raises(ValidationError) as refused:
        service.credit_invoice(ekonomi(), issued, amount, "Skäl.")
    assert message in str(refused.value)
    issued.refresh_from_db()
    assert issued.credited_sek == 0
    assert not CreditNote.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.INVOICE_CREDITED).exists()


@pytest.mark.parametrize("reason", ["", "   ", None, "x" * 2001])
def test_a_credit_without_a_fitting_reason_is_refused(issued, reason):
    with pytest.raises(ValidationError) as refused:
        service.credit_invoice(ekonomi(), issued, 100, reason)
    assert "reason" in refused.value.message_dict
    assert not CreditNote.objects.exists()


def test_a_paid_invoice_cannot_be_credited(issued):
    Invoice.objects.filter(pk=issued.pk).update(paid_sek=25_000, status=InvoiceStatus.PAID)
    with pytest.raises(ValidationError) as refused:
        service.credit_invoice(ekonomi(), issued, 1, "Skäl.")
    assert "The invoice is paid" in str(refused.value)
    assert not CreditNote.objects.exists()


@pytest.mark.parametrize("role", ["handlaggare", "beslutsfattare"])
def test_only_ekonomi_credits_and_writes_off(issued, role):
    someone = staff_users()[role]
    with pytest.raises(PermissionDenied):
        service.credit_invoice(someone, issued, 1, "Skäl.")
    with pytest.raises(PermissionDenied):
        service.write_off_invoice(someone, issued, "Skäl.")
    ombud = ombud_of(issued.organisation)
    with pytest.raises(PermissionDenied):
        service.credit_invoice(ombud, issued, 1, "Skäl.")
    issued.refresh_from_db()
    assert (issued.credited_sek, issued.written_off_sek) == (0, 0)


# ------------------------------------------------------------------ write-off


def test_writing_off_closes_the_invoice_with_what_was_outstanding(issued):
    Invoice.objects.filter(pk=issued.pk).update(paid_sek=4_000, status=InvoiceStatus.PARTLY_PAID)
    issued.refresh_from_db()
    service.write_off_invoice(ekonomi(), issued, "Organisationen har upphört.")
    issued.refresh_from_db()
    assert (issued.written_off_sek, issued.outstanding_sek) == (21_000, 0)
    assert issued.status == InvoiceStatus.WRITTEN_OFF
    assert issued.written_off_reason == "Organisationen har upphört."
    event = AuditEvent.objects.filter(action=AuditAction.INVOICE_WRITTEN_OFF).get()
    assert event.after["amount_sek"] == 21_000
    assert event.before["status"] == "partly_paid"


def test_writing_off_twice_is_refused_with_a_clear_error(issued):
    service.write_off_invoice(ekonomi(), issued, "Skäl.")
    with pytest.raises(ValidationError) as refused:
        service.write_off_invoice(ekonomi(), issued, "Igen.")
    assert "The invoice is written off" in str(refused.value)
    with pytest.raises(ValidationError):
        service.credit_invoice(ekonomi(), issued, 1, "Skäl.")
    assert AuditEvent.objects.filter(action=AuditAction.INVOICE_WRITTEN_OFF).count() == 1


def test_a_write_off_needs_a_reason(issued):
    with pytest.raises(ValidationError):
        service.write_off_invoice(ekonomi(), issued, " ")
    issued.refresh_from_db()
    assert issued.status == InvoiceStatus.ISSUED


def test_the_refusal_is_swedish(issued, settings):
    from django.utils import translation

    service.write_off_invoice(ekonomi(), issued, "Skäl.")
    with translation.override("sv"), pytest.raises(ValidationError) as refused:
        service.write_off_invoice(ekonomi(), issued, "Igen.")
    assert "avskriven" in str(refused.value)


@pytest.mark.django_db(transaction=True)
def test_two_write_offs_at_once_write_off_once(organisation, clock_at):
    clock_at("2022-05-02T10:00")
    invoice = invoice_for(organisation, amount_sek=500)
    results = []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            service.write_off_invoice(ekonomi(), invoice, "Skäl.")
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    invoice.refresh_from_db()
    assert invoice.written_off_sek == 500
