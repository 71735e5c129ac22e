"""The national report in a browser (issue 19 §2): the 2020 economic table
of S2020/01591 as the seed has it (127 500 000 kr, nothing in no pool) and a
year without data, axe-clean at 1280, 390 and 320 px without sideways
scrolling. Screenshots when FORDELA_SCREENSHOTS names a folder."""

import os

import pytest
from django.conf import settings
from django.test import Client

from fordela.access.models import StaffRole
from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.conftest import browser_context_args, browser_type_launch_args  # noqa: F401
from tests.requisitions.conftest import staff

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("FORDELA_SCREENSHOTS", "")


def logged_in_page(browser, live_server, user, width: int):
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", viewport={"width": width, "height": 900}
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def digits(text: str) -> int:
    return int("".join(c for c in text if c.isdigit()))


def accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, format_violations({page.url: violations})
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0


@pytest.mark.parametrize("width", [1280, 390, 320])
def test_the_national_report_page(browser, live_server, programme, width):
    page = logged_in_page(browser, live_server, staff(StaffRole.EKONOMI, "ekonomi"), width)
    page.goto(f"{live_server.url}/handlaggning/redovisning/{programme.slug}/?ar=2020")
    assert page.locator("h1").inner_text() == "Redovisning till regeringen"
    table = page.locator("#economy-table-2020")
    assert digits(table.locator("[data-total=budget]").inner_text()) == 127_500_000
    assert digits(table.locator("[data-total=remainder]").inner_text()) == 0
    accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/national-2020-{width}.png", full_page=True)

    page.goto(f"{live_server.url}/handlaggning/redovisning/{programme.slug}/?ar=2031")
    assert "Det finns inga uppgifter för 2031" in page.locator("#economy-table-2031").inner_text()
    accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/national-empty-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 390, 320])
def test_the_report_text_page(browser, live_server, programme, width):
    from fordela.reporting.narrative import save_narrative

    officer = staff(StaffRole.HANDLAGGARE, "handlaggare")
    save_narrative(officer, programme, "Arbetet har kommit i gång i hela landet.")
    page = logged_in_page(browser, live_server, officer, width)
    page.goto(f"{live_server.url}/handlaggning/redovisning/{programme.slug}/text/")
    assert page.locator("h1").inner_text() == "Redovisningens text"
    assert page.get_by_label("Redovisningens text").input_value().startswith("Arbetet")
    accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/national-text-{width}.png", full_page=True)
