# ruff: noqa: F811 - the fixtures imported from the roll-up and requisition tests
"""What the regional browser tests share: the page check (axe, no sideways
scroll, a screenshot), a region whose paid state grant backs a round set up
in the browser, its staff, and the administrator's steps that set up, publish
and open a round through the pages.

The region is the roll-up tests' (tests/regional/test_rollup.py): Ale, made
a region, with its 2021 requisition paid on 11 October 2021 (the paid round
of tests/reports); Bjurholm's ombud (``ombud-b``) applies as a local actor.
A test module imports the fixtures it uses by name (``# noqa: F401``): the
paid round needs ``clock_at``, ``round_`` and ``report_form`` beside it."""

import os
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.access.conftest import make_user  # noqa: F401 - fixture
from tests.e2e.axe import axe_violations, format_violations
from tests.regional.test_rollup import region  # noqa: F401 - fixture
from tests.reports.conftest import paid_round, report_form  # noqa: F401 - fixtures
from tests.requisitions.conftest import clock_at, round_  # noqa: F401 - fixtures

# The dates of the round the administrator sets up in the browser (grant
# year 2021, the paid requisition's), typed as a date input takes them.
ROUND_DATES = {
    "apply_by": "2021-11-15",
    "decide_by": "2021-11-30",
    "use_from": "2021-01-01",
    "use_to": "2021-12-31",
    "report_by": "2022-01-15",
}
# The questions the administrator writes: (key, question, longest answer, required).
QUESTIONS = [
    ("purpose", "Vad ska pengarna användas till?", "2000", True),
    ("cooperation", "Vilka samverkar ni med?", "1000", False),
]

Check = Callable[[Page, str], None]


def check_page(page: Page, shot: str) -> None:
    """The page as it is now has no serious or critical axe violation and
    no sideways scroll; its full-page screenshot goes to ``shot``."""
    violations = axe_violations(page)
    assert not violations, format_violations({page.url: violations})
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    os.makedirs(os.path.dirname(shot), exist_ok=True)
    page.screenshot(path=shot, full_page=True)


@pytest.fixture
def regional_staff(region, make_user):
    """The region's administrator ``vkv`` and decision maker ``vkv-beslut``
    (password ``pw``)."""
    from fordela.access.models import RegionalRole
    from tests.access.conftest import regional

    return {
        "admin": regional(region, RegionalRole.ADMINISTRATOR, make_user("vkv")),
        "decider": regional(region, RegionalRole.DECISION_MAKER, make_user("vkv-beslut")),
    }


def confirm(page: Page) -> None:
    """Press the confirmation page's button (core/confirm.html)."""
    page.locator("main form:has(input[name=confirmed]) button[type=submit]").click()


def set_up_round(page: Page, site: str, check: Check, title: str = "Statliga medel 2021") -> int:
    """The administrator (logged in on ``page``) sets up a draft round with
    the VKV dates of 2021 and 50 000 kr of the region's own money; the
    round's pk."""
    page.goto(f"{site}/regional/utlysningar/")
    check(page, "rounds")
    page.locator("main a[href$='/regional/utlysningar/ny/']").click()
    page.wait_for_url("**/regional/utlysningar/ny/")
    check(page, "round-new")
    page.fill("#id_title", title)
    page.fill("#id_summary", "Utvecklingsmedel mot våld i nära relationer.")
    page.fill("#id_purposes", "Hälso- och sjukvård inklusive tandvård.")
    page.fill("#id_contact", "Chefen för VKV, vkv@example.se")
    page.locator("#id_programme_year").select_option(index=1)
    for name, value in ROUND_DATES.items():
        page.fill(f"#id_{name}", value)
    page.fill("#id_own_funding_sek", "50 000")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/regional/utlysningar/*/")
    expect(page.locator("#round-status")).to_be_visible()
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def publish_questions(page: Page, site: str, round_pk: int, check: Check) -> None:
    """The administrator writes the round's first questions, saves the
    draft and publishes it after the confirmation."""
    page.goto(f"{site}/regional/utlysningar/{round_pk}/fragor/")
    check(page, "questions-empty")
    for number, (key, text, longest, required) in enumerate(QUESTIONS):
        page.fill(f"#id_q-{number}-key", key)
        page.fill(f"#id_q-{number}-text", text)
        page.fill(f"#id_q-{number}-max_length", longest)
        if required:
            page.locator(f"#id_q-{number}-required").check()
    page.locator("main form:has(#id_q-0-key) button[type=submit]:not([form])").click()
    expect(page.locator("#draft")).to_be_visible()
    check(page, "questions-draft")
    page.locator("main button[form=questions-publish]").click()
    expect(page.locator("input[name=confirmed]")).to_be_attached()
    check(page, "questions-publish-confirm")
    confirm(page)
    page.wait_for_url(f"**/regional/utlysningar/{round_pk}/")


def round_action(page: Page, site: str, round_pk: int, action: str, check: Check) -> None:
    """The administrator presses one of the round page's buttons
    (``open`` opens the round, ``close`` closes it, ``finish`` marks it
    decided) and confirms it; the page ends on the round page."""
    page.goto(f"{site}/regional/utlysningar/{round_pk}/")
    page.locator(f"main button[form=round-{action}]").click()
    expect(page.locator("input[name=confirmed]")).to_be_attached()
    check(page, f"round-{action}-confirm")
    confirm(page)
    page.wait_for_url(f"**/regional/utlysningar/{round_pk}/")
    expect(page.locator("#round-status")).to_be_visible()


# ------------------------------------------------------------ applying


def apply(page: Page, site: str, round_pk: int, check: Check, fields: dict[str, str]) -> None:
    """A local actor's ombud (logged in on ``page``, one organisation)
    starts an application from the round's public page, fills in
    ``fields`` (element id → value), checks it and submits it after the
    confirmation; the page ends on the receipt."""
    page.goto(f"{site}/regionala-bidrag/{round_pk}/")
    page.get_by_role("button", name="Börja på en ansökan").click()
    page.wait_for_url(f"**/regionala-bidrag/{round_pk}/ansok/")
    page.get_by_role("button", name="Börja på ansökan").click()
    page.wait_for_url(re.compile(r".*/regionala-bidrag/ansokan/\d+/$"))
    for element, value in fields.items():
        page.fill(f"#{element}", value)
    page.get_by_role("button", name="Kontrollera och skicka in").click()
    page.wait_for_url("**/kontrollera/")
    check(page, "check")
    page.locator("#submit-form button[type=submit]").click()
    expect(page.get_by_role("button", name="Ja, skicka in ansökan")).to_be_visible()
    check(page, "confirm")
    page.get_by_role("button", name="Ja, skicka in ansökan").click()
    page.wait_for_url("**/kvitto/?kvittens=1")
    check(page, "receipt")


# ------------------------------------------------------------ deciding


def propose_grant(page: Page, application_pk: int, amount: str, motivation: str) -> None:
    """The administrator, on the assessment page, proposes a grant of
    ``amount``; the page ends on the assessment page with the proposal."""
    page.locator("#id_proposal-outcome_0").check()  # granted
    page.fill("#id_proposal-amount_sek", amount)
    page.fill("#id_proposal-motivation", motivation)
    page.locator(f"main form[action$='/ansokningar/{application_pk}/forslag/'] button").click()
    expect(page.locator("#decision-facts")).to_be_visible()


def decide(page: Page, site: str, application_pk: int, check: Check) -> None:
    """The decision maker decides the proposal after the confirmation; the
    page ends on the assessment page with the letter's link."""
    page.goto(f"{site}/regional/ansokningar/{application_pk}/")
    check(page, "assessment-to-decide")
    page.locator(f"main form[action$='/ansokningar/{application_pk}/beslut/'] button").click()
    expect(page.locator("input[name=confirmed]")).to_be_attached()
    check(page, "decide-confirm")
    confirm(page)
    expect(page.locator("#letter-link")).to_be_visible()


# ---------------------------------------------------- after the decision


def approve_report(page: Page, site: str, report_pk: int, check: Check) -> None:
    """The administrator approves a submitted report after the
    confirmation; the page ends on the review page."""
    page.goto(f"{site}/regional/rapporter/{report_pk}/")
    check(page, "review")
    page.locator("#review-form input[value=approve]").check()
    page.locator("#review-form button[type=submit]").click()
    expect(page.locator("input[name=confirmed]")).to_be_attached()
    check(page, "review-confirm")
    confirm(page)
    expect(page.locator("#record-invoice")).to_be_visible()


def pay_invoice(page: Page, paid_on: str, reference: str) -> None:
    """On the invoice's page, the administrator records the region's
    payment of it after the confirmation; the page ends on the invoice."""
    page.fill("#id_paid_on", paid_on)
    page.fill("#id_payment_reference", reference)
    page.locator("#payment-form button[type=submit]").click()
    expect(page.locator("input[name=confirmed]")).to_be_attached()
    confirm(page)
    expect(page.locator("#paid-on")).to_be_visible()
