"""The requisition pages: form, autosave, receipt, the handläggare's lists,
redistribution and ledger pages, the public list and payments pages."""

import pytest
from django.test import Client
from django.urls import reverse

from fordela.organisations.models import Organisation
from fordela.payments.models import PaymentBatch
from fordela.requisitions import exports, services
from fordela.requisitions.models import Redistribution, Requisition, RequisitionStatus
from tests.spreadsheets import HOSTILE_NAMES, cells_with, csv_records, csv_table, xlsx_sheet

from .conftest import filled


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def draft(round_):
    return services.start_requisition(round_.users["ombud"], round_.ale, round_.pool)


def form_data(round_, action="submit", **overrides):
    """The form as posted; a submit as confirmed on the confirmation page
    (``confirmed=None`` for the first, unconfirmed post)."""
    data = {"amount_sek": round_.allocation(round_.ale), "action": action, **filled()}
    data["conditions_confirmed"] = "on"
    if action == "submit":
        data["confirmed"] = "1"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_organisation_page_shows_available_amount_and_last_day(round_):
    response = client_for(round_.users["ombud"]).get(
        reverse("access:organisation", args=[round_.ale.pk])
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Kommuner, påfyllnad" in text
    assert "1 oktober 2021" in text or "1 October 2021" in text


def test_ombud_starts_and_submits_through_the_form(round_):
    client = client_for(round_.users["ombud"])
    response = client.post(reverse("requisitions:start", args=[round_.ale.pk, round_.pool.pk]))
    requisition = Requisition.objects.get()
    assert response.url == reverse("requisitions:edit", args=[requisition.pk])
    assert client.get(response.url).status_code == 200
    response = client.post(response.url, form_data(round_, wants_redistribution="on"))
    assert response.status_code == 302
    requisition.refresh_from_db()
    assert requisition.status == RequisitionStatus.SUBMITTED
    receipt = client.get(response.url).content.decode()
    assert requisition.case_number in receipt
    assert "Din rekvisition är inskickad." in receipt  # the receipt confirms it


def test_a_withdrawn_requisitions_receipt_does_not_say_submitted(round_, draft):
    services.withdraw_requisition(round_.users["ombud"], draft)
    receipt = client_for(round_.users["ombud"]).get(
        reverse("requisitions:receipt", args=[draft.pk])
    )
    assert receipt.status_code == 200
    assert "är inskickad" not in receipt.content.decode()


def test_form_offers_submit_to_ombud_and_representant_only(round_, draft):
    url = reverse("requisitions:edit", args=[draft.pk])
    for name, may_submit in (
        ("ombud", True),
        ("representant", True),
        ("uppgiftssamordnare", False),
    ):
        response = client_for(round_.users[name]).get(url)
        assert response.status_code == 200
        assert ('value="submit"' in response.content.decode()) is may_submit, name
    assert client_for(round_.users["ombud_b"]).get(url).status_code == 403


def test_save_draft_button_works_without_javascript(round_, draft):
    client = client_for(round_.users["uppgiftssamordnare"])
    url = reverse("requisitions:edit", args=[draft.pk])
    response = client.post(url, form_data(round_, action="save", contact_name="Cecilia"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.contact_name == "Cecilia"
    assert draft.status == RequisitionStatus.DRAFT


def test_uppgiftssamordnare_submit_is_refused_with_a_message(round_, draft):
    client = client_for(round_.users["uppgiftssamordnare"])
    response = client.post(reverse("requisitions:edit", args=[draft.pk]), form_data(round_))
    assert response.status_code == 403
    assert "ombud" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == RequisitionStatus.DRAFT


def test_bad_bank_giro_shows_the_error_and_keeps_the_draft(round_, draft):
    client = client_for(round_.users["ombud"])
    response = client.post(
        reverse("requisitions:edit", args=[draft.pk]), form_data(round_, bank_giro="123")
    )
    assert response.status_code == 400
    assert (
        "check digit" in response.content.decode() or "kontrollsiffr" in response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == RequisitionStatus.DRAFT and draft.bank_giro == "50501055"


def test_autosave_saves_and_answers_json(round_, draft):
    client = client_for(round_.users["representant"])
    response = client.post(
        reverse("requisitions:autosave", args=[draft.pk]), form_data(round_, contact_phone="070-1")
    )
    assert response.status_code == 200
    assert response.json()["saved"] is True
    draft.refresh_from_db()
    assert draft.contact_phone == "070-1"


def test_handlaggare_pages(round_, draft, clock_at):
    services.submit_requisition(round_.users["ombud"], draft, filled())
    client = client_for(round_.users["handlaggare"])
    pool_page = client.get(reverse("requisitions:pool", args=[round_.pool.pk]))
    assert draft.organisation.name in pool_page.content.decode()
    table = csv_table(client.get(reverse("requisitions:pool_csv", args=[round_.pool.pk])).content)
    assert table[0][0] == "Diarienummer"
    assert len(table) == 2
    xlsx = client.get(reverse("requisitions:pool_xlsx", args=[round_.pool.pk]))
    assert xlsx.content[:2] == b"PK"
    case = client.get(reverse("requisitions:case", args=[draft.pk])).content.decode()
    assert "Rekvisitionen skickades in" in case
    assert client.get(reverse("requisitions:ledger", args=[round_.pool.pk])).status_code == 200

    clock_at("2021-10-04T09:00")
    url = reverse("requisitions:redistribution", args=[round_.pool.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 200  # the confirmation page
    assert not Redistribution.objects.exists()
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert Redistribution.objects.exists()
    programme = round_.pool.programme_year.programme.slug
    public = reverse(
        "requisitions:redistribution_list_csv", args=[programme, 2021, "kommuner-pafyllnad"]
    )
    assert csv_table(Client().get(public).content)[0][:2] == ["Kod", "Organisation"]


def test_requisition_list_csv_has_swedish_headings_and_the_exact_amounts(round_, draft):
    submitted = services.submit_requisition(round_.users["ombud"], draft, filled())
    response = client_for(round_.users["handlaggare"]).get(
        reverse("requisitions:pool_csv", args=[round_.pool.pk])
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="rekvisitioner-{round_.pool.programme_year.programme.slug}'
        '-2021-kommuner-pafyllnad.csv"'
    )
    (row,) = csv_records(response.content)
    assert list(row) == exports.REQUISITION_HEADER
    assert row == {
        "Diarienummer": submitted.case_number,
        "Organisation": "Ale kommun",
        "Organisationsnummer": round_.ale.formatted_organisation_number,
        "Län": "Stockholms län",
        "Status": "Inskickad",
        "Tilldelat belopp (kr)": str(round_.allocation(round_.ale)),
        "Rekvirerat belopp (kr)": str(round_.allocation(round_.ale)),
        "Vill ha omfördelning": "Nej",
        "Inskickad": "2021-09-15 10:00",
    }


def test_requisition_list_xlsx_has_the_same_rows_as_the_csv(round_, draft):
    services.submit_requisition(round_.users["ombud"], draft, filled())
    client = client_for(round_.users["handlaggare"])
    csv_rows = csv_table(
        client.get(reverse("requisitions:pool_csv", args=[round_.pool.pk])).content
    )
    response = client.get(reverse("requisitions:pool_xlsx", args=[round_.pool.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    values = list(xlsx_sheet(response.content).iter_rows(values_only=True))
    header = values.index(tuple(exports.REQUISITION_HEADER))
    programme = round_.pool.programme_year.programme
    assert [row[:2] for row in values[:3]] == [
        ("Program", f"{programme.reference_number} {programme.title}"),
        ("År", 2021),
        ("Pott", "Kommuner, påfyllnad"),
    ]
    (row,) = values[header + 1 :]
    assert [str(value) for value in row] == csv_rows[1]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_requisition_list_shows_a_formula_like_name_as_text(round_, draft, name):
    services.submit_requisition(round_.users["ombud"], draft, filled())
    Organisation.objects.filter(pk=round_.ale.pk).update(name=name)
    client = client_for(round_.users["handlaggare"])
    table = csv_table(client.get(reverse("requisitions:pool_csv", args=[round_.pool.pk])).content)
    assert table[1][1] == "'" + name
    sheet = xlsx_sheet(client.get(reverse("requisitions:pool_xlsx", args=[round_.pool.pk])).content)
    (cell,) = cells_with(sheet, name)
    assert cell.data_type == "s"


def test_ekonomi_batch_pages(round_, draft, clock_at):
    services.submit_requisition(round_.users["ombud"], draft, filled())
    creator = client_for(round_.users["ekonomi"])
    response = creator.post(reverse("payments:create"), {"payment_date": "2021-10-20"})
    assert response.status_code == 302
    batch_url = response.url
    assert creator.get(batch_url).status_code == 200
    pk = int(batch_url.rstrip("/").split("/")[-1])
    creator.post(reverse("payments:approve", args=[pk]), {"confirmed": "1"})  # refused: own
    assert PaymentBatch.objects.get().status == "created"
    approver = client_for(round_.users["ekonomi2"])
    approver.post(reverse("payments:approve", args=[pk]), {"confirmed": "1"})
    xml = approver.get(reverse("payments:pain001", args=[pk]))
    assert b"pain.001.001.03" in xml.content
    clock_at("2021-10-20T15:00")  # the payment date
    approver.post(reverse("payments:confirm", args=[pk]), {"confirmed": "1"})
    draft.refresh_from_db()
    assert draft.status == RequisitionStatus.PAID


def test_someone_elses_submit_gets_403_and_shows_nothing_of_the_case(round_, draft):
    # The submit button goes straight to the service; a refusal must still
    # answer an outsider as the page itself does, without the form.
    client = client_for(round_.users["ombud_b"])
    response = client.post(reverse("requisitions:edit", args=[draft.pk]), form_data(round_))
    assert response.status_code == 403
    assert "Ale" not in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == RequisitionStatus.DRAFT


def test_submit_of_a_missing_requisition_is_404(round_):
    client = client_for(round_.users["ombud"])
    response = client.post(reverse("requisitions:edit", args=[987654]), form_data(round_))
    assert response.status_code == 404


def test_submitting_again_leads_to_the_receipt(round_, draft):
    client = client_for(round_.users["ombud"])
    url = reverse("requisitions:edit", args=[draft.pk])
    assert client.post(url, form_data(round_)).status_code == 302
    again = client.post(url, form_data(round_))
    assert again.status_code == 302
    assert again["Location"] == reverse("requisitions:receipt", args=[draft.pk])
    assert Requisition.objects.get().case_number == "2021-10-0001"


def test_unparseable_amount_on_submit_shows_the_form_error(round_, draft):
    client = client_for(round_.users["ombud"])
    response = client.post(
        reverse("requisitions:edit", args=[draft.pk]), form_data(round_, amount_sek="12 kr")
    )
    assert response.status_code == 400
    assert "whole kronor" in response.content.decode() or "hela kronor" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == RequisitionStatus.DRAFT
