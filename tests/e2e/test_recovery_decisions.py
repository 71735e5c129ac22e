"""The recovery decision pages in a browser (issue 18 §1): the handläggare
proposes a claim from the staff list, a beslutsfattare decides it after the
confirmation page; every page passes axe at 1280, 390 and 320 px and none
scrolls sideways. Screenshots go to ``FORDELA_SCREENSHOTS`` when set.

Uses ``live_server`` with the recovery world of tests/recovery/conftest.py
(committed data the server thread can see; flushed after each test)."""

import os
from pathlib import Path

import pytest

from fordela.recovery.models import Invoice, RecoveryDecision, RecoveryStatus
from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.helpers import login
from tests.recovery.conftest import (  # noqa: F401 - fixtures
    _media_root,
    clock_at,
    english,
    recovery_world,
    report_form,
    round_,
)

SHOTS = os.environ.get("FORDELA_SCREENSHOTS", "")


@pytest.fixture
def site(live_server, settings, recovery_world):  # noqa: F811
    settings.FORDELA_PASSWORD_LOGIN = True
    return live_server.url


def check(page, name: str, width: int) -> None:
    found = axe_violations(page)
    assert not found, "axe found problems:\n" + format_violations({page.url: found})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url
    if SHOTS and width in (1280, 390):
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 390, 320])
def test_propose_and_decide_a_claim_in_the_browser(browser, site, recovery_world, width):  # noqa: F811
    w = recovery_world
    officer = login(browser, site, "handlaggare", width)
    officer.goto(site + "/handlaggning/aterkrav/")
    assert officer.locator("#candidate-count").inner_text() == "3"
    check(officer, "recovery-list", width)
    officer.goto(site + f"/handlaggning/aterrapporter/{w.approved.pk}/")
    check(officer, "report-with-candidate", width)
    officer.locator("#propose-recovery").click()
    officer.wait_for_url(f"**/aterrapporter/{w.approved.pk}/aterkrav/")
    assert officer.locator("#id_amount_sek").input_value() == str(w.approved.unused_sek)
    check(officer, "recovery-propose", width)
    officer.fill("#id_amount_sek", "tusen")
    officer.locator("#propose-form button[type=submit]").click()
    assert officer.locator(".govuk-error-summary").is_visible()
    check(officer, "recovery-propose-error", width)
    officer.fill("#id_amount_sek", str(w.approved.unused_sek))
    officer.fill("#id_motivation", "Medlen har inte förbrukats under bidragsåret.")
    officer.locator("#propose-form button[type=submit]").click()
    officer.wait_for_url("**/handlaggning/aterkrav/*/")
    decision = RecoveryDecision.objects.get()
    check(officer, "recovery-proposed", width)

    decider = login(browser, site, "beslutsfattare", width)
    decider.goto(site + f"/handlaggning/aterkrav/{decision.pk}/")
    check(decider, "recovery-case-to-decide", width)
    decider.locator("#decide-form button[type=submit]").click()
    assert "Ja, besluta" in decider.locator("main").inner_text()
    check(decider, "recovery-confirm", width)
    decider.get_by_role("button", name="Ja, besluta").click()
    decider.wait_for_url(f"**/handlaggning/aterkrav/{decision.pk}/")
    assert RecoveryDecision.objects.get().status == RecoveryStatus.DECIDED
    assert Invoice.objects.count() == 1
    assert decider.locator("#invoice-ocr").inner_text() == Invoice.objects.get().ocr
    check(decider, "recovery-decided", width)
