"""Each role logs in and lands on a start page that lists its work, on a
desktop and on a 390 px phone without sideways scrolling (issue 16, section 2).

Uses ``live_server`` with the world from tests/applications (committed data
the server thread can see; flushed after each test)."""

import datetime

import pytest
from django.utils import timezone

from fordela.applications.services import consultation, decisions
from fordela.payments.models import PaymentBatch
from tests.applications import conftest as applications
from tests.applications.conftest import submitted_for, submitted_ngo_application
from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.helpers import TIMEOUT_MS

clock_at = applications.clock_at
world = applications.world
TODAY = datetime.date(2021, 11, 15)  # the applications tests' clock


@pytest.fixture
def site(live_server, settings, world):
    settings.FORDELA_PASSWORD_LOGIN = True
    # Proposals to decide, an application to assess, a request for views
    # and a payment batch waiting for its second ekonomi user.
    proposed = submitted_ngo_application(world)
    decisions.propose_decision(world.users["handlaggare"], proposed, "refused", "Nej")
    stimulus = submitted_for(
        world, world.lansstyrelse, world.users["ombud_lst"], world.stimulus_call, 1_000_000
    )
    consultation.send_to_consultation(
        world.users["handlaggare"], stimulus, TODAY + datetime.timedelta(days=14)
    )
    PaymentBatch.objects.create(
        reference="BATCH-1",
        payment_date=TODAY + datetime.timedelta(days=3),
        total_sek=5000,
        item_count=1,
        created_at=timezone.now(),
        created_by=world.users["ekonomi"],
    )
    return live_server.url


def start_page(browser, site: str, username: str, width: int):
    context = browser.new_context(
        locale="en-GB", timezone_id="Europe/Stockholm", viewport={"width": width, "height": 900}
    )
    context.add_cookies([{"name": "django_language", "value": "en", "url": site}])
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(site + "/logga-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.locator("#id_password").press("Enter")
    page.wait_for_url(site + "/mina-sidor/")
    return page


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def assert_accessible(page) -> None:
    found = axe_violations(page)
    assert not found, "axe found problems:\n" + format_violations({page.url: found})


@pytest.mark.parametrize("width", [1280, 390, 320])
def test_each_role_lands_on_its_work(browser, site, world, width):
    handlaggare = start_page(browser, site, "handlaggare", width)
    main = handlaggare.locator("main")
    assert main.get_by_role("link", name="Ombud applications to handle").is_visible()
    assert main.get_by_role("link", name="Requisition pools open now").is_visible()
    assert "1 waiting for an opinion" in main.inner_text()
    assert "Apply to become ombud" not in main.inner_text()
    assert fits(handlaggare)
    assert_accessible(handlaggare)

    beslutsfattare = start_page(browser, site, "beslutsfattare", width)
    beslutsfattare.locator("main").get_by_role("link", name=world.ngo_call.title).click()
    assert "status=proposed" in beslutsfattare.url
    beslutsfattare.go_back()
    assert fits(beslutsfattare)
    assert_accessible(beslutsfattare)

    ekonomi = start_page(browser, site, "ekonomi", width)
    text = ekonomi.locator("main").inner_text()
    assert "you created it; another ekonomi user must approve it" in text
    assert fits(ekonomi)
    assert_accessible(ekonomi)

    consultee = start_page(browser, site, "jamy", width)
    assert "reply by 29 November 2021" in consultee.locator("main").inner_text()
    assert fits(consultee)
    assert_accessible(consultee)

    ombud = start_page(browser, site, "ombud", width)
    text = ombud.locator("main").inner_text()
    assert world.ngo.name in text and world.ngo_call.title in text
    assert fits(ombud)
    assert_accessible(ombud)
