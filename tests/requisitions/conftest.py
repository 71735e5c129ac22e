"""A small requisition round: one 2021 top-up pool for kommuner with a
published key over four kommuner, their users and agency staff."""

import datetime
import itertools
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from stdnum import luhn

from fordela.access.models import Membership, OrganisationRole, StaffAssignment, StaffRole
from fordela.allocation.services import compute_key, freeze_key
from fordela.programmes.models import Pool
from tests.factories import OrganisationFactory, PoolFactory, PopulationFactory

# The SMTP sink lives in tests/mail_sink.py; re-exported for modules that import it from here.
from tests.mail_sink import Sink, free_port, smtp_sink  # noqa: F401

VALID_BANKGIRO = "50501055"
_numbers = itertools.count(1)


def organisation(name: str, code: str, population: int):
    nine = f"21201{next(_numbers):04d}"
    org = OrganisationFactory(
        name=name,
        municipality_code=code,
        organisation_number=nine + luhn.calc_check_digit(nine),
        bank_giro=VALID_BANKGIRO,
    )
    PopulationFactory(
        organisation=org, reference_date=datetime.date(2020, 12, 31), population=population
    )
    return org


@dataclass
class Round:
    pool: Pool
    organisations: list
    users: dict = field(default_factory=dict)

    @property
    def ale(self):
        return self.organisations[0]

    def allocation(self, org) -> int:
        return self.pool.allocation_key.allocations.get(organisation=org).amount_sek


def make_user(username: str, **extra):
    extra.setdefault("email", f"{username}@example.se")
    extra.setdefault("first_name", username.capitalize())
    return get_user_model().objects.create_user(username=username, password="pw", **extra)


def member(org, role, username):
    user = make_user(username)
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


def staff(role, username):
    user = make_user(username)
    StaffAssignment.objects.create(user=user, role=role)
    return user


@pytest.fixture(autouse=True)
def english():
    """Service messages are matched in English (the msgids)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def clock_at(clock_at):
    clock_at("2021-09-15T10:00")
    return clock_at


@pytest.fixture
def round_(db, clock_at):
    orgs = [
        organisation("Ale kommun", "1440", 31_868),
        organisation("Bjurholms kommun", "2403", 2_387),
        organisation("Falu kommun", "2080", 59_351),
        organisation("Gävle kommun", "2180", 102_904),
    ]
    pool = PoolFactory(
        slug="kommuner-pafyllnad",
        name="Kommuner, påfyllnad",
        amount_sek=5_000_000,
        opens_on=datetime.date(2021, 4, 15),
        closes_on=datetime.date(2021, 10, 1),
    )
    freeze_key(compute_key(pool, actor="tests"), actor="tests")
    pool.refresh_from_db()
    world = Round(pool=pool, organisations=orgs)
    world.users = {
        "ombud": member(orgs[0], OrganisationRole.OMBUD, "ombud"),
        "representant": member(orgs[0], OrganisationRole.REPRESENTANT, "representant"),
        "uppgiftssamordnare": member(orgs[0], OrganisationRole.UPPGIFTSSAMORDNARE, "samordnare"),
        "ombud_b": member(orgs[1], OrganisationRole.OMBUD, "ombud-b"),
        "ombud_f": member(orgs[2], OrganisationRole.OMBUD, "ombud-f"),
        "ombud_g": member(orgs[3], OrganisationRole.OMBUD, "ombud-g"),
        "handlaggare": staff(StaffRole.HANDLAGGARE, "handlaggare"),
        "ekonomi": staff(StaffRole.EKONOMI, "ekonomi"),
        "ekonomi2": staff(StaffRole.EKONOMI, "ekonomi2"),
    }
    return world


def filled(**overrides) -> dict:
    data = {
        "contact_name": "Anna Andersson",
        "contact_email": "anna@example.se",
        "contact_phone": "0303-33 00 00",
        "bank_giro": VALID_BANKGIRO,
        "conditions_confirmed": True,
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- SMTP sink
