"""Incoming payments in a browser: ekonomi imports the sample BgMax file
(one full, one partial, one unmatched payment), reads the result, opens the
queue, applies the unmatched payment to an invoice after the confirmation,
and registers one by hand (first with the form's errors). Every page is
axe-clean and does not scroll sideways at 1280 and 390 px.

Set PAYMENTS_SCREENSHOTS=/some/dir to keep a screenshot of each page at
each width."""

import os
from pathlib import Path

import pytest

from fordela.access.models import StaffRole
from fordela.recovery.models import IncomingPayment, InvoiceStatus
from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.conftest import browser_context_args, browser_type_launch_args  # noqa: F401
from tests.e2e.helpers import login
from tests.recovery.payment_fixtures import TODAY, create_invoice, make_staff

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
DATA = Path(__file__).parent / "data"
WIDTHS = (1280, 390)
SHOTS = os.environ.get("PAYMENTS_SCREENSHOTS", "")


@pytest.fixture
def site(live_server, settings):
    settings.FORDELA_PASSWORD_LOGIN = True
    settings.FORDELA_TODAY = TODAY
    return live_server.url


def check(page, name: str) -> None:
    """axe-clean and no sideways scrolling at each width (a screenshot each)."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        violations = axe_violations(page)
        assert not violations, format_violations({page.url: violations})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow == 0, f"{page.url} scrolls sideways by {overflow}px at {width}px"
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_import_resolve_and_register(site, browser):
    full, partial, spare = create_invoice(10_000), create_invoice(5_000), create_invoice(2_000)
    make_staff(StaffRole.EKONOMI, "ekonomi")
    page = login(browser, site, "ekonomi")

    page.goto(site + "/ekonomi/inbetalningar/")
    check(page, "list-empty")
    page.get_by_role("link", name="Läs in en BgMax-fil").click()
    check(page, "import")
    page.get_by_role("button", name="Läs in filen").click()
    assert "Välj BgMax-filen" in page.locator(".govuk-error-summary").inner_text()
    check(page, "import-error")
    page.set_input_files("#id_file", str(DATA / "bgmax_three_payments.txt"))
    page.get_by_role("button", name="Läs in filen").click()
    assert page.locator("#matched").inner_text() == "2"
    assert page.locator("#queued").inner_text().startswith("1")
    check(page, "import-result")
    full.refresh_from_db()
    partial.refresh_from_db()
    assert full.status == InvoiceStatus.PAID and partial.status == InvoiceStatus.PARTLY_PAID

    page.get_by_role("link", name="kön").click()
    check(page, "queue")
    page.locator("#queue tbody a").first.click()
    check(page, "payment")
    page.get_by_label("För det som är kvar till en faktura").check()
    page.fill("#id_invoice", spare.number)
    page.fill("#id_note", "Föreningen betalade Bjurholms faktura, enligt mejl 15 juni.")
    page.get_by_role("button", name="Fortsätt").click()
    check(page, "resolve-confirm")
    page.locator("main form:has(input[name=confirmed]) button[type=submit]").click()
    assert "Inbetalningen" in page.locator(".govuk-notification-banner").inner_text()
    check(page, "payment-resolved")
    spare.refresh_from_db()
    assert spare.paid_sek == 1_234 and spare.status == InvoiceStatus.PARTLY_PAID

    page.goto(site + "/ekonomi/inbetalningar/registrera/")
    page.fill("#id_amount_sek", "-5")
    page.fill("#id_paid_on", "2099-01-01")
    page.get_by_role("button", name="Registrera inbetalningen").click()
    assert page.locator(".govuk-error-summary").is_visible()
    check(page, "register-error")
    page.fill("#id_reference", partial.ocr)
    page.fill("#id_amount_sek", "2 500")
    page.fill("#id_paid_on", "2022-06-15")
    page.fill("#id_payer_name", "Bjurholms kommun")
    page.get_by_role("button", name="Registrera inbetalningen").click()
    assert "avräknad mot faktura" in page.locator(".govuk-notification-banner").inner_text()
    partial.refresh_from_db()
    assert partial.status == InvoiceStatus.PAID

    page.goto(site + "/ekonomi/inbetalningar/")
    check(page, "list")
    assert IncomingPayment.objects.count() == 4
