"""The staff dashboard's figures (issue 19 §3), read from stored data in a
fixed number of queries, whatever the number of pools, cases, payables,
reports or invoices:

- uptake per pool and year: of the organisations in the pool's published
  key, how many requisitioned (submitted or paid) and what share of the
  allocated money they requisitioned (two queries and the pools);
- payments not yet paid (open or in a batch): due within a week, past due
  (one aggregate);
- follow-up reports outstanding: to be reported, completion requested,
  overdue (one aggregate);
- recovery outstanding = claims decided − repaid − credited − written off,
  and the overdue invoices (four aggregates).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from fordela.allocation.models import Allocation, KeyStatus
from fordela.core import clock
from fordela.payments.models import Payable, PayableStatus
from fordela.programmes.models import Pool, PoolKind
from fordela.recovery.ledger import DECIDED_CLAIM
from fordela.recovery.models import (
    OPEN_INVOICE,
    CreditNote,
    IncomingPayment,
    Invoice,
    RecoveryDecision,
)
from fordela.reports.models import Report, ReportStatus
from fordela.requisitions.models import REQUISITIONED, Requisition

DUE_SOON_DAYS = 7
NOT_PAID = (PayableStatus.OPEN, PayableStatus.BATCHED)


def share(part: int, whole: int) -> int:
    """``part`` of ``whole`` in whole per cent, rounded down (0 of nothing)."""
    return part * 100 // whole if whole else 0


@dataclass(frozen=True)
class PoolUptake:
    pool: Pool
    organisations: int  # in the pool's published key
    requisitioning: int  # of them, with a submitted or paid requisition
    allocated_sek: int
    requisitioned_sek: int

    @property
    def organisation_share(self) -> int:
        return share(self.requisitioning, self.organisations)

    @property
    def money_share(self) -> int:
        return share(self.requisitioned_sek, self.allocated_sek)


@dataclass(frozen=True)
class YearUptake:
    programme_year: object
    pools: list[PoolUptake]


def uptake() -> list[YearUptake]:
    """The requisition pools with a published key, grouped per programme
    year (newest year first): three queries."""
    pools = list(
        Pool.objects.filter(kind=PoolKind.REQUISITION, allocation_key__status=KeyStatus.FROZEN)
        .select_related("programme_year__programme")
        .order_by("programme_year__programme__reference_number", "-programme_year__year", "pk")
    )
    ids = [pool.pk for pool in pools]
    allocated = {
        row["key__pool"]: row
        for row in Allocation.objects.filter(key__pool__in=ids)
        .values("key__pool")
        .annotate(n=Count("organisation", distinct=True), total=Coalesce(Sum("amount_sek"), 0))
        .order_by()
    }
    requisitioned = {
        row["pool"]: row
        for row in Requisition.objects.filter(pool__in=ids, status__in=REQUISITIONED)
        .values("pool")
        .annotate(n=Count("organisation", distinct=True), total=Coalesce(Sum("amount_sek"), 0))
        .order_by()
    }
    years: list[YearUptake] = []
    for pool in pools:
        a = allocated.get(pool.pk, {"n": 0, "total": 0})
        r = requisitioned.get(pool.pk, {"n": 0, "total": 0})
        row = PoolUptake(pool, a["n"], r["n"], a["total"], r["total"])
        if not years or years[-1].programme_year.pk != pool.programme_year_id:
            years.append(YearUptake(pool.programme_year, []))
        years[-1].pools.append(row)
    return years


@dataclass(frozen=True)
class Payments:
    count: int  # not yet paid: open or in a payment batch
    total_sek: int
    due_soon: int  # due today or within DUE_SOON_DAYS days
    due_soon_sek: int
    past_due: int  # due before today
    past_due_sek: int
    week_end: datetime.date


def payments(today: datetime.date) -> Payments:
    week_end = today + datetime.timedelta(days=DUE_SOON_DAYS)
    soon = Q(due_on__gte=today, due_on__lte=week_end)
    late = Q(due_on__lt=today)
    totals = Payable.objects.filter(status__in=NOT_PAID).aggregate(
        count=Count("id"),
        total_sek=Coalesce(Sum("amount_sek"), 0),
        due_soon=Count("id", filter=soon),
        due_soon_sek=Coalesce(Sum("amount_sek", filter=soon), 0),
        past_due=Count("id", filter=late),
        past_due_sek=Coalesce(Sum("amount_sek", filter=late), 0),
    )
    return Payments(**totals, week_end=week_end)


@dataclass(frozen=True)
class Reports:
    to_report: int  # open
    completion_requested: int
    overdue: int  # open or completion requested, past the due date

    @property
    def outstanding(self) -> int:
        return self.to_report + self.completion_requested


def reports(today: datetime.date) -> Reports:
    return Reports(
        **Report.objects.aggregate(
            to_report=Count("id", filter=Q(status=ReportStatus.OPEN)),
            completion_requested=Count("id", filter=Q(status=ReportStatus.COMPLETION_REQUESTED)),
            overdue=Count(
                "id",
                filter=Q(
                    status__in=[ReportStatus.OPEN, ReportStatus.COMPLETION_REQUESTED],
                    due_on__lt=today,
                ),
            ),
        )
    )


@dataclass(frozen=True)
class RecoveryOutstanding:
    decided_count: int
    decided_sek: int
    repaid_sek: int
    credited_sek: int
    written_off_sek: int
    overdue_invoices: int
    overdue_sek: int  # what the overdue invoices still claim

    @property
    def outstanding_sek(self) -> int:
        return self.decided_sek - self.repaid_sek - self.credited_sek - self.written_off_sek


def recovery(today: datetime.date) -> RecoveryOutstanding:
    decided = RecoveryDecision.objects.aggregate(
        decided_count=Count("id", filter=DECIDED_CLAIM),
        decided_sek=Coalesce(Sum("amount_sek", filter=DECIDED_CLAIM), 0),
    )
    still_claimed = F("amount_sek") - F("paid_sek") - F("credited_sek") - F("written_off_sek")
    overdue = Q(status__in=OPEN_INVOICE, due_on__lt=today)
    # An aggregate may not be named like a field another one reads.
    invoices = Invoice.objects.aggregate(
        total_written_off=Coalesce(Sum("written_off_sek"), 0),
        overdue_invoices=Count("id", filter=overdue),
        overdue_sek=Coalesce(Sum(still_claimed, filter=overdue), 0),
    )
    invoices["written_off_sek"] = invoices.pop("total_written_off")
    repaid = IncomingPayment.objects.aggregate(repaid_sek=Coalesce(Sum("applied_sek"), 0))
    credited = CreditNote.objects.aggregate(credited_sek=Coalesce(Sum("amount_sek"), 0))
    return RecoveryOutstanding(**decided, **invoices, **repaid, **credited)


@dataclass(frozen=True)
class Dashboard:
    today: datetime.date
    uptake: list[YearUptake]
    payments: Payments
    reports: Reports
    recovery: RecoveryOutstanding


def dashboard() -> Dashboard:
    today = clock.today()
    return Dashboard(today, uptake(), payments(today), reports(today), recovery(today))
