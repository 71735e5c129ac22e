"""The public "Öppna data" page in a browser (issue 19 §5): it lists the
paid round's year with its JSON and CSV files, the catalogue link, and the
empty page for a year without payments; axe-clean at 1280, 390 and 320 px
without sideways scrolling, and reached from the programme page.

Uses ``live_server`` with the paid round of tests/reports (a module of its
own: its flush would remove a ``demo_server`` module's data)."""

import os

import pytest

from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.helpers import TIMEOUT_MS
from tests.factories import PoolFactory, ProgrammeYearFactory
from tests.reports.conftest import (  # noqa: F401 - fixtures
    clock_at,
    english,
    paid_round,
    report_form,
    round_,
)

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("FORDELA_SCREENSHOTS", "")


def page_at(browser, width: int):
    context = browser.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, format_violations({page.url: violations})
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0


@pytest.mark.parametrize("width", [1280, 390, 320])
def test_the_open_data_pages(browser, live_server, paid_round, width):  # noqa: F811
    programme = paid_round.pool.programme_year.programme
    empty = PoolFactory(programme_year=ProgrammeYearFactory(programme=programme, year=2022))
    page = page_at(browser, width)

    page.goto(f"{live_server.url}/program/{programme.slug}/")
    page.get_by_role("link", name="öppna data för programmet").click()
    assert page.locator("h1").inner_text() == "Öppna data"
    row = page.locator(f"#{programme.slug}-2021")
    assert row.get_by_role("link", name="JSON (360Giving) 2021").count() == 1
    assert row.get_by_role("link", name="CSV 2021").count() == 1
    assert "Inget utbetalt ännu" in page.locator(f"#{programme.slug}-2022").inner_text()
    assert page.get_by_role("link", name="katalogen (RDF/XML)").count() == 1
    accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/opendata-{width}.png", full_page=True)

    year = empty.programme_year.year
    response = page.goto(f"{live_server.url}/oppna-data/{programme.slug}/{year}/360giving.json")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Inga utbetalda bidrag ännu"
    accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/opendata-empty-{width}.png", full_page=True)
