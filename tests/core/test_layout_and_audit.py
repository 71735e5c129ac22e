"""The base layout, the language switch and the audit helper."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.audit.services import events_for, record, record_changes
from fordela.core import clock
from fordela.core.templatetags.fordela import grouped, kronor, orgnr
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_pages_are_swedish_by_default_with_skip_link_and_one_h1(client):
    html = client.get("/").content.decode()
    assert '<html lang="sv"' in html
    assert 'href="#main"' in html and '<main id="main"' in html
    assert html.count("<h1") == 1


def test_the_language_switch_changes_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/om/"})
    assert response.status_code == 302 and response["Location"] == "/om/"
    assert '<html lang="en"' in client.get("/om/").content.decode()
    client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    assert '<html lang="sv"' in client.get("/").content.decode()


def test_record_keeps_actor_object_and_values():
    user = get_user_model().objects.create_user(
        "hanna", first_name="Hanna", last_name="Handläggare"
    )
    organisation = OrganisationFactory(name="Ale")
    event = record(
        user,
        AuditAction.ORGANISATION_CONTACT_DETAILS_CHANGED,
        organisation,
        before={"a": 1},
        after={"a": 2},
    )
    assert (event.actor, event.actor_label, event.object_label) == (
        user,
        "Hanna Handläggare",
        "Ale",
    )
    assert (event.object_type, event.object_id) == (
        "organisations.organisation",
        str(organisation.pk),
    )
    assert (event.before, event.after) == ({"a": 1}, {"a": 2})
    assert list(events_for(organisation)) == [event]


def test_record_names_system_actors():
    organisation = OrganisationFactory()
    assert (
        record("load_reference_data", AuditAction.REFERENCE_DATA_LOADED, organisation).actor_label
        == "load_reference_data"
    )
    assert record(None, AuditAction.REFERENCE_DATA_LOADED, organisation).actor_label == "system"
    assert AuditEvent.objects.filter(actor__isnull=True).count() == 2


def test_money_and_number_formatting():
    assert grouped(75_000_000) == "75\u202f000\u202f000"
    assert kronor(1234) == "1\u202f234\u00a0kr"
    assert kronor(None) == "–"
    assert grouped(-5) == "−5"
    assert orgnr("2120000142") == "212000-0142"


def test_an_english_browser_still_gets_swedish_until_english_is_chosen(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="sv"' in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()


def test_record_changes_keeps_only_what_changed_and_skips_no_change():
    organisation = OrganisationFactory()
    assert not record_changes(
        None, AuditAction.REFERENCE_DATA_LOADED, organisation, {"a": 1, "b": 2}, {"a": 1, "b": 2}
    )
    assert record_changes(
        None, AuditAction.REFERENCE_DATA_LOADED, organisation, {"a": 1, "b": 2}, {"a": 1, "b": 3}
    )
    event = events_for(organisation).get()
    assert (event.before, event.after) == ({"b": 2}, {"b": 3})


@pytest.mark.django_db
def test_record_refuses_an_action_the_enum_does_not_name():
    with pytest.raises(ValueError):
        record(None, "organisation.renamed", OrganisationFactory())


def test_stored_times_come_from_the_product_clock(clock_at):
    # The demo's and the tests' world: created, updated and audit times agree
    # with the dates the pages show (core.clock), not the machine's clock.
    clock_at("2022-06-15T10:00")
    organisation = OrganisationFactory()
    event = record(None, AuditAction.REFERENCE_DATA_LOADED, organisation)
    moment = datetime.datetime(2022, 6, 15, 10, 0, tzinfo=clock.STOCKHOLM)
    assert event.created_at == moment
    assert organisation.created_at == organisation.updated_at == moment
    clock_at("2022-06-16T09:00")
    organisation.save()
    assert organisation.updated_at == moment + datetime.timedelta(hours=23)


def test_the_audit_trail_lists_the_newest_event_first_at_the_product_clocks_time(clock_at):
    from django.template.loader import render_to_string
    from django.utils import translation

    organisation = OrganisationFactory()
    clock_at("2022-06-15T10:00")
    record(None, AuditAction.REFERENCE_DATA_LOADED, organisation)
    clock_at("2022-06-16T09:30")
    record(None, AuditAction.ORGANISATION_CONTACT_DETAILS_CHANGED, organisation)
    with translation.override("sv"):
        html = render_to_string("includes/audit_trail.html", {"events": events_for(organisation)})
    first, second = html.index("16 juni 2022 09:30"), html.index("15 juni 2022 10:00")
    assert first < second
    assert '<ol class="govuk-list audit-trail">' in html
    assert '<time class="audit-trail__time" datetime="2022-06-16T09:30:00+02:00">' in html
