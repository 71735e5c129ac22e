"""Recovery in the ledger (issue 18 §6; facts-second-half.md §5).

ESV: "återkrav av lämnade bidrag ska redovisas kassamässigt mot anslag". A
decided claim (*fordran*) does not touch the appropriation; the repayment
received (*kassa*) does. So the ledger keeps them as two events and counts
the money that comes back only when it is paid:

    net used     = paid − repaid
    outstanding  = decided − repaid − credited − written off
                 = Σ what the open invoices still claim

Each figure is summed from its own table (the decisions, the invoices, the
incoming payments, the credit notes), so the checks compare independent
sources: repaid from the payment rows against the invoices' paid amounts,
credited from the credit notes against the invoices' credited amounts.

Per appropriation line: a pool names the line that funds it
(``Pool.appropriation_line``) where the source says which; the rest are
summed in a row of their own, "not assigned to a line".
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from fordela.payments.models import Payable, PayableStatus
from fordela.programmes.models import AppropriationLine, Pool, ProgrammeYear

from .models import (
    OPEN_INVOICE,
    CreditNote,
    IncomingPayment,
    IncomingPaymentStatus,
    Invoice,
    RecoveryDecision,
    RecoveryOutcome,
    RecoveryStatus,
)

DECIDED_CLAIM = Q(status=RecoveryStatus.DECIDED, outcome=RecoveryOutcome.CLAIM)
DECIDED_WAIVER = Q(status=RecoveryStatus.DECIDED, outcome=RecoveryOutcome.WAIVE)
WAITING = Q(status__in=[RecoveryStatus.PROPOSED, RecoveryStatus.RETURNED])


@dataclass
class Recovery:
    """The recovery figures of one pool, or of the pools of one appropriation
    line (``paid_sek`` is what those pools paid out)."""

    paid_sek: int
    proposed_count: int  # proposed or sent back, not yet decided
    decided_count: int  # claims decided
    decided_sek: int
    waived_count: int
    waived_sek: int  # what the waived decisions would have claimed
    invoice_count: int
    invoiced_sek: int
    repaid_sek: int  # Σ applied of the incoming payment rows
    invoices_paid_sek: int  # Σ paid of the invoices: must equal repaid
    credited_sek: int  # Σ of the credit notes
    invoices_credited_sek: int  # Σ credited of the invoices: must equal credited
    written_off_sek: int
    open_outstanding_sek: int  # Σ what the open invoices still claim
    unapplied_sek: int  # paid in on the pools' invoices beyond them, not yet resolved
    refunded_sek: int  # of that, paid back to the payer
    mismatched_invoices: int = 0  # invoices whose payment rows do not add up to paid
    problems: list[str] = field(default_factory=list)

    @property
    def outstanding_sek(self) -> int:
        return self.decided_sek - self.repaid_sek - self.credited_sek - self.written_off_sek

    @property
    def net_used_sek(self) -> int:
        return self.paid_sek - self.repaid_sek

    @property
    def balances(self) -> bool:
        return not self.problems

    def check(self) -> "Recovery":
        checks = [
            (
                self.invoice_count == self.decided_count and self.invoiced_sek == self.decided_sek,
                _("Decided claims ≠ invoiced amounts."),
            ),
            (
                self.repaid_sek == self.invoices_paid_sek,
                _("Repaid (incoming payments) ≠ paid on the invoices."),
            ),
            (
                self.mismatched_invoices == 0,
                _("An invoice's payments do not add up to what it shows as paid."),
            ),
            (
                self.credited_sek == self.invoices_credited_sek,
                _("Credit notes ≠ credited on the invoices."),
            ),
            (
                self.outstanding_sek == self.open_outstanding_sek,
                _("Outstanding claims ≠ what the open invoices still claim."),
            ),
            (self.repaid_sek <= self.paid_sek, _("More has been repaid than was paid out.")),
            (self.decided_sek <= self.paid_sek, _("More has been claimed back than was paid out.")),
        ]
        self.problems = [str(message) for ok, message in checks if not ok]
        return self


def _aggregate(queryset, **aggregates) -> dict:
    """``queryset.aggregate(**aggregates)``: the names may be the models'
    own field names (Django refuses an aggregate named like a field that
    another aggregate reads, so they are prefixed on the way)."""
    totals = queryset.aggregate(**{f"total_{name}": value for name, value in aggregates.items()})
    return {name.removeprefix("total_"): value for name, value in totals.items()}


def _decision_totals(decisions) -> dict:
    return _aggregate(
        decisions,
        proposed_count=Count("id", filter=WAITING),
        decided_count=Count("id", filter=DECIDED_CLAIM),
        decided_sek=Coalesce(Sum("amount_sek", filter=DECIDED_CLAIM), 0),
        waived_count=Count("id", filter=DECIDED_WAIVER),
        waived_sek=Coalesce(Sum("amount_sek", filter=DECIDED_WAIVER), 0),
    )


def _invoice_totals(invoices) -> dict:
    still_claimed = F("amount_sek") - F("paid_sek") - F("credited_sek") - F("written_off_sek")
    return _aggregate(
        invoices,
        invoice_count=Count("id"),
        invoiced_sek=Coalesce(Sum("amount_sek"), 0),
        invoices_paid_sek=Coalesce(Sum("paid_sek"), 0),
        invoices_credited_sek=Coalesce(Sum("credited_sek"), 0),
        written_off_sek=Coalesce(Sum("written_off_sek"), 0),
        open_outstanding_sek=Coalesce(Sum(still_claimed, filter=Q(status__in=OPEN_INVOICE)), 0),
    )


def _payment_totals(payments) -> dict:
    unresolved = Q(status=IncomingPaymentStatus.TO_RESOLVE)
    return _aggregate(
        payments,
        repaid_sek=Coalesce(Sum("applied_sek"), 0),
        unapplied_sek=Coalesce(
            Sum(F("amount_sek") - F("applied_sek") - F("refunded_sek"), filter=unresolved), 0
        ),
        refunded_sek=Coalesce(Sum("refunded_sek"), 0),
    )


def _mismatched(invoices) -> int:
    """Invoices whose incoming payments' applied amounts do not add up to
    what the invoice shows as paid (one query)."""
    return (
        invoices.annotate(applied=Coalesce(Sum("payments__applied_sek"), 0))
        .exclude(applied=F("paid_sek"))
        .count()
    )


def pool_recovery(pool: Pool, paid_sek: int) -> Recovery:
    """The recovery of ``pool``, which paid out ``paid_sek`` (the pool
    ledger's paid): five queries whatever the number of cases."""
    invoices = Invoice.objects.filter(decision__pool=pool)
    return Recovery(
        paid_sek=paid_sek,
        **_decision_totals(RecoveryDecision.objects.filter(pool=pool)),
        **_invoice_totals(invoices),
        **_payment_totals(IncomingPayment.objects.filter(invoice__decision__pool=pool)),
        credited_sek=CreditNote.objects.filter(invoice__decision__pool=pool).aggregate(
            total=Coalesce(Sum("amount_sek"), 0)
        )["total"],
        mismatched_invoices=_mismatched(invoices),
    ).check()


# ------------------------------------------------------- per appropriation line


@dataclass
class LineRecovery:
    line: AppropriationLine | None  # None: the pools that name no line
    pools: list[Pool]
    recovery: Recovery

    @property
    def label(self) -> str:
        if self.line is None:
            return str(_("Not assigned to a line"))
        return f"{self.line} {self.line.name}"


def _grouped(queryset, key: str, **aggregates) -> dict:
    """``aggregates`` of ``queryset`` per value of ``key`` (one query)."""
    rows = (
        queryset.order_by()
        .values(key)
        .annotate(**{f"total_{name}": value for name, value in aggregates.items()})
        .order_by()
    )
    return {
        row.pop(key): {name.removeprefix("total_"): value for name, value in row.items()}
        for row in rows
    }


# The fields of ``Recovery`` that add up over pools.
SUMMED = [
    "paid_sek",
    "proposed_count",
    "decided_count",
    "decided_sek",
    "waived_count",
    "waived_sek",
    "invoice_count",
    "invoiced_sek",
    "repaid_sek",
    "invoices_paid_sek",
    "credited_sek",
    "invoices_credited_sek",
    "written_off_sek",
    "open_outstanding_sek",
    "unapplied_sek",
    "refunded_sek",
]


def recovery_by_line(programme_year: ProgrammeYear) -> list[LineRecovery]:
    """The recovery of a programme year's pools per appropriation line, and a
    row for the pools that name none (only when there are such pools): a
    fixed number of grouped queries whatever the number of pools and cases."""
    lines = list(AppropriationLine.objects.filter(programme_year=programme_year))
    pools = list(Pool.objects.filter(programme_year=programme_year).order_by("pk"))
    line_of = {pool.pk: pool.appropriation_line_id for pool in pools}
    pool_ids = list(line_of)

    paid = _grouped(
        Payable.objects.filter(pool_id__in=pool_ids, status=PayableStatus.PAID),
        "pool_id",
        total=Coalesce(Sum("amount_sek"), 0),
    )
    decisions = _grouped(
        RecoveryDecision.objects.filter(pool_id__in=pool_ids),
        "pool_id",
        proposed_count=Count("id", filter=WAITING),
        decided_count=Count("id", filter=DECIDED_CLAIM),
        decided_sek=Coalesce(Sum("amount_sek", filter=DECIDED_CLAIM), 0),
        waived_count=Count("id", filter=DECIDED_WAIVER),
        waived_sek=Coalesce(Sum("amount_sek", filter=DECIDED_WAIVER), 0),
    )
    still_claimed = F("amount_sek") - F("paid_sek") - F("credited_sek") - F("written_off_sek")
    invoices = _grouped(
        Invoice.objects.filter(decision__pool_id__in=pool_ids),
        "decision__pool_id",
        invoice_count=Count("id"),
        invoiced_sek=Coalesce(Sum("amount_sek"), 0),
        invoices_paid_sek=Coalesce(Sum("paid_sek"), 0),
        invoices_credited_sek=Coalesce(Sum("credited_sek"), 0),
        written_off_sek=Coalesce(Sum("written_off_sek"), 0),
        open_outstanding_sek=Coalesce(Sum(still_claimed, filter=Q(status__in=OPEN_INVOICE)), 0),
    )
    unresolved = Q(status=IncomingPaymentStatus.TO_RESOLVE)
    payments = _grouped(
        IncomingPayment.objects.filter(invoice__decision__pool_id__in=pool_ids),
        "invoice__decision__pool_id",
        repaid_sek=Coalesce(Sum("applied_sek"), 0),
        unapplied_sek=Coalesce(
            Sum(F("amount_sek") - F("applied_sek") - F("refunded_sek"), filter=unresolved), 0
        ),
        refunded_sek=Coalesce(Sum("refunded_sek"), 0),
    )
    credits = _grouped(
        CreditNote.objects.filter(invoice__decision__pool_id__in=pool_ids),
        "invoice__decision__pool_id",
        credited_sek=Coalesce(Sum("amount_sek"), 0),
    )

    def totals(ids: list[int]) -> Recovery:
        sums: dict[str, int] = {"paid_sek": sum(paid.get(i, {}).get("total", 0) for i in ids)}
        for source in (decisions, invoices, payments, credits):
            for i in ids:
                for name, value in source.get(i, {}).items():
                    sums[name] = sums.get(name, 0) + value
        return Recovery(**{name: sums.get(name, 0) for name in SUMMED}).check()

    rows = []
    for line in lines:
        ids = [pk for pk, line_id in line_of.items() if line_id == line.pk]
        rows.append(LineRecovery(line, [p for p in pools if p.pk in ids], totals(ids)))
    unassigned = [pk for pk, line_id in line_of.items() if line_id is None]
    if unassigned:
        rows.append(
            LineRecovery(None, [p for p in pools if p.pk in unassigned], totals(unassigned))
        )
    return rows
