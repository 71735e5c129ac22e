"""The invoice pages: the agency's list (filters, counts, sums, a query
budget), an invoice's page with credit and write-off after a confirmation,
the PDF and e-invoice downloads, the organisation's page; who may see what."""

import pytest
from django.test import Client
from django.urls import reverse

from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.recovery.models import CreditNote, Invoice, InvoiceStatus
from tests.factories import OrganisationFactory
from tests.query_budget import query_budget
from tests.recovery.invoice_fixtures import invoice_for, ombud_of, staff_users


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ale(db, clock_at):
    clock_at("2022-05-02T10:00")
    return OrganisationFactory(name="Ale kommun", organisation_number="2120001439")


@pytest.fixture
def invoice(ale):
    return invoice_for(ale, amount_sek=25_000)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ekonomi(db):
    return client_for(staff_users()["ekonomi"])


def test_the_list_counts_and_sums_and_filters(ale, ekonomi, clock_at):
    first = invoice_for(ale, amount_sek=1_000)
    invoice_for(ale, amount_sek=2_000)
    Invoice.objects.filter(pk=first.pk).update(paid_sek=1_000, status=InvoiceStatus.PAID)
    url = reverse("recovery:invoices")
    page = ekonomi.get(url).content.decode()
    assert "2 fakturor" in page or "2 invoices" in page
    assert 'id="outstanding-total"><strong>2\u202f000\u00a0kr' in page
    assert ekonomi.get(url, {"status": "paid"}).context["page"].paginator.count == 1
    assert ekonomi.get(url, {"overdue": "on"}).context["page"].paginator.count == 0
    clock_at("2022-06-02T10:00")
    overdue = ekonomi.get(url, {"overdue": "on"})
    assert [i.number for i in overdue.context["page"]] == ["2022000002"]
    # A year with no invoices is no choice: shown as an error, the other filters apply.
    assert ekonomi.get(url, {"year": "2021", "status": "paid"}).context["page"].paginator.count == 1
    assert ekonomi.get(url, {"year": "2022"}).context["page"].paginator.count == 2
    # Bad filter values are not a 500.
    assert ekonomi.get(url, {"year": "x", "status": "nonsense"}).status_code == 200


def test_the_list_runs_as_many_queries_for_many_invoices(ale, ekonomi):
    invoice_for(ale, amount_sek=100)
    with query_budget(ekonomi, reverse("recovery:invoices")):
        for _ in range(6):
            invoice_for(OrganisationFactory(), amount_sek=100)


def test_the_organisation_page_runs_as_many_queries_for_many_invoices(ale):
    ombud = ombud_of(ale)
    invoice_for(ale, amount_sek=100)
    with query_budget(client_for(ombud), reverse("recovery:organisation", args=[ale.pk])):
        for _ in range(5):
            invoice_for(ale, amount_sek=100)


def test_the_invoice_page_shows_its_figures(invoice, ekonomi):
    page = ekonomi.get(reverse("recovery:invoice", args=[invoice.pk])).content.decode()
    assert invoice.ocr in page
    assert "5555-5551" in page
    assert 'id="credit-form"' in page and 'id="write-off-form"' in page


@pytest.mark.parametrize("role", ["handlaggare", "beslutsfattare"])
def test_readers_see_the_page_without_the_forms(invoice, role):
    page = client_for(staff_users()[role]).get(reverse("recovery:invoice", args=[invoice.pk]))
    assert page.status_code == 200
    assert b'id="credit-form"' not in page.content
    response = client_for(staff_users()[role]).post(
        reverse("recovery:invoice_credit", args=[invoice.pk]),
        {"amount_sek": "1", "reason": "x", "confirmed": "1"},
    )
    assert response.status_code == 403


def test_crediting_asks_first_and_then_issues_the_credit_note(invoice, ekonomi):
    url = reverse("recovery:invoice_credit", args=[invoice.pk])
    data = {"amount_sek": "5 000", "reason": "Fel belopp."}
    asked = ekonomi.post(url, data)
    assert asked.status_code == 200
    assert "Ja, utfärda kreditfakturan" in asked.content.decode() or b"Yes, issue" in asked.content
    assert not CreditNote.objects.exists()
    done = ekonomi.post(url, {**data, "confirmed": "1"})
    assert done.status_code == 302
    note = CreditNote.objects.get()
    assert note.amount_sek == 5_000
    invoice.refresh_from_db()
    assert invoice.outstanding_sek == 20_000
    page = ekonomi.get(reverse("recovery:invoice", args=[invoice.pk])).content.decode()
    assert note.number in page
    pdf = ekonomi.get(reverse("recovery:credit_note_pdf", args=[note.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    xml = ekonomi.get(reverse("recovery:credit_note_ubl", args=[note.pk]))
    assert b"<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>" in xml.content


@pytest.mark.parametrize(
    "amount",
    ["0", "-5", "25001", "99999999999999999999999999", "abc", "", "1,5"],
)
def test_a_bad_credit_amount_is_a_clear_error_and_changes_nothing(invoice, ekonomi, amount):
    response = ekonomi.post(
        reverse("recovery:invoice_credit", args=[invoice.pk]),
        {"amount_sek": amount, "reason": "Skäl.", "confirmed": "1"},
    )
    assert response.status_code == 400
    assert b"govuk-error-summary" in response.content
    assert not CreditNote.objects.exists()


def test_a_credit_without_a_reason_is_refused(invoice, ekonomi):
    response = ekonomi.post(
        reverse("recovery:invoice_credit", args=[invoice.pk]),
        {"amount_sek": "100", "reason": "  ", "confirmed": "1"},
    )
    assert response.status_code == 400
    assert not CreditNote.objects.exists()


def test_a_credit_on_a_paid_invoice_is_refused(invoice, ekonomi):
    Invoice.objects.filter(pk=invoice.pk).update(paid_sek=25_000, status=InvoiceStatus.PAID)
    response = ekonomi.post(
        reverse("recovery:invoice_credit", args=[invoice.pk]),
        {"amount_sek": "100", "reason": "Skäl.", "confirmed": "1"},
    )
    assert response.status_code == 400
    assert not CreditNote.objects.exists()


def test_writing_off_asks_first_and_twice_is_refused(invoice, ekonomi):
    url = reverse("recovery:invoice_write_off", args=[invoice.pk])
    assert ekonomi.post(url, {"reason": "Upphört."}).status_code == 200
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED
    assert ekonomi.post(url, {"reason": "Upphört.", "confirmed": "1"}).status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.WRITTEN_OFF
    again = ekonomi.post(url, {"reason": "Igen.", "confirmed": "1"})
    assert again.status_code == 400
    assert AuditEvent.objects.filter(action=AuditAction.INVOICE_WRITTEN_OFF).count() == 1


def test_the_pdf_for_staff_and_the_organisations_members_only(invoice, ale):
    url = reverse("recovery:invoice_pdf", args=[invoice.pk])
    assert client_for(staff_users()["handlaggare"]).get(url)["Content-Type"] == "application/pdf"
    assert client_for(ombud_of(ale)).get(url).status_code == 200
    other = OrganisationFactory()
    assert client_for(ombud_of(other)).get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_the_e_invoice_download_is_audited_and_for_staff_only(invoice, ekonomi, ale):
    url = reverse("recovery:invoice_ubl", args=[invoice.pk])
    response = ekonomi.get(url)
    assert response.status_code == 200
    assert invoice.ocr.encode() in response.content
    assert AuditEvent.objects.filter(action=AuditAction.INVOICE_EXPORTED).count() == 1
    assert client_for(ombud_of(ale)).get(url).status_code == 403


def test_an_e_invoice_without_organisation_number_is_a_clear_error(invoice, ekonomi, ale):
    ale.organisation_number = ""
    ale.save()
    response = ekonomi.get(reverse("recovery:invoice_ubl", args=[invoice.pk]), follow=True)
    assert "saknar organisationsnummer" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.INVOICE_EXPORTED).exists()


def test_the_organisation_page_lists_its_invoices_and_decisions(invoice, ale):
    page = client_for(ombud_of(ale)).get(reverse("recovery:organisation", args=[ale.pk]))
    text = page.content.decode()
    assert invoice.number in text and invoice.ocr in text and "5555-5551" in text
    assert "2022-06-01" in text
    assert reverse("recovery:invoice_pdf", args=[invoice.pk]) in text
    assert invoice.case_number in text


def test_someone_elses_organisation_page_is_403(invoice, ale):
    other = OrganisationFactory()
    url = reverse("recovery:organisation", args=[ale.pk])
    assert client_for(ombud_of(other)).get(url).status_code == 403
    assert client_for(staff_users()["ekonomi"]).get(url).status_code == 200


def test_an_unknown_invoice_is_404(ekonomi, db):
    assert ekonomi.get(reverse("recovery:invoice", args=[999999])).status_code == 404
    assert ekonomi.get(reverse("recovery:invoice_pdf", args=[999999])).status_code == 404
