"""The public side of a training event: its page with the sessions, the
registration form, the receipt, and the pages behind the e-mailed links
(cancel, accept or decline an offered seat). No account is needed; a link's
page only shows what it would do, and its button (a POST) does it."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from fordela.core import clock

from ..counties import county_name
from ..forms.registration import RegistrationForm
from ..models import (
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Session,
    anonymise_months,
    offer_hours,
    with_counts,
)
from ..services import registration as services
from ..tasks import waiting_number

# The registrations made in this browser, so that its receipt pages show them
# (and nobody else's by guessing a number).
SESSION_KEY = "event_registrations"
KEPT = 20


def _public_event(pk: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("organiser"), pk=pk)
    if event.status == EventStatus.DRAFT:
        raise Http404
    return event


@require_http_methods(["GET", "HEAD"])
def event_page(request, pk: int):
    event = _public_event(pk)
    sessions = list(with_counts(event.sessions.select_related("event")))
    moment = clock.now()
    for session in sessions:
        session.state = session.registration_state(moment)
    return render(
        request,
        "events/event.html",
        {
            "event": event,
            "sessions": sessions,
            "county": county_name(event.county_code),
            "offer_hours": offer_hours(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def register(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("event__organiser"), pk=pk)
    if session.event.status == EventStatus.DRAFT:
        raise Http404
    state = session.registration_state()
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and state == "open" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.register(
                session,
                name=data["name"],
                email=data["email"],
                organisation=data["organisation"],
                organisation_text=data["organisation_text"],
                special_needs=data["special_needs"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            kept = [registration.pk, *request.session.get(SESSION_KEY, [])][:KEPT]
            request.session[SESSION_KEY] = kept
            return redirect("events:receipt", registration.pk)
    return render(
        request,
        "events/register.html",
        {
            "session": session,
            "event": session.event,
            "state": state,
            "form": form,
            "seats_left": session.seats_left,
            "anonymise_months": anonymise_months(),
        },
        status=200 if state == "open" or request.method != "POST" else 400,
    )


@require_http_methods(["GET", "HEAD"])
def receipt(request, pk: int):
    if pk not in request.session.get(SESSION_KEY, []):
        raise Http404
    registration = get_object_or_404(
        Registration.objects.select_related("session__event__organiser", "organisation"), pk=pk
    )
    number = (
        waiting_number(registration) if registration.status == RegistrationStatus.WAITING else None
    )
    return render(
        request,
        "events/receipt.html",
        {
            "registration": registration,
            "session": registration.session,
            "event": registration.session.event,
            "waiting_number": number,
            "offer_hours": offer_hours(),
        },
    )


def _link_gone(request, opened: services.OpenedLink):
    return render(
        request,
        "events/link_gone.html",
        {"problem": opened.problem, "registration": opened.registration},
        status=404 if opened.problem == "invalid" else 410,
    )


def _answer_page(request, token: str, purpose: str, action: str):
    """The page behind an e-mailed link: GET shows what the button does,
    POST does it through the service (a link checker's GET changes nothing)."""
    opened = services.open_link(token, purpose)
    if opened.problem:
        return _link_gone(request, opened)
    registration = opened.registration
    error = None
    done = False
    if request.method == "POST":
        act = {
            "cancel": services.cancel_registration,
            "accept": services.accept_offer,
            "decline": services.decline_offer,
        }[action]
        try:
            registration = act(registration)
            done = True
        except ValidationError as refused:
            error = " ".join(refused.messages)
            registration.refresh_from_db()
    return render(
        request,
        "events/answer.html",
        {
            "action": action,
            "registration": registration,
            "session": registration.session,
            "event": registration.session.event,
            "done": done,
            "error": error,
            "now": clock.now(),
            "waiting_number": waiting_number(registration)
            if registration.status == RegistrationStatus.WAITING
            else None,
        },
        status=400 if error else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request, token: str):
    return _answer_page(request, token, "cancel", "cancel")


@require_http_methods(["GET", "HEAD", "POST"])
def accept(request, token: str):
    return _answer_page(request, token, "offer", "accept")


@require_http_methods(["GET", "HEAD", "POST"])
def decline(request, token: str):
    return _answer_page(request, token, "offer", "decline")


@require_http_methods(["GET", "HEAD"])
def privacy(request):
    return render(
        request,
        "events/privacy.html",
        {"anonymise_months": anonymise_months(), "offer_hours": offer_hours()},
    )
