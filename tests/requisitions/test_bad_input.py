"""Bad input on the requisition form and its autosave (issue 14, items 3 and
6): text longer than its column, amounts beyond what a column or the product
holds and digits other than 0–9 are answered with a field error the user
can act on, never a server error, and change nothing."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from fordela.requisitions import services
from fordela.requisitions.forms import RequisitionForm
from fordela.requisitions.models import Requisition

from ..forms import form_of
from .conftest import filled

# A syntactically valid address of 259 characters (the column holds 254).
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".se"
assert len(LONG_EMAIL) == 259

BAD_VALUES = [
    # (field, value, the English message the page or autosave answers)
    ("bank_giro", "123456789012", "A bank giro number has 7 or 8 digits. Check the number."),
    ("contact_email", LONG_EMAIL, "at most 254 characters"),
    ("contact_name", "N" * 201, "at most 200 characters"),
    ("contact_phone", "0" * 41, "at most 40 characters"),
    ("amount_sek", "99999999999999999999", "Enter at most 10 000 000 000 kr."),
    ("amount_sek", "9223372036854775808", "Enter at most 10 000 000 000 kr."),
    ("amount_sek", "١٢٣", "Enter the amount in whole kronor, digits only."),
    ("amount_sek", "1e3", "Enter the amount in whole kronor, digits only."),
    ("amount_sek", "-5", "Enter the amount in whole kronor, digits only."),
]


@pytest.fixture
def draft(round_):
    return services.start_requisition(round_.users["ombud"], round_.ale, round_.pool)


def english_client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form_data(round_, action, **overrides) -> dict:
    data = {"amount_sek": round_.allocation(round_.ale), "action": action, **filled()}
    data["conditions_confirmed"] = "on"
    data.update(overrides)
    return data


def plain(text: str) -> str:
    """Amounts are written with no-break spaces; the expectations with spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def stored(requisition) -> dict:
    return Requisition.objects.values().get(pk=requisition.pk)


@pytest.mark.parametrize(("field", "value", "message"), BAD_VALUES)
def test_the_submit_answers_a_field_error_and_changes_nothing(round_, draft, field, value, message):
    before = stored(draft)
    response = english_client(round_.users["ombud"]).post(
        reverse("requisitions:edit", args=[draft.pk]), form_data(round_, "submit", **{field: value})
    )
    assert response.status_code == 400
    errors = form_of(response, RequisitionForm).errors[field]
    assert any(message in plain(error) for error in errors), errors
    assert message in plain(response.content.decode())
    assert stored(draft) == before


@pytest.mark.parametrize(("field", "value", "message"), BAD_VALUES)
def test_save_draft_answers_the_field_error_beside_it_and_saves_the_rest(
    round_, draft, field, value, message
):
    """Issue 16 §4: one wrong field does not throw away the others."""
    before = stored(draft)
    other = "contact_name" if field != "contact_name" else "contact_phone"
    response = english_client(round_.users["ombud"]).post(
        reverse("requisitions:edit", args=[draft.pk]),
        form_data(round_, "save", **{field: value, other: "070-123 45 67"}),
    )
    assert response.status_code == 400
    errors = form_of(response, RequisitionForm).errors[field]
    assert any(message in plain(error) for error in errors), errors
    page = plain(response.content.decode())
    assert message in page
    assert f'id="id_{field}_error"' in page  # beside the field
    assert 'id="partly-saved"' in page
    after = stored(draft)
    assert after[field] == before[field]
    assert after[other] == "070-123 45 67"
    assert after["status"] == "draft"


@pytest.mark.parametrize(("field", "value", "message"), BAD_VALUES)
def test_autosave_refuses_the_field_and_saves_the_others(round_, draft, field, value, message):
    before = stored(draft)
    other = "contact_name" if field != "contact_name" else "contact_phone"
    response = english_client(round_.users["ombud"]).post(
        reverse("requisitions:autosave", args=[draft.pk]),
        form_data(round_, "save", **{field: value, other: "070-123 45 67"}),
    )
    assert response.status_code == 400
    answer = response.json()
    assert answer["saved"] is False
    assert message in plain(" ".join(answer["errors"]))
    after = stored(draft)
    assert after[field] == before[field]
    assert after[other] == "070-123 45 67"


def test_autosave_names_the_field_it_refused(round_, draft):
    response = english_client(round_.users["ombud"]).post(
        reverse("requisitions:autosave", args=[draft.pk]),
        form_data(round_, "save", contact_email=LONG_EMAIL),
    )
    assert response.json()["errors"][0].startswith("Contact person's e-mail: ")


def test_an_amount_with_spaces_between_thousands_is_read(round_, draft):
    allocation = round_.allocation(round_.ale)
    written = f"{allocation:,}".replace(",", " ")
    response = english_client(round_.users["ombud"]).post(
        reverse("requisitions:autosave", args=[draft.pk]),
        form_data(round_, "save", amount_sek=written, wants_redistribution="on"),
    )
    assert response.status_code == 200, response.json()
    draft.refresh_from_db()
    assert draft.amount_sek == allocation and draft.wants_redistribution


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_email", LONG_EMAIL),
        ("contact_name", "N" * 201),
        ("contact_phone", "0" * 41),
        ("amount_sek", "99999999999999999999"),
        ("amount_sek", 99999999999999999999),
        ("amount_sek", "١٢٣"),
        ("amount_sek", -1),
    ],
)
def test_the_submission_refuses_what_the_columns_cannot_hold(round_, draft, field, value):
    before = stored(draft)
    with pytest.raises(ValidationError) as refused:
        services.submit_requisition(round_.users["ombud"], draft, filled(**{field: value}))
    assert field in refused.value.message_dict
    assert stored(draft) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_email", LONG_EMAIL),
        ("contact_name", "N" * 201),
        ("contact_phone", "0" * 41),
        ("amount_sek", "99999999999999999999"),
        ("amount_sek", 99999999999999999999),
        ("amount_sek", "١٢٣"),
        ("amount_sek", -1),
    ],
)
def test_save_draft_keeps_what_a_column_cannot_hold_out_and_saves_the_rest(
    round_, draft, field, value
):
    before = stored(draft)
    other = "contact_name" if field != "contact_name" else "contact_phone"
    saved = services.save_draft(
        round_.users["ombud"], draft, filled(**{field: value, other: "070-1"})
    )
    assert field in saved.problems
    after = stored(draft)
    assert after[field] == before[field]
    assert after[other] == "070-1"


def test_autosave_of_an_emptied_amount_saves_the_rest_and_says_saved(round_, draft):
    """An empty field is no error in a draft (the submission asks for it)."""
    response = english_client(round_.users["ombud"]).post(
        reverse("requisitions:autosave", args=[draft.pk]),
        form_data(round_, "save", amount_sek="", contact_phone="070-123 45 67"),
    )
    assert response.status_code == 200 and response.json()["saved"] is True
    draft.refresh_from_db()
    assert draft.amount_sek == round_.allocation(round_.ale)
    assert draft.contact_phone == "070-123 45 67"
