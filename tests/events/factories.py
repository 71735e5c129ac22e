"""Factories for the training events (shared by the events tests)."""

import datetime

import factory

from fordela.core.clock import STOCKHOLM
from fordela.events.models import (
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Session,
)
from fordela.organisations.models import OrganisationKind
from tests.factories import OrganisationFactory

# Sessions start on this day unless told otherwise; tests move the clock
# (``clock_at``) to before or after it.
START = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=STOCKHOLM)


class OrganiserFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Länsstyrelsen Test {n}")
    kind = OrganisationKind.LANSSTYRELSE
    municipality_code = None


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    organiser = factory.SubFactory(OrganiserFactory)
    title = factory.Sequence(lambda n: f"Utbildningsdag om våld i nära relationer {n}")
    description = "En dag om att upptäcka våld och ge stöd."
    target_group = "Socialtjänstens handläggare"
    county_code = "01"
    status = EventStatus.PUBLISHED


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    starts_at = START
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=7))
    place = "Länsstyrelsens lokaler, Stockholm"
    capacity = 20
    registration_opens_at = factory.LazyAttribute(
        lambda o: o.starts_at - datetime.timedelta(days=60)
    )
    registration_closes_at = factory.LazyAttribute(
        lambda o: o.starts_at - datetime.timedelta(days=2)
    )


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    name = factory.Sequence(lambda n: f"Deltagare {n}")
    email = factory.Sequence(lambda n: f"deltagare{n}@example.se")
    organisation_text = "Testkommun"
    status = RegistrationStatus.CONFIRMED
    position = factory.Sequence(lambda n: n + 1)
