"""The organiser's e-mail: a cancelled session, to each person registered,
waiting or offered a seat for it, once however often the task runs
(``core.tasks.send_once``)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fordela.core.clock import STOCKHOLM
from fordela.core.tasks import send_once

from .models import Registration
from .tasks import when


def cancelled_text(registration: Registration, reason: str) -> tuple[str, str]:
    session = registration.session
    event = session.event
    start = session.starts_at.astimezone(STOCKHOLM)
    subject = _("Cancelled: %(title)s, %(date)s") % {
        "title": event.title,
        "date": date_format(start, "j F Y"),
    }
    lines = [
        _("Hello %(name)s,") % {"name": registration.name},
        "",
        _("The session of %(title)s on %(when)s is cancelled.")
        % {"title": event.title, "when": when(session)},
        _("Your registration for it no longer applies; you need do nothing."),
    ]
    if reason:
        lines += ["", _("The organiser's message: %(reason)s") % {"reason": reason}]
    link = settings.FORDELA_SITE_URL.rstrip("/") + reverse("events:event", args=[event.pk])
    lines += [
        "",
        _("Other sessions and events: %(link)s") % {"link": link},
        "",
        "-- ",
        event.organiser.name,
    ]
    return subject, "\n".join(lines)


@task
def send_session_cancelled(registration_id: int, reason: str = "") -> int:
    registration = Registration.objects.select_related("session__event__organiser").get(
        pk=registration_id
    )
    if not registration.email:
        return 0  # anonymised meanwhile
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = cancelled_text(registration, reason)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [registration.email])
    return send_once(f"event-session-cancelled:{registration_id}", message)
