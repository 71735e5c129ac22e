"""Applying in a region's own round in the browser (issue 20 §3): the public
round page, the start page, the form, the check page and the receipt are
axe-clean and fit at 1280 and 390 px; a local actor's ombud fills in the
form, checks it and submits it, and the receipt comes over SMTP.
Screenshots go to /tmp/shots/regional-applying/ (looked at by hand)."""

import datetime

import pytest

from tests.e2e.helpers import login, wait_for_mail
from tests.e2e.regional_fixtures import apply, check_page
from tests.mail_sink import smtp_sink  # noqa: F401 - fixture

SHOTS = "/tmp/shots/regional-applying"

QUESTIONS = [
    {
        "key": "purpose",
        "text": "Vad ska pengarna användas till?",
        "help": "Beskriv insatsen och hur den når de våldsutsatta.",
        "max_length": 2000,
        "required": True,
    },
    {
        "key": "cooperation",
        "text": "Vilka samverkar ni med?",
        "help": "",
        "max_length": 1000,
        "required": False,
    },
]


@pytest.fixture
def site(live_server, settings, clock_at):
    clock_at("2022-04-01T10:00")
    settings.FORDELA_PASSWORD_LOGIN = True
    return live_server.url


@pytest.fixture
def round_(db, programme):
    from fordela.organisations.models import OrganisationKind
    from fordela.regional.models import RoundQuestionSet, RoundStatus, SubGrantRound
    from tests.access.conftest import other_organisation

    region = other_organisation(
        name="Västra Götalandsregionen",
        kind=OrganisationKind.REGION,
        municipality_code=None,
        region_county_code="14",
        county_code="14",
        county_name="Västra Götalands län",
    )
    round_ = SubGrantRound.objects.create(
        region=region,
        programme_year=programme.years.get(year=2022),
        title="Statliga medel 2022",
        summary="Utvecklingsmedel för arbetet mot våld i nära relationer.",
        purposes="Hälso- och sjukvård inklusive tandvård.\n\nSamverkan mellan regioner.",
        contact="Chefen för VKV, vkv@vgregion.se",
        apply_by=datetime.date(2022, 5, 15),
        decide_by=datetime.date(2022, 6, 30),
        use_from=datetime.date(2022, 1, 1),
        use_to=datetime.date(2022, 12, 31),
        report_by=datetime.date(2023, 1, 15),
        state_funding_sek=1_000_000,
        own_funding_sek=200_000,
        status=RoundStatus.OPEN,
    )
    round_.question_set = RoundQuestionSet.objects.create(
        round=round_,
        version=1,
        questions=QUESTIONS,
        status="published",
        published_at=datetime.datetime(2022, 3, 1, 9, tzinfo=datetime.UTC),
    )
    round_.save(update_fields=["question_set"])
    return round_


@pytest.fixture
def ombud(db, django_user_model):
    """Borås stad's ombud, an external local actor with an organisation number."""
    from fordela.access.models import Membership, OrganisationRole
    from tests.access.conftest import other_organisation

    actor = other_organisation(
        name="Borås stad", county_code="14", county_name="Västra Götalands län"
    )
    user = django_user_model.objects.create_user(
        "ombud-boras", password="pw", email="ombud@boras.se", first_name="Karin", last_name="Berg"
    )
    Membership.objects.create(user=user, organisation=actor, role=OrganisationRole.OMBUD)
    return user


def accessible(page, name: str) -> None:
    check_page(page, f"{SHOTS}/{name}.png")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_applicants_pages_are_accessible(site, browser, round_, ombud, width):
    from fordela.regional.services import applying

    anonymous = browser.new_page(viewport={"width": width, "height": 900}, locale="sv-SE")
    anonymous.goto(f"{site}/regionala-bidrag/")
    accessible(anonymous, f"rounds-{width}")
    anonymous.goto(f"{site}/regionala-bidrag/{round_.pk}/")
    assert anonymous.get_by_text("15 maj 2022").count() >= 1
    accessible(anonymous, f"round-{width}")

    draft = applying.start_application(ombud, round_, ombud.memberships.get().organisation)
    page = login(browser, site, ombud.username, width)
    for path, name in [
        (f"/regionala-bidrag/{round_.pk}/ansok/", "start"),
        (f"/regionala-bidrag/ansokan/{draft.pk}/", "edit"),
        (f"/regionala-bidrag/ansokan/{draft.pk}/kontrollera/", "check"),
    ]:
        page.goto(site + path)
        accessible(page, f"{name}-{width}")
    # A refused save names the field beside it, in Swedish.
    page.goto(f"{site}/regionala-bidrag/ansokan/{draft.pk}/")
    page.fill("#id_requested_sek", "2 000 000")
    page.get_by_role("button", name="Spara utkast").click()
    page.wait_for_load_state("load")
    assert page.locator(".govuk-error-summary").count() == 1
    assert "1 200 000" in page.locator("#id_requested_sek_error").inner_text().replace(
        "\xa0", " "
    ).replace("\u202f", " ")
    accessible(page, f"edit-errors-{width}")


def test_an_ombud_applies_and_gets_the_receipt(
    site,
    browser,
    round_,
    ombud,
    smtp_sink,  # noqa: F811
):
    from fordela.regional.models import SubGrantApplication, SubGrantStatus

    page = login(browser, site, ombud.username)
    fields = {
        "id_project_title": "Våld i nära relationer i tandvården",
        "id_requested_sek": "150 000",
        "id_q_purpose": "Utbildning för personal i tandvården.",
        "id_contact_phone": "033-35 70 00",
    }
    apply(page, site, round_.pk, lambda page, name: accessible(page, f"journey-{name}"), fields)
    application = SubGrantApplication.objects.get()
    assert application.status == SubGrantStatus.SUBMITTED
    assert page.get_by_text(application.case_number).count() >= 1
    [mail] = wait_for_mail(smtp_sink, 1)
    assert application.case_number in mail["Subject"]
