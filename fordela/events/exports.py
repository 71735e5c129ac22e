"""An event's participant list (*deltagarlista*) as CSV and XLSX, for its
organiser, in the product's one dialect (``fordela.core.exports``): every
registration of every session, the waiting list in its order, special needs
included (the organiser's list is the one place they are shown)."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.text import slugify

from fordela.core import clock

from .counties import county_name
from .models import Event, Registration, RegistrationStatus

HEADER = [
    "Pass",
    "Plats",
    "Namn",
    "E-post",
    "Organisation",
    "Status",
    "Plats i kön",
    "Särskilda behov",
    "Närvaro",
    "Anmäld",
]
WIDTHS = [18, 30, 26, 30, 30, 22, 10, 30, 10, 18]


def participants(event: Event) -> QuerySet[Registration]:
    """The event's registrations, session by session, in the order they came."""
    return (
        Registration.objects.filter(session__event=event)
        .select_related("session", "organisation")
        .order_by("session__starts_at", "session__pk", "position", "pk")
    )


def _time(moment) -> str:
    return moment.astimezone(clock.STOCKHOLM).strftime("%Y-%m-%d %H:%M") if moment else ""


def rows(registrations: Iterable[Registration]) -> Iterator[list[Any]]:
    """One row per registration; the place in the queue only for those who
    wait (1 = next), statuses and attendance in Swedish whatever the
    reader's language."""
    with translation.override("sv"):
        statuses = {value: str(label) for value, label in RegistrationStatus.choices}
    queue: dict[int, int] = {}
    for registration in registrations:
        session = registration.session
        place_in_queue = None
        if registration.status == RegistrationStatus.WAITING:
            queue[session.pk] = queue.get(session.pk, 0) + 1
            place_in_queue = queue[session.pk]
        attended = {True: "Ja", False: "Nej", None: ""}[registration.attended]
        yield [
            _time(session.starts_at),
            session.place or session.online_url,
            registration.name,
            registration.email,
            registration.organisation_label,
            statuses.get(registration.status, registration.status),
            place_in_queue,
            registration.special_needs,
            attended,
            _time(registration.created_at),
        ]


def filename(event: Event, extension: str) -> str:
    return f"deltagare-{event.pk}-{slugify(event.title)[:40]}.{extension}"


def meta(event: Event) -> list[tuple[str, Any]]:
    return [
        ("Utbildning", event.title),
        ("Arrangör", event.organiser.name),
        ("Län", county_name(event.county_code) or "Hela landet"),
        ("Utskriven", _time(clock.now())),
    ]
