"""A visitor who keeps typing the wrong password: after five tries the login
is locked, on a Swedish page in the site's layout that axe finds no serious
problems with, and the right password is refused until the cool-off ends.

Uses ``live_server`` (its data is flushed after each test)."""

import pytest
from django.contrib.auth import get_user_model

from tests.e2e.axe import axe_violations, format_violations

LOCKED = "För många misslyckade inloggningsförsök. Vänta 15 minuter och försök igen."


@pytest.fixture
def site(live_server, settings):
    settings.FORDELA_PASSWORD_LOGIN = True
    get_user_model().objects.create_user("kalle", password="rätt-lösenord")
    return live_server.url


def log_in(page, site: str, password: str):
    page.goto(site + "/logga-in/")
    page.fill("#id_username", "kalle")
    page.fill("#id_password", password)
    with page.expect_response(site + "/logga-in/") as answer:
        page.get_by_role("button", name="Logga in").click()
    return answer.value


def test_five_wrong_passwords_lock_the_login_on_a_swedish_page(page, site):
    for _ in range(4):
        assert log_in(page, site, "fel").status == 400
        page.get_by_text("Fel användarnamn eller lösenord.").wait_for()
    assert log_in(page, site, "fel").status == 429
    page.get_by_text(LOCKED).wait_for()
    assert page.get_attribute("html", "lang") == "sv"
    assert page.title() == "Logga in – Fördela"
    assert page.locator(".site-header .brand").is_visible()  # the site's layout
    found = axe_violations(page)
    assert not found, "axe found problems:\n" + format_violations({"lockout": found})

    assert log_in(page, site, "rätt-lösenord").status == 429
    page.get_by_text(LOCKED).wait_for()
    assert page.url == site + "/logga-in/"
