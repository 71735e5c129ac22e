"""A 2022 NGO call and a stimulus call (as seed_calls makes them), an NGO
and a länsstyrelse with their users, and agency staff."""

import datetime
import io
import itertools
from dataclasses import dataclass, field

import pytest
from pypdf import PdfWriter
from stdnum import luhn

from fordela.access.models import OrganisationRole
from fordela.applications.demo import seed_calls
from fordela.applications.models import Call
from fordela.applications.services import applying
from fordela.organisations.models import OrganisationKind
from tests.factories import OrganisationFactory
from tests.mail_sink import smtp_sink  # noqa: F401 - fixture
from tests.requisitions.conftest import make_user, member, staff  # noqa: F401

VALID_BANKGIRO = "50501055"
_numbers = itertools.count(1)


def organisation(name: str, kind: str, **fields):
    nine = f"80300{next(_numbers):04d}"
    fields.setdefault("organisation_number", nine + luhn.calc_check_digit(nine))
    return OrganisationFactory(
        name=name, kind=kind, municipality_code=None, bank_giro=VALID_BANKGIRO, **fields
    )


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass
class World:
    ngo_call: Call
    stimulus_call: Call
    ngo: object
    lansstyrelse: object
    kommun: object
    users: dict = field(default_factory=dict)


@pytest.fixture
def clock_at(clock_at):
    clock_at("2021-11-15T10:00")
    return clock_at


@pytest.fixture
def world(programme, clock_at):
    ngo_call, stimulus_call = seed_calls()
    ngo = organisation("Kvinnojouren Ale", OrganisationKind.NONPROFIT)
    lansstyrelse = organisation(
        "Länsstyrelsen i Västra Götalands län", OrganisationKind.LANSSTYRELSE
    )
    kommun = organisation("Ale kommun", OrganisationKind.KOMMUN)
    w = World(ngo_call, stimulus_call, ngo, lansstyrelse, kommun)
    w.users = {
        "ombud": member(ngo, OrganisationRole.OMBUD, "ombud"),
        "representant": member(ngo, OrganisationRole.REPRESENTANT, "representant"),
        "uppgiftssamordnare": member(ngo, OrganisationRole.UPPGIFTSSAMORDNARE, "samordnare"),
        "ombud_lst": member(lansstyrelse, OrganisationRole.OMBUD, "ombud-lst"),
        "ombud_kommun": member(kommun, OrganisationRole.OMBUD, "ombud-kommun"),
        "handlaggare": staff("handlaggare", "handlaggare"),
        "handlaggare2": staff("handlaggare", "handlaggare2"),
        "beslutsfattare": staff("beslutsfattare", "beslutsfattare"),
        "beslutsfattare2": staff("beslutsfattare", "beslutsfattare2"),
        "consultee": staff("consultee", "jamy"),
        "ekonomi": staff("ekonomi", "ekonomi"),
    }
    return w


NGO_ANSWERS = {
    "purpose": "Stödsamtal och skyddat boende för våldsutsatta kvinnor i Ale.",
    "target_group": "Våld i nära relationer",
    "goals": "Fler ska få stöd; vi följer upp med enkäter.",
    "people_reached": "120",
    "founded": "1995-03-01",
    "municipalities": "Ale, Kungälv",
}


def ngo_filled(**overrides) -> dict:
    data = {
        "project_title": "Stöd till våldsutsatta i Ale",
        "requested_sek": 300_000,
        "budget_personnel_sek": 200_000,
        "budget_activities_sek": 80_000,
        "budget_other_sek": 20_000,
        "other_public_funding": "Kommunalt föreningsbidrag 50 000 kr",
        "contact_name": "Anna Andersson",
        "contact_email": "anna@kvinnojouren.example",
        "bank_giro": VALID_BANKGIRO,
        "truth_declared": True,
        "answers": dict(NGO_ANSWERS),
    }
    data.update(overrides)
    return data


def attach_all(application, user):
    for item in application.call.attachment_checklist:
        applying.attach_file(user, application, item["key"], f"{item['key']}.pdf", pdf_bytes())


def submitted_ngo_application(world, **overrides):
    user = world.users["ombud"]
    application = applying.start_application(user, world.ngo, world.ngo_call)
    attach_all(application, user)
    return applying.submit_application(user, application, ngo_filled(**overrides))


def submitted_for(world, organisation, user, call, requested=300_000):
    """A submitted application from any eligible organisation."""
    application = applying.start_application(user, organisation, call)
    attach_all(application, user)
    answers = {q.key: "Svar" for q in call.question_set.questions.all()}
    answers.update({k: v for k, v in NGO_ANSWERS.items() if k in answers})
    return applying.submit_application(
        user,
        application,
        ngo_filled(
            requested_sek=requested,
            budget_personnel_sek=requested,
            budget_activities_sek=0,
            budget_other_sek=0,
            answers=answers,
        ),
    )


D = datetime.date


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids), whatever the
    translator has merged into the Swedish catalogue."""
    from django.utils import translation

    with translation.override("en"):
        yield
