"""Redistribution (*omfördelning*) arithmetic (decisions.md 4, domain.md §3.2).

Pure: no Django. What the organisations in a pool did not requisition by the
deadline goes to those that requisitioned their full allocation on time and
opted in, by largest remainder over the same population key. If nobody opted
in, the money stays unallocated.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from fordela.allocation.apportionment import Claimant, apportion


@dataclass(frozen=True, slots=True)
class Position:
    """One organisation's standing in a pool after the deadline."""

    code: str
    population: int
    allocation_sek: int
    requisitioned_sek: int  # 0 when nothing was requisitioned on time
    opted_in: bool


@dataclass(frozen=True, slots=True)
class Outcome:
    allocated_sek: int
    requisitioned_sek: int
    unrequisitioned_sek: int
    redistributed_sek: int
    unallocated_sek: int
    shares: dict[str, int]  # code → kronor, for every eligible organisation


def is_eligible(position: Position) -> bool:
    return (
        position.opted_in
        and position.requisitioned_sek > 0
        and position.requisitioned_sek == position.allocation_sek
    )


def redistribute(positions: Iterable[Position]) -> Outcome:
    rows = list(positions)
    for row in rows:
        if not 0 <= row.requisitioned_sek <= row.allocation_sek:
            raise ValueError(f"{row.code}: requisitioned amount outside 0..allocation")
    allocated = sum(row.allocation_sek for row in rows)
    requisitioned = sum(row.requisitioned_sek for row in rows)
    unrequisitioned = allocated - requisitioned
    eligible = [row for row in rows if is_eligible(row)]
    shares: dict[str, int] = {}
    if eligible and unrequisitioned > 0 and sum(row.population for row in eligible) > 0:
        for share in apportion(
            unrequisitioned, [Claimant(row.code, row.population) for row in eligible]
        ):
            shares[share.code] = share.amount
    else:
        shares = {row.code: 0 for row in eligible}
    redistributed = sum(shares.values())
    return Outcome(
        allocated_sek=allocated,
        requisitioned_sek=requisitioned,
        unrequisitioned_sek=unrequisitioned,
        redistributed_sek=redistributed,
        unallocated_sek=unrequisitioned - redistributed,
        shares=shares,
    )
