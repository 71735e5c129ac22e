"""Fixtures for access tests: users in every role, a PDF, an SMTP sink."""

import io
import itertools
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from pypdf import PdfWriter

from fordela.access.models import (
    ApplicationStatus,
    Membership,
    OmbudApplication,
    OrganisationRole,
    RegionalAssignment,
    RegionalRole,
    RoleBasis,
    StaffAssignment,
    StaffRole,
)
from fordela.organisations.models import OrganisationKind
from tests.factories import OrganisationFactory

# The SMTP sink lives in tests/mail_sink.py; re-exported for modules that import it from here.
from tests.mail_sink import Sink, free_port, smtp_sink  # noqa: F401

ALE_NUMBER = "2120001439"  # Ale kommun, data/reference/kommuner.csv


_numbers = itertools.count(1)


def other_organisation(**fields):
    """An organisation whose number cannot collide with Ale's (the shared
    factory's sequence reaches 212000-1439 after 143 organisations)."""
    from stdnum import luhn

    nine = f"80200{next(_numbers):04d}"
    fields.setdefault("organisation_number", nine + luhn.calc_check_digit(nine))
    return OrganisationFactory(**fields)


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def make_user(db):
    def make(username: str, **extra):
        extra.setdefault("email", f"{username}@example.se")
        return get_user_model().objects.create_user(username=username, password="pw", **extra)

    return make


@pytest.fixture
def ale(db):
    return OrganisationFactory(
        name="Ale kommun",
        organisation_number=ALE_NUMBER,
        municipality_code="1440",
        county_code="14",
        county_name="Västra Götalands län",
    )


@pytest.fixture
def staff(make_user):
    def make(role: StaffRole, username: str | None = None):
        user = make_user(username or role.value)
        StaffAssignment.objects.create(user=user, role=role)
        return user

    return make


@pytest.fixture
def member(make_user):
    def make(organisation, role: OrganisationRole, username: str | None = None):
        user = make_user(username or f"{role.value}-{organisation.pk}")
        Membership.objects.create(user=user, organisation=organisation, role=role)
        return user

    return make


@dataclass
class World:
    """One organisation with all three roles, another organisation with its
    ombud, agency staff, and objects that belong to the first organisation."""

    organisation: object
    other_organisation: object
    users: dict[str, object]
    application: object = None
    attachment: object = None
    invitation_token: str = ""
    extras: dict = field(default_factory=dict)
    region: object = None  # the regional staff's region (regional_admin, regional_decider)
    other_region: object = None


ROLE_NAMES = (
    "anonymous",
    "uppgiftssamordnare",
    "representant",
    "ombud",
    "other_ombud",
    "handlaggare",
    "beslutsfattare",
    "ekonomi",
    "consultee",
    "regional_admin",
    "regional_decider",
    "other_regional_admin",
)


@pytest.fixture
def world(db, ale, member, staff, make_user):
    from fordela.access import services

    other = other_organisation(name="Annan kommun")
    # No kommun or län code: outside every allocation key the world computes.
    region = other_organisation(
        name="Västra Götalandsregionen", kind=OrganisationKind.REGION, municipality_code=None
    )
    other_region = other_organisation(
        name="Region Annan", kind=OrganisationKind.REGION, municipality_code=None
    )
    users = {
        "anonymous": None,
        "uppgiftssamordnare": member(ale, OrganisationRole.UPPGIFTSSAMORDNARE),
        "representant": member(ale, OrganisationRole.REPRESENTANT),
        "ombud": member(ale, OrganisationRole.OMBUD),
        "other_ombud": member(other, OrganisationRole.OMBUD),
        "handlaggare": staff(StaffRole.HANDLAGGARE),
        "beslutsfattare": staff(StaffRole.BESLUTSFATTARE),
        "ekonomi": staff(StaffRole.EKONOMI),
        "consultee": staff(StaffRole.CONSULTEE),
        # A region's own staff for its sub-grant rounds (regional.*): the
        # world's region and another region's administrator.
        "regional_admin": regional(region, RegionalRole.ADMINISTRATOR, make_user("vkv_admin")),
        "regional_decider": regional(region, RegionalRole.DECISION_MAKER, make_user("vkv_decider")),
        "other_regional_admin": regional(
            other_region, RegionalRole.ADMINISTRATOR, make_user("other_region_admin")
        ),
    }
    applicant = make_user("applicant")
    application = OmbudApplication.objects.create(
        applicant=applicant, organisation=ale, role_basis=RoleBasis.FIRMATECKNARE
    )
    attachment = services.add_attachment(
        applicant, application, "delegation", "intyg.pdf", pdf_bytes()
    )
    services.submit_ombud_application(applicant, application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    issued = services.invite_member(
        users["ombud"], ale, "ny@example.se", "uppgiftssamordnare", site_url="http://testserver"
    )
    world = World(
        organisation=ale,
        other_organisation=other,
        users=users,
        application=application,
        attachment=attachment,
        invitation_token=issued.token,
    )
    world.region = region
    world.other_region = other_region
    return world


def regional(region, role: RegionalRole, user):
    """``user`` with the regional ``role`` in ``region``."""
    RegionalAssignment.objects.create(user=user, region=region, role=role)
    return user


# ---------------------------------------------------------------- SMTP sink


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
