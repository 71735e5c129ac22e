"""After a regional decision in the browser (issue 20 §4): the region's
administrator reviews a submitted report and approves it after the
confirmation, records the grantee's invoice and the region's payment of it;
the review page, the invoice form, the invoice page and the round's invoices
are axe-clean and fit at 1280 and 390 px. Screenshots go to
/tmp/shots/regional-after/ (looked at by hand)."""

import datetime

import pytest

from tests.e2e.helpers import login
from tests.e2e.regional_fixtures import approve_report, check_page, pay_invoice

SHOTS = "/tmp/shots/regional-after"


@pytest.fixture
def site(live_server, settings, clock_at):
    clock_at("2023-02-10T10:00")
    settings.FORDELA_PASSWORD_LOGIN = True
    return live_server.url


def accessible(page, name: str) -> None:
    check_page(page, f"{SHOTS}/{name}.png")


@pytest.fixture
def submitted(db, programme, django_user_model):
    """Västra Götalandsregionen's decided 2022 round and Borås stad's
    submitted report on its 200 000 kr grant (150 000 kr used)."""
    from fordela.access.models import Membership, OrganisationRole, RegionalRole
    from fordela.organisations.models import OrganisationKind
    from fordela.regional.models import RoundQuestionSet, RoundStatus, SubGrantReport, SubGrantRound
    from fordela.regional.services import reports
    from tests.access.conftest import other_organisation, regional
    from tests.regional.after_fixtures import ANSWERS, decided_grant
    from tests.regional.conftest import QUESTIONS
    from tests.reports.conftest import restore_report_form

    restore_report_form()
    region = other_organisation(
        name="Västra Götalandsregionen",
        kind=OrganisationKind.REGION,
        municipality_code=None,
        region_county_code="14",
        county_code="14",
        county_name="Västra Götalands län",
    )
    actor = other_organisation(
        name="Borås stad", county_code="14", county_name="Västra Götalands län"
    )
    round_ = SubGrantRound.objects.create(
        region=region,
        programme_year=programme.years.get(year=2022),
        title="Statliga medel 2022",
        apply_by=datetime.date(2022, 5, 15),
        decide_by=datetime.date(2022, 6, 30),
        use_from=datetime.date(2022, 1, 1),
        use_to=datetime.date(2022, 12, 31),
        report_by=datetime.date(2023, 1, 15),
        state_funding_sek=1_000_000,
        status=RoundStatus.FINISHED,
    )
    round_.question_set = RoundQuestionSet.objects.create(
        round=round_,
        version=1,
        questions=QUESTIONS,
        status="published",
        published_at=datetime.datetime(2022, 3, 1, 9, tzinfo=datetime.UTC),
    )
    round_.save(update_fields=["question_set"])
    make = django_user_model.objects.create_user
    admin = regional(region, RegionalRole.ADMINISTRATOR, make("vkv", password="pw"))
    decider = regional(region, RegionalRole.DECISION_MAKER, make("vkv-chef", password="pw"))
    grantee = make("ombud-boras", password="pw")
    Membership.objects.create(user=grantee, organisation=actor, role=OrganisationRole.OMBUD)
    decision = decided_grant(round_, actor, proposer=admin, decider=decider, amount_sek=200_000)
    reports.open_reports(admin, round_)
    report = SubGrantReport.objects.get(decision=decision)
    reports.save_draft(grantee, report, {**ANSWERS, "used_sek": "150 000"})
    return reports.submit(grantee, report)


@pytest.mark.parametrize("width", [1280, 390])
def test_review_approve_invoice_and_pay(site, browser, submitted, width):
    from fordela.regional.models import SubGrantInvoice, SubGrantInvoiceStatus, SubGrantReport
    from fordela.reports.models import ReportStatus

    page = login(browser, site, "vkv", width)
    approve_report(page, site, submitted.pk, lambda page, name: accessible(page, f"{name}-{width}"))
    assert SubGrantReport.objects.get(pk=submitted.pk).status == ReportStatus.APPROVED

    page.locator("#record-invoice").click()
    page.wait_for_url(f"**/regional/rapporter/{submitted.pk}/faktura/")
    accessible(page, f"invoice-form-{width}")
    page.fill("#id_reference", "F-2023-17")
    page.fill("#id_bank_giro", "5050-1056")  # a wrong check digit
    page.fill("#id_amount_sek", "150 000")
    page.fill("#id_invoice_date", "2023-02-01")
    page.locator("#invoice-form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator(".govuk-error-summary").count() == 1
    accessible(page, f"invoice-form-error-{width}")
    assert not SubGrantInvoice.objects.exists()
    page.fill("#id_bank_giro", "5050-1055")
    page.locator("#invoice-form button[type=submit]").click()
    page.wait_for_url("**/regional/fakturor/*/")
    accessible(page, f"invoice-{width}")

    pay_invoice(page, "2023-02-08", "Ver 118")
    assert SubGrantInvoice.objects.get().status == SubGrantInvoiceStatus.PAID
    accessible(page, f"invoice-paid-{width}")

    page.goto(f"{site}/regional/utlysningar/{submitted.decision.round_id}/fakturor/")
    accessible(page, f"round-invoices-{width}")
    page.goto(f"{site}/regional/utlysningar/{submitted.decision.round_id}/rapporter/")
    accessible(page, f"round-reports-{width}")
