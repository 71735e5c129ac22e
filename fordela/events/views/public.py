"""The public competence-support pages: the "Kompetensstöd" hub (what the
support is, upcoming events with a län filter, the latest material from the
library, the partners), the list of upcoming events, and the calendars (an
``.ics`` per event, a feed per organiser)."""

from django import forms
from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from fordela.core import clock
from fordela.core.pagination import page_of
from fordela.organisations.models import Organisation

from .. import calendar
from ..counties import COUNTIES, county_name
from ..models import Event, EventStatus, SessionStatus

HUB_EVENTS = 6
HUB_MATERIALS = 4


class CountyFilter(forms.Form):
    lan = forms.ChoiceField(
        label=_("County"),
        required=False,
        choices=[("", _("All counties")), *COUNTIES.items()],
        help_text=_("Events for the whole country are shown for every county."),
    )

    def county(self) -> str:
        return self.cleaned_data.get("lan", "") if self.is_valid() else ""


def upcoming_events(county: str = "") -> QuerySet[Event]:
    """Published events with a session still to come, the soonest first; for
    a län, that län's events and those for the whole country. One query: the
    next session's start and the number of sessions to come are annotated."""
    now = clock.now()
    coming = Q(sessions__status=SessionStatus.SCHEDULED, sessions__ends_at__gt=now)
    events = (
        Event.objects.filter(status=EventStatus.PUBLISHED)
        .select_related("organiser")
        .annotate(
            next_start=Min("sessions__starts_at", filter=coming),
            coming_sessions=Count("sessions", filter=coming),
        )
        .filter(next_start__isnull=False)
        .order_by("next_start", "pk")
    )
    if county:
        events = events.filter(Q(county_code=county) | Q(county_code=""))
    return events


def _with_county_names(events) -> list[Event]:
    events = list(events)
    for event in events:
        event.county_label = county_name(event.county_code)
    return events


def _latest_materials() -> tuple[list, str | None]:
    """The library's latest entries and its list's address, when the library
    is there (it is its own app, fordela.library)."""
    try:
        from fordela.library.services import latest_published

        materials = latest_published(HUB_MATERIALS)
        list_url = reverse("library:list")
    except (ImportError, NoReverseMatch, AttributeError):
        return [], None
    return materials, list_url


@require_GET
def hub(request):
    county_filter = CountyFilter(request.GET or None)
    county = county_filter.county()
    events = _with_county_names(upcoming_events(county)[:HUB_EVENTS])
    materials, library_url = _latest_materials()
    return render(
        request,
        "events/hub.html",
        {
            "filter": county_filter,
            "county": county_name(county),
            "events": events,
            "materials": materials,
            "library_url": library_url,
        },
    )


@require_GET
def event_list(request):
    county_filter = CountyFilter(request.GET or None)
    county = county_filter.county()
    page = page_of(request, upcoming_events(county), per_page=20)
    page.object_list = _with_county_names(page.object_list)
    return render(
        request,
        "events/list.html",
        {"filter": county_filter, "county": county_name(county), "page": page},
    )


def _ics(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=calendar.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@require_GET
def event_ics(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("organiser"), pk=pk)
    if not event.is_public:
        raise Http404
    return _ics(calendar.event_calendar(event), f"utbildning-{event.pk}")


@require_GET
def organiser_feed(request, organiser_id: int):
    organiser = get_object_or_404(Organisation, pk=organiser_id)
    if not organiser.organised_events.exclude(status=EventStatus.DRAFT).exists():
        raise Http404
    return _ics(calendar.organiser_feed(organiser), f"arrangor-{organiser.pk}")
