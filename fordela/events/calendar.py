"""The events as iCalendar (RFC 5545), built with the ``icalendar`` package:
an ``.ics`` per event and a feed per organiser (issue 21 §4).

Each session is one VEVENT whose UID comes from the session's stored uuid,
so it is the same in every export and a calendar that subscribes updates the
session instead of adding it again. SEQUENCE is the session's revision
(``Session.sequence``, raised when its time or place changes or it is
cancelled); DTSTAMP and LAST-MODIFIED are when the session or its event last
changed, so exporting twice gives the same bytes. A cancelled session (or a
session of a cancelled event) keeps its UID and says STATUS:CANCELLED, which
removes it from the subscribers' calendars. The times are written in
Europe/Stockholm with the VTIMEZONE that RFC 5545 requires for the TZID
(``add_missing_timezones``). Drafts are never exported.
"""

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar
from icalendar import Event as VEvent

from fordela.core.clock import STOCKHOLM

from .counties import county_name
from .models import Event, EventStatus, Session, SessionStatus

PRODID = "-//Fördela//Utbildningar//SV"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def session_uid(session: Session) -> str:
    """The session's UID: its uuid at the site's host name."""
    host = urlsplit(settings.FORDELA_SITE_URL).hostname or "fordela"
    return f"{session.uid}@{host}"


def _absolute(path: str) -> str:
    return settings.FORDELA_SITE_URL.rstrip("/") + path


def _vevent(session: Session) -> VEvent:
    event = session.event
    cancelled = session.status == SessionStatus.CANCELLED or event.status == EventStatus.CANCELLED
    changed = max(session.updated_at, event.updated_at)
    item = VEvent()
    item.add("uid", session_uid(session))
    item.add("dtstamp", changed)
    item.add("last-modified", changed)
    item.add("sequence", session.sequence)
    item.add("summary", event.title)
    item.add("dtstart", session.starts_at.astimezone(STOCKHOLM))
    item.add("dtend", session.ends_at.astimezone(STOCKHOLM))
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    item.add("location", session.place or session.online_url)
    item.add("url", _absolute(reverse("events:event", args=[event.pk])))
    lines = [event.description]
    if event.target_group:
        lines.append(f"Målgrupp: {event.target_group}")
    if event.county_code:
        lines.append(f"Län: {county_name(event.county_code)}")
    if session.online_url:
        lines.append(f"Länk: {session.online_url}")
    item.add("description", "\n\n".join(line for line in lines if line))
    if event.organiser.email:
        # ORGANIZER is an address; an organiser without one is left out.
        organiser = event.organiser.name
        if event.organiser_unit:
            organiser = f"{event.organiser_unit}, {organiser}"
        item.add("organizer", f"mailto:{event.organiser.email}", parameters={"CN": organiser})
    return item


def calendar_bytes(sessions: Iterable[Session], name: str) -> bytes:
    """A VCALENDAR holding ``sessions`` (their events and organisers
    selected), with the Europe/Stockholm VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    for session in sessions:
        calendar.add_component(_vevent(session))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _public_sessions():
    return (
        Session.objects.exclude(event__status=EventStatus.DRAFT)
        .select_related("event__organiser")
        .order_by("starts_at", "pk")
    )


def event_calendar(event: Event) -> bytes:
    """The ``.ics`` of one public event: all its sessions."""
    return calendar_bytes(_public_sessions().filter(event=event), event.title)


def organiser_feed(organiser) -> bytes:
    """The feed of every public event ``organiser`` holds."""
    return calendar_bytes(_public_sessions().filter(event__organiser=organiser), organiser.name)
