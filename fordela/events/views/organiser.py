"""The organiser's pages: their events, an event with its sessions, the
forms for both, cancelling a session, a session's participants with the
waiting list, moving people, attendance, and the participant list as CSV and
XLSX. Every page asks ``services.organiser`` who may organise; another
organiser's event is 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fordela.audit.services import events_for as audit_events_for
from fordela.core import clock, exports
from fordela.core.confirm import confirmation

from .. import exports as participant_exports
from ..counties import county_name
from ..forms.organiser import CancelSessionForm, EventForm, MoveForm, SessionForm
from ..models import (
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
    with_counts,
)
from ..services import organiser as services


def _event(request, pk: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("organiser", "decision"), pk=pk)
    services.require_organiser(request.user, event)
    return event


def _session(request, pk: int) -> Session:
    session = get_object_or_404(Session.objects.select_related("event__organiser"), pk=pk)
    services.require_organiser(request.user, session.event)
    return session


def _registration(request, pk: int) -> Registration:
    registration = get_object_or_404(
        Registration.objects.select_related("session__event__organiser"), pk=pk
    )
    services.require_organiser(request.user, registration.session.event)
    return registration


@login_required
@require_GET
def event_list(request):
    """The events the user may organise, newest first."""
    organisers = services.organisers_for(request.user)
    if not organisers:
        raise PermissionDenied("organise_events")
    return render(
        request,
        "events/organiser/list.html",
        {"events": services.events_for(request.user), "organisers": organisers},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request):
    organisers = services.organisers_for(request.user)
    if not organisers:
        raise PermissionDenied("organise_events")
    form = EventForm(request.POST or None, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(
                request.user, form.cleaned_data["organiser"], **form.event_fields()
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The event was created. Add its first session."))
            return redirect("events:session_new", pk=event.pk)
    return render(request, "events/organiser/event_form.html", {"form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk: int):
    event = _event(request, pk)
    initial = {
        name: getattr(event, name)
        for name in ("title", "organiser_unit", "description", "target_group", "county_code")
    }
    initial["decision"] = event.decision_id
    form = EventForm(request.POST or None, organisers=[], event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(request.user, event, **form.event_fields())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("events:manage_event", pk=event.pk)
    return render(request, "events/organiser/event_form.html", {"form": form, "event": event})


@login_required
@require_GET
def event_detail(request, pk: int):
    """The organiser's page of an event: its facts, sessions with seats and
    waiting lists, and what can be done with them."""
    event = _event(request, pk)
    sessions = with_counts(event.sessions.all()).order_by("starts_at", "pk")
    return render(
        request,
        "events/organiser/event.html",
        {
            "event": event,
            "county": county_name(event.county_code),
            "sessions": sessions,
            "is_draft": event.status == EventStatus.DRAFT,
            "audit_events": audit_events_for(event)[:50],
        },
    )


@login_required
@require_POST
def event_publish(request, pk: int):
    event = _event(request, pk)
    page = confirmation(
        request,
        title=_("Publish %(title)s?") % {"title": event.title},
        consequences=[
            _("The event is shown on the public pages and people can register as the sessions say.")
        ],
        button=_("Publish the event"),
        cancel_url=event_url(event),
    )
    if page is not None:
        return page
    try:
        services.publish_event(request.user, event)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The event is published."))
    return redirect("events:manage_event", pk=event.pk)


def event_url(event: Event) -> str:
    return reverse("events:manage_event", args=[event.pk])


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request, pk: int):
    event = _event(request, pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_session(request.user, event, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The session was added."))
            return redirect("events:manage_event", pk=event.pk)
    return render(
        request,
        "events/organiser/session_form.html",
        {"form": form, "event": event, "session": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk: int):
    session = _session(request, pk)
    if session.status == SessionStatus.CANCELLED:
        messages.error(request, _("A cancelled session cannot be changed."))
        return redirect("events:manage_event", pk=session.event_id)
    form = SessionForm(request.POST or None, initial=SessionForm.initial_for(session))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(request.user, session, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("events:manage_event", pk=session.event_id)
    return render(
        request,
        "events/organiser/session_form.html",
        {"form": form, "event": session.event, "session": session},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request, pk: int):
    session = _session(request, pk)
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        active = session.registrations.filter(
            status__in=(
                RegistrationStatus.CONFIRMED,
                RegistrationStatus.OFFERED,
                RegistrationStatus.WAITING,
            )
        ).count()
        page = confirmation(
            request,
            title=_("Cancel the session on %(start)s?") % {"start": _local(session.starts_at)},
            consequences=[
                _("The session cannot be opened again."),
                _("%(count)s people registered or waiting are e-mailed.") % {"count": active},
            ],
            button=_("Cancel the session"),
            cancel_url=event_url(session.event),
        )
        if page is not None:
            return page
        try:
            services.cancel_session(request.user, session, form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The session is cancelled and the participants e-mailed."))
        return redirect("events:manage_event", pk=session.event_id)
    return render(
        request, "events/organiser/session_cancel.html", {"form": form, "session": session}
    )


def _local(moment) -> str:
    return date_format(moment.astimezone(clock.STOCKHOLM), "j F Y H:i")


@login_required
@require_GET
def participants(request, pk: int):
    """A session's participants: those with a seat, the waiting list in its
    order (special needs shown here only), and the attendance form once the
    session has started."""
    session = _session(request, pk)
    registrations = list(
        session.registrations.select_related("organisation").order_by("position", "pk")
    )
    seated = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED]
    offered = [r for r in registrations if r.status == RegistrationStatus.OFFERED]
    waiting = [r for r in registrations if r.status == RegistrationStatus.WAITING]
    others = [r for r in registrations if not r.is_active]
    other_sessions = session.event.sessions.exclude(pk=session.pk).exclude(
        status=SessionStatus.CANCELLED
    )
    return render(
        request,
        "events/organiser/participants.html",
        {
            "session": session,
            "event": session.event,
            "seated": seated,
            "offered": offered,
            "waiting": waiting,
            "others": others,
            "taken": len(seated) + len(offered),
            "may_mark": session.status != SessionStatus.CANCELLED
            and clock.now() >= session.starts_at,
            "move_form": MoveForm(sessions=other_sessions) if other_sessions.exists() else None,
            "is_cancelled": session.status == SessionStatus.CANCELLED,
        },
    )


@login_required
@require_POST
def attendance(request, pk: int):
    session = _session(request, pk)
    try:
        ids = {int(value) for value in request.POST.getlist("attended")}
    except ValueError:
        ids = None
    if ids is None:
        messages.error(request, _("Only confirmed participants of this session can be marked."))
    else:
        try:
            count = services.mark_attendance(request.user, session, ids)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Attendance saved: %(count)s attended.") % {"count": count})
    return redirect("events:participants", pk=session.pk)


@login_required
@require_POST
def registration_confirm(request, pk: int):
    registration = _registration(request, pk)
    try:
        services.confirm_from_waiting_list(request.user, registration)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(name)s now has a seat.") % {"name": registration.name})
    return redirect("events:participants", pk=registration.session_id)


@login_required
@require_POST
def registration_move(request, pk: int):
    registration = _registration(request, pk)
    source = registration.session_id
    sessions = registration.session.event.sessions.exclude(pk=source)
    form = MoveForm(request.POST, sessions=sessions)
    if form.is_valid():
        try:
            services.move_registration(request.user, registration, form.cleaned_data["session"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("%(name)s was moved to the other session.") % {"name": registration.name}
            )
    else:
        messages.error(request, _("Choose a session of the same event."))
    return redirect("events:participants", pk=source)


@login_required
@require_GET
def participants_csv(request, pk: int):
    event = _event(request, pk)
    return exports.csv_response(
        participant_exports.filename(event, "csv"),
        participant_exports.HEADER,
        participant_exports.rows(participant_exports.participants(event)),
    )


@login_required
@require_GET
def participants_xlsx(request, pk: int):
    event = _event(request, pk)
    content = exports.xlsx_bytes(
        "Deltagare",
        participant_exports.HEADER,
        participant_exports.rows(participant_exports.participants(event)),
        meta=participant_exports.meta(event),
        widths=participant_exports.WIDTHS,
    )
    return exports.xlsx_response(participant_exports.filename(event, "xlsx"), content)
