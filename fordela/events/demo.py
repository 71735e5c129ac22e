"""The demo's training events (``manage.py seed_demo_events``), in the demo
world's 2022 (``FORDELA_TODAY``): events by a few länsstyrelser (the national
competence team at Östergötland's among them), NCK and Barnafrid; one past
session with attendance marked, one full with a waiting list, one cancelled.
Idempotent: an event is found by its organiser and title, and gets its
sessions and registrations only the first time."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from fordela.access.models import Membership, OrganisationRole
from fordela.core.clock import STOCKHOLM
from fordela.organisations.models import Organisation

from .models import Event, EventStatus, Registration, RegistrationStatus, Session, SessionStatus

DEMO_PASSWORD = "demo"  # noqa: S105 - demo accounts only, as seed_demo_users

# (organiser's reference key, unit, title, län, target group, description,
#  sessions: (date, start hour, hours, place or link, seats, registered, attended?, cancelled?))
EVENTS = [
    (
        "lansstyrelse-05",
        "Nationella kompetensteamet mot hedersrelaterat våld och förtryck",
        "Hedersrelaterat våld och förtryck: grundutbildning",
        "",
        "Socialtjänst, skola och hälso- och sjukvård",
        "En dag om hur hedersrelaterat våld och förtryck tar sig uttryck, hur du upptäcker det "
        "och vilket stöd som finns.",
        [
            ("2022-05-17", 9, 7, "Länsstyrelsen, Linköping", 30, 24, True, False),
            ("2022-09-20", 9, 7, "https://example.se/moten/heder-grund", 40, 40, False, False),
        ],
    ),
    (
        "lansstyrelse-14",
        "",
        "Våld i nära relationer: utbildningsdag för kommunerna i Västra Götaland",
        "14",
        "Socialtjänstens handläggare och chefer",
        "Om att ställa frågor om våld, göra en bedömning med FREDA och planera stöd och skydd.",
        [
            ("2022-10-04", 9, 7, "Länsstyrelsen, Göteborg", 25, 25, False, False),
            ("2022-10-18", 9, 7, "Länsstyrelsen, Vänersborg", 25, 8, False, False),
        ],
    ),
    (
        "lansstyrelse-01",
        "",
        "Nätverksträff: våld i nära relationer i Stockholms län",
        "01",
        "Kommunernas samordnare mot våld",
        "Erfarenhetsutbyte mellan kommunerna i länet och nyheter om kompetensstödet.",
        [
            ("2022-09-08", 13, 3, "Länsstyrelsen, Stockholm", 40, 12, False, False),
            ("2022-11-10", 13, 3, "Länsstyrelsen, Stockholm", 40, 0, False, True),
        ],
    ),
    (
        "uu-nck",
        "Nationellt centrum för kvinnofrid (NCK)",
        "Webbinarium: våld mot äldre kvinnor",
        "",
        "Hälso- och sjukvård, äldreomsorg",
        "Ett webbinarium om att upptäcka och bemöta våld mot äldre kvinnor.",
        [("2022-09-27", 10, 2, "https://example.se/nck/webbinarium", 200, 35, False, False)],
    ),
    (
        "liu-barnafrid",
        "Barnafrid",
        "Barn som upplever våld: samtal med barn",
        "03",
        "Socialsekreterare som möter barn",
        "Om att samtala med barn som har upplevt våld, med övningar.",
        [("2022-10-12", 9, 6, "Uppsala, Konferenscentrum", 20, 20, False, False)],
    ),
]
# People on the waiting list of each full coming session.
WAITING = 3
ORGANISER_USERS = [
    ("arrangor-lst05", "Lina", "Länsstyrelsen Östergötland", "lansstyrelse-05"),
    ("arrangor-nck", "Nora", "NCK", "uu-nck"),
]


def _moment(day: str, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=STOCKHOLM
    )


def _organisers() -> dict[str, Organisation]:
    keys = {row[0] for row in EVENTS}
    return {o.reference_key: o for o in Organisation.objects.filter(reference_key__in=keys)}


def _registrations(session: Session, count: int, waiting: int, attended: bool) -> None:
    kommuner = list(Organisation.objects.filter(kind="kommun").order_by("name")[:50])
    rows = []
    for number in range(1, count + waiting + 1):
        rows.append(
            Registration(
                session=session,
                name=f"Deltagare {number}",
                email=f"deltagare{number}.{session.pk}@demo.fordela.example",
                organisation=kommuner[number % len(kommuner)] if kommuner else None,
                organisation_text="" if kommuner else "Kommun",
                special_needs="Hörslinga" if number == 2 else "",
                status=RegistrationStatus.CONFIRMED
                if number <= count
                else RegistrationStatus.WAITING,
                position=number,
                attended=(number % 5 != 0) if attended and number <= count else None,
            )
        )
    Registration.objects.bulk_create(rows)


@transaction.atomic
def seed_demo_events() -> int:
    """Create what is missing; returns how many events were created."""
    organisers = _organisers()
    created = 0
    for key, unit, title, county, target, description, sessions in EVENTS:
        organiser = organisers.get(key)
        if organiser is None:
            continue  # reference data not loaded
        event, new = Event.objects.get_or_create(
            organiser=organiser,
            title=title,
            defaults={
                "organiser_unit": unit,
                "county_code": county,
                "target_group": target,
                "description": description,
                "status": EventStatus.PUBLISHED,
            },
        )
        if not new:
            continue
        created += 1
        for day, hour, hours, where, seats, registered, attended, cancelled in sessions:
            starts = _moment(day, hour)
            online = where.startswith("https://")
            session = Session.objects.create(
                event=event,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=hours),
                place="" if online else where,
                online_url=where if online else "",
                capacity=seats,
                registration_opens_at=starts - datetime.timedelta(days=90),
                registration_closes_at=starts - datetime.timedelta(days=3),
                status=SessionStatus.CANCELLED if cancelled else SessionStatus.SCHEDULED,
                sequence=1 if cancelled else 0,
            )
            waiting = WAITING if registered >= seats and not attended else 0
            _registrations(session, registered, waiting, attended)
    _organiser_users(organisers)
    return created


def _organiser_users(organisers: dict[str, Organisation]) -> None:
    """A demo login for two organisers (representant of the organisation)."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    for username, first, last, key in ORGANISER_USERS:
        if key not in organisers:
            continue
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.fordela.example",
                "password": password,
            },
        )
        Membership.objects.get_or_create(
            user=user,
            organisation=organisers[key],
            defaults={"role": OrganisationRole.REPRESENTANT},
        )
