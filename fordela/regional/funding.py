"""The funding chain (*finansieringskedjan*): what backs a regional round.

A region's state grant for a programme year is what the agency has paid it
for that year: each of its paid requisitions plus the redistributed share
that came with it, exactly as the ledger keeps them per case
(``requisitions.ledger.received_per_case``, the figures the follow-up report
reports on). A round may pass on that money once: what the region's other
rounds of the same year already hold is not available to this one. The
region's own money is shown apart and backs nothing from the state.
"""

from dataclasses import dataclass

from django.db.models import Sum

from fordela.organisations.models import Organisation
from fordela.programmes.models import PoolKind, ProgrammeYear
from fordela.requisitions.ledger import received_per_case

from .models import SubGrantRound


@dataclass(frozen=True)
class StateGrant:
    """The region's paid state grant for one year, and how much of it its
    other rounds already hold."""

    requisitioned_sek: int
    redistributed_sek: int
    requisition_ids: tuple[int, ...]
    held_by_other_rounds_sek: int = 0

    @property
    def paid_sek(self) -> int:
        return self.requisitioned_sek + self.redistributed_sek

    @property
    def available_sek(self) -> int:
        """What a round may be backed by: the paid grant less what the
        region's other rounds of the year hold."""
        return max(self.paid_sek - self.held_by_other_rounds_sek, 0)


def state_grant(
    region: Organisation, programme_year: ProgrammeYear, *, excluding: SubGrantRound | None = None
) -> StateGrant:
    """The region's paid state grant for ``programme_year``, read from the
    ledger of each requisition pool of that year; ``excluding`` is the round
    being funded (its own state funding is not "held by another round")."""
    requisitioned = redistributed = 0
    ids: list[int] = []
    for pool in programme_year.pools.filter(kind=PoolKind.REQUISITION).order_by("pk"):
        for case in received_per_case(pool):
            if case.organisation_id != region.pk or case.requisition_id is None:
                continue
            requisitioned += case.requisitioned_sek
            redistributed += case.redistributed_sek
            ids.append(case.requisition_id)
    others = SubGrantRound.objects.filter(region=region, programme_year=programme_year)
    if excluding is not None and excluding.pk is not None:
        others = others.exclude(pk=excluding.pk)
    held = others.aggregate(total=Sum("state_funding_sek"))["total"] or 0
    return StateGrant(
        requisitioned_sek=requisitioned,
        redistributed_sek=redistributed,
        requisition_ids=tuple(ids),
        held_by_other_rounds_sek=held,
    )
