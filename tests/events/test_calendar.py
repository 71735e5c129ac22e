"""The iCalendar exports, parsed back with icalendar: a stable UID per
session, DTSTAMP, SEQUENCE, the Europe/Stockholm VTIMEZONE, and a cancelled
session with STATUS:CANCELLED and the same UID."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from fordela.events.calendar import event_calendar, organiser_feed
from fordela.events.models import EventStatus
from fordela.events.services import organiser as services
from tests.events.factories import START, EventFactory, SessionFactory

pytestmark = pytest.mark.django_db


def vevents(content: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(content)
    return {str(item["UID"]): item for item in calendar.walk("VEVENT")}


def test_each_session_is_a_vevent_with_a_stable_uid_and_the_timezone():
    event = EventFactory()
    first = SessionFactory(event=event)
    second = SessionFactory(event=event, starts_at=START + datetime.timedelta(days=7))
    content = event_calendar(event)
    items = vevents(content)
    assert len(items) == 2
    uids = sorted(items)
    assert all(str(first.uid) in uid or str(second.uid) in uid for uid in uids)
    # The same bytes again: the UID (and DTSTAMP) do not change between exports.
    assert event_calendar(event) == content
    item = next(i for uid, i in items.items() if str(first.uid) in uid)
    assert item.decoded("DTSTART") == START
    assert item["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert "DTSTAMP" in item and int(item["SEQUENCE"]) == 0
    assert str(item["STATUS"]) == "CONFIRMED"
    timezones = Calendar.from_ical(content).walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Stockholm"]


def test_a_cancelled_session_keeps_its_uid_and_says_cancelled(django_user_model):
    from fordela.access.models import Membership, OrganisationRole

    event = EventFactory()
    session = SessionFactory(event=event)
    user = django_user_model.objects.create_user("org", password="pw")
    Membership.objects.create(user=user, organisation=event.organiser, role=OrganisationRole.OMBUD)
    before = vevents(event_calendar(event))
    services.cancel_session(user, session)
    after = vevents(event_calendar(event))
    assert list(after) == list(before)
    item = next(iter(after.values()))
    assert str(item["STATUS"]) == "CANCELLED"
    assert int(item["SEQUENCE"]) == 1


def test_the_organiser_feed_holds_its_public_events_only():
    event = EventFactory()
    SessionFactory(event=event)
    SessionFactory(event=EventFactory(organiser=event.organiser, status=EventStatus.DRAFT))
    SessionFactory()  # another organiser's
    assert len(vevents(organiser_feed(event.organiser))) == 1


def test_the_calendar_downloads(client):
    event = EventFactory()
    SessionFactory(event=event)
    response = client.get(reverse("events:event_ics", args=[event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert len(vevents(response.content)) == 1
    feed = client.get(reverse("events:organiser_feed", args=[event.organiser_id]))
    assert feed.status_code == 200 and len(vevents(feed.content)) == 1


def test_a_drafts_calendar_is_404(client):
    draft = EventFactory(status=EventStatus.DRAFT)
    SessionFactory(event=draft)
    assert client.get(reverse("events:event_ics", args=[draft.pk])).status_code == 404
    assert (
        client.get(reverse("events:organiser_feed", args=[draft.organiser_id])).status_code == 404
    )
