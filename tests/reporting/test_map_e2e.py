"""The uptake map in a browser (issue 19 §4, "Done when"): on a phone
(390 px) the SVG is an image named by its caption and summary, and the table
after it has all 290 kommuner; axe finds nothing serious at 1280, 390 and
320 px and the page never scrolls sideways; the form and a sort link work
without JavaScript.

Set MAP_SCREENSHOTS=/some/dir to keep a screenshot at each width."""

import os
import re

import pytest
from playwright.sync_api import expect

from fordela.reports.models import ReportStatus
from fordela.requisitions.models import RequisitionStatus
from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.conftest import browser_context_args, browser_type_launch_args  # noqa: F401
from tests.reporting.map_fixtures import URL, build_world

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SHOTS = os.environ.get("MAP_SCREENSHOTS", "")


@pytest.fixture
def site(transactional_db, live_server, settings):
    settings.FORDELA_TODAY = "2022-06-15T10:00"
    world = build_world()
    for code in ("1440", "0180", "1280", "2480", "0380", "1480"):
        requisition = world.requisition(code)
        world.report(requisition, ReportStatus.APPROVED)
    world.requisition("2584", 1000, status=RequisitionStatus.SUBMITTED)
    world.requisition("1440", pool="kommuner-pafyllnad")
    return live_server.url


def open_page(browser, url: str, width: int, javascript: bool = True):
    context = browser.new_context(
        locale="sv-SE",
        timezone_id="Europe/Stockholm",
        viewport={"width": width, "height": 900},
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(url)
    return page


def test_on_a_phone_the_map_is_a_named_image_and_the_table_has_290_rows(browser, site):
    page = open_page(browser, site + URL, 390)
    svg = page.locator("svg.uptake-map__svg")
    expect(svg).to_have_attribute("role", "img")
    summary = page.inner_text("#karta-sammanfattning")
    assert summary.startswith("7 av 290 kommuner rekvirerade medel för 2021")
    # The accessible name is the caption's heading and its one sentence.
    expect(svg).to_have_accessible_name(
        re.compile(
            r"^Rekvirerade kronor per invånare, kommuner 2021 7 av 290 kommuner .*invånare\.$"
        )
    )
    expect(page.get_by_role("img", name=re.compile("7 av 290 kommuner"))).to_have_count(1)
    expect(page.locator("table.uptake-table tbody tr")).to_have_count(290)
    assert page.locator("svg.uptake-map__svg path title").count() == 290
    page.context.close()


@pytest.mark.parametrize("width", [1280, 390, 320])
def test_the_map_page_is_axe_clean_and_fits_the_screen(browser, site, width):
    for params in ("", "?matt=andel", "?matt=aterrapport&niva=regioner"):
        page = open_page(browser, site + URL + params, width)
        if SHOTS and width in (1280, 390):
            name = params.strip("?").replace("&", "-").replace("=", "_") or "kronor"
            # The map, its legend and the table's first rows.
            clip = {"x": 0, "y": 0, "width": width, "height": 2400 if width > 400 else 3200}
            page.screenshot(path=f"{SHOTS}/map-{name}-{width}.png", full_page=True, clip=clip)
        violations = axe_violations(page)
        assert not violations, format_violations({page.url: violations})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow == 0, f"{page.url} scrolls sideways by {overflow}px at {width}px"
        page.context.close()


def test_the_form_and_the_sort_links_work_without_javascript(browser, site):
    page = open_page(browser, site + URL, 1280, javascript=False)
    page.check("#matt-andel")
    page.select_option("#map-sort", "-share")
    page.click("form.uptake-form button[type=submit]")
    page.wait_for_url(re.compile(r"matt=andel.*sort=-share"))
    assert page.inner_text("table.uptake-table tbody tr:first-child th") == "Ale"
    page.click("table.uptake-table thead a:has-text('Folkmängd')")
    page.wait_for_url(re.compile(r"sort=population"))
    assert "matt=andel" in page.url
    page.context.close()
