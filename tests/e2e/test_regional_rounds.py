# ruff: noqa: F811 - the fixtures imported from tests.e2e.regional_fixtures
"""The region staff's pages in the browser (issue 20 §1–3): the regional
administrator sets up a round (a date out of order is refused beside its
field), writes and publishes its questions and opens it; an application is
sent in; the administrator proposes a grant on the assessment page and, even
holding the decision maker's role too, cannot decide it (four eyes); the
decision maker decides it after the confirmation and the decision letter
link gives the PDF. Every page is axe-clean and fits at 1280 and 390 px.
Screenshots go to /tmp/shots/regional-rounds-*.png (looked at by hand)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import login
from tests.e2e.regional_fixtures import (  # noqa: F401 - fixtures
    check_page,
    clock_at,
    decide,
    make_user,
    paid_round,
    propose_grant,
    publish_questions,
    region,
    regional_staff,
    report_form,
    round_,
    round_action,
    set_up_round,
)

SHOTS = "/tmp/shots"


@pytest.fixture
def site(live_server, settings, paid_round, clock_at):
    """The live server; the clock on 15 October 2021, after Ale's
    requisition was paid."""
    clock_at("2021-10-15T10:00")
    settings.FORDELA_PASSWORD_LOGIN = True
    return live_server.url


def checker(width: int):
    def check(page, name: str) -> None:
        check_page(page, f"{SHOTS}/regional-rounds-{name}-{width}.png")

    return check


def submitted_application(round_pk: int, ombud, organisation):
    """Bjurholm's application in the round, sent in through the services
    (the applicant's pages have their own browser tests)."""
    from fordela.regional.models import SubGrantRound
    from fordela.regional.services import applying

    round_ = SubGrantRound.objects.get(pk=round_pk)
    draft = applying.start_application(ombud, round_, organisation)
    problems = applying.save_draft(
        ombud,
        draft,
        {
            "project_title": "Våld i nära relationer i tandvården",
            "requested_sek": "120 000",
            "contact_phone": "0935-141 00",
            "q_purpose": "Utbildning för personal i tandvården.",
        },
    )
    assert not problems
    return applying.submit_application(ombud, draft)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_staff_set_up_open_and_decide_a_round(
    site, browser, paid_round, region, regional_staff, width
):
    from fordela.access.models import RegionalRole
    from fordela.regional.models import (
        RoundStatus,
        SubGrantDecision,
        SubGrantRound,
        SubGrantStatus,
    )
    from tests.access.conftest import regional

    check = checker(width)
    admin = login(browser, site, "vkv", width)

    # A report due before the use period ends is refused beside its field.
    admin.goto(f"{site}/regional/utlysningar/ny/")
    admin.fill("#id_title", "Statliga medel 2021")
    admin.locator("#id_programme_year").select_option(index=1)
    for name, value in {
        "apply_by": "2021-11-15",
        "decide_by": "2021-11-30",
        "use_from": "2021-01-01",
        "use_to": "2021-12-31",
        "report_by": "2021-12-01",
    }.items():
        admin.fill(f"#id_{name}", value)
    admin.locator("main form button[type=submit]").click()
    expect(admin.locator(".govuk-error-summary")).to_be_visible()
    expect(admin.locator("#id_report_by_error")).to_be_visible()
    check(admin, "round-new-error")
    assert not SubGrantRound.objects.exists()

    round_pk = set_up_round(admin, site, check)
    round_ = SubGrantRound.objects.get(pk=round_pk)
    assert round_.status == RoundStatus.DRAFT
    assert round_.region == region
    # Ale's paid 2021 requisition with its redistributed share backs the round.
    assert round_.state_funding_sek > 0
    assert round_.own_funding_sek == 50_000
    check(admin, "round-draft")

    publish_questions(admin, site, round_pk, check)
    round_.refresh_from_db()
    assert [q["key"] for q in round_.question_set.questions] == ["purpose", "cooperation"]
    assert round_.question_set.status == "published"
    admin.goto(f"{site}/regional/utlysningar/{round_pk}/fragor/")
    expect(admin.locator("#published-questions li")).to_have_count(2)
    check(admin, "questions-published")

    round_action(admin, site, round_pk, "open", check)
    assert SubGrantRound.objects.get(pk=round_pk).status == RoundStatus.OPEN
    check(admin, "round-open")

    application = submitted_application(
        round_pk, paid_round.users["ombud_b"], paid_round.organisations[1]
    )
    # The administrator also holds the decision maker's role: four eyes
    # still keep her from deciding what she proposed.
    regional(region, RegionalRole.DECISION_MAKER, regional_staff["admin"])
    admin.goto(f"{site}/regional/utlysningar/{round_pk}/")
    admin.get_by_role("link", name=application.case_number).click()
    admin.wait_for_url(f"**/regional/ansokningar/{application.pk}/")
    expect(admin.locator("#application-status")).to_be_visible()
    check(admin, "assessment")

    # A grant without an amount is refused beside the amount.
    admin.locator("#id_proposal-outcome_0").check()
    admin.fill("#id_proposal-amount_sek", "")
    admin.fill("#id_proposal-motivation", "Insatsen når våldsutsatta i tandvården.")
    admin.locator(f"main form[action$='/ansokningar/{application.pk}/forslag/'] button").click()
    expect(admin.locator("#id_proposal-amount_sek_error")).to_be_visible()
    check(admin, "assessment-error")
    propose_grant(admin, application.pk, "100 000", "Insatsen når våldsutsatta i tandvården.")
    expect(admin.locator("#four-eyes")).to_be_visible()
    expect(
        admin.locator(f"main form[action$='/ansokningar/{application.pk}/beslut/']")
    ).to_have_count(0)
    check(admin, "assessment-proposed")
    application.refresh_from_db()
    assert application.status == SubGrantStatus.PROPOSED

    decider = login(browser, site, "vkv-beslut", width)
    decider.goto(f"{site}/regional/ansokningar/{application.pk}/")
    expect(decider.locator("#four-eyes")).to_have_count(0)
    decide(decider, site, application.pk, check)
    check(decider, "assessment-decided")
    decision = SubGrantDecision.objects.get(application=application)
    assert decision.decided_by == regional_staff["decider"]
    assert decision.proposed_by == regional_staff["admin"]
    assert decision.amount_sek == 100_000
    assert SubGrantRound.objects.get(pk=round_pk).decided_sek == 100_000

    letter = decider.request.get(site + decider.locator("#letter-link").get_attribute("href"))
    assert letter.status == 200
    assert letter.headers["content-type"] == "application/pdf"
    assert letter.body().startswith(b"%PDF")

    # The round page counts the grant; the public page lists it.
    decider.goto(f"{site}/regional/utlysningar/{round_pk}/")
    expect(decider.locator("#decided")).to_have_text(re.compile(r"100\s000\skr"))
    check(decider, "round-decided")
    decider.goto(f"{site}/regional/utlysningar/")
    expect(decider.locator("#rounds tbody tr")).to_have_count(1)
    expect(decider.locator(f"#rounds a[href$='/regional/utlysningar/{round_pk}/']")).to_be_visible()
    check(decider, "rounds-listed")
    decider.goto(f"{site}/regionala-bidrag/{round_pk}/")
    expect(decider.locator("#granted")).to_contain_text(paid_round.organisations[1].name)
