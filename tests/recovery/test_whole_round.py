"""Property tests of the whole round (hypothesis, on PostgreSQL, each example
rolled back), through the real services:

- issue 17's last "Done when": for any set of approved reports with used
  amounts, Σ unused over them = Σ of what ``recovery_candidates()`` suggests
  for them = what proposing and deciding those suggestions then claims;
- issue 18 §6: random reports (approved with or without unused money,
  rejected, missing after the deadline and a reminder), decisions (claim or
  waive), invoices, payments (partial, exact, the same BgMax file twice, an
  overlapping file, overpayment, a payment on a closed invoice), credits and
  write-offs: the pool's ledger balances, paid − repaid = net used,
  outstanding = decided − repaid − credited − written off, and no invoice is
  settled beyond its amount.
"""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fordela.recovery.models import (
    IncomingPayment,
    IncomingPaymentStatus,
    Invoice,
    RecoveryOrigin,
    RecoveryOutcome,
)
from fordela.recovery.services import decisions, invoices, payments
from fordela.reports import review
from fordela.reports import services as reports
from fordela.reports.models import Report, ReportStatus
from fordela.reports.overdue import record_overdue_reports
from fordela.reports.reminders import send_report_reminders
from fordela.requisitions.ledger import pool_ledger
from tests.recovery.bgmax_files import bgmax_file, deposit, payment
from tests.reports.conftest import report_form  # noqa: F401 - fixtures
from tests.requisitions.conftest import clock_at, english, round_  # noqa: F401 - fixtures

from .whole_round_fixtures import OMBUD, paid_four  # noqa: F401 - fixtures

ANSWERS = {
    "activities_socialtjanst": "Utbildning i FREDA för socialsekreterare.",
    "results": "Fler våldsutsatta fick stöd.",
    "lessons": "Samverkan med regionen fungerade.",
}
PAID_ON = datetime.date(2022, 6, 14)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Rollback(Exception):
    pass


def rolled_back(play):
    try:
        with transaction.atomic():
            play()
            raise Rollback
    except Rollback:
        pass


def _report_round(world, clock_at, plans):  # noqa: F811
    """Open the 2021 period and take each report (by pk) through its plan:
    ("approve", used fraction), ("reject", used fraction) or ("missing",);
    then the day after the deadline (a reminder and an overdue event for the
    missing ones) and on to 4 April 2022."""
    clock_at("2022-01-10T09:00")
    reports.open_report_period(2021)
    rows = list(Report.objects.order_by("pk"))
    assert len(rows) == len(plans) == 4
    by_org = {org.pk: user for org, user in zip(world.organisations, OMBUD, strict=True)}
    clock_at("2022-03-15T10:00")
    for report, plan in zip(rows, plans, strict=True):
        if plan[0] == "missing":
            continue
        user = world.users[by_org[report.organisation_id]]
        used = round(report.received_sek * plan[1])
        reports.save_draft(user, report, {**ANSWERS, "used_sek": used})
        reports.submit_report(user, report)
        if plan[0] == "approve":
            review.approve_report(world.users["handlaggare"], report)
        else:
            review.reject_report(world.users["handlaggare"], report, "Inte enligt ändamålet.")
    clock_at("2022-04-01T08:00")
    send_report_reminders()
    record_overdue_reports()
    clock_at("2022-04-04T09:00")
    return [Report.objects.get(pk=r.pk) for r in rows]


def _claim(world, report: Report, amount_sek: int, outcome=RecoveryOutcome.CLAIM):
    candidate = decisions.candidate_for(report)
    proposal = decisions.propose_recovery(
        world.users["handlaggare"],
        report,
        outcome=outcome,
        ground=candidate.ground,
        amount_sek=amount_sek,
        motivation="Medlen ska betalas tillbaka.",
    )
    return decisions.decide_recovery(world.users["beslutsfattare"], proposal)


# ------------------------------------------------------------- issue 17


used_fraction = st.sampled_from([0.0, 0.25, 0.5, 0.999, 1.0]) | st.floats(0, 1)


@SETTINGS
@given(
    plans=st.lists(
        st.one_of(
            st.tuples(st.just("approve"), used_fraction),
            st.tuples(st.just("reject"), used_fraction),
            st.just(("missing",)),
        ),
        min_size=4,
        max_size=4,
    )
)
def test_what_recovery_claims_is_the_unused_money_of_the_approved_reports(
    paid_four,  # noqa: F811
    clock_at,  # noqa: F811
    plans,
):
    def play():
        rows = _report_round(paid_four, clock_at, plans)
        approved = [r for r in rows if r.status == ReportStatus.APPROVED]
        unused = sum(r.unused_sek for r in approved)
        candidates = list(
            decisions.recovery_candidates().filter(recovery_origin=RecoveryOrigin.APPROVED_REPORT)
        )
        assert {c.pk for c in candidates} == {r.pk for r in approved if r.unused_sek > 0}
        assert sum(c.suggested_sek for c in candidates) == unused
        # The others: the whole amount received, for the rejected and the missing.
        others = decisions.recovery_candidates().exclude(
            recovery_origin=RecoveryOrigin.APPROVED_REPORT
        )
        assert {(c.pk, c.suggested_sek) for c in others} == {
            (r.pk, r.received_sek)
            for r in rows
            if r.status == ReportStatus.REJECTED or r.status == ReportStatus.OPEN
        }
        for candidate in candidates:
            _claim(paid_four, candidate, candidate.suggested_sek)
        claimed = Invoice.objects.filter(decision__origin=RecoveryOrigin.APPROVED_REPORT)
        assert (claimed.aggregate(total=Sum("amount_sek"))["total"] or 0) == unused
        ledger = pool_ledger(paid_four.pool)
        assert ledger.problems == []
        assert ledger.recovery.decided_sek == unused == ledger.recovery.outstanding_sek

    rolled_back(play)


# --------------------------------------------------------------- issue 18


# What happens to an invoice: (action, fraction of what it still claims).
ACTION = st.tuples(
    st.sampled_from(["pay", "pay", "bgmax", "overpay", "credit", "write_off", "pay_after"]),
    st.sampled_from([0.1, 0.5, 1.0]) | st.floats(0.01, 1),
)


@SETTINGS
@given(
    plans=st.lists(
        st.one_of(
            st.tuples(st.just("approve"), st.sampled_from([0.0, 0.4, 0.9])),
            st.tuples(st.just("reject"), st.sampled_from([0.0, 0.6])),
            st.just(("missing",)),
        ),
        min_size=4,
        max_size=4,
    ),
    outcomes=st.lists(
        st.tuples(st.sampled_from(["claim", "claim", "waive"]), st.sampled_from([1.0, 0.5])),
        min_size=4,
        max_size=4,
    ),
    actions=st.lists(st.tuples(st.integers(0, 3), ACTION), max_size=8),
)
def test_the_whole_round_balances_to_the_krona(
    paid_four,  # noqa: F811
    clock_at,  # noqa: F811
    plans,
    outcomes,
    actions,
):
    def play():
        _whole_round(paid_four, clock_at, plans, outcomes, actions)

    rolled_back(play)


def _whole_round(world, clock_at, plans, outcomes, actions):  # noqa: F811
    ekonomi = world.users["ekonomi"]
    _report_round(world, clock_at, plans)
    decided = 0
    for candidate, (outcome, share) in zip(
        list(decisions.recovery_candidates().order_by("pk")), outcomes, strict=False
    ):
        amount = max(1, round(candidate.suggested_sek * share))
        if outcome == "claim":
            _claim(world, candidate, amount)
            decided += amount
        else:
            _claim(world, candidate, amount, RecoveryOutcome.WAIVE)
    bills = list(Invoice.objects.order_by("pk"))
    assert sum(b.amount_sek for b in bills) == decided

    clock_at("2022-06-15T10:00")  # past the due dates: payments come in
    serials = itertools.count(1)
    repaid = credited = written_off = queued = 0
    for index, (action, fraction) in actions:
        if not bills:
            break
        bill = Invoice.objects.get(pk=bills[index % len(bills)].pk)
        left = bill.outstanding_sek
        part = max(1, round(left * fraction))
        if action in ("pay", "pay_after"):
            paid = payments.register_payment(
                ekonomi, reference=bill.ocr, amount_sek=part, paid_on=PAID_ON
            )
            applied = min(part, left) if bill.is_open else 0
            assert paid.applied_sek == applied
            repaid += applied
            queued += part - applied
        elif action == "overpay":
            paid = payments.register_payment(
                ekonomi, reference=bill.ocr, amount_sek=left + 500, paid_on=PAID_ON
            )
            assert paid.status == IncomingPaymentStatus.TO_RESOLVE
            repaid += left if bill.is_open else 0
            queued += 500 if bill.is_open else left + 500
        elif action == "bgmax":
            # One payment to the invoice and one nobody can match; the same file
            # again registers nothing, a later file with them both again and one
            # more registers only the new one.
            first = [
                payment(bill.ocr, part * 100, next(serials)),
                payment("1234", 70_000, next(serials)),
            ]
            content = bgmax_file([deposit("55555551", first, paid_on=PAID_ON)])
            payments.import_bgmax(ekonomi, "bgmax-1.txt", content)
            count = IncomingPayment.objects.count()
            with pytest.raises(ValidationError):
                payments.import_bgmax(ekonomi, "bgmax-1-again.txt", content)
            assert IncomingPayment.objects.count() == count
            later = [*first, payment("5678", 10_000, next(serials))]
            overlapping = payments.import_bgmax(
                ekonomi, "bgmax-2.txt", bgmax_file([deposit("55555551", later, paid_on=PAID_ON)])
            )
            assert overlapping.payment_count == 1
            applied = min(part, left) if bill.is_open else 0
            repaid += applied
            queued += part - applied + 700 + 100
        elif action == "credit":
            if not bill.is_open:
                with pytest.raises(ValidationError):
                    invoices.credit_invoice(ekonomi, bill, part, "Fel belopp.")
                continue
            invoices.credit_invoice(ekonomi, bill, min(part, left), "Fel belopp.")
            credited += min(part, left)
        elif action == "write_off":
            if not bill.is_open:
                with pytest.raises(ValidationError):
                    invoices.write_off_invoice(ekonomi, bill, "Kan inte drivas in.")
                continue
            invoices.write_off_invoice(ekonomi, bill, "Kan inte drivas in.")
            written_off += left

    ledger = pool_ledger(world.pool)
    recovery = ledger.recovery
    assert ledger.problems == []
    assert recovery.decided_sek == decided
    assert (recovery.repaid_sek, recovery.credited_sek, recovery.written_off_sek) == (
        repaid,
        credited,
        written_off,
    )
    assert ledger.paid_sek - repaid == ledger.net_used_sek
    assert recovery.outstanding_sek == decided - repaid - credited - written_off
    assert recovery.outstanding_sek == sum(
        b.outstanding_sek for b in Invoice.objects.all() if b.is_open
    )
    for bill in Invoice.objects.all():
        assert bill.paid_sek + bill.credited_sek + bill.written_off_sek <= bill.amount_sek
        applied = bill.payments.aggregate(total=Sum("applied_sek"))["total"] or 0
        assert applied == bill.paid_sek
        assert bill.status == invoices.settled_status(bill)
    waiting = IncomingPayment.objects.filter(status=IncomingPaymentStatus.TO_RESOLVE)
    assert sum(p.excess_sek for p in waiting) == queued
