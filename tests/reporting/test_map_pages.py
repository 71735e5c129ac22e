"""The uptake map page (reporting:map): the SVG (290 paths with titles, the
classes of a known data set, its accessible name, its size), the table with
the same numbers, the choices in the query string, bad input and the query
count."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fordela.reporting import measures
from fordela.reports.models import ReportStatus
from fordela.requisitions.models import RequisitionStatus

from .map_fixtures import URL, map_world  # noqa: F401 - fixture

SVG = "{http://www.w3.org/2000/svg}"
ALE, STOCKHOLM, MALMO, KIRUNA = "1440", "0180", "1280", "2584"


def svg_of(response) -> tuple[str, ET.Element]:
    html = response.content.decode()
    text = re.search(r"<svg xmlns=.*?</svg>", html, re.S).group(0)
    return text, ET.fromstring(text)


def places(svg: ET.Element) -> list[ET.Element]:
    return [p for p in svg.iter(f"{SVG}path") if p.find(f"{SVG}title") is not None]


def fill_of(svg: ET.Element, name: str) -> str:
    for path in places(svg):
        if path.find(f"{SVG}title").text.startswith(f"{name}:"):
            return path.get("fill")
    raise AssertionError(name)


def body_rows(html: str) -> list[str]:
    tbody = re.search(r'<tbody class="govuk-table__body">(.*?)</tbody>', html, re.S).group(1)
    return re.findall(r'<tr class="govuk-table__row"><th scope="row"[^>]*>(.*?)</th>', tbody)


@pytest.fixture
def known(map_world, clock_at):  # noqa: F811 - the fixture
    """Ale requisitioned all (the kommun pool and its top-up), Stockholm half
    (from the kommun pool), Malmö 1 kr, Kiruna its whole allocation but the
    requisition was rejected (so nothing counts)."""
    clock_at("2022-06-15T10:00")
    w = map_world
    ale = w.requisition(ALE)
    w.requisition(ALE, pool="kommuner-pafyllnad")
    allocated = sum(
        w.allocation(STOCKHOLM, p).amount_sek for p in ("kommuner", "kommuner-pafyllnad")
    )
    half = (allocated + 1) // 2
    stockholm = w.requisition(STOCKHOLM, half, status=RequisitionStatus.SUBMITTED)
    malmo = w.requisition(MALMO, 1)
    w.requisition(KIRUNA, status=RequisitionStatus.REJECTED)
    w.report(ale, ReportStatus.APPROVED)
    w.report(stockholm, ReportStatus.OPEN, due_on=datetime.date(2022, 3, 31))  # overdue
    w.report(malmo, ReportStatus.SUBMITTED)
    cache.clear()
    return w


def test_the_map_has_290_kommuner_with_titles_a_name_and_a_summary(client, known):
    response = client.get(URL)
    assert response.status_code == 200
    text, svg = svg_of(response)
    assert svg.get("role") == "img"
    assert len(places(svg)) == 290
    assert all(p.find(f"{SVG}title").text.strip() for p in places(svg))
    html = response.content.decode()
    for label_id in svg.get("aria-labelledby").split():
        assert f'id="{label_id}"' in html
    # The summary is the caption's one sentence.
    summary = re.search(r'id="karta-sammanfattning">(.*?)</p>', html).group(1)
    assert summary.startswith("3 av 290 kommuner rekvirerade medel för 2021")
    assert "Källa: SCB" in html
    # Under 120 KB uncompressed.
    assert len(text.encode()) < 120_000


def test_classes_for_the_known_data_set(client, known):
    ale = known.allocation(ALE)
    assert ale.amount_sek * 100 // ale.population in range(600, 800)  # 6–8 kr: class 3
    _, svg = svg_of(client.get(URL))  # kronor per inhabitant (the default)
    colours = measures.SEQUENTIAL
    assert fill_of(svg, "Ale") == colours[3]
    assert fill_of(svg, "Stockholm") == colours[1]  # about 3,6 kr
    assert fill_of(svg, "Malmö") == colours[0]
    assert fill_of(svg, "Kiruna") == colours[0]  # rejected: nothing requisitioned

    _, svg = svg_of(client.get(URL, {"matt": "andel"}))
    assert fill_of(svg, "Ale") == colours[4]  # 100 %
    assert fill_of(svg, "Stockholm") == colours[2]  # 50 % of the pool and its top-up
    assert fill_of(svg, "Malmö") == colours[1]  # > 0 and < 50 %
    assert fill_of(svg, "Kiruna") == colours[0]  # 0 %

    response = client.get(URL, {"matt": "aterrapport"})
    _, svg = svg_of(response)
    assert fill_of(svg, "Ale") == measures.STATUSES[measures.APPROVED][1]
    assert fill_of(svg, "Stockholm") == measures.STATUSES[measures.OVERDUE][1]
    assert fill_of(svg, "Malmö") == measures.STATUSES[measures.SUBMITTED][1]
    assert fill_of(svg, "Kiruna") == measures.NO_DATA_FILL
    html = response.content.decode()
    assert 'Ingen data (randig) <span class="uptake-legend__count">(287)</span>' in html
    assert 'id="ingen-data"' in html


def test_the_table_has_the_same_numbers_and_sorts_without_javascript(client, known):
    html = client.get(URL, {"matt": "andel", "sort": "-share"}).content.decode()
    names = body_rows(html)
    assert len(names) == 290
    assert names[:3] == ["Ale", "Stockholm", "Malmö"]
    # The sort links keep the measure.
    assert "matt=andel" in re.search(r'<a class="govuk-link sort" href="([^"]+)"', html).group(1)
    ale = re.search(r"<th scope=\"row\"[^>]*>Ale</th>(.*?)</tr>", html).group(1)
    assert "100,0\u00a0%" in ale and "Godkänd" in ale
    names = body_rows(client.get(URL, {"sort": "status"}).content.decode())
    assert names[:3] == ["Stockholm", "Malmö", "Ale"]  # overdue, submitted, approved


def test_the_regions_view_has_21_regions(client, known):
    known.requisition("14", pool="regioner")
    response = client.get(URL, {"niva": "regioner"})
    _, svg = svg_of(response)
    assert len(places(svg)) == 21
    assert fill_of(svg, "Västra Götalandsregionen") == measures.SEQUENTIAL[3]
    assert len(body_rows(response.content.decode())) == 21


def test_a_new_requisition_shows_at_once(client, known):
    _, svg = svg_of(client.get(URL, {"matt": "andel"}))
    assert fill_of(svg, "Lund") == measures.SEQUENTIAL[0]
    known.requisition("1281")  # Lund
    known.requisition("1281", pool="kommuner-pafyllnad")
    _, svg = svg_of(client.get(URL, {"matt": "andel"}))
    assert fill_of(svg, "Lund") == measures.SEQUENTIAL[4]


def test_bad_choices_fall_back_and_unknown_years_are_404(client, known):
    response = client.get(URL, {"matt": "x" * 5000, "niva": "<b>", "sort": "--share"})
    assert response.status_code == 200
    assert len(body_rows(response.content.decode())) == 290
    assert client.get("/program/s2020-01591/1999/karta/").status_code == 404
    assert client.get("/program/okant/2021/karta/").status_code == 404
    assert client.post(URL).status_code == 405


def test_a_year_without_keys_says_so(client, known):
    response = client.get("/program/s2020-01591/2020/karta/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Det finns ingen fördelning till kommuner för 2020" in html
    _, svg = svg_of(response)
    assert {p.get("fill") for p in places(svg)} == {measures.NO_DATA_FILL}


def _queries(client, params) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"matt": "aterrapport", "sort": "status"}])
def test_the_query_count_does_not_grow_with_the_data(client, known, params):
    few = _queries(client, params)
    for code in ("0114", "0115", "0117", "0120", "0123", "0125", "0126", "0127", "0128"):
        known.report(known.requisition(code), ReportStatus.SUBMITTED)
    assert _queries(client, params) == few
    # From the cache: the state's two queries, the year's and the pools', and the years'.
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, params)
    assert len(queries) < few


def test_a_sort_chosen_in_the_table_stays_selected_in_the_form(client, known):
    html = client.get(URL, {"sort": "-allocated"}).content.decode()
    assert '<option value="-allocated" selected>Som valts i tabellen</option>' in html
    html = client.get(URL, {"sort": "-share"}).content.decode()
    assert '<option value="-share" selected>' in html and "Som valts i tabellen" not in html
