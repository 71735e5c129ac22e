"""The training events in the browser: find an event by län on the
Kompetensstöd page, register, receive the e-mail over SMTP, cancel through
its link, and the first on the waiting list is offered the seat; axe-clean
at 1280 and 390 px. Screenshots go to /tmp/shots/events/ (looked at by hand)."""

import datetime
import os
import re

import pytest

from fordela.events.models import Registration, RegistrationStatus
from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.helpers import wait_for_mail
from tests.mail_sink import smtp_sink  # noqa: F401 - fixture

SHOTS = "/tmp/shots/events"


@pytest.fixture
def site(live_server, settings, clock_at):
    clock_at("2026-02-28T10:00")
    return live_server.url


def accessible(page, name: str) -> None:
    violations = axe_violations(page)
    assert not violations, format_violations({page.url: violations})
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_hub_and_the_list_are_accessible(site, browser, width):
    from tests.events.factories import EventFactory, SessionFactory

    SessionFactory(event=EventFactory(title="Hedersrelaterat våld, Göteborg", county_code="14"))
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="sv-SE")
    page.goto(site + "/kompetensstod/")
    accessible(page, f"hub-{width}")
    page.goto(site + "/utbildningar/?lan=14")
    accessible(page, f"list-{width}")


def test_find_register_cancel_and_the_waiting_list_gets_the_offer(
    site,
    browser,
    smtp_sink,  # noqa: F811
):
    from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory

    event = EventFactory(title="Våld i nära relationer i Västra Götaland", county_code="14")
    EventFactory(title="Nätverksträff i Stockholm", county_code="01")
    session = SessionFactory(event=event, capacity=1)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page.goto(site + "/kompetensstod/")
    page.select_option("#id_lan", "14")
    page.get_by_role("button", name="Visa utbildningar").click()
    page.wait_for_url(re.compile(r".*lan=14"))
    assert page.get_by_text("Nätverksträff i Stockholm").count() == 0
    accessible(page, "journey-hub-filtered")
    page.get_by_role("link", name=event.title).click()
    page.wait_for_url(f"**/utbildningar/{event.pk}/")
    accessible(page, "journey-event")

    page.goto(f"{site}/utbildningar/tillfalle/{session.pk}/anmalan/")
    page.fill("#id_name", "Anna Andersson")
    page.fill("#id_email", "anna@example.se")
    page.fill("#id_organisation_text", "Ale kommun")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    accessible(page, "journey-receipt")
    anna = Registration.objects.get(email="anna@example.se")
    assert anna.status == RegistrationStatus.CONFIRMED
    # The session is full now: Bo registers after Anna and waits.
    waiting = RegistrationFactory(
        session=session,
        name="Bo Berg",
        email="bo@example.se",
        status=RegistrationStatus.WAITING,
        position=anna.position + 1,
    )

    mail = wait_for_mail(smtp_sink, 1)
    body = mail[0].get_content()
    link = re.search(r"https?://\S+/utbildningar/avboka/\S+", body).group(0)
    # The e-mail links to the configured site; the test server has its own port.
    page.goto(site + "/utbildningar/" + link.split("/utbildningar/", 1)[1])
    accessible(page, "journey-cancel")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    anna.refresh_from_db()
    assert anna.status == RegistrationStatus.CANCELLED
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.OFFERED
    assert waiting.offered_until > waiting.offered_at + datetime.timedelta(hours=1)
    mail = wait_for_mail(smtp_sink, 3)
    assert "bo@example.se" in [m["To"] for m in mail]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_organisers_pages_are_accessible(site, browser, settings, width, django_user_model):
    from fordela.access.models import Membership, OrganisationRole
    from tests.e2e.helpers import login
    from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory

    settings.FORDELA_PASSWORD_LOGIN = True
    event = EventFactory(title="Samtal med barn")
    session = SessionFactory(event=event, capacity=1)
    RegistrationFactory(session=session, name="Anna Andersson", special_needs="Hörslinga")
    RegistrationFactory(session=session, name="Bo Berg", status=RegistrationStatus.WAITING)
    SessionFactory(event=event, starts_at=session.starts_at + datetime.timedelta(days=7))
    user = django_user_model.objects.create_user(f"arr{width}", password="pw")
    Membership.objects.create(
        user=user, organisation=event.organiser, role=OrganisationRole.REPRESENTANT
    )
    page = login(browser, site, user.username, width)
    for path, name in [
        (f"/arrangor/utbildningar/{event.pk}/", "organiser-event"),
        (f"/arrangor/tillfallen/{session.pk}/deltagare/", "organiser-participants"),
        (f"/arrangor/tillfallen/{session.pk}/andra/", "organiser-session-form"),
    ]:
        page.goto(site + path)
        accessible(page, f"{name}-{width}")
