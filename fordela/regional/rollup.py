"""The roll-up (issue 20 §5): what a region passed on of its state grant, for
its own follow-up report to the agency, the national report and open data.

A region's sub-grants are a **breakdown** of the money the agency paid it
(its requisition and redistributed share), never money of their own: the
national totals count the requisition once and list what was re-granted
beside it.

    count    = the decided grants of the region's rounds in the year
    granted  = their granted amounts
    invoiced = the paid invoices for them (after approved reports)
    unused   = granted − invoiced
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from fordela.organisations.models import Organisation, OrganisationKind
from fordela.reports.models import Report, ReportSource

from .models import SubGrantDecision, SubGrantInvoiceStatus, SubGrantOutcome, SubGrantRound


@dataclass(frozen=True)
class Rollup:
    rounds: int
    count: int
    granted_sek: int
    invoiced_sek: int

    @property
    def unused_sek(self) -> int:
        return self.granted_sek - self.invoiced_sek


def decided_grants():
    return SubGrantDecision.objects.filter(
        outcome=SubGrantOutcome.GRANTED, decided_at__isnull=False
    )


def _sums(decisions) -> dict:
    return decisions.aggregate(
        count=Count("pk"),
        granted=Coalesce(Sum("amount_sek"), 0),
        invoiced=Coalesce(
            Sum(
                "report__invoice__amount_sek",
                filter=Q(report__invoice__status=SubGrantInvoiceStatus.PAID),
            ),
            0,
        ),
    )


def region_rollup(region, programme_year) -> Rollup | None:
    """The region's sub-grants in ``programme_year``; None if it ran no round."""
    rounds = SubGrantRound.objects.filter(region=region, programme_year=programme_year).count()
    if not rounds:
        return None
    sums = _sums(
        decided_grants().filter(round__region=region, round__programme_year=programme_year)
    )
    return Rollup(rounds, sums["count"], sums["granted"], sums["invoiced"])


def for_report(report: Report) -> Rollup | None:
    """The section of a region's own follow-up report to the agency: its
    sub-grants of the report's programme year, for a requisition's report
    (None for any other report, and no query unless the reporter is a
    region)."""
    if report.source != ReportSource.REQUISITION:
        return None
    if report.organisation.kind != OrganisationKind.REGION:
        return None
    return region_rollup(report.organisation_id, report.pool.programme_year_id)


@dataclass(frozen=True)
class RegionRegrant:
    region_name: str
    region_id: int
    rollup: Rollup


def per_region(programme_year) -> list[RegionRegrant]:
    """Every region that ran a round in ``programme_year``, with its roll-up:
    three queries whatever the number of regions and grants."""
    rounds = dict(
        SubGrantRound.objects.filter(programme_year=programme_year)
        .order_by()
        .values_list("region_id")
        .annotate(n=Count("pk"))
    )
    if not rounds:
        return []
    sums = {
        row.pop("round__region_id"): row
        for row in decided_grants()
        .filter(round__programme_year=programme_year)
        .order_by()
        .values("round__region_id")
        .annotate(
            count=Count("pk"),
            granted=Coalesce(Sum("amount_sek"), 0),
            invoiced=Coalesce(
                Sum(
                    "report__invoice__amount_sek",
                    filter=Q(report__invoice__status=SubGrantInvoiceStatus.PAID),
                ),
                0,
            ),
        )
    }
    names = dict(Organisation.objects.filter(pk__in=rounds).values_list("pk", "name"))
    result = []
    for region_id in sorted(rounds, key=lambda pk: names.get(pk, "")):
        row = sums.get(region_id, {"count": 0, "granted": 0, "invoiced": 0})
        result.append(
            RegionRegrant(
                names.get(region_id, ""),
                region_id,
                Rollup(rounds[region_id], row["count"], row["granted"], row["invoiced"]),
            )
        )
    return result
