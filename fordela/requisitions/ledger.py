"""The per-pool reconciliation (*avstämning*): every krona of a pool
accounted for, whether it is requisitioned (kommuner, regioner) or applied
for (grant decisions). Each figure is summed from its own table, so the
checks compare independent sources rather than restating one number.

    allocated        = requisitioned + not requisitioned
    not requisitioned = redistributed + unallocated (+ pending before redistribution)
    granted          = the decided grants of the pool's calls
    payable          = requisitioned + redistributed + granted = paid + not yet paid

and the money that comes back (``fordela.recovery.ledger``): claims decided
and repayments received are two events; only the repayment reduces what the
pool used.

    net used    = paid − repaid
    outstanding = decided − repaid − credited − written off
"""

from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from fordela.allocation.models import AllocationKey
from fordela.applications.models import Decision
from fordela.payments.models import Payable, PayableSource, PayableStatus, PaymentBatchItem
from fordela.programmes.models import Pool
from fordela.recovery.ledger import Recovery, pool_recovery, recovery_by_line

from .models import REQUISITIONED, Redistribution, RedistributionShare, Requisition


@dataclass
class Ledger:
    pool: Pool
    pool_sek: int
    allocated_sek: int
    requisitioned_sek: int
    requisitioned_count: int
    organisation_count: int
    not_requisitioned_sek: int
    redistribution_confirmed: bool
    redistributed_sek: int
    unallocated_sek: int
    pending_sek: int  # not requisitioned and not yet redistributed
    payable_requisitions_sek: int
    payable_redistribution_sek: int
    granted_sek: int
    payable_grants_sek: int
    payable_sek: int
    paid_sek: int
    paid_in_batches_sek: int
    unpaid_sek: int
    recovery: Recovery | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def repaid_sek(self) -> int:
        return self.recovery.repaid_sek if self.recovery else 0

    @property
    def net_used_sek(self) -> int:
        """Paid out less what came back (ESV: the repayment, not the claim,
        goes against the appropriation)."""
        return self.paid_sek - self.repaid_sek

    def recovery_by_line(self):
        """The recovery of the pool's programme year per appropriation line
        (read by the ledger page only)."""
        return recovery_by_line(self.pool.programme_year)

    @property
    def balances(self) -> bool:
        return not self.problems

    @property
    def requisition_rate_count(self) -> float:
        return self.requisitioned_count / self.organisation_count if self.organisation_count else 0

    @property
    def requisition_rate_sek(self) -> float:
        return self.requisitioned_sek / self.allocated_sek if self.allocated_sek else 0


def _sum(queryset, name: str = "amount_sek") -> int:
    return queryset.aggregate(total=Sum(name))["total"] or 0


def pool_ledger(pool: Pool) -> Ledger:
    key = AllocationKey.objects.filter(pool=pool).first()
    allocated = _sum(key.allocations.all()) if key else 0
    organisation_count = key.allocations.count() if key else 0
    requisitions = Requisition.objects.filter(pool=pool, status__in=REQUISITIONED)
    requisitioned = _sum(requisitions)
    shares = RedistributionShare.objects.filter(redistribution__pool=pool)
    redistribution = Redistribution.objects.filter(pool=pool).first()
    redistributed = _sum(shares)
    not_requisitioned = allocated - requisitioned
    unallocated = redistribution.unallocated_sek if redistribution else 0
    pending = 0 if redistribution else not_requisitioned
    payables = Payable.objects.filter(pool=pool).exclude(status=PayableStatus.CANCELLED)
    payable_requisitions = _sum(payables.filter(source=PayableSource.REQUISITION))
    payable_redistribution = _sum(payables.filter(source=PayableSource.REDISTRIBUTION))
    granted = _sum(Decision.objects.filter(call__pool=pool, decided_at__isnull=False))
    payable_grants = _sum(payables.filter(source=PayableSource.GRANT))
    payable = _sum(payables)
    paid = _sum(payables.filter(status=PayableStatus.PAID))
    paid_in_batches = _sum(
        PaymentBatchItem.objects.filter(Q(payable__pool=pool), batch__status="paid", released=False)
    )
    ledger = Ledger(
        pool=pool,
        pool_sek=pool.amount_sek,
        allocated_sek=allocated,
        requisitioned_sek=requisitioned,
        requisitioned_count=requisitions.count(),
        organisation_count=organisation_count,
        not_requisitioned_sek=not_requisitioned,
        redistribution_confirmed=redistribution is not None,
        redistributed_sek=redistributed,
        unallocated_sek=unallocated,
        pending_sek=pending,
        payable_requisitions_sek=payable_requisitions,
        payable_redistribution_sek=payable_redistribution,
        granted_sek=granted,
        payable_grants_sek=payable_grants,
        payable_sek=payable,
        paid_sek=paid,
        paid_in_batches_sek=paid_in_batches,
        unpaid_sek=payable - paid,
        recovery=pool_recovery(pool, paid),
    )
    checks = [
        (key is None or allocated == pool.amount_sek, _("The key does not add up to the pool.")),
        (
            allocated == requisitioned + not_requisitioned,
            _("Allocated ≠ requisitioned + not requisitioned."),
        ),
        (
            not_requisitioned == redistributed + unallocated + pending,
            _("Not requisitioned ≠ redistributed + unallocated."),
        ),
        (
            redistribution is None
            or (
                redistribution.redistributed_sek == redistributed
                and redistribution.requisitioned_sek == requisitioned
            ),
            _("The confirmed redistribution no longer matches the requisitions."),
        ),
        (payable_requisitions == requisitioned, _("Payables ≠ requisitioned amounts.")),
        (payable_redistribution == redistributed, _("Payables ≠ redistributed amounts.")),
        (payable_grants == granted, _("Payables ≠ granted amounts.")),
        (
            payable == requisitioned + redistributed + granted,
            _("Payable ≠ requisitioned + redistributed + granted."),
        ),
        (
            requisitioned + redistributed + granted <= pool.amount_sek,
            _("More has been promised than the pool holds."),
        ),
        (paid == paid_in_batches, _("Paid payables ≠ paid batch items.")),
        (payable == paid + ledger.unpaid_sek, _("Payable ≠ paid + not yet paid.")),
        (paid <= pool.amount_sek, _("More has been paid than the pool holds.")),
    ]
    ledger.problems = [str(message) for ok, message in checks if not ok]
    ledger.problems += ledger.recovery.problems
    return ledger


@dataclass(frozen=True)
class Received:
    """What one organisation received from a pool by one case: the figures
    the pool's ledger sums (above), kept apart per case. The follow-up
    report (``fordela.reports``) reports on them."""

    organisation_id: int
    requisition_id: int | None
    decision_id: int | None
    requisitioned_sek: int
    redistributed_sek: int
    granted_sek: int

    @property
    def received_sek(self) -> int:
        return self.requisitioned_sek + self.redistributed_sek + self.granted_sek


def received_per_case(pool: Pool) -> list[Received]:
    """Each paid requisition of ``pool`` with its redistributed share, and
    each paid grant of the pool's calls. Σ over a pool whose payables are all
    paid = the ledger's requisitioned + redistributed + granted."""
    shares = dict(
        RedistributionShare.objects.filter(redistribution__pool=pool).values_list(
            "requisition_id", "amount_sek"
        )
    )
    rows = [
        Received(org, pk, None, amount, shares.get(pk, 0), 0)
        for pk, org, amount in Requisition.objects.filter(pool=pool, status="paid")
        .order_by("pk")
        .values_list("pk", "organisation_id", "amount_sek")
    ]
    paid_grants = set(
        Payable.objects.filter(
            pool=pool, source=PayableSource.GRANT, status=PayableStatus.PAID
        ).values_list("reference", flat=True)
    )
    rows += [
        Received(org, None, pk, 0, 0, amount)
        for pk, org, amount in Decision.objects.filter(
            call__pool=pool, decided_at__isnull=False, amount_sek__gte=1
        )
        .order_by("pk")
        .values_list("pk", "application__organisation_id", "amount_sek")
        if f"grant:{pk}" in paid_grants
    ]
    return rows
