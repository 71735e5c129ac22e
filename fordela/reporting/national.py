"""The national report (issue 19 §2): the figures the agency hands the
government in its delredovisning and slutredovisning, for one programme and
its years. Pure queries over stored data: nothing here writes, and every
figure is read from the table that holds it (docs/reporting.md, "National
report", says which).

Per year and pool (``PoolRow``) the pool ledger (``fordela.requisitions.ledger``)
gives budget, allocated, requisitioned, redistributed, paid and the recovery;
the follow-up reports give reported used and unused; the cost entries give
what is booked on the cost pools.

    net used = paid − repaid + costs booked

What a region passed on in its own rounds (issue 20, ``regional.rollup``)
is listed per region beside the pools, as a breakdown of what the region
was paid: never added to a total, so nothing is counted twice.

Per appropriation line the outcome follows ESV (facts-second-half.md §5): the
repayment, not the claim, goes against the appropriation.

    outcome   = paid − repaid + costs booked, over the pools on the line
    remainder = the line's amount − outcome

The queries do not grow with the number of organisations or reports: a
fixed number per pool (the ledger) and grouped queries per year.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from fordela.applications.models import Application, Call, Decision, Outcome
from fordela.core import clock
from fordela.programmes.models import AppropriationLine, Pool, PoolKind, Programme, ProgrammeYear
from fordela.regional.rollup import RegionRegrant, per_region
from fordela.reports.models import EDITABLE, Report, ReportStatus
from fordela.requisitions.ledger import pool_ledger

from .models import CostEntry

COST_KINDS = (PoolKind.AGENCY_COST, PoolKind.TRANSFER)


@dataclass
class PoolRow:
    pool: Pool
    budget_sek: int
    allocated_sek: int
    requisitioned_sek: int
    requisitioned_count: int
    organisation_count: int
    redistributed_sek: int
    granted_sek: int
    paid_sek: int
    costs_sek: int
    reported_used_sek: int
    unused_sek: int
    recovery_decided_sek: int
    repaid_sek: int

    @property
    def net_used_sek(self) -> int:
        return self.paid_sek - self.repaid_sek + self.costs_sek

    @property
    def requisitioned_share(self) -> float:
        """Share of the key's organisations that requisitioned (0–1)."""
        if not self.organisation_count:
            return 0
        return self.requisitioned_count / self.organisation_count


@dataclass
class LineRow:
    line: AppropriationLine | None  # None: the pools that name no line
    budget_sek: int
    paid_sek: int
    repaid_sek: int
    costs_sek: int

    @property
    def outcome_sek(self) -> int:
        return self.paid_sek - self.repaid_sek + self.costs_sek

    @property
    def remainder_sek(self) -> int:
        return self.budget_sek - self.outcome_sek


@dataclass
class CostRow:
    pool: Pool
    booked_sek: int
    entry_count: int

    @property
    def left_sek(self) -> int:
        return self.pool.amount_sek - self.booked_sek


@dataclass
class CallRow:
    call: Call
    received_count: int
    received_sek: int  # applied for
    granted_count: int
    granted_sek: int
    rejected_count: int
    rejected_sek: int  # applied for by the refused


@dataclass
class ReportCounts:
    total: int = 0
    on_time: int = 0  # submitted by the due date
    overdue: int = 0  # still to report (or to complete) after the due date
    approved: int = 0


# The figures of a pool row, in the order of the economic table (the page's
# columns and the XLSX sheet's): the year's totals sum each of them.
POOL_FIELDS = [
    "budget_sek",
    "allocated_sek",
    "requisitioned_sek",
    "requisitioned_count",
    "organisation_count",
    "redistributed_sek",
    "granted_sek",
    "paid_sek",
    "costs_sek",
    "reported_used_sek",
    "unused_sek",
    "recovery_decided_sek",
    "repaid_sek",
    "net_used_sek",
]


@dataclass
class YearReport:
    year: int
    programme_year: ProgrammeYear | None
    pools: list[PoolRow] = field(default_factory=list)
    lines: list[LineRow] = field(default_factory=list)
    costs: list[CostRow] = field(default_factory=list)
    calls: list[CallRow] = field(default_factory=list)
    reports: ReportCounts = field(default_factory=ReportCounts)
    # The regions' sub-grants: a breakdown of their paid grants, in no total.
    regional: list[RegionRegrant] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return bool(self.pools)

    @property
    def total_sek(self) -> int | None:
        """The year's total as the decision states it (None if it states none)."""
        return self.programme_year.total_sek if self.programme_year else None

    def _sum(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.pools)

    @property
    def totals(self) -> dict[str, int]:
        return {name: self._sum(name) for name in POOL_FIELDS}

    @property
    def remainder_sek(self) -> int | None:
        """The year's total less the pools' budgets: 0 when every krona of
        the decision is in a pool."""
        if self.total_sek is None:
            return None
        return self.total_sek - self._sum("budget_sek")

    @property
    def cost_totals(self) -> dict[str, int]:
        return {
            "amount_sek": sum(row.pool.amount_sek for row in self.costs),
            "booked_sek": sum(row.booked_sek for row in self.costs),
            "left_sek": sum(row.left_sek for row in self.costs),
        }

    @property
    def line_totals(self) -> dict[str, int]:
        names = ["budget_sek", "paid_sek", "repaid_sek", "costs_sek", "outcome_sek"]
        totals = {name: sum(getattr(row, name) for row in self.lines) for name in names}
        totals["remainder_sek"] = sum(row.remainder_sek for row in self.lines if row.line)
        return totals


def _grouped(queryset, key: str, **aggregates) -> dict:
    rows = queryset.order_by().values(key).annotate(**aggregates).order_by()
    return {row.pop(key): row for row in rows}


def year_report(programme: Programme, year: int) -> YearReport:
    programme_year = ProgrammeYear.objects.filter(programme=programme, year=year).first()
    report = YearReport(year=year, programme_year=programme_year)
    if programme_year is None:
        return report
    pools = list(
        Pool.objects.filter(programme_year=programme_year)
        .select_related("programme_year__programme", "appropriation_line")
        .order_by("top_up_of_id", "-amount_sek", "slug")
    )
    if not pools:
        return report
    ids = [pool.pk for pool in pools]
    costs = _grouped(
        CostEntry.objects.filter(pool_id__in=ids),
        "pool_id",
        booked=Coalesce(Sum("amount_sek"), 0),
        entries=Count("id"),
    )
    today = clock.today()
    reports = _grouped(
        Report.objects.filter(pool_id__in=ids),
        "pool_id",
        used=Coalesce(Sum("used_sek"), 0),
        unused=Coalesce(Sum("unused_sek"), 0),
        total=Count("id"),
        on_time=Count("id", filter=Q(submitted_at__date__lte=F("due_on"))),
        overdue=Count("id", filter=Q(status__in=EDITABLE, due_on__lt=today)),
        approved=Count("id", filter=Q(status=ReportStatus.APPROVED)),
    )
    for pool in pools:
        booked = costs.get(pool.pk, {}).get("booked", 0)
        reported = reports.get(pool.pk, {})
        if pool.kind in COST_KINDS:
            report.pools.append(
                PoolRow(pool, pool.amount_sek, 0, 0, 0, 0, 0, 0, 0, booked, 0, 0, 0, 0)
            )
            report.costs.append(CostRow(pool, booked, costs.get(pool.pk, {}).get("entries", 0)))
            continue
        ledger = pool_ledger(pool)
        report.pools.append(
            PoolRow(
                pool=pool,
                budget_sek=pool.amount_sek,
                allocated_sek=ledger.allocated_sek,
                requisitioned_sek=ledger.requisitioned_sek,
                requisitioned_count=ledger.requisitioned_count,
                organisation_count=ledger.organisation_count,
                redistributed_sek=ledger.redistributed_sek,
                granted_sek=ledger.granted_sek,
                paid_sek=ledger.paid_sek,
                costs_sek=booked,
                reported_used_sek=reported.get("used", 0),
                unused_sek=reported.get("unused", 0),
                recovery_decided_sek=ledger.recovery.decided_sek if ledger.recovery else 0,
                repaid_sek=ledger.repaid_sek,
            )
        )
    for counts in reports.values():
        report.reports.total += counts["total"]
        report.reports.on_time += counts["on_time"]
        report.reports.overdue += counts["overdue"]
        report.reports.approved += counts["approved"]

    lines = list(AppropriationLine.objects.filter(programme_year=programme_year))
    for line in [*lines, None]:
        rows = [row for row in report.pools if row.pool.appropriation_line_id == (line and line.pk)]
        if line is None and not rows:
            continue
        report.lines.append(
            LineRow(
                line=line,
                budget_sek=line.amount_sek if line else 0,
                paid_sek=sum(row.paid_sek for row in rows),
                repaid_sek=sum(row.repaid_sek for row in rows),
                costs_sek=sum(row.costs_sek for row in rows),
            )
        )
    report.calls = _calls(ids)
    report.regional = per_region(programme_year)
    return report


def _calls(pool_ids: list[int]) -> list[CallRow]:
    calls = list(Call.objects.filter(pool_id__in=pool_ids).select_related("pool").order_by("pk"))
    if not calls:
        return []
    received = _grouped(
        Application.objects.filter(call__in=calls, submitted_at__isnull=False),
        "call_id",
        n=Count("id"),
        sek=Coalesce(Sum("requested_sek"), 0),
    )
    decided = Decision.objects.filter(call__in=calls, decided_at__isnull=False)
    granted = _grouped(
        decided.filter(outcome__in=[Outcome.GRANTED, Outcome.PARTIAL]),
        "call_id",
        n=Count("id"),
        sek=Coalesce(Sum("amount_sek"), 0),
    )
    rejected = _grouped(
        decided.filter(outcome=Outcome.REFUSED),
        "call_id",
        n=Count("id"),
        sek=Coalesce(Sum("application__requested_sek"), 0),
    )
    empty = {"n": 0, "sek": 0}
    return [
        CallRow(
            call,
            received.get(call.pk, empty)["n"],
            received.get(call.pk, empty)["sek"],
            granted.get(call.pk, empty)["n"],
            granted.get(call.pk, empty)["sek"],
            rejected.get(call.pk, empty)["n"],
            rejected.get(call.pk, empty)["sek"],
        )
        for call in calls
    ]


def programme_report(programme: Programme, years: list[int] | None = None) -> list[YearReport]:
    """The report of ``programme`` for ``years`` (all its years by default)."""
    if years is None:
        years = list(range(programme.first_year, programme.last_year + 1))
    return [year_report(programme, year) for year in years]
