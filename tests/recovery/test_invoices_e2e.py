"""Recovery invoices in a browser: ekonomi opens the list, filters it, opens
an invoice, credits part of it (first with the form's error, then through the
confirmation), writes off the rest; the organisation's ombud opens its
recovery page and the invoice PDF. Every page is axe-clean and does not scroll
sideways at 1280 and 390 px.

Set INVOICES_SCREENSHOTS=/some/dir to keep a screenshot of each page at each
width."""

import os

import pytest
from django.contrib.auth import get_user_model

from fordela.recovery.models import InvoiceStatus
from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.conftest import browser_context_args, browser_type_launch_args  # noqa: F401
from tests.e2e.helpers import login
from tests.factories import OrganisationFactory
from tests.recovery.invoice_fixtures import invoice_for, ombud_of, staff_users

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
WIDTHS = (1280, 390)
SHOTS = os.environ.get("INVOICES_SCREENSHOTS", "")


@pytest.fixture
def site(live_server, settings, tmp_path):
    settings.FORDELA_PASSWORD_LOGIN = True
    settings.FORDELA_TODAY = "2022-05-02T10:00"
    settings.MEDIA_ROOT = tmp_path / "media"
    return live_server.url


def check(page, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        violations = axe_violations(page)
        assert not violations, format_violations({page.url: violations})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow == 0, f"{page.url} scrolls sideways by {overflow}px at {width}px"
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_credit_write_off_and_the_organisations_page(site, browser, settings):
    ale = OrganisationFactory(name="Ale kommun", organisation_number="2120001439")
    ombud = ombud_of(ale, "ombud-ale")
    invoice = invoice_for(ale, amount_sek=25_000)
    invoice_for(OrganisationFactory(name="Bjurholms kommun"), amount_sek=4_000)
    staff_users()
    page = login(browser, site, "inv-ekonomi")

    page.goto(site + "/ekonomi/fakturor/")
    assert page.locator("#invoices tbody tr").count() == 2
    check(page, "list")
    page.check("#id_overdue")
    page.get_by_role("button", name="Filtrera").click()
    assert "Inga fakturor." in page.locator("#invoices").inner_text()

    page.goto(site + f"/ekonomi/fakturor/{invoice.pk}/")
    assert page.locator("#invoice-ocr").inner_text() == invoice.ocr
    check(page, "invoice")
    page.fill("#id_amount_sek", "30 000")
    page.fill("#id_reason", "Fel belopp.")
    page.locator("#credit-form button").click()
    assert "högst det som återstår" in page.locator(".govuk-error-summary").inner_text()
    check(page, "invoice-credit-error")
    page.fill("#id_amount_sek", "5 000")
    page.fill("#id_reason", "Fel belopp.")
    page.locator("#credit-form button").click()
    # Wait for the confirmation page before axe reads it (it is a new page).
    page.get_by_role("button", name="Ja, utfärda kreditfakturan").wait_for()
    check(page, "credit-confirm")
    page.get_by_role("button", name="Ja, utfärda kreditfakturan").click()
    page.wait_for_url(f"**/ekonomi/fakturor/{invoice.pk}/")
    assert "20\u202f000\u00a0kr" in page.locator("#invoice-outstanding").inner_text()
    page.fill("#write-off-form textarea", "Organisationen kan inte betala.")
    page.locator("#write-off-form button").click()
    page.get_by_role("button", name="Ja, skriv av fakturan").click()
    page.wait_for_url(f"**/ekonomi/fakturor/{invoice.pk}/")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.WRITTEN_OFF
    check(page, "invoice-written-off")

    ombud.set_password("pw")
    ombud.save()
    page = login(browser, site, "ombud-ale")
    page.goto(site + f"/organisation/{ale.pk}/aterkrav/")
    assert invoice.number in page.locator("#organisation-invoices").inner_text()
    check(page, "organisation")
    response = page.request.get(site + f"/faktura/{invoice.pk}/faktura.pdf")
    assert response.headers["content-type"] == "application/pdf"
    assert get_user_model().objects.filter(username="ombud-ale").exists()
