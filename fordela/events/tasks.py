"""The training events' background work: the e-mails to the people who
register (each sent once however often its task runs, ``core.tasks.send_once``)
and the two scheduled tasks, expiring offers (run every quarter of an hour or
so) and anonymising old registrations (run daily)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fordela.core.clock import STOCKHOLM
from fordela.core.tasks import send_once

from .models import Registration, RegistrationStatus, Session, offer_hours

KINDS = ("confirmed", "waiting", "offered", "accepted", "cancelled", "expired")


def _url(name: str, *args) -> str:
    return settings.FORDELA_SITE_URL.rstrip("/") + reverse(name, args=args)


def when(session: Session) -> str:
    """ "10 mars 2026, 09:00–16:00" (or both dates when it runs over days)."""
    start, end = session.starts_at.astimezone(STOCKHOLM), session.ends_at.astimezone(STOCKHOLM)
    if start.date() == end.date():
        return _("%(date)s, %(start)s–%(end)s") % {
            "date": date_format(start, "j F Y"),
            "start": date_format(start, "H:i"),
            "end": date_format(end, "H:i"),
        }
    return f"{date_format(start, 'j F Y H:i')} – {date_format(end, 'j F Y H:i')}"


def waiting_number(registration: Registration) -> int:
    """The registration's place on its session's waiting list (1 = next)."""
    return (
        Registration.objects.filter(
            session_id=registration.session_id,
            status=RegistrationStatus.WAITING,
            position__lt=registration.position,
        ).count()
        + 1
    )


def _facts(session: Session, *, seated: bool = False) -> list[str]:
    """What, when and where; the online link only to those with a seat."""
    lines = [
        _("Training: %(title)s") % {"title": session.event.title},
        _("When: %(when)s") % {"when": when(session)},
    ]
    if session.place:
        lines.append(_("Where: %(place)s") % {"place": session.place})
    if session.online_url and seated:
        lines.append(_("Online: %(link)s") % {"link": session.online_url})
    elif session.online_url:
        lines.append(_("Online: the link comes with the confirmed seat"))
    return lines


def _signature(session: Session) -> str:
    organiser = session.event.organiser
    lines = ["-- ", organiser.name]
    if session.event.organiser_unit:
        lines.append(session.event.organiser_unit)
    if organiser.email:
        lines.append(_("E-mail %(email)s") % {"email": organiser.email})
    return "\n".join(lines) + "\n"


def email_text(registration: Registration, kind: str) -> tuple[str, str]:
    """The subject and body of the e-mail of ``kind`` (one of ``KINDS``)."""
    from .services.registration import link_token

    session = registration.session
    title = session.event.title
    cancel = _url("events:cancel", link_token(registration, "cancel"))
    lines = [_("Hello %(name)s,") % {"name": registration.name}, ""]
    if kind in ("confirmed", "accepted"):
        subject = _("Registration confirmed: %(title)s") % {"title": title}
        lines += [
            _("You have a seat at the training below. Welcome!"),
            "",
            *_facts(session, seated=True),
            "",
        ]
        lines += [
            _(
                "If you cannot come, cancel the registration so that someone else can have the seat:"
            ),
            cancel,
        ]
    elif kind == "waiting":
        subject = _("Waiting list: %(title)s") % {"title": title}
        lines += [
            _("The training is full. You are number %(number)s on the waiting list.")
            % {"number": waiting_number(registration)},
            _(
                "If a seat becomes free, we e-mail you an offer, which you have %(hours)s hours "
                "to accept."
            )
            % {"hours": offer_hours()},
            "",
            *_facts(session),
            "",
            _("To leave the waiting list:"),
            cancel,
        ]
    elif kind == "offered":
        subject = _("A seat is free for you: %(title)s") % {"title": title}
        offer = link_token(registration, "offer")
        until = date_format(registration.offered_until.astimezone(STOCKHOLM), "j F Y H:i")
        lines += [
            _(
                "A seat has become free at the training below, and it is offered to you until %(until)s."
            )
            % {"until": until},
            "",
            *_facts(session),
            "",
            _("Accept the seat:"),
            _url("events:accept", offer),
            "",
            _("Decline the seat:"),
            _url("events:decline", offer),
            "",
            _(
                "If you have not answered by then, the seat goes to the next person on the waiting list."
            ),
        ]
    elif kind == "cancelled":
        subject = _("Registration cancelled: %(title)s") % {"title": title}
        lines += [
            _("Your registration for the training below has been cancelled."),
            "",
            *_facts(session),
            "",
            _("You can register again while registration is open:"),
            _url("events:event", session.event_id),
        ]
    elif kind == "expired":
        subject = _("The offer has expired: %(title)s") % {"title": title}
        until = date_format(registration.offered_until.astimezone(STOCKHOLM), "j F Y H:i")
        lines += [
            _(
                "The seat offered to you was not accepted by %(until)s, so it has gone to the "
                "next person on the waiting list. You are no longer on the waiting list."
            )
            % {"until": until},
            "",
            *_facts(session),
        ]
    else:
        raise ValueError(kind)
    lines += [
        "",
        _(
            "You receive this e-mail because this address was used to register for a training "
            "in Fördela."
        ),
        "",
        _signature(session),
    ]
    return subject, "\n".join(lines)


@task
def send_registration_email(registration_id: int, kind: str) -> int:
    """One e-mail about a registration; at most one of each kind per
    registration (an offer is made to a registration once)."""
    registration = (
        Registration.objects.select_related("session__event__organiser")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or not registration.email:
        return 0
    if kind == "offered" and registration.status != RegistrationStatus.OFFERED:
        return 0  # answered or cancelled before the worker came to it
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = email_text(registration, kind)
    sender = registration.session.event.organiser.email
    message = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [registration.email],
        reply_to=[sender] if sender else None,
    )
    return send_once(f"event-registration:{registration_id}:{kind}", message)


@task
def expire_offers_task() -> int:
    """The periodic task (every quarter of an hour or so): offers whose time
    has run out expire and their seats go to the next on the waiting list."""
    from .services.registration import expire_offers

    return expire_offers()


@task
def anonymise_old_registrations_task() -> int:
    """The daily task: registrations of sessions that ended more than
    ``FORDELA_EVENT_ANONYMISE_MONTHS`` ago lose their personal data."""
    from .services.registration import anonymise_old_registrations

    return anonymise_old_registrations()
