"""Issue 16 §4 and the confirmation pages: the requisition form never loses
work (autosave and "Spara utkast" keep every valid field and name the others
beside them; an invalid bank giro is warned about and the rest saved), a
draft can be deleted by its organisation and started again, the grant's
conditions are on the form, and each irreversible action (submit, delete a
draft, reject, confirm a redistribution, approve a batch, mark it paid)
shows its confirmation page first and acts only on the confirmed post."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.payments import services as payments
from fordela.payments.models import Payable, PaymentBatch
from fordela.requisitions import officer, services
from fordela.requisitions.models import Redistribution, Requisition, RequisitionStatus

from .conftest import VALID_BANKGIRO, filled

WRONG_CHECK_DIGIT = "5050-1056"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def draft(round_):
    return services.start_requisition(round_.users["ombud"], round_.ale, round_.pool)


def posted(round_, action, **overrides) -> dict:
    data = {"amount_sek": str(round_.allocation(round_.ale)), "action": action, **filled()}
    data["conditions_confirmed"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def stored(requisition) -> dict:
    return Requisition.objects.values().get(pk=requisition.pk)


# ------------------------------------------------------------ never lose work


def test_autosave_keeps_every_valid_field_and_names_the_bank_giro_beside_it(round_, draft):
    response = client_for(round_.users["ombud"]).post(
        reverse("requisitions:autosave", args=[draft.pk]),
        posted(round_, "save", bank_giro=WRONG_CHECK_DIGIT, contact_name="Cecilia Berg"),
    )
    assert response.status_code == 400
    answer = response.json()
    # Swedish, as the ombud reads it beside the field.
    assert answer["fields"] == {
        "bank_giro": [
            "Bankgironumret är inte giltigt. Det ska ha 7 eller 8 siffror och den sista siffran "
            "ska vara rätt kontrollsiffra. Kontrollera numret."
        ]
    }
    assert "contact_name" in answer["valid"] and "bank_giro" not in answer["valid"]
    assert answer["message"].startswith("Utkastet sparades kl. ")
    after = stored(draft)
    assert after["bank_giro"] == VALID_BANKGIRO  # kept what was saved
    assert after["contact_name"] == "Cecilia Berg"
    assert after["conditions_confirmed"] is True


def test_autosave_keeps_the_rest_when_the_amount_is_above_the_allocation(round_, draft):
    allocation = round_.allocation(round_.ale)
    response = client_for(round_.users["ombud"]).post(
        reverse("requisitions:autosave", args=[draft.pk]),
        posted(round_, "save", amount_sek=str(allocation + 1), contact_phone="070-1"),
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["amount_sek"]
    after = stored(draft)
    assert after["amount_sek"] == allocation and after["contact_phone"] == "070-1"


def test_an_opt_in_without_the_full_amount_keeps_the_amount_and_names_the_opt_in(round_, draft):
    response = client_for(round_.users["ombud"]).post(
        reverse("requisitions:autosave", args=[draft.pk]),
        posted(round_, "save", amount_sek="1000", wants_redistribution="on"),
    )
    assert list(response.json()["fields"]) == ["wants_redistribution"]
    after = stored(draft)
    assert after["amount_sek"] == 1000 and after["wants_redistribution"] is False


def test_lowering_the_amount_of_an_opted_in_draft_keeps_both_saved_values(round_, draft):
    services.save_draft(round_.users["ombud"], draft, {"wants_redistribution": True})
    saved = services.save_draft(
        round_.users["ombud"], draft, {"amount_sek": 1000, "wants_redistribution": True}
    )
    assert set(saved.problems) == {"amount_sek", "wants_redistribution"}
    after = stored(draft)
    assert after["amount_sek"] == round_.allocation(round_.ale)
    assert after["wants_redistribution"] is True


def test_autosave_answers_every_field_in_order_once_it_is_corrected(round_, draft):
    client = client_for(round_.users["ombud"])
    url = reverse("requisitions:autosave", args=[draft.pk])
    client.post(url, posted(round_, "save", bank_giro=WRONG_CHECK_DIGIT))
    response = client.post(url, posted(round_, "save", bank_giro="1234-5674"))
    assert response.status_code == 200 and response.json()["saved"] is True
    assert "bank_giro" in response.json()["valid"]
    assert stored(draft)["bank_giro"] == "12345674"


def test_save_draft_button_warns_about_the_bank_giro_beside_it_and_saves_the_rest(round_, draft):
    response = client_for(round_.users["uppgiftssamordnare"]).post(
        reverse("requisitions:edit", args=[draft.pk]),
        posted(round_, "save", bank_giro=WRONG_CHECK_DIGIT, contact_name="Cecilia Berg"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="partly-saved"' in page
    assert "Utkastet är sparat, utom fälten som är markerade nedan" in page
    assert 'id="id_bank_giro_error"' in page  # beside the field
    assert 'href="#id_bank_giro"' in page  # and in the error summary at the top
    assert 'value="5050-1056"' in page  # what the user wrote is still in the form
    after = stored(draft)
    assert after["contact_name"] == "Cecilia Berg"
    assert after["bank_giro"] == VALID_BANKGIRO
    assert after["status"] == RequisitionStatus.DRAFT


def test_save_draft_button_with_an_emptied_amount_saves_the_rest(round_, draft):
    response = client_for(round_.users["ombud"]).post(
        reverse("requisitions:edit", args=[draft.pk]),
        posted(round_, "save", amount_sek="", contact_name="Cecilia Berg"),
    )
    assert response.status_code == 302
    after = stored(draft)
    assert after["contact_name"] == "Cecilia Berg"
    assert after["amount_sek"] == round_.allocation(round_.ale)


def test_the_form_shows_the_conditions_it_confirms(round_, draft):
    round_.pool.use_until = datetime.date(2021, 12, 31)
    round_.pool.report_due = datetime.date(2022, 3, 31)
    round_.pool.source = "Regeringsbeslut 2020-03-12"
    round_.pool.save()
    page = (
        client_for(round_.users["ombud"])
        .get(reverse("requisitions:edit", args=[draft.pk]))
        .content.decode()
    )
    conditions = page[page.index('id="conditions"') : page.index('id="id_conditions_confirmed"')]
    programme = round_.pool.programme_year.programme
    assert "Villkor för bidraget" in conditions
    assert reverse("programmes:detail", args=[programme.slug]) in conditions
    assert programme.reference_number in conditions
    assert "använda medlen senast 31 december 2021" in conditions
    assert "redovisa hur medlen har använts senast 31 mars 2022" in conditions
    assert "betala tillbaka medel som inte har använts" in conditions
    assert "Regeringsbeslut 2020-03-12" in conditions
    assert "Villkoren står ovanför" in page  # the checkbox's hint points to them


def test_the_form_is_step_one_of_three(round_, draft):
    page = (
        client_for(round_.users["ombud"])
        .get(reverse("requisitions:edit", args=[draft.pk]))
        .content.decode()
    )
    assert 'aria-label="Steg 1 av 3"' in page
    assert '<li aria-current="step">Fyll i</li>' in page


# --------------------------------------------------------------- delete draft


def test_the_ombud_deletes_a_draft_after_confirming_and_can_start_again(round_, draft):
    client = client_for(round_.users["ombud"])
    url = reverse("requisitions:edit", args=[draft.pk])
    assert 'id="delete-draft-form"' in client.get(url).content.decode()

    page = client.post(url, {"action": "delete"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Radera utkastet till rekvisition?" in text
    assert 'name="confirmed" value="1"' in text
    assert Requisition.objects.filter(pk=draft.pk).exists()  # nothing yet

    done = client.post(url, {"action": "delete", "confirmed": "1"})
    assert done.url == reverse("access:organisation", args=[round_.ale.pk])
    assert not Requisition.objects.filter(pk=draft.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.REQUISITION_DRAFT_DELETED)
    assert event.object_id == str(draft.pk) and event.actor == round_.users["ombud"]
    assert event.before["amount_sek"] == draft.amount_sek

    again = client.post(reverse("requisitions:start", args=[round_.ale.pk, round_.pool.pk]))
    fresh = Requisition.objects.get(organisation=round_.ale, pool=round_.pool)
    assert fresh.pk != draft.pk and fresh.is_draft
    assert again.url == reverse("requisitions:edit", args=[fresh.pk])


def test_the_representant_may_delete_and_the_uppgiftssamordnare_may_not(round_, draft):
    url = reverse("requisitions:edit", args=[draft.pk])
    coordinator = client_for(round_.users["uppgiftssamordnare"])
    assert 'id="delete-draft-form"' not in coordinator.get(url).content.decode()
    assert coordinator.post(url, {"action": "delete", "confirmed": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.delete_draft(round_.users["uppgiftssamordnare"], draft)
    assert Requisition.objects.filter(pk=draft.pk).exists()
    services.delete_draft(round_.users["representant"], draft)
    assert not Requisition.objects.filter(pk=draft.pk).exists()


def test_a_submitted_or_returned_requisition_cannot_be_deleted(round_, draft):
    submitted = services.submit_requisition(round_.users["ombud"], draft, filled())
    with pytest.raises(ValidationError, match="already been submitted"):
        services.delete_draft(round_.users["ombud"], submitted)
    officer.return_requisition(round_.users["handlaggare"], submitted, "Fel bankgiro.")
    with pytest.raises(ValidationError, match="already been submitted"):
        services.delete_draft(round_.users["ombud"], submitted)
    page = client_for(round_.users["ombud"]).get(reverse("requisitions:edit", args=[submitted.pk]))
    assert 'id="delete-draft-form"' not in page.content.decode()
    forged = client_for(round_.users["ombud"]).post(
        reverse("requisitions:edit", args=[submitted.pk]), {"action": "delete"}
    )
    assert forged.status_code == 302  # back to the form, no confirmation page
    assert Requisition.objects.filter(pk=submitted.pk).exists()


# ------------------------------------------------------------- confirmations


def test_submit_shows_the_confirmation_first_and_submits_only_when_confirmed(round_, draft):
    client = client_for(round_.users["ombud"])
    url = reverse("requisitions:edit", args=[draft.pk])
    page = client.post(url, posted(round_, "submit"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Skicka in rekvisitionen?" in text
    assert 'aria-label="Steg 2 av 3"' in text
    assert "5050-1055" in text and "Ale kommun" in text
    amount = f"{round_.allocation(round_.ale):,}".replace(",", "\u202f")
    assert amount in text.replace("&nbsp;", "\u00a0")
    assert 'name="confirmed" value="1"' in text
    assert stored(draft)["status"] == RequisitionStatus.DRAFT
    assert stored(draft)["case_number"] is None and not Payable.objects.exists()

    done = client.post(url, {**posted(round_, "submit"), "confirmed": "1"})
    assert done.url == reverse("requisitions:receipt", args=[draft.pk])
    receipt = client.get(done.url).content.decode()
    assert 'class="govuk-panel govuk-panel--confirmation"' in receipt
    assert 'aria-label="Steg 3 av 3"' in receipt
    assert stored(draft)["status"] == RequisitionStatus.SUBMITTED


def test_an_unconfirmed_submit_with_errors_shows_them_at_once(round_, draft):
    response = client_for(round_.users["ombud"]).post(
        reverse("requisitions:edit", args=[draft.pk]),
        posted(round_, "submit", bank_giro=WRONG_CHECK_DIGIT),
    )
    assert response.status_code == 400
    assert 'id="id_bank_giro_error"' in response.content.decode()
    assert 'name="confirmed"' not in response.content.decode()


def test_reject_shows_the_confirmation_first(round_, draft):
    submitted = services.submit_requisition(round_.users["ombud"], draft, filled())
    client = client_for(round_.users["handlaggare"])
    url = reverse("requisitions:case_action", args=[submitted.pk])
    data = {"action": "reject", "message": "Inte behörig mottagare."}
    page = client.post(url, data)
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Avslå rekvisition {submitted.case_number}?" in text
    assert "Inte behörig mottagare." in text
    assert Requisition.objects.get().status == RequisitionStatus.SUBMITTED
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    assert Requisition.objects.get().status == RequisitionStatus.REJECTED


def test_a_note_needs_no_confirmation(round_, draft):
    submitted = services.submit_requisition(round_.users["ombud"], draft, filled())
    response = client_for(round_.users["handlaggare"]).post(
        reverse("requisitions:case_action", args=[submitted.pk]),
        {"action": "note", "message": "Vi har tagit emot intyget."},
    )
    assert response.status_code == 302
    assert submitted.officer_messages.count() == 1


def test_the_redistribution_shows_the_confirmation_first(round_, draft, clock_at):
    services.submit_requisition(round_.users["ombud"], draft, filled(wants_redistribution=True))
    clock_at("2021-10-04T09:00")
    client = client_for(round_.users["handlaggare"])
    url = reverse("requisitions:redistribution", args=[round_.pool.pk])
    page = client.post(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Fastställa omfördelningen av Kommuner, påfyllnad 2021?" in text
    assert "omfördelas till 1 organisation" in text
    assert not Redistribution.objects.exists()
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert Redistribution.objects.exists()


def test_approving_and_marking_a_batch_paid_show_the_confirmation_first(round_, draft, clock_at):
    services.submit_requisition(round_.users["ombud"], draft, filled())
    batch = payments.create_batch(round_.users["ekonomi"], datetime.date(2021, 10, 20)).batch
    approver = client_for(round_.users["ekonomi2"])
    approve = reverse("payments:approve", args=[batch.pk])
    page = approver.post(approve)
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Godkänna utbetalningsomgång {batch.reference}?" in text
    assert "20 oktober 2021" in text
    assert PaymentBatch.objects.get().status == "created"
    assert approver.post(approve, {"confirmed": "1"}).status_code == 302
    assert PaymentBatch.objects.get().status == "approved"

    clock_at("2021-10-20T15:00")
    paid = reverse("payments:confirm", args=[batch.pk])
    page = approver.post(paid)
    assert page.status_code == 200
    assert f"Markera utbetalningsomgång {batch.reference} som utbetald?" in page.content.decode()
    assert PaymentBatch.objects.get().status == "approved"
    assert approver.post(paid, {"confirmed": "1"}).status_code == 302
    assert PaymentBatch.objects.get().status == "paid"
    assert Requisition.objects.get().status == RequisitionStatus.PAID


def test_cancelling_a_batch_shows_the_confirmation_first(round_, draft):
    services.submit_requisition(round_.users["ombud"], draft, filled())
    batch = payments.create_batch(round_.users["ekonomi"], datetime.date(2021, 10, 20)).batch
    ekonomi = client_for(round_.users["ekonomi"])
    cancel = reverse("payments:cancel", args=[batch.pk])
    page = ekonomi.post(cancel)
    assert page.status_code == 200
    assert f"Makulera utbetalningsomgång {batch.reference}?" in page.content.decode()
    assert PaymentBatch.objects.get().status == "created"
    assert ekonomi.post(cancel, {"confirmed": "1"}).status_code == 302
    assert PaymentBatch.objects.get().status == "cancelled"


def test_only_ekonomi_reaches_the_batch_confirmation(round_, draft):
    services.submit_requisition(round_.users["ombud"], draft, filled())
    batch = payments.create_batch(round_.users["ekonomi"], datetime.date(2021, 10, 20)).batch
    response = client_for(round_.users["handlaggare"]).post(
        reverse("payments:approve", args=[batch.pk])
    )
    assert response.status_code == 403
