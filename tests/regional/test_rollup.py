# ruff: noqa: F811 - the fixtures imported from tests.reports and tests.requisitions
"""The roll-up (issue 20 §5): what a region passed on of its state grant.

The region's own follow-up report to the agency (the ``reports.Report`` of
its requisition) shows its sub-grants of the year (count, granted, invoiced
and paid, unused); the national report lists them per region without adding
them to any total, so its totals are the same with and without them; open
data marks the region's grant as re-granted (FRG010) and lists each
sub-grant with the region as funder, valid 360Giving 1.4.3.

The paid round of tests/reports (paid 11 October 2021, the clock at 10
January 2022) with Ale as the region: it runs a round of its own in 2021 and
grants Bjurholm 100 000 kr and 60 000 kr; the first is reported, approved,
invoiced at 80 000 kr and paid; the second's invoice is not in yet."""

import csv
import datetime
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from fordela.access.models import RegionalRole
from fordela.core.exports import BOM
from fordela.core.formatting import kronor
from fordela.organisations.models import OrganisationKind
from fordela.payments.models import Payable, PayableSource, PayableStatus
from fordela.regional import rollup
from fordela.regional.models import (
    RoundQuestionSet,
    RoundStatus,
    SubGrantOutcome,
    SubGrantReport,
    SubGrantRound,
)
from fordela.regional.services import invoices, reports
from fordela.reporting import national, opendata
from fordela.reports import services as report_services
from fordela.reports.models import Report
from tests.access.conftest import regional
from tests.reporting.opendata_fixtures import package_validator  # noqa: F401 - fixture
from tests.reports.conftest import paid_round, report_form  # noqa: F401 - fixtures
from tests.requisitions.conftest import clock_at, round_  # noqa: F401 - fixtures

from .after_fixtures import ANSWERS, decided_grant
from .conftest import QUESTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(paid_round):
    """Ale, as the region that passes its state grant on."""
    ale = paid_round.organisations[0]
    ale.kind = OrganisationKind.REGION
    ale.region_county_code = "14"
    ale.save(update_fields=["kind", "region_county_code"])
    return ale


def regional_round(region, programme_year, **fields) -> SubGrantRound:
    fields = {
        "title": "Statliga medel 2021",
        "apply_by": datetime.date(2021, 5, 15),
        "decide_by": datetime.date(2021, 6, 30),
        "use_from": datetime.date(2021, 1, 1),
        "use_to": datetime.date(2021, 12, 31),
        "report_by": datetime.date(2022, 1, 15),
        "state_funding_sek": 500_000,
        "status": RoundStatus.FINISHED,
        **fields,
    }
    round_ = SubGrantRound.objects.create(region=region, programme_year=programme_year, **fields)
    round_.question_set = RoundQuestionSet.objects.create(
        round=round_,
        version=1,
        questions=QUESTIONS,
        status="published",
        published_at=datetime.datetime(2021, 3, 1, 9, tzinfo=datetime.UTC),
    )
    round_.save(update_fields=["question_set"])
    return round_


@pytest.fixture
def subgrants(paid_round, region, make_user):
    """Ale's round: two grants to Bjurholm and a rejection; the first grant
    reported, approved, invoiced and paid (80 000 kr), the second approved
    with its invoice recorded but not paid."""
    admin = regional(region, RegionalRole.ADMINISTRATOR, make_user("ale-admin"))
    decider = regional(region, RegionalRole.DECISION_MAKER, make_user("ale-chef"))
    bjurholm, grantee = paid_round.organisations[1], paid_round.users["ombud_b"]
    round_ = regional_round(region, paid_round.pool.programme_year)
    paid = decided_grant(round_, bjurholm, proposer=admin, decider=decider, amount_sek=100_000)
    unpaid = decided_grant(round_, bjurholm, proposer=admin, decider=decider, amount_sek=60_000)
    decided_grant(
        round_, bjurholm, proposer=admin, decider=decider, outcome=SubGrantOutcome.REJECTED
    )
    reports.open_reports(admin, round_)
    invoiced = []
    for decision, used in ((paid, 80_000), (unpaid, 60_000)):
        report = SubGrantReport.objects.get(decision=decision)
        reports.save_draft(grantee, report, {**ANSWERS, "used_sek": str(used)})
        reports.submit(grantee, report)
        reports.approve(admin, report)
        invoiced.append(
            invoices.record_invoice(
                admin,
                report,
                reference=f"F-{decision.pk}",
                amount_sek=used,
                invoice_date=datetime.date(2022, 1, 5),
                bank_giro="5050-1055",
            )
        )
    invoices.record_payment(
        admin, invoiced[0], paid_on=datetime.date(2022, 1, 9), payment_reference="Ver 7"
    )
    return round_


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ------------------------------------------------------------ the sums


def test_the_rollup_counts_the_granted_and_the_paid_invoices(subgrants, region):
    summed = rollup.region_rollup(region, subgrants.programme_year)
    assert (summed.rounds, summed.count) == (1, 2)  # the rejection is no grant
    assert summed.granted_sek == 160_000
    assert summed.invoiced_sek == 80_000  # the recorded, unpaid invoice is not yet
    assert summed.unused_sek == 80_000


def test_a_region_without_a_round_has_no_rollup(paid_round, region):
    assert rollup.region_rollup(region, paid_round.pool.programme_year) is None


# ------------------------------------------------------------ the region's report


def test_the_regions_follow_up_report_shows_its_sub_grants(subgrants, region, paid_round):
    report_services.open_report_period(2021)
    report = Report.objects.get(organisation=region, pool=paid_round.pool)
    page = client_for(paid_round.users["handlaggare"]).get(
        reverse("reports:staff_case", args=[report.pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="regional-rollup"' in html
    for figure in (kronor(160_000), kronor(80_000)):
        assert figure in html
    # The region's own members see it on the report they fill in.
    edit = client_for(paid_round.users["ombud"]).get(reverse("reports:edit", args=[report.pk]))
    assert 'id="regional-rollup"' in edit.content.decode()


def test_a_kommuns_report_has_no_such_section(subgrants, paid_round):
    bjurholm = paid_round.organisations[1]
    report_services.open_report_period(2021)
    report = Report.objects.get(organisation=bjurholm, pool=paid_round.pool)
    page = client_for(paid_round.users["handlaggare"]).get(
        reverse("reports:staff_case", args=[report.pk])
    )
    assert 'id="regional-rollup"' not in page.content.decode()


# ------------------------------------------------------------ the national report


def test_the_national_totals_are_the_same_with_and_without_the_sub_grants(
    paid_round, region, request
):
    programme = paid_round.pool.programme_year.programme
    year = paid_round.pool.programme_year.year
    before = national.year_report(programme, year)
    assert before.regional == []
    request.getfixturevalue("subgrants")
    after = national.year_report(programme, year)
    assert after.totals == before.totals
    assert after.line_totals == before.line_totals
    assert after.reports.total == before.reports.total  # the sub-grant reports are the region's
    (row,) = after.regional
    assert row.region_name == region.name
    assert (row.rollup.count, row.rollup.granted_sek, row.rollup.invoiced_sek) == (
        2,
        160_000,
        80_000,
    )


# ------------------------------------------------------------ open data


def _package(client, paid_round) -> dict:
    py = paid_round.pool.programme_year
    response = client.get(
        reverse("reporting:opendata_json", kwargs={"slug": py.programme.slug, "year": py.year})
    )
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_regions_grant_is_regranted_and_a_kommuns_is_not(subgrants, region, paid_round):
    payables = Payable.objects.filter(pool=paid_round.pool, status=PayableStatus.PAID)
    ales = payables.filter(organisation=region)
    assert {p.source for p in ales} == {PayableSource.REQUISITION, PayableSource.REDISTRIBUTION}
    assert all(opendata.is_regranted(payable) for payable in ales)
    assert not any(opendata.is_regranted(p) for p in payables.exclude(organisation=region))


def test_a_draft_round_regrants_nothing(paid_round, region):
    regional_round(region, paid_round.pool.programme_year, status=RoundStatus.DRAFT)
    payable = Payable.objects.filter(organisation=region, status=PayableStatus.PAID).first()
    assert not opendata.is_regranted(payable)


def test_the_package_marks_the_regrant_and_lists_the_sub_grants_with_the_region_as_funder(
    client, subgrants, region, paid_round, package_validator
):
    data = _package(client, paid_round)
    errors = sorted(package_validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    assert opendata.check_codes(data) == []
    assert opendata.CODES_USED["regrantType"] == {"FRG010"}

    agency = {"id": opendata.funder_id(), "name": "Socialstyrelsen"}
    by_funder: dict[str, list[dict]] = {}
    for grant in data["grants"]:
        by_funder.setdefault(grant["fundingOrganization"][0]["id"], []).append(grant)
    agencys = by_funder.pop(agency["id"])
    for grant in agencys:
        ales = grant["recipientOrganization"][0]["name"] == region.name
        assert ("regrantType" in grant) == ales
        if ales:
            assert grant["regrantType"] == "FRG010"
    (subgrant_list,) = by_funder.values()
    assert {g["fundingOrganization"][0]["name"] for g in subgrant_list} == {region.name}
    assert sorted(g["amountAwarded"] for g in subgrant_list) == [60_000, 100_000]
    paid = next(g for g in subgrant_list if g["amountAwarded"] == 100_000)
    assert paid["amountDisbursed"] == 80_000
    assert paid["actualDates"] == [{"startDate": "2022-01-09"}]
    unpaid = next(g for g in subgrant_list if g["amountAwarded"] == 60_000)
    assert unpaid["amountDisbursed"] == 0 and "actualDates" not in unpaid
    for grant in subgrant_list:
        assert grant["recipientOrganization"][0]["name"] == "Bjurholms kommun"
        assert "regrantType" not in grant
        assert grant["id"].startswith("360G-fordela-regionalt-bidrag-")
    # The agency's totals are the payables alone: the sub-grants are a breakdown.
    (year,) = [p for p in opendata.published() if p.programme_year == subgrants.programme_year]
    assert year.amount_sek == sum(g["amountAwarded"] for g in agencys)
    assert year.grants == len(agencys)


def test_the_csv_names_the_funder_of_each_row(client, subgrants, region, paid_round):
    py = paid_round.pool.programme_year
    response = client.get(
        reverse("reporting:opendata_csv", kwargs={"slug": py.programme.slug, "year": py.year})
    )
    text = response.content.decode("utf-8").removeprefix(BOM)
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0][-1] == "Bidragsgivare"
    funders = [line[-1] for line in lines[1:]]
    assert funders.count(region.name) == 2
    assert set(funders) == {"Socialstyrelsen", region.name}
    assert [(line[0], int(line[3])) for line in lines[1:]] == [
        (g["id"], g["amountAwarded"]) for g in _package(client, paid_round)["grants"]
    ]
