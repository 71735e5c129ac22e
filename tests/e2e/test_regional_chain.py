# ruff: noqa: F811 - the fixtures imported from tests.e2e.regional_fixtures
"""The whole chain in the browser (issue 20, *done when*): state → region →
local and back into the region's report to the agency.

Ale (made a region) has its 2021 requisition paid by the agency (set up
through the services, tests/reports' paid round). In the browser its
regional administrator sets up a round backed by that grant, publishes its
questions and opens it; Bjurholm's ombud applies as a local actor; after the
last day to apply the administrator closes the round and proposes a grant,
the decision maker decides it and the round is marked decided; the
administrator opens the follow-up reports, Bjurholm reports what it used,
the report is approved, the invoice recorded and paid; the region's own
follow-up report to the agency then shows the sub-grant, to the handläggare
and to the region's ombud. The clock moves between the stages. Every page
visited is axe-clean and fits at 1280 px; screenshots go to
/tmp/shots/regional-chain-*.png."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.helpers import login
from tests.e2e.regional_fixtures import (  # noqa: F401 - fixtures
    apply,
    approve_report,
    check_page,
    clock_at,
    confirm,
    decide,
    make_user,
    paid_round,
    pay_invoice,
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


def check(page, name: str) -> None:
    check_page(page, f"{SHOTS}/regional-chain-{name}.png")


def kronor(amount: str) -> re.Pattern:
    """An amount as the pages show it ("80 000 kr", with no-break spaces)."""
    return re.compile(r"^\s*" + amount.replace(" ", r"\s") + r"\skr\s*$")


def test_a_round_from_the_paid_state_grant_to_the_regions_report(
    site, browser, clock_at, paid_round, region, regional_staff
):
    from fordela.regional.models import (
        ApplicantKind,
        RoundStatus,
        SubGrantApplication,
        SubGrantInvoice,
        SubGrantInvoiceStatus,
        SubGrantReport,
        SubGrantRound,
        SubGrantStatus,
    )
    from fordela.reports import services as report_services
    from fordela.reports.models import Report, ReportStatus

    bjurholm = paid_round.organisations[1]

    # 15 October 2021: the administrator sets up the round and opens it.
    admin = login(browser, site, "vkv")
    round_pk = set_up_round(admin, site, check)
    publish_questions(admin, site, round_pk, check)
    round_action(admin, site, round_pk, "open", check)
    assert SubGrantRound.objects.get(pk=round_pk).status == RoundStatus.OPEN
    admin.context.close()

    # 20 October: Bjurholm's ombud finds the round and applies.
    clock_at("2021-10-20T09:00")
    grantee = login(browser, site, "ombud-b")
    grantee.goto(f"{site}/regionala-bidrag/")
    check(grantee, "public-rounds")
    grantee.locator(f"main a[href$='/regionala-bidrag/{round_pk}/']").first.click()
    grantee.wait_for_url(f"**/regionala-bidrag/{round_pk}/")
    check(grantee, "public-round")
    apply(
        grantee,
        site,
        round_pk,
        lambda page, name: check(page, f"apply-{name}"),
        {
            "id_project_title": "Stöd till våldsutsatta i hemtjänsten",
            "id_requested_sek": "120 000",
            "id_q_purpose": "Utbildning för hemtjänstens personal om våld i nära relationer.",
            "id_q_cooperation": "Socialtjänsten och vårdcentralen.",
            "id_contact_phone": "0932-140 00",
        },
    )
    application = SubGrantApplication.objects.get()
    assert (application.organisation, application.kind) == (bjurholm, ApplicantKind.EXTERNAL)
    assert application.status == SubGrantStatus.SUBMITTED
    expect(grantee.get_by_text(application.case_number).first).to_be_visible()
    grantee.context.close()

    # 16 November, after the last day to apply: closed, proposed, decided.
    clock_at("2021-11-16T09:00")
    admin = login(browser, site, "vkv")
    # Her start page has the round's work: one application to assess.
    admin.goto(f"{site}/mina-sidor/")
    assess = admin.locator(f"#work-regional-assess-{round_pk}-status")
    expect(assess).to_have_text("1")
    check(admin, "start-page")
    round_action(admin, site, round_pk, "close", check)
    assert SubGrantRound.objects.get(pk=round_pk).status == RoundStatus.CLOSED
    admin.get_by_role("link", name=application.case_number).click()
    admin.wait_for_url(f"**/regional/ansokningar/{application.pk}/")
    check(admin, "assessment")
    propose_grant(admin, application.pk, "100 000", "Insatsen når våldsutsatta i hemtjänsten.")
    check(admin, "assessment-proposed")
    decider = login(browser, site, "vkv-beslut")
    decider.goto(f"{site}/mina-sidor/")
    expect(decider.locator(f"#work-regional-decide-{round_pk}-status")).to_have_text("1")
    decide(decider, site, application.pk, check)
    check(decider, "assessment-decided")
    decider.context.close()
    round_action(admin, site, round_pk, "finish", check)
    round_ = SubGrantRound.objects.get(pk=round_pk)
    assert (round_.status, round_.decided_sek) == (RoundStatus.FINISHED, 100_000)
    check(admin, "round-finished")
    admin.context.close()

    # 5 January 2022: the follow-up reports are opened; Bjurholm reports.
    clock_at("2022-01-05T09:00")
    admin = login(browser, site, "vkv")
    admin.goto(f"{site}/regional/utlysningar/{round_pk}/rapporter/")
    check(admin, "round-reports-unopened")
    admin.locator("#without-report button[type=submit]").click()
    expect(admin.locator("#reports")).to_be_visible()
    check(admin, "round-reports")
    report = SubGrantReport.objects.get()
    assert (report.decision.application, report.granted_sek) == (application, 100_000)
    admin.context.close()

    grantee = login(browser, site, "ombud-b")
    grantee.goto(f"{site}/regionala-bidrag/rapport/{report.pk}/")
    check(grantee, "report-form")
    grantee.fill("#id_activities_halso_sjukvard", "Utbildning i att upptäcka våld.")
    grantee.fill("#id_results", "Fler utsatta fick stöd i tid.")
    grantee.fill("#id_lessons", "Samverkan tar tid; arbetet fortsätter i ordinarie verksamhet.")
    grantee.fill("#id_used_sek", "80 000")
    grantee.locator("#report-form button[value=check]").click()
    grantee.wait_for_url(f"**/regionala-bidrag/rapport/{report.pk}/granska/")
    check(grantee, "report-check")
    grantee.locator("#submit-form button[type=submit]").click()
    expect(grantee.locator("input[name=confirmed]")).to_be_attached()
    check(grantee, "report-confirm")
    confirm(grantee)
    grantee.wait_for_url(f"**/regionala-bidrag/rapport/{report.pk}/kvittens/")
    check(grantee, "report-receipt")
    report.refresh_from_db()
    assert (report.status, report.used_sek) == (ReportStatus.SUBMITTED, 80_000)
    grantee.context.close()

    # 20 January: approved, invoiced for what was used, paid.
    clock_at("2022-01-20T10:00")
    admin = login(browser, site, "vkv")
    approve_report(admin, site, report.pk, check)
    assert SubGrantReport.objects.get(pk=report.pk).status == ReportStatus.APPROVED
    admin.locator("#record-invoice").click()
    admin.wait_for_url(f"**/regional/rapporter/{report.pk}/faktura/")
    check(admin, "invoice-form")
    admin.fill("#id_reference", "F-2022-3")
    admin.fill("#id_bank_giro", "5050-1055")
    admin.fill("#id_amount_sek", "80 000")
    admin.fill("#id_invoice_date", "2022-01-18")
    admin.locator("#invoice-form button[type=submit]").click()
    admin.wait_for_url("**/regional/fakturor/*/")
    expect(admin.locator("#invoiced")).to_have_text(kronor("80 000"))
    check(admin, "invoice")
    pay_invoice(admin, "2022-01-20", "Ver 42")
    check(admin, "invoice-paid")
    invoice = SubGrantInvoice.objects.get()
    assert (invoice.status, invoice.amount_sek) == (SubGrantInvoiceStatus.PAID, 80_000)
    admin.goto(f"{site}/regional/utlysningar/{round_pk}/fakturor/")
    check(admin, "round-invoices")
    admin.context.close()

    # The region's own follow-up report to the agency shows the sub-grant.
    report_services.open_report_period(2021)
    region_report = Report.objects.get(organisation=region, pool=paid_round.pool)
    for username, path, name in (
        ("handlaggare", reverse("reports:staff_case", args=[region_report.pk]), "region-case"),
        ("ombud", reverse("reports:edit", args=[region_report.pk]), "region-report"),
    ):
        page = login(browser, site, username)
        page.goto(site + path)
        expect(page.locator("#rollup-count")).to_have_text("1")
        expect(page.locator("#rollup-granted")).to_have_text(kronor("100 000"))
        expect(page.locator("#rollup-invoiced")).to_have_text(kronor("80 000"))
        expect(page.locator("#rollup-unused")).to_have_text(kronor("20 000"))
        check(page, name)
        page.context.close()
