"""The organiser's side of the training events (issue 21 §2, §3): who may
organise, creating and changing an event and its sessions, cancelling a
session, the waiting list moved by hand, attendance after the session, and
what a stimulus-fund grant's follow-up report shows of its events.

Who organises: the agency's events (the organiser is Socialstyrelsen) are
for its staff with ``StaffAction.MANAGE_EVENTS``; any other organiser's are
for the members of that organisation who may change its data
(``Action.CHANGE_DATA``). Nobody else, the agency included, changes another
organiser's event (403).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.utils.translation import gettext as _

from fordela.access.models import OrganisationRole
from fordela.access.permissions import (
    ORGANISATION_MATRIX,
    Action,
    StaffAction,
    can,
    can_staff,
)
from fordela.audit.actions import AuditAction
from fordela.audit.services import record, record_changes
from fordela.core import clock, states
from fordela.organisations.models import Organisation

from ..models import (
    EVENT_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
    SEAT_HOLDING,
    SESSION_TRANSITIONS,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
)

# The agency's own organisation (organisations.reference_data).
AGENCY_KEY = "socialstyrelsen"

EVENT_FIELDS = (
    "title",
    "description",
    "target_group",
    "county_code",
    "organiser_unit",
    "decision",
)
SESSION_FIELDS = (
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
)
# A change to these makes the calendars' copy out of date (a new SEQUENCE).
CALENDAR_FIELDS = ("starts_at", "ends_at", "place", "online_url")
# How far ahead a session may be put: beyond this a date is a typing error.
MAX_YEARS_AHEAD = 5


# ---------------------------------------------------------------- who


def is_agency(organisation: Organisation) -> bool:
    return organisation.reference_key == AGENCY_KEY


def may_organise(user, organiser: Organisation) -> bool:
    """May ``user`` hold and change events organised by ``organiser``?"""
    if is_agency(organiser):
        return can_staff(user, StaffAction.MANAGE_EVENTS)
    return can(user, Action.CHANGE_DATA, organiser)


def require_organiser(user, event: Event) -> None:
    if not may_organise(user, event.organiser):
        raise PermissionDenied("organise_events")


def organisers_for(user) -> list[Organisation]:
    """The organisations ``user`` may hold events for: their own (with the
    right to change its data) and, for the agency's event staff, the agency."""
    if not getattr(user, "is_authenticated", False):
        return []
    roles = [OrganisationRole(role) for role in ORGANISATION_MATRIX[Action.CHANGE_DATA]]
    found = Organisation.objects.filter(
        memberships__user=user, memberships__role__in=roles
    ).exclude(reference_key=AGENCY_KEY)
    organisers = list(found.distinct().order_by("name"))
    if can_staff(user, StaffAction.MANAGE_EVENTS):
        agency = Organisation.objects.filter(reference_key=AGENCY_KEY).first()
        if agency is not None:
            organisers.insert(0, agency)
    return organisers


def events_for(user) -> QuerySet[Event]:
    """The events ``user`` may organise, newest first."""
    organisers = organisers_for(user)
    return (
        Event.objects.filter(organiser__in=organisers)
        .select_related("organiser")
        .annotate(
            session_count=Count("sessions", distinct=True),
            first_start=Min("sessions__starts_at"),
        )
        .order_by(F("first_start").desc(nulls_first=True), "-pk")
    )


# ---------------------------------------------------------------- checks


def grants_of(organiser: Organisation):
    """The decided grants (not refusals) to ``organiser`` that an event of
    theirs may say it is paid by."""
    from fordela.applications.models import Decision, Outcome

    return (
        Decision.objects.filter(application__organisation=organiser, decided_at__isnull=False)
        .exclude(outcome=Outcome.REFUSED)
        .select_related("application", "call")
        .order_by("-decided_at", "pk")
    )


def _check_event(organiser: Organisation, fields: dict) -> None:
    from ..counties import COUNTIES

    code = fields.get("county_code", "")
    if code and code not in COUNTIES:
        raise ValidationError({"county_code": _("Choose a county from the list.")})
    decision = fields.get("decision")
    if decision is not None and not grants_of(organiser).filter(pk=decision.pk).exists():
        raise ValidationError(
            {"decision": _("Choose one of the organiser's own granted applications.")}
        )


def _check_session(fields: dict, *, taken: int = 0) -> None:
    """The session's times in order, within reason, a place or a link, and
    no fewer seats than are already taken."""
    errors: dict[str, str] = {}
    starts, ends = fields["starts_at"], fields["ends_at"]
    opens, closes = fields["registration_opens_at"], fields["registration_closes_at"]
    latest = clock.now() + datetime.timedelta(days=365 * MAX_YEARS_AHEAD)
    if starts > latest:
        errors["starts_at"] = _("The session must start within %(years)s years.") % {
            "years": MAX_YEARS_AHEAD
        }
    if ends <= starts:
        errors["ends_at"] = _("The session must end after it starts.")
    if closes <= opens:
        errors["registration_closes_at"] = _("Registration must close after it opens.")
    elif closes > starts:
        errors["registration_closes_at"] = _("Registration must close before the session starts.")
    if not fields.get("place") and not fields.get("online_url"):
        errors["place"] = _("Give a place or an online link.")
    capacity = fields["capacity"]
    if capacity < 1:
        errors["capacity"] = _("The session must have at least one seat.")
    elif capacity < taken:
        errors["capacity"] = _(
            "%(taken)s people already have a seat: the number of seats cannot be lower than "
            "that. Move or cancel registrations first."
        ) % {"taken": taken}
    if errors:
        raise ValidationError(errors)


def _taken(session: Session) -> int:
    return session.registrations.filter(status__in=SEAT_HOLDING).count()


def _offer_freed_seats(session: Session, user) -> None:
    """Offer the session's free seats to its waiting list in order (the
    registration side's service sends the offers); the caller holds the
    session's row lock."""
    from .registration import offer_free_seats

    offer_free_seats(session, actor=user)


# ---------------------------------------------------------------- events


@transaction.atomic
def create_event(user, organiser: Organisation, **fields) -> Event:
    """A new event (a draft until it is published) held by ``organiser``."""
    if not may_organise(user, organiser):
        raise PermissionDenied("organise_events")
    _check_event(organiser, fields)
    values = {name: fields.get(name, "") for name in EVENT_FIELDS}
    values["decision"] = fields.get("decision")
    event = Event.objects.create(
        organiser=organiser, created_by=user, status=EventStatus.DRAFT, **values
    )
    record(user, AuditAction.EVENT_CREATED, event, after=_event_snapshot(event))
    return event


def _event_snapshot(event: Event) -> dict:
    snapshot = {name: getattr(event, name) for name in EVENT_FIELDS if name != "decision"}
    snapshot["decision"] = event.decision_id
    return snapshot


@transaction.atomic
def update_event(user, event: Event, **fields) -> Event:
    locked = Event.objects.select_for_update().get(pk=event.pk)
    require_organiser(user, locked)
    if locked.status == EventStatus.CANCELLED:
        raise ValidationError(_("A cancelled event cannot be changed."))
    _check_event(locked.organiser, fields)
    before = _event_snapshot(locked)
    for name in EVENT_FIELDS:
        if name in fields:
            setattr(locked, name, fields[name])
    if record_changes(user, AuditAction.EVENT_CHANGED, locked, before, _event_snapshot(locked)):
        locked.save()
        # The calendars show the title and the description: a new revision.
        locked.sessions.update(sequence=F("sequence") + 1)
    return locked


@transaction.atomic
def publish_event(user, event: Event) -> Event:
    """The event on the public pages, open for registration as its sessions
    say; it needs a session first."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    require_organiser(user, locked)
    if not locked.sessions.filter(status=SessionStatus.SCHEDULED).exists():
        raise ValidationError(_("Add a session before you publish the event."))
    states.move(
        locked,
        EventStatus.PUBLISHED,
        EVENT_TRANSITIONS,
        _("The event cannot be published: it is %(status)s."),
    )
    locked.save(update_fields=["status", "updated_at"])
    record(user, AuditAction.EVENT_PUBLISHED, locked)
    return locked


# ---------------------------------------------------------------- sessions


def _session_snapshot(session: Session) -> dict:
    return {
        name: (value.isoformat() if isinstance(value, datetime.datetime) else value)
        for name in SESSION_FIELDS
        for value in [getattr(session, name)]
    }


@transaction.atomic
def add_session(user, event: Event, **fields) -> Session:
    locked = Event.objects.select_for_update().get(pk=event.pk)
    require_organiser(user, locked)
    if locked.status == EventStatus.CANCELLED:
        raise ValidationError(_("A cancelled event cannot get new sessions."))
    _check_session(fields)
    session = Session.objects.create(
        event=locked, **{name: fields[name] for name in SESSION_FIELDS}
    )
    record(user, AuditAction.SESSION_ADDED, session, after=_session_snapshot(session))
    return session


@transaction.atomic
def update_session(user, session: Session, **fields) -> Session:
    """Change a session. Its row is locked, as registering locks it, so the
    seats counted here are the seats taken: fewer seats than that are
    refused. More seats go to the waiting list in its order."""
    locked = Session.objects.select_for_update().select_related("event").get(pk=session.pk)
    require_organiser(user, locked.event)
    if locked.status == SessionStatus.CANCELLED:
        raise ValidationError(_("A cancelled session cannot be changed."))
    merged = {name: fields.get(name, getattr(locked, name)) for name in SESSION_FIELDS}
    _check_session(merged, taken=_taken(locked))
    before = _session_snapshot(locked)
    for name, value in merged.items():
        setattr(locked, name, value)
    after = _session_snapshot(locked)
    if not record_changes(user, AuditAction.SESSION_CHANGED, locked, before, after):
        return locked
    if any(before[name] != after[name] for name in CALENDAR_FIELDS):
        locked.sequence += 1
    locked.save()
    if int(after["capacity"]) > int(before["capacity"]):
        _offer_freed_seats(locked, user)
    return locked


@transaction.atomic
def cancel_session(user, session: Session, reason: str = "") -> Session:
    """Cancel a session: it stays in the calendars as STATUS:CANCELLED (a
    new SEQUENCE) and everyone still registered, waiting or offered a seat
    is e-mailed."""
    locked = Session.objects.select_for_update().select_related("event").get(pk=session.pk)
    require_organiser(user, locked.event)
    states.move(
        locked,
        SessionStatus.CANCELLED,
        SESSION_TRANSITIONS,
        _("The session cannot be cancelled: it is %(status)s."),
    )
    locked.sequence += 1
    locked.save(update_fields=["status", "sequence", "updated_at"])
    record(user, AuditAction.SESSION_CANCELLED, locked, after={"reason": reason})
    from ..tasks_organiser import send_session_cancelled

    for registration_id in locked.registrations.filter(
        status__in=(*SEAT_HOLDING, RegistrationStatus.WAITING)
    ).values_list("pk", flat=True):
        send_session_cancelled.enqueue(registration_id, reason)
    return locked


# ---------------------------------------------------------------- people


def _locked_registration(registration: Registration) -> tuple[Registration, Session]:
    """The registration and its session, locked in the order registering
    locks them (the session first)."""
    session = (
        Session.objects.select_for_update().select_related("event").get(pk=registration.session_id)
    )
    return Registration.objects.select_for_update().get(pk=registration.pk), session


@transaction.atomic
def confirm_from_waiting_list(user, registration: Registration) -> Registration:
    """Give a person on the waiting list (or with an open offer) a seat,
    out of the list's order. Refused when the session is full: raise the
    number of seats first."""
    locked, session = _locked_registration(registration)
    require_organiser(user, session.event)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("The session is cancelled."))
    if locked.status == RegistrationStatus.WAITING and _taken(session) >= session.capacity:
        raise ValidationError(
            _("The session is full. Raise the number of seats first, or move someone else.")
        )
    before = locked.status
    states.move(
        locked,
        RegistrationStatus.CONFIRMED,
        REGISTRATION_TRANSITIONS,
        _("The registration cannot be confirmed: it is %(status)s."),
    )
    locked.offered_at = locked.offered_until = None
    locked.save(update_fields=["status", "offered_at", "offered_until", "updated_at"])
    record(
        user,
        AuditAction.REGISTRATION_CONFIRMED_BY_ORGANISER,
        locked,
        before={"status": before},
        after={"status": locked.status},
    )
    return locked


@transaction.atomic
def move_registration(user, registration: Registration, target: Session) -> Registration:
    """Move a registration to another session of the same event. Someone with
    a seat needs a free seat there; someone waiting joins the end of that
    session's waiting list. The seat left behind goes to the old session's
    waiting list."""
    # Both sessions locked in the order of their keys, as no other code path
    # locks two sessions: no deadlock with a registration or another move.
    first, second = sorted({registration.session_id, target.pk})
    sessions = {
        s.pk: s
        for s in Session.objects.select_for_update()
        .select_related("event")
        .filter(pk__in=[first, second])
        .order_by("pk")
    }
    source, destination = sessions[registration.session_id], sessions[target.pk]
    require_organiser(user, source.event)
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if destination.pk == source.pk:
        raise ValidationError({"session": _("Choose another session than the current one.")})
    if destination.event_id != source.event_id:
        raise ValidationError({"session": _("Choose a session of the same event.")})
    if destination.status == SessionStatus.CANCELLED:
        raise ValidationError({"session": _("That session is cancelled.")})
    if not locked.is_active:
        raise ValidationError(_("Only a registration that is still active can be moved."))
    if (
        destination.registrations.filter(status__in=(*SEAT_HOLDING, RegistrationStatus.WAITING))
        .filter(email__iexact=locked.email)
        .exists()
    ):
        raise ValidationError({"session": _("This person is already registered for that session.")})
    held_seat = locked.status in SEAT_HOLDING
    if held_seat and _taken(destination) >= destination.capacity:
        raise ValidationError(
            {"session": _("That session is full. Raise its number of seats first.")}
        )
    before = {"session": source.pk, "status": locked.status}
    last = destination.registrations.aggregate(last=Max("position"))["last"] or 0
    locked.session = destination
    locked.position = last + 1
    if held_seat:
        locked.status = RegistrationStatus.CONFIRMED
        locked.offered_at = locked.offered_until = None
    locked.save()
    record(
        user,
        AuditAction.REGISTRATION_MOVED,
        locked,
        before=before,
        after={"session": destination.pk, "status": locked.status},
    )
    if held_seat:
        _offer_freed_seats(source, user)
    return locked


@transaction.atomic
def mark_attendance(user, session: Session, attended_ids: set[int]) -> int:
    """After the session has started: the confirmed registrations in
    ``attended_ids`` attended, the other confirmed ones did not. Returns how
    many attended."""
    locked = Session.objects.select_for_update().select_related("event").get(pk=session.pk)
    require_organiser(user, locked.event)
    if locked.status == SessionStatus.CANCELLED:
        raise ValidationError(_("The session is cancelled."))
    if clock.now() < locked.starts_at:
        raise ValidationError(_("Attendance can be marked once the session has started."))
    confirmed = locked.registrations.filter(status=RegistrationStatus.CONFIRMED)
    unknown = set(attended_ids) - set(confirmed.values_list("pk", flat=True))
    if unknown:
        raise ValidationError(_("Only confirmed participants of this session can be marked."))
    before = dict(confirmed.values_list("pk", "attended"))
    confirmed.filter(pk__in=attended_ids).update(attended=True, updated_at=clock.now())
    confirmed.exclude(pk__in=attended_ids).update(attended=False, updated_at=clock.now())
    record(
        user,
        AuditAction.ATTENDANCE_MARKED,
        locked,
        before={"attended": sorted(pk for pk, value in before.items() if value)},
        after={"attended": sorted(attended_ids)},
    )
    return len(attended_ids)


# ---------------------------------------------------------------- grants


@dataclass(frozen=True)
class GrantEventRow:
    event: Event
    sessions: int
    confirmed: int
    attended: int


def events_for_decision(decision) -> list[GrantEventRow]:
    """The events a stimulus-fund grant pays for, with their sessions,
    confirmed participants and attendance (one query), for the grant's
    follow-up report."""
    events = (
        Event.objects.filter(decision=decision)
        .exclude(status=EventStatus.DRAFT)
        .select_related("organiser")
        .annotate(
            session_total=Count("sessions", distinct=True),
            confirmed_total=Count(
                "sessions__registrations",
                filter=Q(sessions__registrations__status=RegistrationStatus.CONFIRMED),
            ),
            attended_total=Count(
                "sessions__registrations",
                filter=Q(sessions__registrations__attended=True),
            ),
            first_start=Min("sessions__starts_at"),
        )
        .order_by("first_start", "pk")
    )
    return [
        GrantEventRow(
            event=event,
            sessions=event.session_total,
            confirmed=event.confirmed_total,
            attended=event.attended_total,
        )
        for event in events
    ]
