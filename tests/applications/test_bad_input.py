"""Bad input on the application form and its autosave, the consultee's
opinion and the handläggare's proposal and consultation (issue 14, items 3,
4 and 6): text longer than its column, amounts beyond what a column or the
product holds, digits other than 0–9 and a reply date that would block the
case for ever are answered with an error the user can act on, never a
server error, and change nothing."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from fordela.applications.forms import ApplicationForm, ConsultationForm, OpinionForm
from fordela.applications.models import Application, ConsultationRequest, Decision, Opinion
from fordela.applications.services import applying, consultation

from ..forms import form_of
from .conftest import attach_all, ngo_filled, submitted_for, submitted_ngo_application
from .html import text_of

# A syntactically valid address of 259 characters (the column holds 254).
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".se"
assert len(LONG_EMAIL) == 259
TODAY = datetime.date(2021, 11, 15)  # the applications tests' clock

BAD_VALUES = [
    # (field, value, the English message the page or autosave answers)
    ("bank_giro", "123456789012", "A bank giro number has 7 or 8 digits. Check the number."),
    ("contact_email", LONG_EMAIL, "at most 254 characters"),
    ("contact_name", "N" * 201, "at most 200 characters"),
    ("project_title", "T" * 301, "at most 300 characters"),
    ("requested_sek", "99999999999999999999", "Enter at most 10 000 000 000 kr."),
    ("budget_personnel_sek", "9223372036854775808", "Enter at most 10 000 000 000 kr."),
    ("budget_other_sek", "١٢٣", "Enter the amount in whole kronor, digits only."),
    ("budget_activities_sek", "-5", "Enter the amount in whole kronor, digits only."),
]


def plain(text: str) -> str:
    """Amounts are written with no-break spaces; the expectations with spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def english_client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form_data(**overrides) -> dict:
    data = {
        "project_title": "Stöd i Ale",
        "requested_sek": "300 000",
        "budget_personnel_sek": "200 000",
        "budget_activities_sek": "80 000",
        "budget_other_sek": "20 000",
        "contact_name": "Anna Andersson",
        "contact_email": "anna@kvinnojouren.example",
        "bank_giro": "5050-1055",
    }
    data.update(overrides)
    return data


@pytest.fixture
def draft(world):
    return applying.start_application(world.users["ombud"], world.ngo, world.ngo_call)


def stored(application) -> dict:
    return Application.objects.values().get(pk=application.pk)


@pytest.mark.parametrize(("field", "value", "message"), BAD_VALUES)
def test_the_form_answers_a_field_error_and_keeps_the_old_value(
    world, draft, field, value, message
):
    before = stored(draft)
    response = english_client(world.users["ombud"]).post(
        reverse("applications:edit", args=[draft.pk]), form_data(**{field: value})
    )
    assert response.status_code == 400
    errors = form_of(response, ApplicationForm).errors[field]
    assert any(message in plain(error) for error in errors), errors
    assert message in plain(response.content.decode())
    assert stored(draft)[field] == before[field]


@pytest.mark.parametrize(("field", "value", "message"), BAD_VALUES)
def test_autosave_refuses_the_field_and_saves_the_others(world, draft, field, value, message):
    before = stored(draft)
    other = "contact_name" if field != "contact_name" else "project_title"
    response = english_client(world.users["ombud"]).post(
        reverse("applications:autosave", args=[draft.pk]),
        form_data(**{field: value, other: "Sparat"}),
    )
    assert response.status_code == 400
    answer = response.json()
    assert answer["saved"] is False
    assert message in plain(" ".join(answer["errors"]))
    after = stored(draft)
    assert after[field] == before[field]
    assert after[other] == "Sparat"


def test_amounts_with_spaces_between_thousands_are_read(world, draft):
    response = english_client(world.users["ombud"]).post(
        reverse("applications:autosave", args=[draft.pk]), form_data()
    )
    assert response.status_code == 200, response.json()
    draft.refresh_from_db()
    assert (draft.requested_sek, draft.budget_total_sek) == (300_000, 300_000)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_email", LONG_EMAIL),
        ("contact_name", "N" * 201),
        ("project_title", "T" * 301),
        ("requested_sek", "99999999999999999999"),
        ("requested_sek", 99999999999999999999),
        ("budget_other_sek", "١٢٣"),
        ("budget_other_sek", -1),
    ],
)
@pytest.mark.parametrize("service", ["save_draft", "submit_application"])
def test_the_services_refuse_what_the_columns_cannot_hold(world, draft, service, field, value):
    attach_all(draft, world.users["ombud"])
    before = stored(draft)
    with pytest.raises(ValidationError) as refused:
        getattr(applying, service)(world.users["ombud"], draft, ngo_filled(**{field: value}))
    assert field in refused.value.message_dict
    assert stored(draft) == before


@pytest.mark.parametrize("answer", ["١٢٠", "1e3", "12,5"])
def test_a_number_question_takes_only_the_digits_0_to_9(world, draft, answer):
    attach_all(draft, world.users["ombud"])
    answers = dict(ngo_filled()["answers"], people_reached=answer)
    with pytest.raises(ValidationError) as refused:
        applying.submit_application(world.users["ombud"], draft, ngo_filled(answers=answers))
    assert refused.value.message_dict["q-people_reached"] == ["Enter a whole number, digits only."]


def test_a_number_question_may_have_spaces_between_thousands(world, draft):
    attach_all(draft, world.users["ombud"])
    answers = dict(ngo_filled()["answers"], people_reached="1 200")
    assert applying.submit_application(world.users["ombud"], draft, ngo_filled(answers=answers))


# ------------------------------------------------------------ consultation


@pytest.fixture
def stimulus(world):
    return submitted_for(
        world, world.lansstyrelse, world.users["ombud_lst"], world.stimulus_call, 1_000_000
    )


@pytest.fixture
def request_(world, stimulus):
    return consultation.send_to_consultation(
        world.users["handlaggare"], stimulus, TODAY + datetime.timedelta(days=14)
    )


@pytest.mark.parametrize("amount", ["99999999999999999999", "10000000001", "١٢٣", "-1"])
def test_the_opinion_refuses_an_amount_that_is_not_whole_kronor_within_the_limit(
    world, request_, amount
):
    response = english_client(world.users["consultee"]).post(
        reverse("applications:consultation", args=[request_.pk]),
        {"text": "Tillstyrks.", "recommendation": "partial", "amount_sek": amount},
    )
    assert response.status_code == 400
    errors = " ".join(form_of(response, OpinionForm).errors["amount_sek"])
    assert "Enter at most 10 000 000 000 kr." in plain(errors) or "digits only" in errors
    assert not Opinion.objects.exists()


def test_the_opinion_reads_an_amount_with_spaces(world, request_):
    response = english_client(world.users["consultee"]).post(
        reverse("applications:consultation", args=[request_.pk]),
        {"text": "Tillstyrks.", "recommendation": "partial", "amount_sek": "800 000"},
    )
    assert response.status_code == 302
    assert Opinion.objects.get().amount_sek == 800_000


@pytest.mark.parametrize("amount", ["99999999999999999999", "١٢٣"])
def test_the_proposal_refuses_an_amount_that_is_not_whole_kronor_within_the_limit(world, amount):
    application = submitted_ngo_application(world)
    client = english_client(world.users["handlaggare"])
    response = client.post(
        reverse("applications:propose", args=[application.pk]),
        {"proposal-outcome": "partial", "proposal-amount_sek": amount, "proposal-reasons": "Del"},
    )
    # The case page again, the problem beside the field, the amount as typed.
    assert response.status_code == 400
    beside = plain(text_of(response.content.decode(), "id_proposal-amount_sek_error"))
    assert "Enter at most 10 000 000 000 kr." in beside or "digits only" in beside
    assert f'value="{amount}"' in response.content.decode()
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("reply_by", "message"),
    [
        ("9999-12-31", "Choose a reply date at most 60 days ahead"),
        (str(TODAY + datetime.timedelta(days=61)), "Choose a reply date at most 60 days ahead"),
        (str(TODAY), "The reply date must be after today."),
        ("2021-11-01", "The reply date must be after today."),
        ("99999-01-01", "Enter a valid date."),
    ],
)
def test_consultation_refuses_a_reply_date_outside_the_next_60_days(
    world, stimulus, reply_by, message
):
    response = english_client(world.users["handlaggare"]).post(
        reverse("applications:consult", args=[stimulus.pk]),
        {"consultation-reply_by": reply_by, "consultation-message": "Synpunkter?"},
    )
    assert response.status_code == 400
    assert message in text_of(response.content.decode(), "id_consultation-reply_by_error")
    assert not ConsultationRequest.objects.exists()


def test_the_form_names_the_last_reply_date(world):
    form = ConsultationForm({"reply_by": "2022-01-15", "message": ""})
    assert not form.is_valid()
    assert form.errors["reply_by"] == [
        "Choose a reply date at most 60 days ahead, 14 January 2022 at the latest."
    ]
    widget = ConsultationForm().fields["reply_by"].widget
    assert (widget.attrs["min"], widget.attrs["max"]) == ("2021-11-16", "2022-01-14")


def test_consultation_accepts_a_reply_date_60_days_ahead(world, stimulus):
    response = english_client(world.users["handlaggare"]).post(
        reverse("applications:consult", args=[stimulus.pk]),
        {"consultation-reply_by": str(TODAY + datetime.timedelta(days=60))},
    )
    assert response.status_code == 302
    assert ConsultationRequest.objects.get().reply_by == TODAY + datetime.timedelta(days=60)


@pytest.mark.parametrize("days", [0, -1, 61, 10_000])
def test_the_service_refuses_a_reply_date_outside_the_next_60_days(world, stimulus, days):
    with pytest.raises(ValidationError) as refused:
        consultation.send_to_consultation(
            world.users["handlaggare"], stimulus, TODAY + datetime.timedelta(days=days)
        )
    assert "reply_by" in refused.value.message_dict
    assert not ConsultationRequest.objects.exists()
