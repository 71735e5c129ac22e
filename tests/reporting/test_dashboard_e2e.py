"""The staff dashboard in a browser (issue 19 §3): each uptake chart is an
image named by its title and summary, followed by a table of the same
numbers; axe finds nothing serious at 1280, 390 and 320 px and the page
never scrolls sideways; the start page links to it.

Set DASHBOARD_SCREENSHOTS=/some/dir to keep a screenshot at each width."""

import os
import re

import pytest
from playwright.sync_api import expect

from fordela.access.models import StaffRole
from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.conftest import browser_context_args, browser_type_launch_args  # noqa: F401
from tests.e2e.helpers import login
from tests.reporting.dashboard_fixtures import TODAY, URL, staff
from tests.reporting.map_fixtures import build_world
from tests.reporting.test_dashboard import populate

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SHOTS = os.environ.get("DASHBOARD_SCREENSHOTS", "")


@pytest.fixture
def site(transactional_db, live_server, settings):
    settings.FORDELA_PASSWORD_LOGIN = True
    settings.FORDELA_TODAY = TODAY
    populate(build_world())
    staff(StaffRole.EKONOMI, "ekonomi")
    return live_server.url


def test_the_dashboard_is_named_axe_clean_and_fits_the_screen(browser, site):
    page = login(browser, site, "ekonomi", password="x")
    page.get_by_role("link", name="Översikt", exact=True).click()
    page.wait_for_url(site + URL)
    expect(page.get_by_role("heading", name="Översikt", level=1)).to_be_visible()
    chart = page.get_by_role(
        "img", name=re.compile(r"^Rekvirering 2021, S2020.01591 För varje pott")
    )
    expect(chart).to_have_count(1)
    # The table right after the chart holds its numbers: one row per pool.
    table = page.locator("svg.chart + .table-wrap table")
    bars = chart.locator("text.chart__group").count()
    expect(table.locator("tbody tr")).to_have_count(bars)
    expect(page.locator("#reports-overdue")).to_have_text("1")
    for width in (1280, 390, 320):
        page.set_viewport_size({"width": width, "height": 900})
        violations = axe_violations(page)
        assert not violations, format_violations({page.url: violations})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow == 0, f"{page.url} scrolls sideways by {overflow}px at {width}px"
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/dashboard-{width}.png", full_page=True)
    page.context.close()
