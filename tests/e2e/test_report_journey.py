"""The follow-up report in a browser (issue 17): the ombud, the contact
person, fills in the report (autosave, the character count), checks and
submits it after the confirmation; the handläggare asks for completion with a
reason and a new deadline; the ombud completes and submits again; the
handläggare approves. Each new page is axe-clean at 1280 and 390 px.

Uses ``live_server`` with the paid round of tests/reports (committed data the
server thread can see; flushed after each test)."""

import re

import pytest

from fordela.reports import services
from fordela.reports.models import Report, ReportStatus
from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.helpers import login
from tests.reports.conftest import (  # noqa: F401 - fixtures
    clock_at,
    english,
    paid_round,
    report_form,
    round_,
)


@pytest.fixture
def site(live_server, settings, paid_round):  # noqa: F811
    settings.FORDELA_PASSWORD_LOGIN = True
    services.open_report_period(2021)
    return live_server.url


def accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, format_violations({page.url: violations})
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0


def confirm(page):
    page.locator("main form:has(input[name=confirmed]) button[type=submit]").click()


def test_fill_in_submit_complete_and_approve(site, browser, paid_round):  # noqa: F811
    report = Report.objects.get(organisation=paid_round.ale)
    ombud = login(browser, site, "ombud")

    # The organisation's list links to the form.
    ombud.goto(f"{site}/organisation/{paid_round.ale.pk}/aterrapporter/")
    accessible(ombud)
    ombud.get_by_role("link", name="Kommuner, påfyllnad").click()
    ombud.wait_for_url(f"**/aterrapport/{report.pk}/")
    accessible(ombud)

    # The character count counts in Swedish as the user types; autosave saves.
    ombud.fill("#id_results", "Fler fick stöd.")
    status = ombud.locator("#id_results ~ .govuk-character-count__status")
    # GOV.UK's script groups the digits in the page's language ("3 985").
    status.filter(has_text=re.compile(r"Du har 3\W?985 tecken kvar")).wait_for()
    ombud.locator("#autosave-status").filter(has_text="Utkastet sparades").wait_for()
    assert Report.objects.get(pk=report.pk).answers["results"] == "Fler fick stöd."

    # A bad amount is named beside its field, in Swedish; nothing is saved of it.
    ombud.fill("#id_used_sek", "99999999")
    ombud.locator("button[name=action][value=save]").click()
    ombud.locator(".govuk-error-summary").wait_for()
    assert "kan inte vara större än" in ombud.inner_text("#id_used_sek_error")
    assert Report.objects.get(pk=report.pk).used_sek is None

    ombud.fill("#id_activities_socialtjanst", "Utbildning i FREDA.")
    ombud.fill("#id_lessons", "Samverkan fungerade.")
    ombud.fill("#id_used_sek", "100 000")
    ombud.locator("button[name=action][value=check]").click()
    ombud.wait_for_url(f"**/aterrapport/{report.pk}/granska/")
    accessible(ombud)
    assert "Allt är ifyllt" in ombud.inner_text("main")
    ombud.locator("#submit-form button").click()
    assert "Skicka in återrapporten?" in ombud.inner_text("h1")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.OPEN
    confirm(ombud)
    ombud.wait_for_url("**/kvittens/")
    accessible(ombud)
    assert "Er återrapport har skickats in." in ombud.inner_text(".govuk-panel")

    # The handläggare asks for completion with a reason and a new deadline.
    officer = login(browser, site, "handlaggare")
    officer.goto(f"{site}/handlaggning/aterrapporter/")
    accessible(officer)
    officer.get_by_role("link", name=report.case_number).click()
    accessible(officer)
    officer.get_by_label("Begär komplettering").check()
    officer.fill("#id_reason", "Beskriv resultaten med siffror.")
    officer.fill("#id_new_due_on", "2022-05-15")
    officer.get_by_role("button", name="Skicka granskningen").click()
    officer.locator(".govuk-notification-banner").wait_for()
    assert Report.objects.get(pk=report.pk).status == ReportStatus.COMPLETION_REQUESTED

    # The ombud sees what to complete, completes it and submits again.
    ombud.goto(f"{site}/aterrapport/{report.pk}/")
    assert "Beskriv resultaten med siffror." in ombud.inner_text("#completion-requested")
    assert "15 maj 2022" in ombud.inner_text("#completion-requested")
    ombud.fill("#id_results", "Fler fick stöd: 120 kvinnor mot 80 året innan.")
    ombud.locator("button[name=action][value=check]").click()
    ombud.wait_for_url("**/granska/")
    ombud.locator("#submit-form button").click()
    confirm(ombud)
    ombud.wait_for_url("**/kvittens/")

    # The handläggare sees what changed and approves, after the confirmation.
    officer.reload()
    assert "120 kvinnor" in officer.inner_text("#changes")
    officer.get_by_label("Godkänn").check()
    officer.get_by_role("button", name="Skicka granskningen").click()
    assert "Godkänna återrapporten?" in officer.inner_text("h1")
    confirm(officer)
    officer.locator(".govuk-notification-banner").wait_for()
    report.refresh_from_db()
    assert (report.status, report.submission_count) == (ReportStatus.APPROVED, 2)


def test_the_form_reflows_on_a_phone(site, browser, paid_round):  # noqa: F811
    report = Report.objects.get(organisation=paid_round.ale)
    ombud = login(browser, site, "ombud", width=390)
    for path in (f"/aterrapport/{report.pk}/", f"/aterrapport/{report.pk}/granska/"):
        ombud.goto(site + path)
        accessible(ombud)
