"""The staff dashboard (issue 19 §3): uptake per pool and year, payments due
and at risk, follow-up reports outstanding and recovery outstanding, each
from stored data; the page is staff's, charts are named SVG images with the
same numbers in a table, and the query count does not grow with the data."""

import datetime
import re

import pytest

from fordela.access.models import StaffRole
from fordela.payments.models import PayableStatus
from fordela.recovery.models import RecoveryOutcome
from fordela.reporting import dashboard
from fordela.reporting.charts import Bar, Group, bar_chart
from fordela.reports.models import ReportStatus
from fordela.requisitions.models import RequisitionStatus
from tests.query_budget import query_budget
from tests.recovery import ledger_fixtures as rec
from tests.reporting.dashboard_fixtures import TODAY, URL, payable, staff
from tests.reporting.map_fixtures import build_world

D = datetime.date


@pytest.fixture
def world(db, settings):
    settings.FORDELA_TODAY = TODAY
    return build_world()


KOMMUNER = ("1440", "0180", "1280", "2480")


def populate(world):
    """Three kommuner requisition their whole allocation (paid), one a draft,
    one submitted with 1000 kr; payables, reports and a claim around them."""
    paid = [world.requisition(code) for code in KOMMUNER[:3]]
    world.requisition(KOMMUNER[3], 500, status=RequisitionStatus.DRAFT)
    submitted = world.requisition("0380", 1000, status=RequisitionStatus.SUBMITTED)
    payable(paid[0], D(2022, 6, 10), PayableStatus.BATCHED)  # past due, in a batch
    payable(paid[1], D(2022, 6, 22))  # due within the week (the 22nd is day 7)
    payable(paid[2], D(2022, 6, 23))  # due later
    payable(submitted, D(2022, 6, 15))  # due today
    world.report(paid[0], ReportStatus.OPEN, due_on=D(2022, 3, 31))  # overdue
    world.report(paid[1], ReportStatus.OPEN, due_on=D(2022, 12, 31))
    world.report(paid[2], ReportStatus.APPROVED)
    handlaggare = staff(StaffRole.HANDLAGGARE)
    beslutsfattare = staff(StaffRole.BESLUTSFATTARE)
    report = paid[2].follow_up_report
    claim = rec.decision(report, handlaggare, beslutsfattare, amount_sek=10_000)
    invoice = rec.invoice(claim)
    rec.payment(invoice, 2_500, handlaggare)
    invoice.paid_sek = 2_500
    invoice.status = "partly_paid"
    invoice.issued_on, invoice.due_on = D(2022, 5, 1), D(2022, 6, 1)  # overdue
    invoice.save()
    # A proposed claim and a waiver: neither is a decided claim.
    rec.decision(world.report(submitted, ReportStatus.APPROVED), handlaggare, amount_sek=99)
    waived = world.report(world.requisition("0125"), ReportStatus.APPROVED)
    rec.decision(waived, handlaggare, beslutsfattare, amount_sek=77, outcome=RecoveryOutcome.WAIVE)
    return paid, handlaggare


def test_the_figures_come_from_the_stored_rows(world):
    paid, _ = populate(world)
    figures = dashboard.dashboard()
    assert figures.today == D(2022, 6, 15)
    year = next(y for y in figures.uptake if y.programme_year.year == 2021)
    kommuner = next(row for row in year.pools if row.pool.slug == "kommuner")
    assert kommuner.organisations == 290
    # Four paid, one submitted; the draft is not counted.
    assert kommuner.requisitioning == 5
    paid_codes = (*KOMMUNER[:3], "0125")
    allocated = sum(world.allocation(code).amount_sek for code in paid_codes) + 1000
    assert kommuner.requisitioned_sek == allocated
    assert kommuner.organisation_share == 5 * 100 // 290 == 1
    assert kommuner.money_share == allocated * 100 // kommuner.allocated_sek
    assert {row.requisitioning for row in year.pools if row.pool.slug != "kommuner"} == {0}

    p = figures.payments
    amounts = [r.amount_sek for r in paid]
    assert (p.count, p.total_sek) == (4, sum(amounts) + 1000)
    assert (p.due_soon, p.due_soon_sek) == (2, amounts[1] + 1000)
    assert (p.past_due, p.past_due_sek) == (1, amounts[0])
    assert p.week_end == D(2022, 6, 22)

    r = figures.reports
    assert (r.to_report, r.completion_requested, r.overdue) == (2, 0, 1)

    c = figures.recovery
    # The proposed claim and the waiver are not decided claims.
    assert (c.decided_count, c.decided_sek, c.repaid_sek) == (1, 10_000, 2_500)
    assert c.outstanding_sek == 7_500
    assert (c.overdue_invoices, c.overdue_sek) == (1, 7_500)


def test_a_paid_or_cancelled_payable_is_not_at_risk(world):
    requisition = world.requisition("1440")
    payable(requisition, D(2022, 6, 1), PayableStatus.CANCELLED)
    figures = dashboard.payments(D(2022, 6, 15))
    assert (figures.count, figures.past_due, figures.due_soon) == (0, 0, 0)


def test_an_empty_database_gives_zeros_not_errors(db, settings):
    settings.FORDELA_TODAY = "2022-06-15T10:00"
    figures = dashboard.dashboard()
    assert figures.uptake == []
    assert figures.recovery.outstanding_sek == 0
    assert dashboard.share(5, 0) == 0


def test_the_chart_is_a_named_image_with_text_on_every_bar():
    svg = bar_chart(
        "c1",
        "Uptake <2021>",
        "One sentence.",
        [
            Group(
                "Kommuner & regioner",
                (Bar("Organisationer", 45, "45 %"), Bar("Pengar", 130, "130 %")),
            )
        ],
    )
    assert 'role="img" aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Uptake &lt;2021&gt;</title>' in svg
    assert "Kommuner &amp; regioner" in svg
    assert "Organisationer 45 %" in svg and "Pengar 130 %" in svg
    widths = [
        int(w) for w in re.findall(r'<rect x="130" y="\d+" width="(\d+)" height="14" fill=', svg)
    ]
    assert widths == [round(186 * 0.45), 186]  # a value over 100 % is drawn full, written as is
    assert "#0072b2" in svg and "#d55e00" in svg


def test_staff_see_the_page_with_charts_tables_and_links(world, client):
    populate(world)
    client.force_login(staff(StaffRole.EKONOMI))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == html.count('class="govuk-table table-reflow uptake-table"')
    assert html.count('role="img"') >= 1
    assert 'href="/handlaggning/aterrapporter/?overdue=on" id="reports-overdue">1<' in html
    assert '?overdue=on" id="recovery-overdue"' in html
    assert re.search(r'id="payments-past-due">1 [^<]*<', html)
    kommuner = world.pools["kommuner"]
    assert f'href="/handlaggning/rekvisitioner/{kommuner.pk}/">' in html
    # Every figure's link leads to a list this reader may open.
    links = set(
        re.findall(r'<a class="govuk-link" href="([^"]+)" id="(?:payments|reports|recovery)-', html)
    )
    assert len(links) == 10  # the three payment figures share the payments page
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


@pytest.mark.parametrize(
    "role, status",
    [(StaffRole.HANDLAGGARE, 200), (StaffRole.BESLUTSFATTARE, 200), (StaffRole.EKONOMI, 200)],
)
def test_the_readers_of_the_ledger_may_read_it(db, client, role, status):
    client.force_login(staff(role))
    assert client.get(URL).status_code == status


def test_others_may_not(db, client):
    assert client.get(URL).status_code == 302
    client.force_login(staff(StaffRole.CONSULTEE))
    assert client.get(URL).status_code == 403


def test_the_query_count_does_not_grow_with_the_data(world, client):
    _, handlaggare = populate(world)
    beslutsfattare = staff(StaffRole.BESLUTSFATTARE, "beslutsfattare2")
    client.force_login(staff(StaffRole.HANDLAGGARE, "läsare"))
    codes = ["1480", "2584", "0114", "0115", "0117", "0120"]
    with query_budget(client, URL):
        for code in codes:
            requisition = world.requisition(code)
            payable(requisition, D(2022, 6, 1))
            report = world.report(requisition, ReportStatus.APPROVED)
            claim = rec.decision(report, handlaggare, beslutsfattare, amount_sek=100)
            rec.payment(rec.invoice(claim, paid_sek=100), 100, handlaggare)
        for code in ("1440", "0180"):
            world.requisition(code, 10, pool="kommuner-pafyllnad")
