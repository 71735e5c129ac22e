"""The applicant's answer to a completion request ("Skicka komplettering")
asks for a confirmation first, as every other submit: an unconfirmed POST
changes nothing; the confirmed one sends the answer and the case resumes.
What would be refused anyway is refused without the confirmation page."""

import datetime

from django.conf import settings
from django.test import Client
from django.urls import reverse

from fordela.applications.models import ApplicationStatus
from fordela.applications.services import assessment
from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.core.confirm import CONFIRMED

from .conftest import submitted_ngo_application


def client_for(user, language="sv") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def requested(world):
    application = submitted_ngo_application(world)
    assessment.request_completion(
        world.users["handlaggare"],
        application,
        "Revisionsberättelsen saknar underskrift.",
        datetime.date(2021, 12, 1),
    )
    return application


def state(application) -> tuple:
    application.refresh_from_db()
    request = application.completion_requests.get()
    return (
        application.status,
        request.answer,
        request.answered_at,
        AuditEvent.objects.filter(action=AuditAction.APPLICATION_COMPLETED).count(),
    )


def test_the_completion_asks_first_and_only_the_confirmed_post_sends_it(world):
    application = requested(world)
    ombud = client_for(world.users["ombud"])
    url = reverse("applications:complete", args=[application.pk])
    before = state(application)
    unconfirmed = ombud.post(url, {"answer": "Underskriven revisionsberättelse bifogad."})
    assert unconfirmed.status_code == 200
    page = unconfirmed.content.decode()
    assert "Skicka kompletteringen?" in page and "Ja, skicka kompletteringen" in page
    assert "Underskriven revisionsberättelse bifogad." in page  # the answer, to check
    assert 'name="confirmed" value="1"' in page
    assert reverse("applications:status", args=[application.pk]) + "#completion" in page
    assert state(application) == before  # nothing sent

    confirmed = ombud.post(
        url, {"answer": "Underskriven revisionsberättelse bifogad.", CONFIRMED: "1"}
    )
    assert confirmed["Location"] == reverse("applications:status", args=[application.pk])
    status, answer, answered_at, events = state(application)
    assert status == ApplicationStatus.SUBMITTED
    assert answer == "Underskriven revisionsberättelse bifogad."
    assert answered_at is not None and events == 1


def test_what_would_be_refused_is_refused_without_a_confirmation(world):
    application = requested(world)
    url = reverse("applications:complete", args=[application.pk])
    before = state(application)
    # No answer: the service's message, back to the status page.
    response = client_for(world.users["ombud"]).post(url, {"answer": "  "})
    assert response.status_code == 302
    # The uppgiftssamordnare may not send a completion at all.
    response = client_for(world.users["uppgiftssamordnare"]).post(url, {"answer": "Svar"})
    assert response.status_code == 403
    # Someone else's application.
    response = client_for(world.users["ombud_kommun"]).post(url, {"answer": "Svar"})
    assert response.status_code == 403
    assert state(application) == before
    # Sent once: the same confirmed POST again changes nothing more.
    ombud = client_for(world.users["representant"])
    ombud.post(url, {"answer": "Svar", CONFIRMED: "1"})
    after = state(application)
    assert after[0] == ApplicationStatus.SUBMITTED
    response = ombud.post(url, {"answer": "Ett annat svar"})
    assert response.status_code == 302  # no request open: no confirmation page
    assert state(application) == after


def test_the_start_page_links_to_the_status_page_with_the_request(world):
    application = requested(world)
    html = client_for(world.users["ombud"]).get(reverse("access:my_pages")).content.decode()
    assert reverse("applications:status", args=[application.pk]) in html
    assert reverse("applications:complete", args=[application.pk]) not in html
