"""Done-when journey for e-service access: OIDC login, ombud application with
completion round, approval, e-mailed invitation, and an uppgiftssamordnare who
can fill in but not submit."""

import re

import pytest
from oidc_provider_mock import User, run_server_in_thread

from fordela.access.models import Membership, StaffAssignment, StaffRole
from fordela.access.permissions import Action, can
from fordela.organisations.models import Organisation
from tests.access.conftest import pdf_bytes, smtp_sink  # noqa: F401 - fixture
from tests.factories import OrganisationFactory

ALE_NUMBER = "212000-1439"  # data/reference/kommuner.csv: 1440 Ale


@pytest.fixture
def oidc_provider(settings):
    users = [
        User(sub="asa", claims={"email": "asa@example.se", "name": "Åsa Öberg"}),
        User(sub="ulla", claims={"email": "ulla@example.se", "name": "Ulla Ek"}),
    ]
    with run_server_in_thread(user_claims=users) as server:
        op = f"http://localhost:{server.server_port}"
        settings.OIDC_RP_CLIENT_ID = "fordela-test"
        settings.OIDC_RP_CLIENT_SECRET = "fordela-test-secret"
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = op + "/oauth2/authorize"
        settings.OIDC_OP_TOKEN_ENDPOINT = op + "/oauth2/token"
        settings.OIDC_OP_USER_ENDPOINT = op + "/userinfo"
        settings.OIDC_OP_JWKS_ENDPOINT = op + "/jwks"
        yield op


@pytest.fixture
def site(live_server, settings, oidc_provider, smtp_sink, tmp_path):  # noqa: F811
    settings.FORDELA_PASSWORD_LOGIN = True
    settings.MEDIA_ROOT = tmp_path / "media"
    # The e2e package's demo data may already hold the real Ale (pytest-django
    # runs live-server tests after the others); otherwise create it.
    if not Organisation.objects.filter(municipality_code="1440").exists():
        OrganisationFactory(
            name="Ale kommun",
            organisation_number=ALE_NUMBER.replace("-", ""),
            municipality_code="1440",
            county_code="14",
            county_name="Västra Götalands län",
        )
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.create_user(
        "handlaggare", password="demo", first_name="Hanna"
    )
    StaffAssignment.objects.create(user=officer, role=StaffRole.HANDLAGGARE)
    return live_server.url


def oidc_login(page, subject: str) -> None:
    page.get_by_role("link", name="Log in with e-identification").click()
    page.fill("#subject-input", subject)
    page.click("button:has-text('Authorize')")


def upload_pdf(page, name: str) -> None:
    page.set_input_files(
        "#id_file", {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.get_by_role("button", name="Upload attachment").click()
    page.get_by_role("link", name=name).wait_for()


def english_page(browser, site: str):
    """A visitor who chose English with the language switch (the journey's
    texts are asserted in English; the Swedish default is tested elsewhere)."""
    context = browser.new_context()
    context.add_cookies([{"name": "django_language", "value": "en", "url": site}])
    return context.new_page()


def test_ombud_application_to_uppgiftssamordnare(site, browser, smtp_sink):  # noqa: F811
    officer = english_page(browser, site)
    person = english_page(browser, site)

    ale = Organisation.objects.get(municipality_code="1440")
    assert ale.formatted_organisation_number == ALE_NUMBER

    # 1. Åsa logs in over OIDC and applies to be ombud for Ale kommun.
    person.goto(site + "/logga-in/")
    oidc_login(person, "asa")
    person.wait_for_url(site + "/mina-sidor/")
    person.get_by_role("link", name="Apply to become ombud").click()
    person.fill("#id_organisation_number", ALE_NUMBER)
    person.check("#id_role_basis_0")
    person.get_by_role("button", name="Continue").click()
    person.get_by_role("heading", name=f"Ombud application for {ale.name}").wait_for()
    upload_pdf(person, "intyg.pdf")
    person.get_by_role("button", name="Send in the application").click()
    assert person.inner_text("#application-status") == "Submitted"

    # 2. The handläggare (password login) requests completion.
    officer.goto(site + "/logga-in/")
    officer.fill("#id_username", "handlaggare")
    officer.fill("#id_password", "demo")
    officer.get_by_role("button", name="Log in").click()
    officer.get_by_role("link", name="Ombud applications to handle").click()
    officer.get_by_role("link", name=ale.name, exact=True).click()
    officer.fill("#id_message", "Intyget saknar underskrift.")
    officer.get_by_role("button", name="Request completion").click()
    officer.get_by_role("heading", name="Ombud applications").wait_for()

    # 3. Åsa sees the request, completes and resubmits.
    person.reload()
    assert "Intyget saknar underskrift." in person.inner_text("#completion-message")
    upload_pdf(person, "intyg-underskrivet.pdf")
    person.get_by_role("button", name="Send in the completed application").click()
    assert person.inner_text("#application-status") == "Resubmitted"

    # 4. The handläggare approves.
    officer.get_by_role("link", name=ale.name, exact=True).click()
    officer.get_by_role("button", name="Approve as ombud").click()
    officer.get_by_text("The application has been approved.").wait_for()
    assert Membership.objects.get(organisation=ale, role="ombud").user.email == "asa@example.se"

    # 5. Åsa, now ombud, invites Ulla as uppgiftssamordnare.
    person.goto(site + "/mina-sidor/")
    person.get_by_role("region", name="Choose organisation").get_by_role(
        "link", name=ale.name, exact=True
    ).click()
    person.get_by_role("link", name="Invite a user").click()
    person.fill("#id_email", "ulla@example.se")
    person.get_by_label("Data coordinator (uppgiftssamordnare)").check()
    person.get_by_role("button", name="Send invitation").click()
    person.get_by_text("An invitation has been sent to ulla@example.se.").wait_for()

    # 6. Ulla reads the mail from the SMTP sink and opens the link.
    invitation = next(m for m in smtp_sink.parsed() if m["To"] == "ulla@example.se")
    link = re.search(r"http://\S+/inbjudan/\S+/", invitation.get_content()).group(0)
    coordinator = english_page(browser, site)
    coordinator.goto(link)
    oidc_login(coordinator, "ulla")
    coordinator.get_by_role("button", name="Accept the invitation").click()
    coordinator.get_by_role("heading", name=ale.name, exact=True).wait_for()
    assert Membership.objects.get(user__email="ulla@example.se").role == "uppgiftssamordnare"

    # 7. She can fill in data (the organisation's contact details) ...
    coordinator.get_by_role("link", name="Change the organisation's contact details").click()
    coordinator.fill("#id_email", "vald@ale.se")
    coordinator.fill("#id_phone", "0303-33 00 00")
    coordinator.get_by_role("button", name="Save").click()
    coordinator.get_by_text("vald@ale.se").wait_for()

    # 8. ... but cannot submit: the page says so, she cannot invite (the ombud
    # could, on this page), and the rule refuses it.
    coordinator.get_by_text(
        "As data coordinator you can fill in and change cases, but not send them in."
    ).wait_for()
    assert coordinator.get_by_role("link", name="Invite a user").count() == 0
    ulla = Membership.objects.get(user__email="ulla@example.se").user
    assert can(ulla, Action.SUBMIT_CASE, ale) is False
