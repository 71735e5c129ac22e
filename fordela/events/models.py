"""Training events of the competence support (issue 21 §2, §3, §6).

An organiser (a länsstyrelse, NCK, Barnafrid, the agency, a region) holds an
``Event`` with one or more ``Session``s; anyone registers for a session without
an account (``Registration``). A session holds ``capacity`` seats: confirmed
registrations and an open offer each hold one; the rest wait in order
(``position``). Registrations are anonymised some months after their session
ended (``services.anonymise_old_registrations``)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fordela.core import clock
from fordela.organisations.models import Organisation

# How long a freed seat is offered to the first on the waiting list, and how
# many months after its session ended a registration loses its personal data.
# Django settings, so that an operator changes them without a release.
DEFAULT_OFFER_HOURS = 48
DEFAULT_ANONYMISE_MONTHS = 12


def offer_hours() -> int:
    return int(getattr(settings, "FORDELA_EVENT_OFFER_HOURS", DEFAULT_OFFER_HOURS))


def anonymise_months() -> int:
    return int(getattr(settings, "FORDELA_EVENT_ANONYMISE_MONTHS", DEFAULT_ANONYMISE_MONTHS))


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # "Published" alone is "Fastställd" (an allocation key, a question set).
    PUBLISHED = "published", pgettext_lazy("event status", "Published")
    CANCELLED = "cancelled", _("Cancelled")


EVENT_TRANSITIONS: dict[str, frozenset[str]] = {
    EventStatus.DRAFT: frozenset({EventStatus.PUBLISHED, EventStatus.CANCELLED}),
    EventStatus.PUBLISHED: frozenset({EventStatus.CANCELLED}),
    EventStatus.CANCELLED: frozenset(),
}


class Event(models.Model):
    """A training day, seminar or course, with its sessions."""

    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="organised_events",
        verbose_name=_("organiser"),
    )
    # The team inside the organiser, e.g. "Nationella kompetensteamet mot
    # hedersrelaterat våld och förtryck" at Länsstyrelsen Östergötland.
    organiser_unit = models.CharField(_("unit"), max_length=200, blank=True, default="")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True, default="")
    target_group = models.CharField(_("target group"), max_length=300, blank=True, default="")
    # The län the event is for (SCB länskod, two digits; empty: the whole
    # country), which the public list filters on.
    county_code = models.CharField(_("county code"), max_length=2, blank=True, default="")
    # A stimulus-fund grant that pays for the event, so that the grant's
    # follow-up report can list its events and their attendance.
    decision = models.ForeignKey(
        "applications.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("stimulus-fund grant"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = clock.DateTimeField(auto_now_add=True)
    updated_at = clock.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        constraints = [
            models.CheckConstraint(
                condition=Q(county_code="") | Q(county_code__regex=r"^[0-9]{2}$"),
                name="event_county_code_two_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        """Published or cancelled events have a public page (a cancelled one
        says so); a draft is only the organiser's."""
        return self.status != EventStatus.DRAFT


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


SESSION_TRANSITIONS: dict[str, frozenset[str]] = {
    SessionStatus.SCHEDULED: frozenset({SessionStatus.CANCELLED}),
    SessionStatus.CANCELLED: frozenset(),
}


class Session(models.Model):
    """One occasion of an event: a time, a place or an online link, and seats."""

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("event")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True, default="")
    online_url = models.URLField(_("online link"), max_length=500, blank=True, default="")
    capacity = models.PositiveIntegerField(_("number of seats"))
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    # The iCalendar UID: the same in every export, so that a calendar updates
    # the session instead of adding it again; SEQUENCE grows with each change.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_at = clock.DateTimeField(auto_now_add=True)
    updated_at = clock.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="session_registration_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_url=""), name="session_has_place_or_link"
            ),
        ]

    def __str__(self) -> str:
        start = self.starts_at.astimezone(clock.STOCKHOLM)
        return f"{self.event.title}, {start:%Y-%m-%d %H:%M}"

    # Counts from the database; a list page annotates instead (see
    # ``with_counts``) so that its queries stay constant.
    @property
    def seats_taken(self) -> int:
        if hasattr(self, "taken_count"):
            return self.taken_count
        return self.registrations.filter(status__in=SEAT_HOLDING).count()

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def waiting_count(self) -> int:
        if hasattr(self, "waiting_total"):
            return self.waiting_total
        return self.registrations.filter(status=RegistrationStatus.WAITING).count()

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0

    def registration_state(self, moment=None) -> str:
        """Why one can or cannot register now: "open", "not_yet", "closed",
        "cancelled" (the session or its event)."""
        moment = moment or clock.now()
        if self.status == SessionStatus.CANCELLED or self.event.status == EventStatus.CANCELLED:
            return "cancelled"
        if moment < self.registration_opens_at:
            return "not_yet"
        if moment >= self.registration_closes_at or moment >= self.starts_at:
            return "closed"
        return "open"

    @property
    def is_open_for_registration(self) -> bool:
        return self.registration_state() == "open"

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= clock.now()


def with_counts(sessions: models.QuerySet) -> models.QuerySet:
    """``sessions`` with the seats taken and the waiting list counted in the
    same query (``Session.seats_taken``/``waiting_count`` read them)."""
    return sessions.annotate(
        taken_count=models.Count("registrations", filter=Q(registrations__status__in=SEAT_HOLDING)),
        waiting_total=models.Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
        ),
    )


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Offered a seat")
    CANCELLED = "cancelled", _("Cancelled")
    DECLINED = "declined", _("Declined the offer")
    EXPIRED = "expired", _("The offer expired")


# A confirmed registration and an open offer each hold a seat.
SEAT_HOLDING = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
# The registrations a person still has: one per e-mail and session.
ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING, RegistrationStatus.OFFERED)

REGISTRATION_TRANSITIONS: dict[str, frozenset[str]] = {
    RegistrationStatus.CONFIRMED: frozenset({RegistrationStatus.CANCELLED}),
    RegistrationStatus.WAITING: frozenset(
        {
            RegistrationStatus.OFFERED,
            RegistrationStatus.CANCELLED,
            # The organiser moves someone from the list into the session.
            RegistrationStatus.CONFIRMED,
        }
    ),
    RegistrationStatus.OFFERED: frozenset(
        {
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.DECLINED,
            RegistrationStatus.EXPIRED,
            RegistrationStatus.CANCELLED,
        }
    ),
    RegistrationStatus.CANCELLED: frozenset(),
    RegistrationStatus.DECLINED: frozenset(),
    RegistrationStatus.EXPIRED: frozenset(),
}


class Registration(models.Model):
    """A person's registration for a session. No account: the e-mailed signed
    links are how the person cancels or answers an offer."""

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("session")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    # Picked from the register (a kommun, a region, …) or typed in.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("organisation"),
    )
    organisation_text = models.CharField(
        _("organisation (other)"), max_length=200, blank=True, default=""
    )
    # Shown only to the organiser; blanked with the name and e-mail.
    special_needs = models.TextField(_("special needs"), max_length=1000, blank=True, default="")
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    # The order of registration within the session (the next number under
    # the session's row lock); the waiting list is the waiting registrations
    # in this order. Not unique, so the organiser can move someone up.
    position = models.PositiveIntegerField(_("place in order"))
    offered_at = models.DateTimeField(null=True, blank=True)
    offered_until = models.DateTimeField(_("offer valid until"), null=True, blank=True)
    # Marked by the organiser after the session; null until then.
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = clock.DateTimeField(auto_now_add=True)
    updated_at = clock.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "position", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["session", "status", "position"])]
        constraints = [
            models.UniqueConstraint(
                "session",
                Lower("email"),
                condition=Q(status__in=ACTIVE, anonymised_at__isnull=True),
                name="registration_one_active_per_email",
                violation_error_message=_("This e-mail address is already registered."),
            ),
            models.CheckConstraint(
                condition=~Q(status=RegistrationStatus.OFFERED)
                | Q(offered_until__isnull=False, offered_at__isnull=False),
                name="registration_offer_has_times",
            ),
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=True) | Q(name="", email="", special_needs=""),
                name="registration_anonymised_is_blank",
            ),
            models.CheckConstraint(
                condition=~Q(anonymised_at__isnull=True) | (~Q(name="") & ~Q(email="")),
                name="registration_has_name_and_email",
            ),
        ]

    def __str__(self) -> str:
        # Not the name: the audit log labels its events with this, and it
        # outlives anonymisation.
        return _("Registration %(number)s") % {"number": self.pk}

    @property
    def organisation_label(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_text

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE
