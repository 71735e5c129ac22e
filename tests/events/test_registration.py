"""Registering for a session without an account (issue 21 §3): the rules,
the e-mail with its signed cancel link, the pages, and the seats under
concurrency."""

import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from fordela.audit.models import AuditEvent
from fordela.events.models import EventStatus, Registration, RegistrationStatus
from fordela.events.services import registration as services

from .conftest import OPEN_DAY
from .factories import START, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def register(session, email="anna@example.se", **kwargs):
    return services.register(
        session,
        name=kwargs.pop("name", "Anna Andersson"),
        email=email,
        organisation_text=kwargs.pop("organisation_text", "Ale kommun"),
        **kwargs,
    )


def refusal(callable_, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as raised:
        callable_(*args, **kwargs)
    return " ".join(raised.value.messages)


def links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def test_a_free_seat_is_confirmed_and_the_email_has_the_cancel_link(
    registration_open, smtp_sink, client
):
    session = SessionFactory(capacity=2, online_url="https://meet.example.se/dag")
    registration = register(session, special_needs="Vegetarisk kost")
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.position == 1
    [message] = smtp_sink.parsed()
    assert message["To"] == "anna@example.se"
    assert message["Subject"] == f"Anmälan bekräftad: {session.event.title}"
    body = message.get_content()
    assert "Hej Anna Andersson!" in body
    assert "Du har en plats på utbildningen nedan." in body
    assert "https://meet.example.se/dag" in body  # the link, to a person with a seat
    assert "10 mars 2026, 09:00–16:00" in body
    assert session.event.organiser.name in body
    [cancel] = [link for link in links(body) if "/avboka/" in link]
    path = cancel.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200
    assert "Avboka anmälan" in page.text
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED  # a GET changes nothing
    client.post("/" + path)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_the_audit_log_names_the_registration_never_the_person(registration_open):
    registration = register(SessionFactory())
    [event] = AuditEvent.objects.filter(action="registration.confirmed")
    assert event.object_id == str(registration.pk)
    assert "Anna" not in event.object_label + str(event.after) + event.actor_label
    assert "anna@example.se" not in str(event.after)


def test_a_full_session_puts_people_on_the_waiting_list_in_order(registration_open, smtp_sink):
    session = SessionFactory(capacity=1, online_url="https://meet.example.se/dag")
    register(session, "a@example.se")
    second = register(session, "b@example.se")
    third = register(session, "c@example.se")
    assert (second.status, third.status) == (RegistrationStatus.WAITING,) * 2
    assert (second.position, third.position) == (2, 3)
    body = smtp_sink.parsed()[2].get_content()
    assert smtp_sink.parsed()[2]["Subject"] == f"Väntelista: {session.event.title}"
    assert "Du är nummer 2 på väntelistan." in body
    assert "48 timmar" in body
    assert "https://meet.example.se/dag" not in body  # no seat, no link
    assert any("/avboka/" in link for link in links(body))


def test_registration_is_refused_before_it_opens(clock_at):
    clock_at("2026-01-01T10:00")
    session = SessionFactory()
    assert refusal(register, session) == "Anmälan öppnar 9 januari 2026 09:00."
    assert not Registration.objects.exists()


def test_registration_is_refused_after_it_closes(clock_at):
    clock_at("2026-03-08T09:00")  # the factories close two days before the start
    session = SessionFactory()
    assert refusal(register, session) == "Anmälan stängde 8 mars 2026 09:00."
    assert not Registration.objects.exists()


def test_registration_is_refused_for_a_cancelled_session_or_event(registration_open):
    session = SessionFactory(status="cancelled")
    assert refusal(register, session) == "Tillfället är inställt, så det går inte att anmäla sig."
    other = SessionFactory(event__status=EventStatus.CANCELLED)
    assert refusal(register, other) == "Tillfället är inställt, så det går inte att anmäla sig."
    draft = SessionFactory(event__status=EventStatus.DRAFT)
    assert refusal(register, draft) == "Utbildningen är inte öppen för anmälan."
    assert not Registration.objects.exists()


def test_the_same_email_cannot_register_twice_for_one_session(registration_open):
    session = SessionFactory()
    register(session, "Anna@Example.se")
    assert (
        refusal(register, session, " anna@example.SE ")
        == "E-postadressen är redan anmäld till det här tillfället."
    )
    assert Registration.objects.count() == 1
    # Another session of the same event is another registration.
    assert register(SessionFactory(event=session.event), "anna@example.se").pk


def test_the_form_shows_the_refusal_beside_the_field(registration_open, client):
    session = SessionFactory()
    register(session, "anna@example.se")
    url = reverse("events:register", args=[session.pk])
    page = client.post(
        url, {"name": "Anna", "email": "anna@example.se", "organisation_text": "Ale kommun"}
    )
    assert page.status_code == 200
    assert 'href="#id_email"' in page.text  # the error summary links to the field
    assert "E-postadressen är redan anmäld till det här tillfället." in page.text
    assert Registration.objects.count() == 1


def test_the_form_asks_for_an_organisation(registration_open, client):
    session = SessionFactory()
    page = client.post(
        reverse("events:register", args=[session.pk]), {"name": "Anna", "email": "a@example.se"}
    )
    assert "Välj din organisation eller skriv dess namn under Annan organisation." in page.text
    assert 'href="#id_organisation"' in page.text
    assert not Registration.objects.exists()


def test_over_long_text_is_refused_with_a_swedish_error(registration_open, client):
    session = SessionFactory()
    page = client.post(
        reverse("events:register", args=[session.pk]),
        {
            "name": "A" * 201,
            "email": "a@example.se",
            "organisation_text": "Ale kommun",
            "special_needs": "x" * 1001,
        },
    )
    assert page.status_code == 200
    assert '<a href="#id_name">Säkerställ att detta värde har som mest 200 tecken' in page.text
    assert '<a href="#id_special_needs">Säkerställ att detta värde har som mest 1000' in page.text
    assert not Registration.objects.exists()


def test_registering_through_the_form_leads_to_the_receipt(registration_open, client):
    session = SessionFactory()
    from tests.factories import OrganisationFactory

    ale = OrganisationFactory(name="Ale kommun")
    page = client.post(
        reverse("events:register", args=[session.pk]),
        {"name": "Anna Andersson", "email": "anna@example.se", "organisation": ale.pk},
    )
    registration = Registration.objects.get()
    assert page.status_code == 302
    assert page["Location"] == reverse("events:receipt", args=[registration.pk])
    assert registration.organisation == ale
    receipt = client.get(page["Location"])
    assert "Du är anmäld" in receipt.text
    assert "anna@example.se" in receipt.text
    # Another browser does not see it.
    from django.test import Client

    assert Client().get(page["Location"]).status_code == 404


def test_a_closed_session_has_no_form_and_refuses_a_post(clock_at, client):
    clock_at("2026-03-09T10:00")
    session = SessionFactory()
    url = reverse("events:register", args=[session.pk])
    page = client.get(url)
    assert "Anmälan stängde 8 mars 2026 09:00." in page.text
    assert 'id="submit-registration"' not in page.text
    posted = client.post(url, {"name": "A", "email": "a@example.se", "organisation_text": "X"})
    assert posted.status_code == 400
    assert not Registration.objects.exists()


def test_a_draft_event_has_no_public_pages(registration_open, client):
    session = SessionFactory(event__status=EventStatus.DRAFT)
    assert client.get(reverse("events:event", args=[session.event_id])).status_code == 404
    assert client.get(reverse("events:register", args=[session.pk])).status_code == 404


def test_the_event_page_lists_sessions_with_seats_and_waiting_list(registration_open, client):
    full = SessionFactory(capacity=1, online_url="https://meet.example.se/hemlig")
    RegistrationFactory(session=full)
    RegistrationFactory(session=full, status=RegistrationStatus.WAITING)
    SessionFactory(event=full.event, capacity=5, starts_at=START.replace(day=20))
    page = client.get(reverse("events:event", args=[full.event_id]))
    assert page.status_code == 200
    assert "Fullt · 1 på väntelistan" in page.text
    assert "5 av 5 platser kvar" in page.text
    assert "Ställ dig på väntelistan" in page.text
    assert "https://meet.example.se/hemlig" not in page.text


def test_a_tampered_cancel_link_changes_nothing(registration_open, client):
    registration = register(SessionFactory())
    token = services.link_token(registration, "cancel")
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    url = reverse("events:cancel", args=[tampered])
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 404
        assert "Länken fungerar inte" in response.text
        assert "Inget har ändrats." in response.text
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_an_offer_link_is_not_a_cancel_link(registration_open, client):
    registration = register(SessionFactory())
    offer = services.link_token(registration, "offer")
    assert client.post(reverse("events:cancel", args=[offer])).status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_cancelling_twice_says_there_is_nothing_to_cancel(registration_open, client):
    registration = register(SessionFactory())
    url = reverse("events:cancel", args=[services.link_token(registration, "cancel")])
    client.post(url)
    again = client.post(url)
    assert again.status_code == 400
    assert "Inget har ändrats." in again.text
    assert AuditEvent.objects.filter(action="registration.cancelled").count() == 1


def test_a_started_session_can_no_longer_be_cancelled(clock_at):
    clock_at(OPEN_DAY)
    registration = register(SessionFactory())
    clock_at("2026-03-10T09:30")
    assert "redan börjat" in refusal(services.cancel_registration, registration)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_get_exactly_the_capacity(settings):
    """Eight people register at once for three seats, each in its own
    connection: three get a seat, five wait, in the order they got the lock."""
    settings.FORDELA_TODAY = OPEN_DAY
    session = SessionFactory(capacity=3)
    barrier = threading.Barrier(8)
    errors = []

    def one(number: int) -> None:
        try:
            barrier.wait()
            register(session, f"person{number}@example.se", name=f"Person {number}")
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    registrations = list(Registration.objects.filter(session=session).order_by("position"))
    assert [r.position for r in registrations] == list(range(1, 9))
    statuses = [r.status for r in registrations]
    # The first three to get the session's lock have the seats, the rest wait.
    assert statuses == [RegistrationStatus.CONFIRMED] * 3 + [RegistrationStatus.WAITING] * 5
