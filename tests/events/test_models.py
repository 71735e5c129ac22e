"""The events models' database rules and helpers."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from fordela.events.models import RegistrationStatus, Session, with_counts

from .factories import START, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_capacity_must_be_at_least_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(capacity=0)


def test_session_must_end_after_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(ends_at=START - datetime.timedelta(minutes=1))


def test_session_needs_a_place_or_a_link():
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(place="", online_url="")
    assert SessionFactory(place="", online_url="https://meet.example.se/x").pk


def test_one_active_registration_per_email_ignoring_case():
    first = RegistrationFactory(email="Anna@Example.se")
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(session=first.session, email="anna@example.SE")
    # Once cancelled, the address may register again.
    first.status = RegistrationStatus.CANCELLED
    first.save()
    assert RegistrationFactory(session=first.session, email="anna@example.se").pk


def test_an_offer_needs_its_times():
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(status=RegistrationStatus.OFFERED)


def test_an_anonymised_registration_holds_no_personal_data():
    registration = RegistrationFactory(special_needs="Hörslinga")
    registration.anonymised_at = START
    with pytest.raises(IntegrityError), transaction.atomic():
        registration.save()
    registration.name = registration.email = registration.special_needs = ""
    registration.save()


def test_uid_is_stable_and_unique():
    one, two = SessionFactory(), SessionFactory()
    assert one.uid != two.uid
    one.refresh_from_db()
    assert Session.objects.get(pk=one.pk).uid == one.uid


def test_seats_left_counts_confirmed_and_offered(django_assert_num_queries):
    session = SessionFactory(capacity=3)
    RegistrationFactory(session=session)
    RegistrationFactory(
        session=session,
        status=RegistrationStatus.OFFERED,
        offered_at=START,
        offered_until=START,
    )
    RegistrationFactory(session=session, status=RegistrationStatus.WAITING)
    RegistrationFactory(session=session, status=RegistrationStatus.CANCELLED)
    assert session.seats_taken == 2
    assert session.seats_left == 1
    assert session.waiting_count == 1
    annotated = with_counts(Session.objects.filter(pk=session.pk)).get()
    with django_assert_num_queries(0):
        assert (annotated.seats_left, annotated.waiting_count) == (1, 1)


def test_registration_state(clock_at):
    session = SessionFactory()
    assert session.registration_state(START - datetime.timedelta(days=61)) == "not_yet"
    assert session.registration_state(START - datetime.timedelta(days=10)) == "open"
    assert session.registration_state(START - datetime.timedelta(days=2)) == "closed"
    session.status = "cancelled"
    assert session.registration_state(START - datetime.timedelta(days=10)) == "cancelled"


def test_a_published_event_reads_publicerad_not_the_keys_faststalld():
    from django.utils import translation

    from fordela.events.models import EventStatus

    with translation.override("sv"):
        assert str(EventStatus.PUBLISHED.label) == "Publicerad"
        assert str(EventStatus.DRAFT.label) == "Utkast"
