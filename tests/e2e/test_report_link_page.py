"""The e-mailed report link in a browser (issue 17 §7): a current link leads
to the login and then the report; a superseded one shows "Länken gäller inte
längre", an altered one "Länken fungerar inte"; both are axe-clean at 1280
and 390 px without sideways scrolling.

Uses ``live_server`` with the paid round of tests/reports (a module of its
own: its flush would remove a ``demo_server`` module's data)."""

import os

import pytest
from django.core import mail

from fordela.reports import services
from fordela.reports.models import Report
from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.helpers import TIMEOUT_MS
from tests.reports.conftest import (  # noqa: F401 - fixtures
    clock_at,
    english,
    paid_round,
    report_form,
    round_,
)
from tests.reports.links import emailed_link

SHOTS = os.environ.get("FORDELA_SCREENSHOTS", "")


@pytest.fixture
def links(live_server, settings, paid_round):  # noqa: F811
    settings.FORDELA_PASSWORD_LOGIN = True
    services.open_report_period(2021)
    report = Report.objects.get(organisation=paid_round.ale)
    (to_anna,) = [m for m in mail.outbox if m.to == ["anna@example.se"]]
    old = emailed_link(to_anna.body)
    mail.outbox.clear()
    services.change_contact(paid_round.users["ombud"], report, "Berit Berg", "berit@ale.se")
    (to_berit,) = mail.outbox
    return live_server.url, report, old, emailed_link(to_berit.body)


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


@pytest.mark.parametrize("width", [1280, 390])
def test_the_link_pages(browser, links, width):
    site, report, old, new = links
    page = page_at(browser, width)

    # The superseded link: why, and what to do.
    response = page.goto(site + old)
    assert response.status == 410
    assert page.locator("h1").inner_text() == "Länken gäller inte längre"
    assert "bytt kontaktperson" in page.locator("#link-reason").inner_text()
    accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/report-link-gone-{width}.png", full_page=True)

    # An altered link.
    response = page.goto(site + new[:-3] + "xx/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Länken fungerar inte"
    accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/report-link-invalid-{width}.png", full_page=True)

    # The new person's link: the login, then the report.
    page.goto(site + new)
    assert "/logga-in/" in page.url
    page.fill("#id_username", "ombud")
    page.fill("#id_password", "pw")
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"**/aterrapport/{report.pk}/")
    page.context.close()
