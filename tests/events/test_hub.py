"""The public Kompetensstöd page and the list of events: plain Swedish, the
partners, upcoming events filtered by län (a GET form), the library's latest
material when the library is there."""

import datetime

import pytest
from django.urls import reverse

from fordela.events.models import EventStatus, SessionStatus
from tests.events.factories import START, EventFactory, SessionFactory
from tests.query_budget import query_budget

pytestmark = pytest.mark.django_db

BEFORE = "2026-02-28T10:00"


@pytest.fixture
def events(clock_at):
    clock_at(BEFORE)
    stockholm = EventFactory(title="Våld i nära relationer, Stockholm", county_code="01")
    SessionFactory(event=stockholm)
    goteborg = EventFactory(title="Hedersrelaterat våld, Göteborg", county_code="14")
    SessionFactory(event=goteborg, starts_at=START + datetime.timedelta(days=3))
    national = EventFactory(title="Webbinarium för hela landet", county_code="")
    SessionFactory(event=national, place="", online_url="https://example.se/webbinarium")
    draft = EventFactory(title="Utkast", county_code="01", status=EventStatus.DRAFT)
    SessionFactory(event=draft)
    past = EventFactory(title="Redan hållen", county_code="01")
    SessionFactory(event=past, starts_at=START - datetime.timedelta(days=30))
    cancelled = EventFactory(title="Inställd", county_code="01")
    SessionFactory(event=cancelled, status=SessionStatus.CANCELLED)
    return stockholm, goteborg, national


def test_the_hub_says_what_the_support_is_and_names_the_partners(client, events):
    html = client.get(reverse("events:hub")).content.decode()
    assert "<h1" in html and "Kompetensstöd" in html
    for partner in ("Nationellt centrum för kvinnofrid", "Barnafrid", "Jämställdhetsmyndigheten"):
        assert partner in html
    assert "Länsstyrelsen Östergötland" in html


def test_the_hub_lists_upcoming_public_events_only(client, events):
    html = client.get(reverse("events:hub")).content.decode()
    for title in ("Stockholm", "Göteborg", "hela landet"):
        assert title in html
    for title in ("Utkast", "Redan hållen", "Inställd"):
        assert title not in html


def test_the_county_filter_keeps_that_county_and_the_whole_country(client, events):
    html = client.get(reverse("events:list"), {"lan": "14"}).content.decode()
    assert "Göteborg" in html and "hela landet" in html
    assert "Våld i nära relationer, Stockholm" not in html
    assert "Utbildningar i Västra Götalands län" in html


def test_an_unknown_county_gives_a_swedish_error_and_all_events(client, events):
    html = client.get(reverse("events:list"), {"lan": "99"}).content.decode()
    assert "govuk-error-summary" in html
    assert "Göteborg" in html and "Stockholm" in html


def test_the_hub_shows_the_librarys_latest_material_when_there(client, events, clock_at):
    pytest.importorskip("fordela.library.services")
    from fordela.library.services import latest_published
    from tests.library.fixtures import entry, make_library

    library = make_library()
    for day, title in enumerate(("Äldst", "Handbok", "Webbkurs", "Metod", "Nyast"), start=1):
        clock_at(f"2026-02-{day:02}")
        entry(library.handlaggare, library.agency, title=title)
    entry(library.handlaggare, library.agency, title="Utkast", publish=False)
    clock_at(BEFORE)

    html = client.get(reverse("events:hub")).content.decode()
    assert reverse("library:list") in html
    latest = latest_published(4)
    assert [material.title for material in latest] == ["Nyast", "Metod", "Webbkurs", "Handbok"]
    for material in latest:
        assert reverse("library:detail", args=[material.pk]) in html
    assert "Äldst" not in html and "Utkast" not in html


def test_the_list_page_queries_do_not_grow_with_events(client, events):
    with query_budget(client, reverse("events:list"), reverse("events:hub")):
        for number in range(15):
            SessionFactory(event=EventFactory(title=f"Extra {number}", county_code="05"))
