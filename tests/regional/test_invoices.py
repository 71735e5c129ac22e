"""The grantee's invoice to the region and the region's payment of it (issue
20 §4): only after an approved report; for an own unit an internal reference
without a bank giro, for an external actor its invoice number, a valid bank
giro and an amount at most what was granted and what the report says was
used (unused money is simply not invoiced); one invoice per report; the
payment recorded once, not before the invoice date. Only the region's
administrator records them; a refusal is a Swedish error and changes
nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fordela.access.models import RegionalRole, StaffRole
from fordela.audit.actions import AuditAction
from fordela.audit.services import events_for
from fordela.core.formatting import kronor
from fordela.regional.models import (
    InvoiceKind,
    SubGrantInvoice,
    SubGrantInvoiceStatus,
    SubGrantReport,
)
from fordela.regional.services import invoices, reports
from tests.access.conftest import regional
from tests.reports.conftest import restore_report_form

from .after_fixtures import ANSWERS, decided_grant

pytestmark = pytest.mark.django_db

INVOICE_DATE = datetime.date(2023, 2, 1)


@pytest.fixture(autouse=True)
def swedish_and_clock(settings):
    settings.FORDELA_TODAY = "2023-02-10T10:00"
    restore_report_form()
    with translation.override("sv"):
        yield


@pytest.fixture
def round_(make_round):
    return make_round(status="finished")


def reported(round_, organisation, admin, decider, grantee, *, used=150_000, own_unit=False):
    """A grant of 200 000 kr to ``organisation`` whose report says ``used``
    was used, submitted by ``grantee``."""
    decision = decided_grant(
        round_, organisation, proposer=admin, decider=decider, amount_sek=200_000, own_unit=own_unit
    )
    reports.open_reports(admin, round_)
    report = SubGrantReport.objects.get(decision=decision)
    reports.save_draft(grantee, report, {**ANSWERS, "used_sek": str(used)})
    return reports.submit(grantee, report)


@pytest.fixture
def submitted(round_, actor, regional_admin, regional_decider, actor_ombud):
    return reported(round_, actor, regional_admin, regional_decider, actor_ombud)


@pytest.fixture
def approved(submitted, regional_admin):
    return reports.approve(regional_admin, submitted)


@pytest.fixture
def own_unit_report(round_, region, regional_admin, regional_decider, region_ombud):
    report = reported(
        round_, region, regional_admin, regional_decider, region_ombud, used=90_000, own_unit=True
    )
    return reports.approve(regional_admin, report)


def external(user, report, **changes):
    fields = {
        "reference": "F-2023-17",
        "amount_sek": "150 000",
        "invoice_date": INVOICE_DATE,
        "bank_giro": "5050-1055",
    }
    fields.update(changes)
    return invoices.record_invoice(user, report, **fields)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ------------------------------------------------------------ recording


def test_an_external_actors_invoice_is_recorded_after_the_approved_report(approved, regional_admin):
    invoice = external(regional_admin, approved)
    invoice.refresh_from_db()
    assert invoice.kind == InvoiceKind.EXTERNAL
    assert invoice.status == SubGrantInvoiceStatus.RECORDED
    assert (invoice.reference, invoice.bank_giro) == ("F-2023-17", "50501055")
    assert (invoice.amount_sek, invoice.granted_sek) == (150_000, 200_000)
    assert invoice.invoice_date == INVOICE_DATE and invoice.recorded_by == regional_admin
    (event,) = events_for(invoice).filter(action=AuditAction.SUBGRANT_INVOICE_RECORDED)
    assert event.after["amount_sek"] == 150_000 and event.after["bank_giro"] == "50501055"


def test_an_own_unit_invoices_internally_with_a_reference_and_no_bank_giro(
    own_unit_report, regional_admin
):
    invoice = invoices.record_invoice(
        regional_admin,
        own_unit_report,
        reference="KS0042-2023-01",
        amount_sek=90_000,
        invoice_date=INVOICE_DATE,
    )
    assert invoice.kind == InvoiceKind.INTERNAL
    assert invoice.bank_giro == "" and invoice.reference == "KS0042-2023-01"


def test_an_own_units_invoice_with_a_bank_giro_is_refused(own_unit_report, regional_admin):
    with pytest.raises(ValidationError) as error:
        invoices.record_invoice(
            regional_admin,
            own_unit_report,
            reference="KS0042",
            amount_sek=90_000,
            invoice_date=INVOICE_DATE,
            bank_giro="5050-1055",
        )
    assert "inget bankgironummer" in error.value.message_dict["bank_giro"][0]
    assert not SubGrantInvoice.objects.exists()


@pytest.mark.parametrize(
    "status", ["open", "submitted", "completion_requested", "rejected"], ids=str
)
def test_no_invoice_before_the_report_is_approved(submitted, regional_admin, status):
    SubGrantReport.objects.filter(pk=submitted.pk).update(status=status)
    with pytest.raises(ValidationError) as error:
        external(regional_admin, submitted)
    assert "först när återrapporten har godkänts" in error.value.messages[0]
    assert not SubGrantInvoice.objects.exists()


def test_an_amount_above_what_was_granted_is_refused(approved, regional_admin):
    with pytest.raises(ValidationError) as error:
        external(regional_admin, approved, amount_sek="200 001")
    assert kronor(200_000) in error.value.message_dict["amount_sek"][0]
    assert not SubGrantInvoice.objects.exists()


def test_unused_money_is_not_invoiced(approved, regional_admin):
    """The report says 150 000 kr of 200 000 kr was used: 150 001 kr is
    refused, 150 000 kr is the invoice."""
    with pytest.raises(ValidationError) as error:
        external(regional_admin, approved, amount_sek="150 001")
    message = error.value.message_dict["amount_sek"][0]
    assert kronor(150_000) in message and "oanvända pengar faktureras inte" in message
    assert not SubGrantInvoice.objects.exists()
    assert external(regional_admin, approved, amount_sek="150 000").amount_sek == 150_000


@pytest.mark.parametrize("amount", ["", "0", "-5", "1,5", "12e3", "ett tusen"], ids=repr)
def test_an_amount_that_is_not_whole_kronor_from_1_is_refused(approved, regional_admin, amount):
    with pytest.raises(ValidationError) as error:
        external(regional_admin, approved, amount_sek=amount)
    assert error.value.message_dict["amount_sek"]
    assert not SubGrantInvoice.objects.exists()


@pytest.mark.parametrize("bank_giro", ["", "5050-1056", "123", "5050 1055 12"], ids=repr)
def test_an_external_invoice_needs_a_valid_bank_giro(approved, regional_admin, bank_giro):
    with pytest.raises(ValidationError) as error:
        external(regional_admin, approved, bank_giro=bank_giro)
    assert "bankgiro" in error.value.message_dict["bank_giro"][0].lower()
    assert not SubGrantInvoice.objects.exists()


def test_every_problem_is_named_at_once(approved, regional_admin):
    with pytest.raises(ValidationError) as error:
        external(
            regional_admin,
            approved,
            reference=" ",
            amount_sek="999 999",
            invoice_date=datetime.date(2023, 3, 1),
            bank_giro="1",
        )
    assert set(error.value.message_dict) == {"reference", "amount_sek", "invoice_date", "bank_giro"}
    assert "Ange fakturanumret." in error.value.message_dict["reference"]
    assert "senare än i dag" in error.value.message_dict["invoice_date"][0]


def test_a_second_invoice_for_the_same_report_is_refused(approved, regional_admin):
    external(regional_admin, approved)
    with pytest.raises(ValidationError, match="redan registrerad"):
        external(regional_admin, approved, reference="F-2")
    assert SubGrantInvoice.objects.count() == 1


def test_only_the_regions_administrator_records_an_invoice(
    approved, regional_decider, other_region, make_user, actor_ombud, staff
):
    other = regional(other_region, RegionalRole.ADMINISTRATOR, make_user("varmland"))
    handlaggare = staff(StaffRole.HANDLAGGARE, "handlaggare")
    for user in (regional_decider, other, actor_ombud, handlaggare):
        with pytest.raises(PermissionDenied):
            external(user, approved)
    assert not SubGrantInvoice.objects.exists()


# ------------------------------------------------------------ payment


@pytest.fixture
def invoice(approved, regional_admin):
    return external(regional_admin, approved)


def test_the_regions_payment_is_recorded_once(invoice, regional_admin):
    invoices.record_payment(
        regional_admin, invoice, paid_on=datetime.date(2023, 2, 8), payment_reference="Ver 118"
    )
    invoice.refresh_from_db()
    assert invoice.status == SubGrantInvoiceStatus.PAID
    assert invoice.paid_on == datetime.date(2023, 2, 8) and invoice.paid_by == regional_admin
    assert events_for(invoice).filter(action=AuditAction.SUBGRANT_INVOICE_PAID).count() == 1
    with pytest.raises(ValidationError, match="redan betald"):
        invoices.record_payment(
            regional_admin, invoice, paid_on=datetime.date(2023, 2, 9), payment_reference="Ver 2"
        )
    assert SubGrantInvoice.objects.get(pk=invoice.pk).payment_reference == "Ver 118"


@pytest.mark.parametrize(
    ("paid_on", "reference", "field"),
    [
        (None, "Ver 1", "paid_on"),
        (datetime.date(2023, 1, 31), "Ver 1", "paid_on"),  # before the invoice date
        (datetime.date(2023, 2, 11), "Ver 1", "paid_on"),  # after today
        (datetime.date(2023, 2, 8), "  ", "payment_reference"),
    ],
    ids=["no date", "before the invoice", "after today", "no reference"],
)
def test_a_payment_that_does_not_add_up_is_refused(
    invoice, regional_admin, paid_on, reference, field
):
    with pytest.raises(ValidationError) as error:
        invoices.record_payment(
            regional_admin, invoice, paid_on=paid_on, payment_reference=reference
        )
    assert error.value.message_dict[field]
    invoice.refresh_from_db()
    assert invoice.status == SubGrantInvoiceStatus.RECORDED and invoice.paid_on is None


def test_the_decision_maker_cannot_record_the_payment(invoice, regional_decider):
    with pytest.raises(PermissionDenied):
        invoices.record_payment(
            regional_decider, invoice, paid_on=datetime.date(2023, 2, 8), payment_reference="V"
        )
    assert SubGrantInvoice.objects.get(pk=invoice.pk).status == SubGrantInvoiceStatus.RECORDED


# ------------------------------------------------------------ pages


def test_the_invoice_page_says_why_not_before_the_approval(submitted, regional_admin):
    client = client_for(regional_admin)
    url = reverse("regional:invoice_new", args=[submitted.pk])
    page = client.get(url).content.decode()
    assert 'id="refusal"' in page and "först när återrapporten har godkänts" in page
    assert 'id="invoice-form"' not in page
    response = client.post(
        url,
        {
            "reference": "F-1",
            "amount_sek": "100 000",
            "invoice_date": "2023-02-01",
            "bank_giro": "5050-1055",
        },
    )
    assert response.status_code == 400
    assert "först när återrapporten har godkänts" in response.content.decode()
    assert not SubGrantInvoice.objects.exists()


def test_the_invoice_is_recorded_and_paid_through_the_pages(approved, regional_admin):
    client = client_for(regional_admin)
    review = client.get(reverse("regional:report_review", args=[approved.pk])).content.decode()
    assert 'id="record-invoice"' in review
    url = reverse("regional:invoice_new", args=[approved.pk])
    form = client.get(url).content.decode()
    assert 'value="150 000"' in form or 'value="150000"' in form  # the amount used, prefilled
    too_much = client.post(
        url,
        {
            "reference": "F-1",
            "amount_sek": "200 000",
            "invoice_date": "2023-02-01",
            "bank_giro": "5050-1055",
        },
    )
    assert too_much.status_code == 400
    assert "oanvända pengar faktureras inte" in too_much.content.decode()
    assert not SubGrantInvoice.objects.exists()
    done = client.post(
        url,
        {
            "reference": "F-1",
            "amount_sek": "150 000",
            "invoice_date": "2023-02-01",
            "bank_giro": "5050-1055",
        },
    )
    invoice = SubGrantInvoice.objects.get()
    assert done["Location"] == reverse("regional:invoice", args=[invoice.pk])
    page = client.get(done["Location"]).content.decode()
    assert "5050-1055" in page and kronor(150_000) in page and 'id="payment-form"' in page

    pay = reverse("regional:invoice_pay", args=[invoice.pk])
    payment = {"paid_on": "2023-02-08", "payment_reference": "Ver 118"}
    asked = client.post(pay, payment)
    assert asked.status_code == 200 and "Registrera betalningen?" in asked.content.decode()
    assert SubGrantInvoice.objects.get().status == SubGrantInvoiceStatus.RECORDED
    paid = client.post(pay, {**payment, "confirmed": "1"})
    assert paid.status_code == 302
    assert SubGrantInvoice.objects.get().status == SubGrantInvoiceStatus.PAID
    page = client.get(reverse("regional:invoice", args=[invoice.pk])).content.decode()
    assert 'id="paid-on"' in page and "8 februari 2023" in page and 'id="payment-form"' not in page


def test_a_bad_bank_giro_on_the_page_is_an_error_beside_the_field(approved, regional_admin):
    response = client_for(regional_admin).post(
        reverse("regional:invoice_new", args=[approved.pk]),
        {
            "reference": "F-1",
            "amount_sek": "150 000",
            "invoice_date": "2023-02-01",
            "bank_giro": "5050-1056",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_bank_giro-error"' in page or "govuk-error-message" in page
    assert "kontrollsiffra" in page
    assert not SubGrantInvoice.objects.exists()


def test_the_agency_reads_the_invoice_but_cannot_pay_it(invoice, staff):
    client = client_for(staff(StaffRole.HANDLAGGARE, "handlaggare"))
    page = client.get(reverse("regional:invoice", args=[invoice.pk]))
    assert page.status_code == 200 and 'id="payment-form"' not in page.content.decode()
    response = client.post(
        reverse("regional:invoice_pay", args=[invoice.pk]),
        {"paid_on": "2023-02-08", "payment_reference": "V", "confirmed": "1"},
    )
    assert response.status_code == 403
    assert SubGrantInvoice.objects.get(pk=invoice.pk).status == SubGrantInvoiceStatus.RECORDED


def test_another_regions_administrator_gets_403(invoice, approved, other_region, make_user):
    client = client_for(regional(other_region, RegionalRole.ADMINISTRATOR, make_user("varmland")))
    for url in (
        reverse("regional:invoice", args=[invoice.pk]),
        reverse("regional:invoice_new", args=[approved.pk]),
        reverse("regional:round_invoices", args=[approved.decision.round_id]),
    ):
        assert client.get(url).status_code == 403


def test_the_rounds_invoices_page_and_csv(invoice, round_, regional_admin):
    client = client_for(regional_admin)
    page = client.get(reverse("regional:round_invoices", args=[round_.pk])).content.decode()
    assert "F-2023-17" in page and kronor(150_000) in page
    csv = client.get(reverse("regional:round_invoices_csv", args=[round_.pk]))
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Diarienummer;Bidragsmottagare")
    assert "F-2023-17" in text and "5050-1055" in text and "Registrerad" in text


def test_an_empty_invoice_form_names_every_field_and_records_nothing(approved, regional_admin):
    response = client_for(regional_admin).post(
        reverse("regional:invoice_new", args=[approved.pk]), {}
    )
    assert response.status_code == 400
    page = response.content.decode()
    for message in (
        "Ange fakturanumret.",
        "Ange bankgironumret på fakturan.",
        "Ange fakturadatum.",
    ):
        assert message in page
    assert "(valfritt)" not in page
    assert not SubGrantInvoice.objects.exists()


# ------------------------------------------------------------ query budgets


def test_the_rounds_reports_and_invoices_do_not_grow_with_the_grants(
    make_round, actor, actor_ombud, regional_admin, regional_decider, client
):
    from tests.query_budget import query_budget
    from tests.regional.after_fixtures import add_work

    round_ = make_round(status="finished", state_funding_sek=5_000_000)
    add_work(round_, actor, actor_ombud, regional_admin, regional_decider)
    client.force_login(regional_admin)
    urls = [
        reverse(name, args=[round_.pk])
        for name in ("regional:round_reports", "regional:round_invoices")
    ]
    with query_budget(client, *urls):
        for _ in range(3):
            add_work(round_, actor, actor_ombud, regional_admin, regional_decider)
