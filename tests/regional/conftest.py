"""Shared fixtures for the regional sub-grant tests: a region with its staff,
a local actor and an open round. A round made here has its state funding
written straight on the row; the funding chain (the round backed by the
region's paid requisition) has its own fixtures in the tests that need it."""

import datetime

import pytest

from fordela.access.models import OrganisationRole, RegionalRole
from fordela.organisations.models import OrganisationKind
from fordela.regional.models import RoundQuestionSet, RoundStatus, SubGrantRound
from tests.access.conftest import (  # noqa: F401 - fixtures
    ale,
    make_user,
    member,
    other_organisation,
    regional,
    staff,
)

QUESTIONS = [
    {
        "key": "purpose",
        "text": "Vad ska pengarna användas till?",
        "help": "",
        "max_length": 2000,
        "required": True,
    },
    {
        "key": "target_group",
        "text": "Vilka når insatsen?",
        "help": "",
        "max_length": 1000,
        "required": True,
    },
    {
        "key": "cooperation",
        "text": "Vilka samverkar ni med?",
        "help": "",
        "max_length": 1000,
        "required": False,
    },
]


@pytest.fixture
def region(db):
    return other_organisation(
        name="Västra Götalandsregionen",
        kind=OrganisationKind.REGION,
        municipality_code=None,
        region_county_code="14",
        county_code="14",
        county_name="Västra Götalands län",
    )


@pytest.fixture
def other_region(db):
    return other_organisation(
        name="Region Värmland",
        kind=OrganisationKind.REGION,
        municipality_code=None,
        region_county_code="17",
        county_code="17",
        county_name="Värmlands län",
    )


@pytest.fixture
def regional_admin(region, make_user):  # noqa: F811
    return regional(region, RegionalRole.ADMINISTRATOR, make_user("vkv"))


@pytest.fixture
def regional_decider(region, make_user):  # noqa: F811
    return regional(region, RegionalRole.DECISION_MAKER, make_user("vkv-chef"))


@pytest.fixture
def region_ombud(region, member):  # noqa: F811
    """The region's ombud in the e-service: applies for the region's own units."""
    return member(region, OrganisationRole.OMBUD, "ombud-vgr")


@pytest.fixture
def actor(db):
    """An external local actor with an organisation number (a kommun)."""
    return other_organisation(
        name="Borås stad", county_code="14", county_name="Västra Götalands län"
    )


@pytest.fixture
def actor_ombud(actor, member):  # noqa: F811
    return member(actor, OrganisationRole.OMBUD, "ombud-boras")


@pytest.fixture
def make_round(region, programme):
    """A round of ``region`` in 2022 with the VKV dates and a published
    question set; ``status`` defaults to open."""

    def make(**fields) -> SubGrantRound:
        year = programme.years.get(year=2022)  # seed_programme sets up 2020–2022
        fields.setdefault("region", region)
        fields.setdefault("programme_year", year)
        fields.setdefault("title", "Statliga medel 2022")
        fields.setdefault("apply_by", datetime.date(2022, 5, 15))
        fields.setdefault("decide_by", datetime.date(2022, 6, 30))
        fields.setdefault("use_from", datetime.date(2022, 1, 1))
        fields.setdefault("use_to", datetime.date(2022, 12, 31))
        fields.setdefault("report_by", datetime.date(2023, 1, 15))
        fields.setdefault("state_funding_sek", 1_000_000)
        fields.setdefault("status", RoundStatus.OPEN)
        round_ = SubGrantRound.objects.create(**fields)
        questions = RoundQuestionSet.objects.create(
            round=round_,
            version=1,
            questions=QUESTIONS,
            status="published",
            published_at=datetime.datetime(2022, 3, 1, 9, tzinfo=datetime.UTC),
        )
        round_.question_set = questions
        round_.save(update_fields=["question_set"])
        return round_

    return make
