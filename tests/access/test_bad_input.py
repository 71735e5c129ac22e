"""Bad input on My contact details, the organisation's contact details and
the invitation (issue 14, item 3): text longer than its column is a field
error on the page, never a server error, and changes nothing."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from fordela.access.forms import (
    InvitationForm,
    MyContactDetailsForm,
    OrganisationContactDetailsForm,
)
from fordela.access.models import Invitation, OrganisationRole, UserProfile
from fordela.organisations.models import Organisation

from ..forms import form_of

# A syntactically valid address of 259 characters (the columns hold 254).
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".se"
assert len(LONG_EMAIL) == 259


def english_client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def errors_of(response, field: str, form_class: type) -> str:
    assert response.status_code in (200, 400)
    return " ".join(form_of(response, form_class).errors[field])


def stored_user(user) -> tuple:
    user = get_user_model().objects.get(pk=user.pk)
    profile = UserProfile.objects.filter(user=user).first()
    return user.first_name, user.last_name, user.email, profile.phone if profile else ""


MY_DETAILS = {"first_name": "Ulla", "last_name": "Ek", "email": "ulla@ale.se", "phone": "0303-1"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", LONG_EMAIL, "at most 254 characters"),
        ("first_name", "F" * 151, "at most 150 characters"),
        ("last_name", "L" * 151, "at most 150 characters"),
        ("phone", "0" * 41, "at most 40 characters"),
    ],
)
def test_my_contact_details_refuse_what_the_columns_cannot_hold(ale, member, field, value, message):
    user = member(ale, OrganisationRole.OMBUD)
    before = stored_user(user)
    response = english_client(user).post(
        reverse("access:my_contact_details"), {**MY_DETAILS, field: value}
    )
    assert message in errors_of(response, field, MyContactDetailsForm)
    assert message in response.content.decode()
    assert stored_user(user) == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("email", LONG_EMAIL, "at most 254 characters"), ("phone", "0" * 41, "at most 40 characters")],
)
def test_the_organisations_contact_details_refuse_what_the_columns_cannot_hold(
    ale, member, field, value, message
):
    ombud = member(ale, OrganisationRole.OMBUD)
    before = Organisation.objects.values("email", "phone").get(pk=ale.pk)
    response = english_client(ombud).post(
        reverse("access:organisation_contact_details", args=[ale.pk]),
        {"email": "kommun@ale.se", "phone": "0303-70 30 00", field: value},
    )
    assert message in errors_of(response, field, OrganisationContactDetailsForm)
    assert Organisation.objects.values("email", "phone").get(pk=ale.pk) == before


def test_an_invitation_to_an_address_too_long_for_the_column_is_refused(ale, member, mailoutbox):
    ombud = member(ale, OrganisationRole.OMBUD)
    response = english_client(ombud).post(
        reverse("access:invite", args=[ale.pk]),
        {"email": LONG_EMAIL, "role": OrganisationRole.REPRESENTANT},
    )
    assert "at most 254 characters" in errors_of(response, "email", InvitationForm)
    assert not Invitation.objects.exists()
    assert not mailoutbox


def test_an_address_of_254_characters_fits(ale, member):
    user = member(ale, OrganisationRole.OMBUD)
    email = LONG_EMAIL[5:]
    response = english_client(user).post(
        reverse("access:my_contact_details"), {**MY_DETAILS, "email": email}
    )
    assert response.status_code == 302
    assert stored_user(user)[2] == email
