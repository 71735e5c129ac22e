"""The payee's bank giro number on a requisition: the form's example is not
the agency's own number, the agency's own number is refused, and a number
longer than a bank giro number is a form error (never a server error)."""

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from fordela.payments import bankgiro
from fordela.payments.models import Payable
from fordela.requisitions import services
from fordela.requisitions.forms import RequisitionForm
from fordela.requisitions.models import Requisition, RequisitionStatus

from ..forms import form_of
from .conftest import VALID_BANKGIRO, filled

AGENCY_BANKGIRO = django_settings.FORDELA_AGENCY_BANKGIRO  # the example in settings/base.py


@pytest.fixture
def draft(round_):
    return services.start_requisition(round_.users["ombud"], round_.ale, round_.pool)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(round_, **overrides) -> dict:
    data = {"amount_sek": round_.allocation(round_.ale), "action": "save", **filled()}
    data["conditions_confirmed"] = "on"
    data.update(overrides)
    return data


def test_the_example_number_is_a_valid_bank_giro_that_is_not_the_agencys():
    help_text = str(RequisitionForm().fields["bank_giro"].help_text)
    example = help_text.rsplit(" ", 1)[-1].rstrip(".")
    assert bankgiro.is_valid(example)
    assert bankgiro.normalise(example) != bankgiro.normalise(AGENCY_BANKGIRO)


def test_the_agencys_example_bank_giro_is_none_the_tests_give_an_organisation():
    assert bankgiro.is_valid(AGENCY_BANKGIRO)
    assert bankgiro.normalise(AGENCY_BANKGIRO) != VALID_BANKGIRO


@pytest.mark.parametrize("written", [AGENCY_BANKGIRO, bankgiro.formatted(AGENCY_BANKGIRO)])
def test_the_agencys_own_bank_giro_is_refused(round_, draft, written):
    before = Requisition.objects.values().get(pk=draft.pk)
    with pytest.raises(ValidationError) as info:
        services.submit_requisition(round_.users["ombud"], draft, filled(bank_giro=written))
    assert info.value.message_dict["bank_giro"] == [
        "This is the agency's own bank giro number. Enter your organisation's bank giro number."
    ]
    assert Requisition.objects.values().get(pk=draft.pk) == before
    assert not Payable.objects.exists()


def test_the_agencys_bank_giro_comes_from_the_settings(round_, draft, settings):
    settings.FORDELA_AGENCY_BANKGIRO = "1234-5674"
    draft.bank_giro = "12345674"
    assert "bank_giro" in services.submission_errors(draft)
    draft.bank_giro = VALID_BANKGIRO
    assert "bank_giro" not in services.submission_errors(draft)


def test_a_hyphenated_eight_digit_number_fits_the_form():
    form = RequisitionForm({"bank_giro": "1234-5674", "amount_sek": "1"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["bank_giro"] == "12345674"


@pytest.mark.parametrize("too_long", ["123456789012", "1234-5678-90", "1234567890123"])
def test_a_number_too_long_for_a_bank_giro_is_a_form_error(round_, draft, too_long):
    response = client_for(round_.users["ombud"]).post(
        reverse("requisitions:edit", args=[draft.pk]), form_data(round_, bank_giro=too_long)
    )
    assert response.status_code == 400
    assert "bank_giro" in form_of(response, RequisitionForm).errors
    draft.refresh_from_db()
    assert draft.status == RequisitionStatus.DRAFT and draft.bank_giro == VALID_BANKGIRO


def test_autosave_does_not_save_a_number_too_long_for_a_bank_giro(round_, draft):
    response = client_for(round_.users["ombud"]).post(
        reverse("requisitions:autosave", args=[draft.pk]),
        form_data(round_, bank_giro="123456789012", contact_phone="070-123 45 67"),
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        "Bankgironummer: Ett bankgironummer har 7 eller 8 siffror. Kontrollera numret."
    ]
    draft.refresh_from_db()
    assert draft.bank_giro == VALID_BANKGIRO and draft.contact_phone == "070-123 45 67"
