"""Registering for a training event without an account, the waiting list and
its offers, and anonymising old registrations (issue 21 §3, §6).

Every change to a session's registrations locks the session's row first
(``select_for_update``), so the seats are counted by one transaction at a
time: a full session puts the next person on the waiting list, and a freed
seat is offered to one person only (an open offer holds its seat, like a
confirmed registration). The person acts through signed links in the
e-mails (``link_token``/``open_link``); the audit events name the
registration by number, never the person, so anonymising leaves no name
behind."""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock, states
from fordela.organisations.models import Organisation

from ..models import (
    ACTIVE,
    REGISTRATION_TRANSITIONS,
    SEAT_HOLDING,
    EventStatus,
    Registration,
    RegistrationStatus,
    Session,
    anonymise_months,
    offer_hours,
)

# Who the audit log names when the person acts through an e-mailed link, and
# when the scheduled tasks act.
PARTICIPANT = "participant"
SCHEDULER = "system"


def _refusal() -> str:
    return _("The registration cannot be changed: it is %(status)s.")


def _when(moment: datetime.datetime) -> str:
    return date_format(moment.astimezone(clock.STOCKHOLM), "j F Y H:i")


def _lock_session(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("event").get(pk=session.pk)


def _lock_registration(registration: Registration) -> Registration:
    return Registration.objects.select_for_update().get(pk=registration.pk)


def _snapshot(registration: Registration) -> dict:
    # No name, e-mail or special needs: the audit log outlives anonymising.
    return {
        "status": registration.status,
        "position": registration.position,
        "offered_until": registration.offered_until.isoformat()
        if registration.offered_until
        else None,
    }


def _move(
    registration: Registration,
    status: RegistrationStatus,
    actor,
    action: AuditAction,
    *,
    transitions=REGISTRATION_TRANSITIONS,
    refusal=_refusal,
    **changes,
) -> None:
    """Move a (locked) registration to ``status`` if ``transitions`` allows
    it, with the other ``changes`` to its fields, save it and record the
    audit event with the before and after snapshots."""
    before = _snapshot(registration)
    states.move(registration, status, transitions, refusal())
    for name, value in changes.items():
        setattr(registration, name, value)
    registration.save(update_fields=["status", *changes, "updated_at"])
    record(actor, action, registration, before=before, after=_snapshot(registration))


def _refuse_closed(session: Session, moment: datetime.datetime) -> None:
    state = session.registration_state(moment)
    if session.event.status == EventStatus.DRAFT:
        raise ValidationError(_("The event is not open for registration."))
    if state == "cancelled":
        raise ValidationError(_("The session has been cancelled, so you cannot register for it."))
    if state == "not_yet":
        raise ValidationError(
            _("Registration opens on %(date)s.") % {"date": _when(session.registration_opens_at)}
        )
    if state == "closed":
        raise ValidationError(
            _("Registration closed on %(date)s.")
            % {"date": _when(min(session.registration_closes_at, session.starts_at))}
        )


def register(
    session: Session,
    *,
    name: str,
    email: str,
    organisation: Organisation | None = None,
    organisation_text: str = "",
    special_needs: str = "",
) -> Registration:
    """Register a person for ``session``: a seat if one is free and nobody is
    waiting, otherwise the next place on the waiting list. Refuses a session
    that is cancelled, not yet open or closed, and an e-mail address that is
    already registered for it. Sends the confirmation (or waiting-list)
    e-mail with the signed cancel link."""
    name, email = name.strip(), email.strip()
    if not name:
        raise ValidationError({"name": _("Enter your name.")})
    if not email:
        raise ValidationError({"email": _("Enter your e-mail address.")})
    if organisation is None and not organisation_text.strip():
        raise ValidationError(
            {"organisation": _("Choose your organisation or write its name under Other.")}
        )
    with transaction.atomic():
        locked = _lock_session(session)
        moment = clock.now()
        _refuse_closed(locked, moment)
        registrations = locked.registrations.all()
        if registrations.filter(
            email__iexact=email, status__in=ACTIVE, anonymised_at__isnull=True
        ).exists():
            raise ValidationError(
                {"email": _("This e-mail address is already registered for this session.")}
            )
        taken = registrations.filter(status__in=SEAT_HOLDING).count()
        waiting = registrations.filter(status=RegistrationStatus.WAITING).exists()
        status = (
            RegistrationStatus.CONFIRMED
            if taken < locked.capacity and not waiting
            else RegistrationStatus.WAITING
        )
        position = (registrations.aggregate(last=Max("position"))["last"] or 0) + 1
        registration = Registration.objects.create(
            session=locked,
            name=name,
            email=email,
            organisation=organisation,
            organisation_text="" if organisation else organisation_text.strip(),
            special_needs=special_needs.strip(),
            status=status,
            position=position,
        )
        record(
            PARTICIPANT,
            AuditAction.REGISTRATION_CONFIRMED
            if status == RegistrationStatus.CONFIRMED
            else AuditAction.REGISTRATION_WAITLISTED,
            registration,
            after=_snapshot(registration),
        )
        _send(registration, "confirmed" if status == RegistrationStatus.CONFIRMED else "waiting")
    return registration


def cancel_registration(registration: Registration, actor=PARTICIPANT) -> Registration:
    """Cancel a confirmed or waiting registration, or an open offer. A seat it
    held is offered to the first on the waiting list."""
    with transaction.atomic():
        session = _lock_session(registration.session)
        locked = _lock_registration(registration)
        if locked.status in ACTIVE and session.starts_at <= clock.now():
            raise ValidationError(
                _(
                    "The session has already started, so the registration can no longer be cancelled."
                )
            )
        held_seat = locked.status in SEAT_HOLDING
        _move(locked, RegistrationStatus.CANCELLED, actor, AuditAction.REGISTRATION_CANCELLED)
        _send(locked, "cancelled")
        if held_seat:
            offer_free_seats(session)
    return locked


def offer_free_seats(session: Session, actor=SCHEDULER) -> list[Registration]:
    """Offer each free seat of ``session`` to the next on its waiting list, in
    order. Call it inside a transaction that holds the session's row lock
    (every service here does; the organiser's change of capacity should too).
    An offer holds its seat, so a seat is never offered twice. An offer lasts
    ``offer_hours()``, but not past the start of the session; nothing is
    offered once the session has started or when it is cancelled."""
    moment = clock.now()
    if session.registration_state(moment) == "cancelled" or session.starts_at <= moment:
        return []
    registrations = Registration.objects.filter(session=session)
    free = session.capacity - registrations.filter(status__in=SEAT_HOLDING).count()
    if free <= 0:
        return []
    until = min(moment + datetime.timedelta(hours=offer_hours()), session.starts_at)
    offered = list(
        registrations.filter(status=RegistrationStatus.WAITING)
        .select_for_update()
        .order_by("position", "pk")[:free]
    )
    for registration in offered:
        _move(
            registration,
            RegistrationStatus.OFFERED,
            actor,
            AuditAction.REGISTRATION_OFFERED,
            offered_at=moment,
            offered_until=until,
        )
        _send(registration, "offered")
    return offered


def accept_offer(registration: Registration) -> Registration:
    """Take the offered seat while the offer lasts."""
    with transaction.atomic():
        _lock_session(registration.session)
        locked = _lock_registration(registration)
        if locked.status == RegistrationStatus.OFFERED and locked.offered_until <= clock.now():
            raise ValidationError(
                _("The offer was valid until %(date)s and has expired.")
                % {"date": _when(locked.offered_until)}
            )
        _move(
            locked,
            RegistrationStatus.CONFIRMED,
            PARTICIPANT,
            AuditAction.REGISTRATION_OFFER_ACCEPTED,
            transitions=_OFFER_ANSWERS,
            refusal=_offer_refusal,
        )
        _send(locked, "accepted")
    return locked


def decline_offer(registration: Registration) -> Registration:
    """Say no to the offered seat; it goes to the next on the waiting list."""
    with transaction.atomic():
        session = _lock_session(registration.session)
        locked = _lock_registration(registration)
        _move(
            locked,
            RegistrationStatus.DECLINED,
            PARTICIPANT,
            AuditAction.REGISTRATION_OFFER_DECLINED,
            transitions=_OFFER_ANSWERS,
            refusal=_offer_refusal,
        )
        offer_free_seats(session)
    return locked


# Only an offer is answered (a subset of REGISTRATION_TRANSITIONS).
_OFFER_ANSWERS = {
    status: (
        frozenset({RegistrationStatus.CONFIRMED, RegistrationStatus.DECLINED})
        if status == RegistrationStatus.OFFERED
        else frozenset()
    )
    for status in RegistrationStatus
}


def _offer_refusal() -> str:
    return _("There is no open offer to answer: the registration is %(status)s.")


def expire_offers() -> int:
    """The scheduled task's work: each offer whose time has run out expires,
    and its seat is offered to the next on the waiting list. Returns how many
    expired; running it again expires none."""
    moment = clock.now()
    session_ids = (
        Registration.objects.filter(status=RegistrationStatus.OFFERED, offered_until__lte=moment)
        .values_list("session_id", flat=True)
        .distinct()
    )
    expired = 0
    for session_id in list(session_ids):
        with transaction.atomic():
            session = _lock_session(Session(pk=session_id))
            due = Registration.objects.select_for_update().filter(
                session=session, status=RegistrationStatus.OFFERED, offered_until__lte=moment
            )
            for registration in due:
                _move(
                    registration,
                    RegistrationStatus.EXPIRED,
                    SCHEDULER,
                    AuditAction.REGISTRATION_OFFER_EXPIRED,
                )
                _send(registration, "expired")
                expired += 1
            offer_free_seats(session)
    return expired


def anonymisation_cutoff(moment: datetime.datetime | None = None) -> datetime.datetime:
    """Registrations of sessions that ended before this are anonymised."""
    return (moment or clock.now()) - relativedelta(months=anonymise_months())


def anonymise_old_registrations() -> int:
    """The scheduled task's work: blank the name, e-mail address and special
    needs of every registration whose session ended more than
    ``anonymise_months()`` ago. The status, attendance and organisation stay,
    so the numbers (registered, attended, from which organisations) can still
    be reported. Returns how many were anonymised; running it again changes
    none."""
    moment = clock.now()
    session_ids = (
        Registration.objects.filter(
            anonymised_at__isnull=True, session__ends_at__lt=anonymisation_cutoff(moment)
        )
        .values_list("session_id", flat=True)
        .distinct()
    )
    anonymised = 0
    for session_id in list(session_ids):
        with transaction.atomic():
            locked = _lock_session(Session(pk=session_id))
            count = Registration.objects.filter(session=locked, anonymised_at__isnull=True).update(
                name="", email="", special_needs="", anonymised_at=moment
            )
            record(
                SCHEDULER,
                AuditAction.REGISTRATIONS_ANONYMISED,
                locked,
                after={"registrations": count},
            )
            anonymised += count
    return anonymised


# ------------------------------------------------------------ signed links

LINK_SALTS = {"cancel": "fordela.events.cancel", "offer": "fordela.events.offer"}


def link_token(registration: Registration, purpose: str) -> str:
    """The signed token of an e-mailed link: ``cancel`` (in every e-mail) or
    ``offer`` (accept or decline a freed seat). Salted per purpose, so one
    link cannot be used as the other."""
    return signing.Signer(salt=LINK_SALTS[purpose]).sign_object({"r": registration.pk})


@dataclass
class OpenedLink:
    registration: Registration | None = None
    problem: str = ""  # "invalid": not a link we signed; "gone": anonymised


def open_link(token: str, purpose: str) -> OpenedLink:
    """The registration an e-mailed link names, or why there is none.
    Reads only: opening a link changes nothing."""
    try:
        payload = signing.Signer(salt=LINK_SALTS[purpose]).unsign_object(token)
        registration_id = int(payload["r"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return OpenedLink(problem="invalid")
    registration = (
        Registration.objects.select_related("session__event__organiser", "organisation")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        return OpenedLink(problem="invalid")
    if registration.anonymised_at is not None:
        return OpenedLink(registration=registration, problem="gone")
    return OpenedLink(registration=registration)


def _send(registration: Registration, kind: str) -> None:
    # Inside the transaction: the e-mail is kept or dropped with the change
    # (the database task backend's row commits with it).
    from ..tasks import send_registration_email

    send_registration_email.enqueue(registration.pk, kind)
