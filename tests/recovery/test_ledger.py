"""Recovery in the pool ledger (issue 18 §6): claims decided and repayments
received are two events; paid − repaid = net used, outstanding = decided −
repaid − credited − written off = what the open invoices still claim; the
checks catch rows that do not agree; per appropriation line; the
reconciliation page shows it in a constant number of queries."""

from django.conf import settings
from django.urls import reverse

from fordela.access.models import StaffRole
from fordela.core.formatting import kronor
from fordela.programmes.models import AppropriationLine
from fordela.recovery.ledger import recovery_by_line
from fordela.recovery.models import RecoveryOutcome
from fordela.reports import services
from fordela.reports.models import Report
from fordela.requisitions.ledger import pool_ledger
from tests.query_budget import query_budget
from tests.reports.conftest import (  # noqa: F401 - fixtures
    clock_at,
    english,
    filled,
    paid_round,
    report_form,
    round_,
)
from tests.requisitions.conftest import staff

from . import ledger_fixtures as rows


def _world(paid_round):  # noqa: F811
    services.open_report_period(2021)
    ale, bjurholm = (Report.objects.get(organisation=o) for o in paid_round.organisations[:2])
    decider = staff(StaffRole.BESLUTSFATTARE, "beslutsfattare")
    return ale, bjurholm, paid_round.users["handlaggare"], decider


def test_a_pool_without_recovery_nets_to_what_it_paid(paid_round):  # noqa: F811
    ledger = pool_ledger(paid_round.pool)
    assert ledger.problems == []
    assert ledger.paid_sek > 0
    assert (ledger.repaid_sek, ledger.net_used_sek) == (0, ledger.paid_sek)
    assert ledger.recovery.outstanding_sek == 0


def test_decided_repaid_credited_written_off_and_outstanding(paid_round):  # noqa: F811
    ale, bjurholm, officer, decider = _world(paid_round)
    claim = rows.decision(ale, officer, decider, amount_sek=50_000)
    invoice = rows.invoice(claim, paid_sek=20_000, credited_sek=5_000)
    rows.payment(invoice, 12_000, paid_round.users["ekonomi"])
    rows.payment(invoice, 8_000, paid_round.users["ekonomi"])
    rows.credit_note(invoice, 5_000, decider)
    waiver = rows.decision(bjurholm, officer, decider, amount_sek=3_000, outcome="waive")
    assert waiver.outcome == RecoveryOutcome.WAIVE

    ledger = pool_ledger(paid_round.pool)
    recovery = ledger.recovery
    assert ledger.problems == []
    assert (recovery.decided_count, recovery.decided_sek) == (1, 50_000)
    assert (recovery.waived_count, recovery.waived_sek) == (1, 3_000)
    assert (recovery.repaid_sek, recovery.credited_sek, recovery.written_off_sek) == (
        20_000,
        5_000,
        0,
    )
    assert recovery.outstanding_sek == 25_000 == recovery.open_outstanding_sek
    assert ledger.net_used_sek == ledger.paid_sek - 20_000


def test_rows_that_do_not_agree_are_reported(paid_round):  # noqa: F811
    ale, bjurholm, officer, decider = _world(paid_round)
    claim = rows.decision(ale, officer, decider, amount_sek=40_000)
    invoice = rows.invoice(claim, paid_sek=10_000)
    # The invoice says 10 000 is paid, the bank's rows say 9 000.
    rows.payment(invoice, 9_000, paid_round.users["ekonomi"])
    # A decided claim with no invoice, and a credit the invoice does not show.
    rows.decision(bjurholm, officer, decider, amount_sek=1_000)
    rows.credit_note(invoice, 500, decider)

    problems = pool_ledger(paid_round.pool).problems
    assert "Decided claims ≠ invoiced amounts." in problems
    assert "Repaid (incoming payments) ≠ paid on the invoices." in problems
    assert "An invoice's payments do not add up to what it shows as paid." in problems
    assert "Credit notes ≠ credited on the invoices." in problems
    assert "Outstanding claims ≠ what the open invoices still claim." in problems


def test_an_overpayment_is_not_repaid_until_it_is_applied(paid_round):  # noqa: F811
    ale, _, officer, decider = _world(paid_round)
    claim = rows.decision(ale, officer, decider, amount_sek=10_000)
    invoice = rows.invoice(claim, paid_sek=10_000)
    rows.payment(invoice, 12_500, paid_round.users["ekonomi"], applied_sek=10_000)
    recovery = pool_ledger(paid_round.pool).recovery
    assert recovery.problems == []
    assert (recovery.repaid_sek, recovery.unapplied_sek, recovery.outstanding_sek) == (
        10_000,
        2_500,
        0,
    )


def test_per_appropriation_line_and_the_pools_without_one(paid_round):  # noqa: F811
    ale, _, officer, decider = _world(paid_round)
    programme_year = paid_round.pool.programme_year
    line = AppropriationLine.objects.create(
        programme_year=programme_year,
        expenditure_area=9,
        appropriation="4:7",
        appropriation_item=8,
        name="Motverka våld mot kvinnor och barn",
        amount_sek=71_000_000,
    )
    claim = rows.decision(ale, officer, decider, amount_sek=7_000)
    rows.payment(rows.invoice(claim, paid_sek=7_000), 7_000, paid_round.users["ekonomi"])
    paid = pool_ledger(paid_round.pool).paid_sek

    [on_line, unassigned] = recovery_by_line(programme_year)
    assert (on_line.line, on_line.pools, on_line.recovery.paid_sek) == (line, [], 0)
    assert unassigned.line is None and paid_round.pool in unassigned.pools
    assert (unassigned.recovery.repaid_sek, unassigned.recovery.net_used_sek) == (
        7_000,
        paid - 7_000,
    )

    paid_round.pool.appropriation_line = line
    paid_round.pool.save(update_fields=["appropriation_line"])
    rows_by_line = recovery_by_line(programme_year)
    assert len(rows_by_line) == 1
    [on_line] = rows_by_line
    assert on_line.pools == [paid_round.pool]
    assert (on_line.recovery.decided_sek, on_line.recovery.repaid_sek) == (7_000, 7_000)
    assert on_line.recovery.net_used_sek == paid - 7_000
    assert on_line.recovery.problems == []


def _page(client, user, pool):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    return client.get(reverse("requisitions:ledger", args=[pool.pk]))


def test_the_reconciliation_page_shows_recovery_and_balances(client, paid_round):  # noqa: F811
    ale, _, officer, decider = _world(paid_round)
    claim = rows.decision(ale, officer, decider, amount_sek=30_000)
    invoice = rows.invoice(claim, paid_sek=10_000)
    rows.payment(invoice, 10_000, paid_round.users["ekonomi"])
    response = _page(client, officer, paid_round.pool)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Avstämningen stämmer på kronan." in html
    assert f'id="recovery-decided">{kronor(30_000)}' in html
    assert f'id="recovery-outstanding">{kronor(20_000)}' in html
    paid = pool_ledger(paid_round.pool).paid_sek
    assert f'id="ledger-net-used">{kronor(paid - 10_000)}' in html
    assert "Ej kopplat till någon anslagspost" in html


def test_the_reconciliation_page_does_not_grow_with_recovery(client, paid_round):  # noqa: F811
    ale, bjurholm, officer, decider = _world(paid_round)
    client.force_login(officer)
    claim = rows.decision(ale, officer, decider, amount_sek=30_000)
    rows.payment(rows.invoice(claim, paid_sek=1_000), 1_000, paid_round.users["ekonomi"])
    with query_budget(client, reverse("requisitions:ledger", args=[paid_round.pool.pk])):
        claim = rows.decision(bjurholm, officer, decider, amount_sek=2_000)
        invoice = rows.invoice(claim, paid_sek=2_000)
        rows.payment(invoice, 1_500, paid_round.users["ekonomi"])
        rows.payment(invoice, 500, paid_round.users["ekonomi"])


def test_the_seed_links_the_pools_whose_line_the_source_names(programme):
    """facts-second-half.md §1: the kompetensstöd comes from UO 9 4:7 ap. 8; the
    utvecklingsmedel draw on two lines together, with no split per pool."""
    from fordela.programmes.models import Pool
    from fordela.programmes.seed import seed_programme

    linked = {
        (p.programme_year.year, p.slug): str(p.appropriation_line)
        for p in Pool.objects.filter(appropriation_line__isnull=False)
    }
    assert set(linked.values()) == {"UO 9 4:7 ap.8"}
    assert {(2020, "stimulans"), (2020, "myndighet")} <= set(linked)
    assert all(year == 2020 for year, _slug in linked)
    unlinked = {"kommuner", "regioner", "ideella"}
    assert not unlinked & {slug for _year, slug in linked}
    seed_programme()
    assert Pool.objects.filter(appropriation_line__isnull=False).count() == len(linked)
    year_2020 = programme.years.get(year=2020)
    labels = [row.label for row in recovery_by_line(year_2020)]
    assert [label.split(" ", 3)[:3] for label in labels] == [
        ["UO", "9", "4:7"],
        ["UO", "13", "3:1"],
        ["Not", "assigned", "to"],
    ]
