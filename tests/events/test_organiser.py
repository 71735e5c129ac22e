"""The organiser's side: who organises, events and sessions, capacity,
cancelling a session, the waiting list by hand, attendance, and a grant's
events."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fordela.access.models import Membership, OrganisationRole, StaffAssignment, StaffRole
from fordela.core.clock import STOCKHOLM
from fordela.events.models import (
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    SessionStatus,
)
from fordela.events.services import organiser as services
from fordela.organisations.models import OrganisationKind
from tests.events.factories import (
    START,
    EventFactory,
    OrganiserFactory,
    RegistrationFactory,
    SessionFactory,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(django_user_model):
    def make(name):
        return django_user_model.objects.create_user(name, f"{name}@example.se", "pw")

    return make


@pytest.fixture
def organiser():
    return OrganiserFactory(name="Länsstyrelsen i Östergötlands län", county_code="05")


@pytest.fixture
def member(users, organiser):
    user = users("lst-uppgift")
    Membership.objects.create(
        user=user, organisation=organiser, role=OrganisationRole.UPPGIFTSSAMORDNARE
    )
    return user


@pytest.fixture
def outsider(users):
    other = OrganiserFactory(name="Länsstyrelsen i Skåne län")
    user = users("lst-skane")
    Membership.objects.create(user=user, organisation=other, role=OrganisationRole.OMBUD)
    return user


@pytest.fixture
def agency():
    return OrganisationFactory(
        name="Socialstyrelsen",
        kind=OrganisationKind.AGENCY,
        reference_key="socialstyrelsen",
        municipality_code=None,
    )


def staff(users, role):
    user = users(role.value)
    StaffAssignment.objects.create(user=user, role=role)
    return user


def session_fields(**changes):
    fields = {
        "starts_at": START,
        "ends_at": START + datetime.timedelta(hours=6),
        "place": "Länsstyrelsen, Linköping",
        "online_url": "",
        "capacity": 10,
        "registration_opens_at": START - datetime.timedelta(days=30),
        "registration_closes_at": START - datetime.timedelta(days=1),
    }
    fields.update(changes)
    return fields


# ---------------------------------------------------------------- who


def test_a_member_of_the_organiser_may_organise_its_events(member, organiser):
    assert services.may_organise(member, organiser)
    assert services.organisers_for(member) == [organiser]


def test_another_organisers_member_is_refused(outsider, organiser):
    event = EventFactory(organiser=organiser)
    with pytest.raises(PermissionDenied):
        services.update_event(outsider, event, title="Kapad")
    event.refresh_from_db()
    assert event.title != "Kapad"


def test_the_agencys_events_are_for_staff_with_manage_events(users, agency, organiser):
    handlaggare = staff(users, StaffRole.HANDLAGGARE)
    ekonomi = staff(users, StaffRole.EKONOMI)
    assert services.may_organise(handlaggare, agency)
    assert not services.may_organise(ekonomi, agency)
    # The agency's staff do not change a länsstyrelse's event.
    assert not services.may_organise(handlaggare, organiser)
    assert services.organisers_for(handlaggare) == [agency]


def test_the_organiser_pages_of_another_organisers_event_are_403(client, outsider, organiser):
    session = SessionFactory(event=EventFactory(organiser=organiser))
    client.force_login(outsider)
    for name, pk in [
        ("events:manage_event", session.event_id),
        ("events:event_edit", session.event_id),
        ("events:participants", session.pk),
        ("events:participants_csv", session.event_id),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 403


# ---------------------------------------------------------------- events and sessions


def test_create_publish_and_the_event_is_public(member, organiser):
    event = services.create_event(
        member, organiser, title="Hedersrelaterat våld", county_code="05", target_group="Skola"
    )
    assert event.status == EventStatus.DRAFT
    with pytest.raises(ValidationError, match="tillfälle"):
        services.publish_event(member, event)
    services.add_session(member, event, **session_fields())
    services.publish_event(member, event)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


def test_an_unknown_county_is_refused(member, organiser):
    with pytest.raises(ValidationError) as refused:
        services.create_event(member, organiser, title="X", county_code="99")
    assert "county_code" in refused.value.message_dict
    assert not Event.objects.exists()


def test_session_times_out_of_order_are_refused(member, organiser):
    event = EventFactory(organiser=organiser)
    with pytest.raises(ValidationError) as refused:
        services.add_session(
            member,
            event,
            **session_fields(
                ends_at=START - datetime.timedelta(hours=1),
                registration_closes_at=START + datetime.timedelta(hours=1),
                place="",
            ),
        )
    assert set(refused.value.message_dict) == {"ends_at", "registration_closes_at", "place"}
    assert not event.sessions.exists()


def test_a_far_future_session_is_refused(member, organiser):
    event = EventFactory(organiser=organiser)
    far = datetime.datetime(2400, 1, 1, 9, tzinfo=STOCKHOLM)
    with pytest.raises(ValidationError) as refused:
        services.add_session(
            member,
            event,
            **session_fields(
                starts_at=far,
                ends_at=far + datetime.timedelta(hours=1),
                registration_closes_at=far - datetime.timedelta(days=1),
            ),
        )
    assert "starts_at" in refused.value.message_dict


def test_capacity_below_the_seats_taken_is_refused(member, organiser):
    session = SessionFactory(event=EventFactory(organiser=organiser), capacity=5)
    RegistrationFactory.create_batch(3, session=session)
    with pytest.raises(ValidationError) as refused:
        services.update_session(member, session, capacity=2)
    assert "3" in refused.value.message_dict["capacity"][0]
    session.refresh_from_db()
    assert session.capacity == 5
    services.update_session(member, session, capacity=3)
    session.refresh_from_db()
    assert session.capacity == 3


def test_capacity_below_seats_shows_a_swedish_error_beside_the_field(client, member, organiser):
    session = SessionFactory(event=EventFactory(organiser=organiser), capacity=5)
    RegistrationFactory.create_batch(3, session=session)
    client.force_login(member)
    data = {
        name: value.astimezone(STOCKHOLM).strftime("%Y-%m-%dT%H:%M")
        if isinstance(value, datetime.datetime)
        else value
        for name, value in session_fields(capacity=2).items()
    }
    response = client.post(reverse("events:session_edit", args=[session.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_capacity"' in html  # the error summary links to the field
    assert "redan en plats" in html
    session.refresh_from_db()
    assert session.capacity == 5


def test_more_seats_are_offered_to_the_waiting_list(member, organiser, registration_open):
    session = SessionFactory(event=EventFactory(organiser=organiser), capacity=1)
    RegistrationFactory(session=session, position=1)
    waiting = RegistrationFactory(session=session, status=RegistrationStatus.WAITING, position=2)
    services.update_session(member, session, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.OFFERED


def test_moving_the_time_raises_the_sequence(member, organiser):
    session = SessionFactory(event=EventFactory(organiser=organiser))
    services.update_session(member, session, capacity=session.capacity + 1)
    session.refresh_from_db()
    assert session.sequence == 0
    services.update_session(
        member,
        session,
        starts_at=session.starts_at + datetime.timedelta(hours=1),
        ends_at=session.ends_at + datetime.timedelta(hours=1),
    )
    session.refresh_from_db()
    assert session.sequence == 1


def test_cancelling_a_session_emails_everyone_registered(member, organiser, smtp_sink):
    session = SessionFactory(event=EventFactory(organiser=organiser), capacity=1)
    RegistrationFactory(session=session, email="anna@example.se", position=1)
    RegistrationFactory(
        session=session, email="bo@example.se", status=RegistrationStatus.WAITING, position=2
    )
    RegistrationFactory(
        session=session, email="cancelled@example.se", status=RegistrationStatus.CANCELLED
    )
    services.cancel_session(member, session, "Föreläsaren är sjuk.")
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert session.sequence == 1
    mail = smtp_sink.parsed()
    assert sorted(m["To"] for m in mail) == ["anna@example.se", "bo@example.se"]
    body = mail[0].get_content()
    assert "ställs in" in mail[0]["Subject"] or "Inställt" in mail[0]["Subject"]
    assert "Föreläsaren är sjuk." in body
    with pytest.raises(ValidationError):
        services.cancel_session(member, session)


# ---------------------------------------------------------------- people


def test_the_organiser_gives_a_waiting_person_a_seat_when_one_is_free(member, organiser):
    session = SessionFactory(event=EventFactory(organiser=organiser), capacity=1)
    RegistrationFactory(session=session, position=1)
    waiting = RegistrationFactory(session=session, status=RegistrationStatus.WAITING, position=2)
    with pytest.raises(ValidationError, match="full"):
        services.confirm_from_waiting_list(member, waiting)
    services.update_session(member, session, capacity=2)
    waiting.refresh_from_db()
    services.confirm_from_waiting_list(member, waiting)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_moving_a_person_to_another_session_frees_the_seat_for_the_waiting_list(
    member, organiser, registration_open
):
    event = EventFactory(organiser=organiser)
    first = SessionFactory(event=event, capacity=1)
    second = SessionFactory(event=event, capacity=1, starts_at=START + datetime.timedelta(days=7))
    seated = RegistrationFactory(session=first, position=1)
    waiting = RegistrationFactory(session=first, status=RegistrationStatus.WAITING, position=2)
    services.move_registration(member, seated, second)
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.session == second and seated.status == RegistrationStatus.CONFIRMED
    assert waiting.status == RegistrationStatus.OFFERED
    # The second session is full now: moving someone with a seat there is refused.
    other = RegistrationFactory(session=first, position=3)
    with pytest.raises(ValidationError):
        services.move_registration(member, other, second)


def test_moving_to_another_events_session_is_refused(member, organiser):
    seated = RegistrationFactory(session=SessionFactory(event=EventFactory(organiser=organiser)))
    elsewhere = SessionFactory(event=EventFactory(organiser=organiser))
    with pytest.raises(ValidationError):
        services.move_registration(member, seated, elsewhere)
    seated.refresh_from_db()
    assert seated.session_id != elsewhere.pk


def test_attendance_only_after_the_session_started(member, organiser, clock_at):
    session = SessionFactory(event=EventFactory(organiser=organiser))
    came, absent = RegistrationFactory.create_batch(2, session=session)
    clock_at("2026-03-01T10:00")
    with pytest.raises(ValidationError):
        services.mark_attendance(member, session, {came.pk})
    clock_at("2026-03-10T17:00")
    assert services.mark_attendance(member, session, {came.pk}) == 1
    came.refresh_from_db()
    absent.refresh_from_db()
    assert came.attended is True and absent.attended is False
    stranger = RegistrationFactory()
    with pytest.raises(ValidationError):
        services.mark_attendance(member, session, {stranger.pk})


def test_the_participant_page_shows_special_needs_and_the_waiting_list(client, member, organiser):
    session = SessionFactory(event=EventFactory(organiser=organiser), capacity=1)
    RegistrationFactory(session=session, name="Anna", special_needs="Hörslinga", position=1)
    RegistrationFactory(session=session, name="Bo", status=RegistrationStatus.WAITING, position=2)
    client.force_login(member)
    html = client.get(reverse("events:participants", args=[session.pk])).content.decode()
    assert "Hörslinga" in html
    assert 'id="waiting"' in html and "Bo" in html


def test_the_confirm_button_refuses_in_swedish_when_full(client, member, organiser):
    session = SessionFactory(event=EventFactory(organiser=organiser), capacity=1)
    RegistrationFactory(session=session, position=1)
    waiting = RegistrationFactory(session=session, status=RegistrationStatus.WAITING, position=2)
    client.force_login(member)
    response = client.post(reverse("events:registration_confirm", args=[waiting.pk]), follow=True)
    assert "fullt" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.WAITING


# ---------------------------------------------------------------- grants


def test_a_grants_events_with_attendance(organiser, clock_at):
    from tests.events.grant import granted_decision

    decision = granted_decision(organiser)
    event = EventFactory(organiser=organiser, decision=decision)
    session = SessionFactory(event=event)
    RegistrationFactory(session=session, attended=True)
    RegistrationFactory(session=session, attended=False)
    EventFactory(organiser=organiser, decision=decision, status=EventStatus.DRAFT)
    rows = services.events_for_decision(decision)
    assert [(row.event, row.sessions, row.confirmed, row.attended) for row in rows] == [
        (event, 1, 2, 1)
    ]


def test_registration_is_not_the_organisers_to_see_elsewhere(client, organiser):
    """The public list never shows special needs or names."""
    session = SessionFactory(event=EventFactory(organiser=organiser))
    RegistrationFactory(session=session, name="Hemlig Person", special_needs="Rullstol")
    html = client.get(reverse("events:list")).content.decode()
    assert "Hemlig Person" not in html and "Rullstol" not in html
    assert Registration.objects.count() == 1


def test_the_grants_report_page_part_lists_its_events(organiser):
    from django.template import Context, Template

    from tests.events.grant import granted_decision

    decision = granted_decision(organiser)
    event = EventFactory(organiser=organiser, decision=decision, title="Hedersdagen")
    RegistrationFactory(session=SessionFactory(event=event), attended=True)

    class Report:
        decision_id = decision.pk

    Report.decision = decision
    html = Template("{% load events_grant %}{% report_events report %}").render(
        Context({"report": Report()})
    )
    assert "Hedersdagen" in html and 'id="grant-events"' in html
